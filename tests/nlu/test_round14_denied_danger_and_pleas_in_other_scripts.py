"""Issue 16, fourteenth round: readings found on 2026-12l (a development set), in words of our own.

Danger denied in so many words ("no ransom", "không thấy ai bị đánh") is no indicator. A ransom
the family has paid for someone now home is over ("gia đình đã chuộc về"). In Chinese, Thai,
Khmer and Lao, someone back home or in a safe place whose "help me" comes with what they need or
want next (papers, work, home) asks for support, not rescue; "what help do victims get?" with a
Lao "please" is a question. What is about now stays danger: pursuit, a move tonight, a child
taken today.
"""

from __future__ import annotations

import pytest

from nlu.stopping import may_ask_to_stop
from nlu.urgency import assess


@pytest.mark.parametrize(
    "text",
    [
        "Chú tôi đi Lào làm rẫy từ đầu năm, tháng 5 thì im luôn. No ransom, không ai gọi đòi tiền.",
        "My aunt went to Malaysia through an agent last year, we lost contact. No ransom demand.",
        "Quán bên cạnh giữ căn cước của mấy chị phục vụ, chưa thấy ai bị đánh nhưng tôi thấy lạ.",
        "Cousin works at a brick kiln, boss keeps the IDs, nobody was beaten as far as I know.",
    ],
)
def test_danger_denied_in_so_many_words_is_no_indicator(text: str) -> None:
    reasons = assess(text).reasons
    assert not {"ransom", "violence", "confinement"} & set(reasons), reasons


@pytest.mark.parametrize(
    "text",
    [
        "Anh tôi bị lừa sang Campuchia, nhà tôi đã chuộc về hồi tháng 3, giờ anh ổn rồi.",
        "Năm ngoái nhà phải chuộc 150 triệu mới về được, giờ em ở quê, em cần tư vấn pháp lý.",
        "Our daughter is home now, we paid a lot to get her out. Please help us find counselling.",
    ],
)
def test_a_ransom_paid_for_someone_now_home_is_over(text: str) -> None:
    seen = assess(text)
    assert seen.reasons == [], seen.reasons


@pytest.mark.parametrize(
    "text",
    [
        "我以前被卖到河南，现在已经回到越南了，我想找工作，请帮帮我",
        "ฉันถูกหลอกไปทำงาน ตอนนี้ออกมาแล้ว อยู่ในที่ปลอดภัย อยากกลับบ้าน ช่วยด้วยนะคะ",
        "ខ្ញុំត្រូវគេលក់ ឥឡូវនេះខ្ញុំនៅមណ្ឌលសុវត្ថិភាព ចង់ត្រឡប់ទៅផ្ទះវិញ ជួយខ្ញុំផង",
        "ລູກຊາຍຂ້ອຍກັບມາຈາກໄທແລ້ວ ລາວຢາກກັບໄປຮຽນ ຂໍຄວາມຊ່ວຍເຫຼືອແດ່",
    ],
)
def test_back_or_safe_in_another_script_with_a_need_asks_for_support(text: str) -> None:
    assert assess(text).reasons == []


def test_what_help_victims_get_in_lao_is_a_question() -> None:
    seen = assess("ເດັກທີ່ຖືກຄ້າມະນຸດ ຈະໄດ້ຮັບການຊ່ວຍເຫຼືອຫຍັງແດ່?")
    assert seen.reasons == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Out already, but chased now; back, but threatened now.
        ("ฉันหนีออกมาแล้ว แต่หัวหน้ากำลังไล่ตามฉันอยู่", "hiding_or_pursued"),
        ("ខ្ញុំទើបតែរត់ចេញពីកន្លែងការងារ ហើយគេកំពុងដេញតាមខ្ញុំ", "hiding_or_pursued"),
        ("我被拐卖过，现在已经回到越南了，可是他们说要杀了我", "threat"),
        # The move first, the time after; a child taken today.
        ("ប្អូនស្រីខ្ញុំនឹងត្រូវគេនាំឆ្លងព្រំដែននៅយប់នេះ", "transport_in_progress"),
        ("ลูกสาวฉันอายุ 13 ปี ถูกคนพาไปที่ชายแดน วันนี้", "child_missing_recent"),
        # Nobody named: no money for the ransom, beaten unless she goes.
        ("nhà em không có tiền chuộc, họ hẹn mai bán em", "ransom"),
        ("không đi tiếp khách thì bị đánh, em đang trốn trong nhà tắm", "violence"),
    ],
)
def test_what_is_about_now_stays_danger(text: str, reason: str) -> None:
    assert reason in assess(text).reasons


def test_half_the_night_is_no_stop() -> None:
    assert not may_ask_to_stop("gọi lúc nửa đêm có ai nghe máy không?")
    assert not may_ask_to_stop("con tôi đi được nửa tháng rồi")
    assert may_ask_to_stop("thôi không cần nữa")
