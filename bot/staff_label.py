"""How a person tells a human from the assistant: staff replies are marked, and the person is
told when the staff member has left the conversation.

Every channel gets the same mark from here: the web chat shows ``staff_label`` on a bubble of its
own; Telegram, Zalo and SMS carry only text, so the label becomes a prefix (``as_plain_text``).
The label follows the case's language. Chinese, Thai, Khmer and Lao get the word for "staff member"
the assistant already uses in its urgent line in those languages (actions/messages.py); the longer
"staff has left" notice has no checked translation in them, so it stays English there.
"""

from __future__ import annotations

from bot.messages import BotReply

_LABELS = {
    "vi": "Cán bộ",
    "en": "Staff",
    "zh": "工作人员",
    "th": "เจ้าหน้าที่",
    "km": "បុគ្គលិក",
    "lo": "ພະນັກງານ",
    "my": "ဝန်ထမ်း",
}

_STAFF_LEFT = {
    "vi": (
        "Cán bộ đã rời cuộc trò chuyện. Từ đây trợ lý tự động trả lời bạn; muốn nói chuyện lại "
        "với cán bộ, hãy gõ “gặp người thật”. Nguy hiểm: gọi 113 hoặc 111."
    ),
    "en": (
        "The staff member has left this conversation; the automatic assistant answers you from "
        "here. To talk to a person again, type “talk to a person”. In danger: call 113 or 111."
    ),
}


def _language(language: str | None) -> str:
    return "vi" if language in (None, "", "vi") else "en"


def staff_label(language: str | None) -> str:
    return _LABELS.get(language or "vi") or _LABELS[_language(language)]


def staff_reply(text: str, *, language: str | None) -> BotReply:
    """What an operator wrote, marked as theirs."""
    return BotReply(text=text, staff_label=staff_label(language))


def as_plain_text(reply: BotReply) -> BotReply:
    """For channels that show text only: the label becomes a prefix ("Cán bộ: …")."""
    if reply.staff_label is None:
        return reply
    return BotReply(text=f"{reply.staff_label}: {reply.text}", buttons=reply.buttons)


def staff_left_notice(language: str | None) -> BotReply:
    return BotReply(text=_STAFF_LEFT[_language(language)])
