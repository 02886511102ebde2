"""Issue 16, sixteenth round: readings found on 2026-12n (a development set), in words of our own.

A returnee who speaks of herself as "chị", "cô" or "anh" ("Chị bị lừa sang … năm 2019, chị trốn
về được") and names what she or her child lacks asks for help; so does someone "ở bên Trung Quốc
về" who has "chưa được nhận gì". An agency taking fees ("đang thu tiền") and a writer who "vừa tra"
a list are no danger now, nor are "danh sách" and "ẩn danh" beatings. "Cứu em" about a talk, an
essay or the wifi is an everyday plea, and "cứu tinh" a thank-you. "Chưa muốn ai biết" tells
(anyone, not who?), while "chưa biết luật mới nhất là luật nào" asks.
"""

from __future__ import annotations

import pytest

from content.entitlements import support_asked_about
from nlu.question import is_question
from nlu.urgency import assess, everyday_plea


@pytest.mark.parametrize(
    "text",
    [
        "Cô bị bán sang Quảng Đông năm 2015, tháng trước cô mới trốn về được. Con cô 8 tuổi "
        "sinh bên đó, không có giấy khai sinh, cô muốn cho cháu đi học.",
        "anh bi lua sang cpc lam lua dao, nam ngoai anh tron ve duoc, gio khong co viec lam",
        "em ở bên Malaysia về từ tháng 6, chưa được hỗ trợ gì hết",
    ],
)
def test_a_returnee_who_names_what_they_lack_asks_for_help(text: str) -> None:
    seen = assess(text)
    assert not seen.reasons and seen.own_needs, seen


@pytest.mark.parametrize(
    "text",
    [
        # Someone else's story ("chị tôi") is a tip to verify, not her own request.
        "Chị tôi bị bán sang Trung Quốc năm 2015, giờ vẫn chưa liên lạc được",
        "tối nay tụi nó đưa em từ Lào về phía biên giới",
    ],
)
def test_someone_elses_story_or_a_move_now_is_no_request(text: str) -> None:
    assert not assess(text).own_needs


@pytest.mark.parametrize(
    "text",
    [
        "Tôi vừa tra trên mạng thì văn phòng tuyển lao động ở Cầu Giấy không có trong danh sách "
        "được cấp phép, mà họ đang thu tiền cọc của mấy chục người ở xã tôi",
        "ko can an danh dau, em ten Hoa, so dt em la 0912345678",
    ],
)
def test_fees_taken_a_list_checked_or_an_anonymous_tip_are_no_danger_now(text: str) -> None:
    assert assess(text).reasons == []


@pytest.mark.parametrize(
    "text",
    [
        "tụi nó đánh em, cứu em",
        "họ đang thu giữ hộ chiếu và nhốt tụi em trong khu nhà",
    ],
)
def test_force_stays_danger_now(text: str) -> None:
    assert assess(text).reasons


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("cứu em vs mn ơi 😭 thứ 2 em phải thuyết trình về buôn người mà chưa có slide", False),
        ("cuu em voi, bai tap GDCD ve mua ban nguoi kho qua", False),
        ("cứu em với, họ nhốt em trong phòng, mai em phải đi làm bài tập cho họ", True),
        ("cứu tui với, wifi nhà tui cứ rớt hoài", False),
    ],
)
def test_a_cry_about_schoolwork_is_a_students_plea(text: str, urgent: bool) -> None:
    assert bool(assess(text).reasons) is urgent
    assert everyday_plea(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("em ở Hương Khê, Hà Tĩnh. mẹ em chưa muốn ai biết chuyện này", False),
        ("đừng để ai biết là em báo nhé", False),
        ("em chưa biết số tổng đài mới là số nào", True),
        ("mai kiểm tra mà em không rõ luật phòng chống mua bán người là luật nào", True),
        ("con bé đi từ tháng 3, cả nhà không ai biết đi đâu", False),
        ("ấp Bình Hòa, xã Tân Thạnh, tên cũ đó, giờ nhập tỉnh rồi tui hổng biết kêu sao", False),
    ],
)
def test_anyone_tells_and_not_knowing_a_fact_asks(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Cứu tinh đây rồi, cảm ơn mọi người nhiều", False),
        ("cứu mạng em với", True),
        ("cuu voi", True),
    ],
)
def test_a_saviour_is_thanks_and_a_bare_cry_is_a_cry(text: str, urgent: bool) -> None:
    assert bool(assess(text).reasons) is urgent


def test_suing_those_who_sold_her_asks_for_legal_aid_and_an_opinion_does_not() -> None:
    assert support_asked_about("nó muốn kiện bọn môi giới thì phải làm sao") == ["pháp lý"]
    assert support_asked_about("cho tôi xin ý kiến về chuyện này") == []


@pytest.mark.parametrize(
    "text",
    [
        "Tôi bị lừa bán sang Thái Lan, được cứu rồi, giờ đang ở trung tâm bảo trợ, muốn về quê",
        "em bị ép đẻ thuê ở Quảng Tây, đẻ xong họ bế con đi rồi cho em về, giờ người yếu lắm",
        "chồng em bị bắt đi làm trên tàu cá 3 năm, mới được về Cà Mau, giờ muốn kiện chủ tàu",
        "con gái tôi bị dụ đi bán hàng rong, bị đánh, nay đã được công an trả về cho gia đình",
    ],
)
def test_harm_told_with_how_it_ended_is_over(text: str) -> None:
    seen = assess(text)
    assert not seen.reasons and seen.past_harm, seen


@pytest.mark.parametrize(
    "text",
    ["họ không cho mình về, nhốt trong phòng", "cứu em, chồng em chưa cho em về, đánh em suốt"],
)
def test_kept_from_going_home_is_danger_now(text: str) -> None:
    assert assess(text).reasons


def test_allowed_home_only_once_a_debt_is_paid_is_still_held() -> None:
    text = "chủ quán giữ căn cước của em, bảo trả đủ 30 triệu tiền nợ mới được về, tối nào cũng ép"
    assert assess(text).reasons


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Trẻ em bị bắt đi ăn xin thường có dấu hiệu gì để mọi người nhận ra?", False),
        ("tre em bi dua di lam thue ma bo me dong y thi co phai mua ban nguoi khong", False),
        ("Giả sử một người bạn bị nhốt bên Lào thì gọi số nào? Em hỏi để biết thôi", False),
        ("bố mẹ em đang bị nhốt ở Lào, phải làm sao?", True),
        ("em đang bị nhốt, giả sử em trốn được thì gọi số nào?", True),
    ],
)
def test_children_parents_and_suppositions_in_a_question_are_not_the_writer(
    text: str, urgent: bool
) -> None:
    assert bool(assess(text).reasons) is urgent
