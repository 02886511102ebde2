"""Issue 16, fifth round: kinds found on the regression sets after the fourth blind set was scored.
Sentences written for these tests (not from nlu/data or any test set).

- Questions as people type them: teencode ("lm sao", "hk", "bít"), "sao ..." opening a why, a
  verb before a folded "đâu", "có gì khác"; and statements that only look like questions: what
  nobody knows ("không biết chị ở đâu"), "từ đầu năm", "không gọi về lần nào", "không ... bao giờ".
- Harm that is over: a dream or a memory, a case already before a court, "về từ Campuchia",
  "từ khi về", a relative back home with a need now (families ask for help too).
- Danger now the net missed: made to follow now, moved within the hour, a chained worker, a
  newborn handed over tonight, a child carried off by a stranger minutes ago.
"""

from __future__ import annotations

import pytest

from nlu.normalize import normalize
from nlu.question import is_question
from nlu.urgency import assess


@pytest.mark.parametrize(
    "text",
    [
        "lm sao bít trung tâm này có được phép đưa người đi hk",
        "đi làm bên Nhật theo diện kỹ sư có an toàn hk ad",
        "sao dạo này trên mạng nhiều tin tuyển người đi Campuchia thế",
        "mat giay to o ben Lao thi lam lai o dau",
        "muốn tố giác mà sợ lộ tên thì liên hệ đâu",
        "nghị định mới về hỗ trợ nạn nhân có gì khác trước",
        "trước khi đặt cọc thì nên xem giấy tờ gì của công ty",
    ],
)
def test_questions_as_people_type_them(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "chị tôi sang Malaysia từ đầu năm, giờ gia đình không biết chị ở đâu",
        "em họ tôi đi Lào làm phụ hồ, ba tháng nay không gọi về lần nào",
        "mấy cô gái ở quán đó không thấy ra chợ bao giờ",
        "cậu tôi theo người ta đi tàu cá, đi đâu không rõ",
        "bà ấy hay hỏi mấy đứa nhỏ trong xóm có muốn lên phố làm không",
        "anh tôi đi Đài Loan hai năm nay không có tin tức gì",
    ],
)
def test_statements_that_only_look_like_questions(text: str) -> None:
    assert not is_question(text)


def test_teencode_bn_is_a_friend_before_a_person_and_how_many_before_a_unit() -> None:
    assert normalize("bn mk quen 1 ng") == "bạn mình quen 1 người"
    assert normalize("phí bn tiền") == "phí bao nhiêu tiền"
    assert normalize("sao lại thế v") == "sao lại thế vậy"


@pytest.mark.parametrize(
    "text",
    [
        "đêm nào em cũng gặp ác mộng thấy bị đánh, em cần người tâm sự",
        "tôi đã ra tòa làm chứng trong vụ án người ta bán tôi, giờ tôi cần luật sư",
        "cháu nó về từ Campuchia được hai tuần, cứ nhốt mình trong buồng",
        "từ khi về em không dám ra ngoài, em cần hỗ trợ tâm lý",
    ],
)
def test_harm_that_is_over_is_not_a_page(text: str) -> None:
    assert assess(text).reasons == []


@pytest.mark.parametrize(
    "text",
    [
        "vợ tôi bị lừa bán sang Trung Quốc, tháng trước mới về, giờ muốn làm lại căn cước",
        "con trai tôi bị ép làm ở tàu cá, được giải cứu về rồi, cháu cần đi khám",
        "my brother came home after being trafficked and he needs a job",
    ],
)
def test_a_relative_back_home_with_a_need_is_a_help_request(text: str) -> None:
    seen = assess(text)
    assert seen.reasons == []
    assert seen.own_needs


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tôi đang ở bến xe, mấy người kia bắt tôi đi theo họ", "transport_in_progress"),
        ("sap bi chuyen di roi, ho bao thu don do trong 30 phut", "transport_in_progress"),
        ("chủ lò gạch xích chân em tôi lại vì đòi về", "confinement"),
        (
            "bà đỡ đang bán đứa bé mới sinh cho người lạ, hẹn giao chiều nay",
            "forced_birth_or_baby_sale",
        ),
        ("thằng bé nhà bên vừa bị người lạ bế đi, mới mấy phút trước", "child_taken"),
        ("bọn nó bắt nhà tôi gửi 150 triệu trước trưa mai, không thì bán cháu đi", "ransom"),
        ("tuan sau ho se dua em di cat than tru no", "organ_removal"),
        ("họ giữ tôi trong nhà trọ, đẻ xong là bắt con đi bán", "forced_birth_or_baby_sale"),
        ("cổng khóa suốt, có bảo vệ cầm gậy, không cho ai ra ngoài", "confinement"),
        ("máy em bị thu rồi, em mượn máy bạn cùng phòng nhắn", "documents_taken"),
        ("a boy was bundled into a car outside the market just now", "child_taken"),
    ],
)
def test_danger_now_the_net_missed(text: str, reason: str) -> None:
    assert reason in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        # "họ đang tìm thêm người" recruits; "bị đuổi về" was sent home; "hiến thận cứu người".
        "ở xã tôi có nhóm môi giới cô dâu, họ đang tìm thêm người",
        "anh tôi bị đuổi về nước vì công ty phá sản, giờ nợ nhiều",
        "trên mạng có trang hiến thận cứu người, thực ra là mua bán thận",
        "I need a lawyer to help me get compensation, I am a survivor",
    ],
)
def test_words_that_only_look_like_danger(text: str) -> None:
    assert assess(text).reasons == []
