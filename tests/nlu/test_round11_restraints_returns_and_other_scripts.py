"""Issue 16, eleventh round: readings found on 2026-12i (a development set once scored twice), in
words of our own.

- Danger now said in words the net did not know: handcuffed ("còng tay"), a beating a witness has
  just seen ("vừa nãy tôi thấy nó quất roi"), papers in someone's hands and a flight within hours,
  a child being led into a guesthouse, a child met on "tele" gone for days, and in English a kidney
  operation tomorrow the writer cannot back out of, young girls terrified with a man right now.
- Harm that is over, told with what the writer needs now, is help and pages nobody: sold "rồi về",
  "trốn được về", already told to the police ("đã khai với công an là bị bán"), pain left from a
  beating "ở bên kia", "hồi đầu năm", a fear of revenge with no threat made, a story told with no
  subject ("escaped from China 3 years ago ...").
- Questions asked in the middle of a sentence ("có biểu hiện gì để ..."), opening with "which body"
  ("Tổ chức nào giúp ..."), "mấy giờ"; and what only looks like one: "không đơn giản đâu" (not at
  all), "bọn đưa người qua biên giới hay đi" (often go, not a choice).
- Chinese, Thai, Khmer, Lao and Burmese: "was rescued" is over, not a cry; a child gone with an
  online contact is danger now; an employer keeping workers' papers, told by a neighbour, is a tip.
"""

from __future__ import annotations

import pytest

from nlu import other_scripts
from nlu.question import is_question
from nlu.urgency import assess


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("bọn nó còng tay tôi vào chân bàn suốt từ tối", "confinement"),
        ("em bị còng chân trong kho, không ai nghe thấy", "confinement"),
        (
            "xưởng may đầu ngõ nhà tôi bắt mấy đứa nhỏ làm đêm, vừa nãy tôi thấy ông chủ quất roi",
            "violence",
        ),
        (
            "chị kia giữ giấy tờ của em, bảo chuẩn bị lên máy bay sang Malaysia, em không muốn đi",
            "transport_in_progress",
        ),
        (
            "có gã đang dắt hai cô bé chừng 12 tuổi vào nhà nghỉ cạnh bến xe, tụi nhỏ khóc",
            "sexual_exploitation",
        ),
        (
            "em gái mk 14t bỏ nhà đi 2 hôm rồi, trước đó nt với 1 thằng trên tele suốt",
            "child_missing_recent",
        ),
        (
            "the agent says the kidney surgery is tonight and I cannot refuse, he took my phone",
            "organ_removal",
        ),
        (
            "two little girls in the next room look scared, the man with them will not let them "
            "talk, they are there now",
            "sexual_exploitation",
        ),
    ],
)
def test_danger_now_in_new_words(text: str, reason: str) -> None:
    assert reason in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "tôi bị lừa bán sang Hà Khẩu rồi trốn về, giờ cần học nghề để có việc",
        "mới trốn được về quê tuần trước, em cần việc làm để trả nợ cho mẹ",
        "hôm qua tôi đã khai với công an huyện là bị bán sang Trung Quốc, giờ tôi cần chỗ ở tạm",
        "chân em vẫn còn đau do bị đánh ở bên kia, em muốn đi khám mà không có bảo hiểm",
        "escaped from a scam compound 2 years ago, still can't sleep, looking for counselling",
    ],
)
def test_harm_that_is_over_with_a_need_now_is_help(text: str) -> None:
    seen = assess(text)
    assert not seen.reasons
    assert seen.own_needs


def test_a_fear_of_revenge_with_no_threat_made_is_no_threat() -> None:
    feared = "chưa ai đe dọa gì nhưng tôi sợ bị trả thù vì đã làm chứng, tôi muốn được bảo vệ"
    assert not assess(feared).reasons
    assert "threat" in assess("bọn chúng đe dọa sẽ giết cả nhà tôi nếu tôi làm chứng").reasons


def test_sold_early_this_year_told_by_a_colleague_is_over() -> None:
    seen = assess("đồng nghiệp tôi kể chị gái anh ấy bị bán sang Lào hồi đầu năm, nhờ tôi báo")
    assert not seen.reasons
    assert "being_sold" in seen.signals


@pytest.mark.parametrize(
    "text",
    [
        "con cái bị dụ dỗ trên mạng thường có dấu hiệu gì để cha mẹ phát hiện",
        "Cơ quan nào hỗ trợ người bị lừa sang Campuchia sau khi về",
        "đường dây nóng 111 nghe máy từ mấy giờ",
    ],
)
def test_questions_asked_mid_sentence_or_which_body(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "ở xã tôi có ông chuyên môi giới vợ Đài Loan, tôi thấy chuyện này không bình thường đâu",
        "tôi biết con đường tắt mà bọn dẫn người sang Lào hay đi",
        "dạ không có gì đâu ạ",
        "em không có gì để ăn từ hôm qua",
    ],
)
def test_statements_that_only_look_like_questions(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "我女儿被救出来了，现在需要看医生",
        "พี่ชายของฉันได้รับการช่วยเหลือแล้ว ตอนนี้ต้องการหาหมอ",
        "ប្អូនប្រុសខ្ញុំត្រូវបានជួយសង្គ្រោះហើយ",
        "ລູກຊາຍຂ້ອຍຖືກຊ່ວຍອອກມາແລ້ວ",
        "ကျွန်မညီမ ကယ်ထုတ်ခံရပြီးပြီ",
    ],
)
def test_rescued_already_in_other_scripts_is_over_not_a_cry(text: str) -> None:
    seen = assess(text)
    assert not seen.reasons
    assert other_scripts.says_returned(text)


@pytest.mark.parametrize(
    "text",
    [
        "我儿子13岁，跟网友聊天后失踪两天了",
        "ลูกชายอายุ 13 ปี หายไปตั้งแต่เมื่อวาน หลังคุยกับคนแปลกหน้าทางออนไลน์",
        "ລູກຊາຍຂ້ອຍຫາຍໄປມື້ວານ ຫຼັງຈາກລົມກັບຄົນແປກໜ້າທາງອອນລາຍ",
    ],
)
def test_a_child_gone_with_an_online_contact_in_other_scripts_is_danger_now(text: str) -> None:
    assert "child_missing_recent" in assess(text).reasons


def test_a_child_gone_for_months_in_another_script_is_not_raised() -> None:
    assert "child_missing_recent" not in assess("我女儿跟网友走了，失踪三个月了").reasons


def test_an_employers_practice_told_in_thai_is_a_tip_and_a_worker_locked_in_is_not() -> None:
    practice = assess("โรงงานข้างบ้านจ้างคนงานเวียดนาม ยึดพาสปอร์ตไว้ทุกคน")
    assert not practice.reasons
    assert "documents_taken" in practice.signals
    assert practice.told_tip
    locked = assess("ฉันทำงานที่โรงงาน นายจ้างยึดพาสปอร์ตและล็อกประตูทุกคืน")
    assert "confinement" in locked.reasons


def test_teenagers_kept_in_a_room_are_danger_now_and_a_factorys_rule_is_a_tip() -> None:
    """Minors held are urgent however the holding is told (triage.md); adults' papers kept by a
    workplace remain a practice to verify."""
    held = "a man at the hostel has two teenage girls, took their IDs and won't let them go out"
    assert "confinement" in assess(held).reasons
    practice = "the factory won't let them leave before the contract ends, it keeps the passports"
    seen = assess(practice)
    assert not seen.reasons
    assert seen.told_tip


def test_an_erasure_asked_as_an_imperative_is_asked_outright() -> None:
    from nlu.erasure import asks_outright_to_erase

    assert asks_outright_to_erase("Thôi xóa hết mấy tin tôi vừa gửi đi, tôi sợ bị đọc được")
    assert not asks_outright_to_erase("họ bắt em xóa hết tin nhắn đi rồi mới cho dùng máy")
