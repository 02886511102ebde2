"""Issue 16, second round: someone else's situation without danger now stays a report, danger now
stays urgent, and questions that describe a situation are questions. Sentences written for these
tests (not from nlu/data or any test set)."""

from __future__ import annotations

import pytest

from nlu.question import asks_for_answer, is_question
from nlu.urgency import assess, detect_urgency


@pytest.mark.parametrize(
    "text",
    [
        # A workplace's practice, told from outside: papers kept, staff not let go home.
        "xuong go gan nha toi giu ho chieu cua may chi nguoi Lao, khong cho ve que an Tet",
        "Nhà máy bao bì ở xã bên thu căn cước của công nhân, ai nghỉ ngang thì không trả lại",
        "Quán karaoke ở thị trấn không cho mấy nhân viên nữ về nhà, nghe nói chủ giữ giấy tờ",
        "The restaurant next door keeps the workers' passports and doesn't let them go home",
        # A relative married abroad through a broker long ago, now unreachable.
        "Cô em họ tôi lấy chồng Đài Loan qua mai mối từ năm kia, giờ cả nhà không liên lạc được",
        "My cousin married a Chinese man through a broker last year and nobody can reach her now",
        # Recruiting and invitations, nothing happening to anyone now.
        "Bà hàng xóm đang rủ mấy đứa con gái trong xóm sang Malaysia hát karaoke, hứa lương cao",
        "em gai toi quen 1 anh tren fb, anh ta moi no qua han choi roi o lai lam viec",
    ],
)
def test_someone_elses_situation_without_danger_now_is_a_report(text: str) -> None:
    seen = assess(text)
    assert detect_urgency(text) == []
    # no_danger_now: a classifier that alone took it for urgent is lowered to a report.
    assert seen.no_danger_now


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # The same situations with a person held now, a relative of the writer's, or a time now.
        ("con gái tôi bị nhốt ở nhà chồng bên Trung Quốc, không cho về", "confinement"),
        ("chủ xưởng giữ hộ chiếu của em gái tôi không cho nó về", "confinement"),
        ("chị tôi vừa nhắn là bị nhốt trong phòng, không cho ra ngoài", "confinement"),
        ("Bọn nó đang giữ hộ chiếu của em và không cho em về, em đang ở Campuchia", "confinement"),
        ("tối nay họ chuyển bọn em sang chỗ khác, em sợ bị bán tiếp", "transport_in_progress"),
        ("ny tren mang cua em gai toi hen toi nay don no qua bien gioi", "transport_in_progress"),
        ("con tôi 13 tuổi đi theo người quen trên facebook từ hôm qua", "child_missing_recent"),
        ("they took my passport and won't let me go home", "confinement"),
        ("we r locked in a storeroom behind the shop", "confinement"),
        ("they are driving us to the river now", "transport_in_progress"),
    ],
)
def test_danger_now_stays_urgent(text: str, reason: str) -> None:
    assert reason in detect_urgency(text)
    assert not assess(text).no_danger_now


@pytest.mark.parametrize(
    "text",
    [
        "chỗ làm bên Đài Loan mà phải đóng 150 triệu tiền cọc thì có lừa đảo không",
        "co nguoi tren tiktok tuyen di malaysia lam massage bao an o, cai nay co dang tin hok",
        "is this job legit: packing fruit in Poland, they want a 2000 usd fee",
        "Em bị lừa tiền đi xuất khẩu lao động thì em phải trình báo ở đâu",
        "toi mat het giay to o ben trung quoc, ve roi thi lam lai giay to o dau",
        "minh ke cho cac ban thi thong tin co bi lo ra ngoai ko",
        "are there shelters for girls who came back from China",
        "em nen bao cong an xa hay goi 111",
        "trình báo thì lên công an huyện hay công an xã",
        "tin nhắn của em ở đây ai đọc được",
        "đi làm ở Hàn cần những giấy tờ gì",
        "nha tam lanh cho o duoc bao lau",
        "xkld uc phi 9000 do co dat ko moi nguoi",
    ],
)
def test_questions_that_describe_a_situation_are_questions(text: str) -> None:
    assert is_question(text)
    assert detect_urgency(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "chồng tôi bị bệnh phổi, cần hỗ trợ khám chữa",  # chữa (treat), not chưa
        "em cần việc làm gấp, nhà em không còn gì",  # "không còn gì": nothing left
        "e ko bik lam gi",
        "chủ xưởng giữ giấy tờ, bảo bao giờ hết hợp đồng mới trả",  # "only when", not "when?"
        "tôi biết một nhà ở đầu ngõ nhận trẻ con đi bán vé số",  # đầu ngõ folds like "ở đâu"
        "nhà không có ai",
    ],
)
def test_statements_that_only_look_like_questions(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("chỗ làm bên Đài Loan mà phải đóng 150 triệu tiền cọc thì có lừa đảo không", True),
        ("co nguoi tren tiktok tuyen di malaysia lam massage, cai nay co dang tin hok", True),
        ("Tôi muốn tố giác một người nhưng sợ bị trả thù, có được giấu tên không?", True),
        ("toi mat het giay to o ben trung quoc, ve roi thi lam lai giay to o dau", True),
        ("mẹ em sang Ả Rập giúp việc, công ty giữ hộ chiếu, vậy có bình thường không", True),
        ("lm sao de bt cty xkld co giay phep hay ko", True),
        ("ở Đà Nẵng có nhà tạm lánh nào nhận mẹ con không", True),
        ("is it a scam if they pay the flight and take it from my salary?", True),
        # Tips and requests, even with a question word, are not asked for an answer.
        ("công ty ở huyện giữ hộ chiếu của công nhân, tôi muốn báo", False),
        ("e can giup do, e ko bt lam sao", False),
        ("có ai giúp em tìm việc không", False),
    ],
)
def test_questions_that_ask_for_an_answer(text: str, asks: bool) -> None:
    assert asks_for_answer(text) is asks
