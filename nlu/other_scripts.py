"""Words of the neighbouring scripts (Chinese, Thai, Khmer, Lao) that the Vietnamese classifier
cannot read: cries for help and danger, and "I am back home".

These scripts have no spaces between words, so every entry is a plain substring of the NFC text.
Pure Python, importable from both venvs.
"""

from __future__ import annotations

import re

# Characters of the neighbouring scripts: their words are not in the Vietnamese lists, so the net
# does not call such a message off-topic.
SCRIPT = re.compile(r"[\u4e00-\u9fff\u0e00-\u0e7f\u1780-\u17ff\u0e80-\u0eff]")

# Cries for help in the scripts of the neighbouring countries where Vietnamese people are trafficked
# and of the foreign victims who reach Vietnamese hotlines: short, common phrases a native types on
# a phone (Chinese 救命 "save my life", 被卖 "was sold"; Thai ช่วยด้วย "help!", ถูกขัง "locked up";
# Khmer ជួយផង "help!"; Lao ຊ່ວຍແດ່ "help!"). These scripts have no spaces between words, so the
# patterns are plain substrings of the NFC text.
INDICATORS: dict[str, tuple[str, ...]] = {
    "cry_for_help": (
        "救命",
        "救救",
        "帮帮我",
        "帮帮我们",
        "快报警",
        "请报警",
        "帮我报警",
        "ช่วยด้วย",
        "ช่วยฉันด้วย",
        "ช่วยผมด้วย",
        "แจ้งตำรวจ",
        "ជួយផង",
        "ជួយខ្ញុំផង",
        "ជួយខ្ញុំផង",
        "ជួយខ្ញុំ",
        "ហៅប៉ូលីស",
        "ຊ່ວຍແດ່",
        "ຊ່ວຍຂ້ອຍແດ່",
        "ຊ່ວຍຂ້ອຍ",
        "ແຈ້ງຕຳຫຼວດ",
    ),
    "being_sold": ("被卖", "卖给", "被拐", "ถูกขาย", "ត្រូវគេលក់", "គេលក់ខ្ញុំ", "ຖືກຂາຍ"),
    "confinement": (
        "被关",
        "关起来",
        "被锁",
        "锁在",
        "被囚禁",
        "不让我走",
        "不让我们走",
        "不让我离开",
        "不让我出去",
        "ถูกขัง",
        "ถูกกักขัง",
        "ไม่ให้ออก",
        "ឃុំខ្លួន",
        "ត្រូវគេចាប់",
        "ຖືກຂັງ",
        "ຖືກກັກຂັງ",
        "ຂັງຂ້ອຍ",
        "ບໍ່ໃຫ້ອອກ",
        "出不去",
        "ออกไปไม่ได้",
        "ออกไม่ได้",
        "ចាក់សោខ្ញុំ",
        "មិនឲ្យចេញ",
    ),
    # Across a border tonight or now (the time word is part of the phrase: later is a report).
    "transport_in_progress": (
        "今晚他们要把",
        "现在要把我们",
        "คืนนี้เขาจะพา",
        "យប់នេះគេនឹងនាំ",
        "ຄືນນີ້ເຂົາຈະພາ",
    ),
    "violence": ("被打", "打我", "被强奸", "ถูกตี", "ถูกทำร้าย", "ត្រូវគេវាយ", "ຖືກຕີ", "ຖືກທຳຮ້າຍ"),
    "documents_taken": (
        "护照被扣",
        "护照被收",
        "护照被拿",
        "扣了我的护照",
        "扣我护照",
        "收了我的护照",
        "ยึดพาสปอร์ตของฉัน",
        "ยึดพาสปอร์ตผม",
        "ยึดหนังสือเดินทางของฉัน",
        "យកលិខិតឆ្លងដែនខ្ញុំ",
        "ເອົາໜັງສືຜ່ານແດນ",
    ),
}

# "Back in Vietnam", "came home": the harm told of is over.
_RETURNED = (
    "回到越南",
    "已经回",
    "回国了",
    "回来了",
    "กลับบ้านมา",
    "กลับมาแล้ว",
    "ត្រឡប់មកផ្ទះ",
    "ត្រឡប់មកវិញ",
    "ກັບມາບ້ານ",
    "ກັບມາແລ້ວ",
)


def says_returned(text: str) -> bool:
    """The writer says they (or the person written of) are back home."""
    return any(phrase in text for phrase in _RETURNED)
