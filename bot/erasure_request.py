"""Does a message ask to erase the person's data? Seen by the gateway while an operator holds it.

Normally Rasa's ``delete_data`` intent answers "xóa dữ liệu" and confirms before erasing. While an
operator holds the conversation Rasa does not see the message, so the operator must be told; this
is that flag, on the folded text (``nlu.normalize.fold``: no diacritics, teencode expanded) so
"xoá", "xoa" and "e mun xoa het tn" look alike. It only raises a flag for a human, who decides and
erases from the console, so it prefers a false alarm ("họ xóa hết tin nhắn") to a miss.
"""

from __future__ import annotations

import re

_WHAT = (
    r"(?:du lieu|thong tin|tin nhan|lich su|cuoc tro chuyen|tro chuyen|hoi thoai|ho so|"
    r"chat|tai khoan|tat ca|het|sach|toan bo|moi thu)"
)
_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # "xóa dữ liệu của tôi", "xóa hết tin nhắn đi", "xoá lịch sử chat", "hủy hồ sơ ... xóa"
        r"\bxoa (?:(?:giup|dum|ho|luon|bo|di|het|sach|giup em|giup toi|cho em|cho toi) )*" + _WHAT,
        # the whole message is the command: "xóa", "xóa đi", "xin hãy xóa giúp em"
        r"^(?:(?:em|toi|minh|tui|xin|lam on|hay|muon|can|vui long|ad|admin) )*xoa"
        r"(?: (?:di|giup|dum|ho|luon|nhe|nha|a|voi|em|toi|minh|ngay|gap))*[ .!]*$",
        # "đừng lưu gì về tôi", "không muốn lưu thông tin"
        r"\b(?:dung|khong muon|khong duoc|khong cho) (?:luu|giu)\b",
        # "gỡ hết những gì mình kể lúc nãy"
        r"\bgo (?:het|sach|bo|toan bo) (?:nhung gi|moi thu|tat ca|tin nhan|thong tin|du lieu)",
        # English
        r"\b(?:delete|erase|remove|wipe)\b.*\b(?:my|this|our|all)\b.*"
        r"\b(?:data|conversation|chat|messages?|information|info|history|details)\b",
        r"\bforget (?:me|about me|everything)\b",
        r"\b(?:delete|erase|remove|wipe) (?:everything|all) (?:i|we) (?:sent|wrote|said|told)\b",
        r"\b(?:my|our) (?:data|conversation|chat|messages?|information|info|history|details) "
        r"(?:deleted|erased|removed|wiped)\b",
    )
)


def asks_for_erasure(text: str) -> bool:
    """True when the message reads as "erase my data" (the ``delete_data`` intent's examples)."""
    from nlu.normalize import fold  # imported late: nlu is a sibling package

    folded = fold(text)
    return any(pattern.search(folded) for pattern in _PATTERNS)
