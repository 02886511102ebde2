"""Issue 16, sixth round: danger now said without the net's older words (a threat with its
condition, a weapon, being starved or drugged, a fence or a guard at the door, writing in secret,
being loaded into a vehicle, a child carried off, a forced marriage tonight, a ransom with its
deadline), in every written form; and the folded words they share with everyday speech ("bạn"
folds like "bán", "đánh máy", "không cho về quê ăn Tết", "gọi lên công ty") are no page. Sentences
written for these tests (not from nlu/data or any test set)."""

from __future__ import annotations

import unicodedata

import pytest

from nlu import other_scripts
from nlu.normalize import fold
from nlu.question import is_question
from nlu.urgency import assess


def _forms(text: str) -> list[str]:
    """Accented, NFD, upper case and without diacritics: the net must read them alike."""
    return [text, unicodedata.normalize("NFD", text), text.upper(), fold(text)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("chúng nó dọa nếu em bỏ trốn thì chặt ngón tay em", "threat"),
        ("ông chủ dọa sẽ tung clip của em lên mạng nếu em không làm tiếp", "threat"),
        ("tụi bảo vệ có súng, đứa nào chạy là bắn", "threat"),
        ("họ nói không nộp đủ tiền thì đánh chết", "threat"),
        ("họ vừa đánh anh ấy đến ngất ở hành lang", "violence"),
        ("em bị bỏ đói từ hôm qua vì không đạt chỉ tiêu", "violence"),
        ("chúng ép bọn em uống thuốc gì đó mỗi tối", "violence"),
        ("khu này có rào điện, em không thoát ra được", "confinement"),
        ("họ khóa cửa phòng rồi, em ở trong một mình", "confinement"),
        ("em đang nhắn trộm bằng máy của chị bếp", "hiding_or_pursued"),
        ("bọn nó đang đứng ngoài cửa phòng em", "hiding_or_pursued"),
        ("họ đang dồn cả nhóm lên thùng xe tải ở sau kho", "transport_in_progress"),
        ("bọn em đang ngồi trong thùng xe, không biết đi đâu", "transport_in_progress"),
        ("có người vừa bế một bé trai ra khỏi nhà trẻ rồi chạy mất", "child_taken"),
        ("thằng bé bị một người lạ lôi lên ô tô trước cổng chợ", "child_taken"),
        ("họ bắt em lấy ông ấy ngay tối nay, em không muốn", "forced_marriage"),
        ("người yêu em bán em qua đây, giờ em ở nhà một người lạ", "being_sold"),
        ("phải gửi 40 triệu họ mới cho em về, không gửi thì họ bán em", "ransom"),
        ("cửa phòng bị khóa từ bên ngoài, em không ra được", "confinement"),
        ("họ vừa giao chị em cho 1 thằng đàn ông lạ ở bên kia", "handed_to_stranger"),
    ],
)
def test_danger_now_in_other_words_is_urgent(text: str, reason: str) -> None:
    for form in _forms(text):
        assert reason in assess(form).reasons, form


@pytest.mark.parametrize(
    "text",
    [
        "bạn em đi làm bên Đài Loan, nghe nói công ty giữ hộ chiếu, bạn muốn về mà chưa được",
        "chủ quán không cho cháu về quê ăn Tết, giữ lương hai tháng",
        "mình gọi lên công ty môi giới thì họ bảo chờ thêm",
        "chị ấy đang đánh máy hồ sơ cho em, mai em nộp",
        "năm ngoái em bị bán qua bên đó, giờ em về nhà rồi, em cần học nghề",
        "bạn tôi sang Hàn theo diện du lịch rồi ở lại làm chui mấy năm nay",
        "vợ tôi vừa được bộ đội biên phòng đưa về, giờ cần đi khám",
    ],
)
def test_the_same_words_in_everyday_speech_are_no_page(text: str) -> None:
    for form in _forms(text):
        assert not assess(form).reasons, form


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "they are putting the girls in the back of a truck behind the market",
            "transport_in_progress",
        ),
        ("pls the men are kicking my brother, come quickly", "violence"),
        ("my cousin is being sold to a bar owner, she told me an hour ago", "being_sold"),
        ("the agent says if we run we will be shot", "threat"),
        ("他们说明天把我送去摘肾", "organ_removal"),
        ("有人在砸门，我好害怕", "hiding_or_pursued"),
        ("คืนนี้เขาจะย้ายพวกเราไปที่อื่น", "transport_in_progress"),
        ("ถ้าไม่จ่ายเงิน เขาจะตัดนิ้วผม", "threat"),
        ("ពួកគេនឹងសម្លាប់ខ្ញុំបើខ្ញុំរត់", "threat"),
        ("ພວກມັນກຳລັງຕາມຫາຂ້ອຍ", "hiding_or_pursued"),
    ],
)
def test_danger_now_in_english_and_the_neighbouring_scripts(text: str, reason: str) -> None:
    assert reason in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "can someone help me sort out my papers, i lost everything over there",
        "could you help me fill in the form for support, i am home now",
        "tonight we have a football match, who is coming",
    ],
)
def test_asking_help_with_a_task_is_no_cry(text: str) -> None:
    assert not assess(text).reasons


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("โทรสายด่วนนี้เสียเงินไหมคะ", True),  # a polite ending after the question particle
        ("ใครจะจ่ายค่ารถกลับบ้านให้ผมครับ", True),  # "who"
        ("ໃຜຈະພາຂ້ອຍກັບບ້ານ", True),
        ("ช่วยด้วยค่ะ", False),  # a cry, politely
        ("ขอบคุณมากครับ", False),
        ("ไม่มีใครช่วยพวกเราได้เลย", False),  # nobody
        ("谁能救救我们", False),  # a cry, not a question
    ],
)
def test_thai_and_lao_questions_with_a_polite_ending_or_who(text: str, asks: bool) -> None:
    assert other_scripts.is_question(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        (
            "tôi không chắc có phải buôn người không, nhưng bà chủ quán giữ hết căn cước mấy đứa",
            False,
        ),
        ("ko biet co nen bao ko, thang ban e duoc ng la tren mang ru di lam o Dubai", False),
        ("không biết có phải lừa đảo không", True),
        ("em không biết có nên đi không, họ bao vé máy bay luôn, có lừa đảo không", True),
    ],
)
def test_a_doubt_said_before_a_tip_is_no_question(text: str, asks: bool) -> None:
    assert is_question(text) is asks
