"""Does a message ask to erase the person's data? One reading for the whole system.

Three places ask: the NLU (the classifier alone sometimes hears ``delete_data`` in words that ask
no such thing, "tôi nghe mẹ một đứa kể" or "tôi ở Quỳnh Lưu, Nghệ An", and then its next reading
stands, so a form takes the answer), the erasure action (which explains and asks to confirm only
when the words ask), and the gateway (which flags a held conversation's erasure request to the
operator, who decides). tests/gateway/test_erasure.py checks that every ``delete_data`` training
example reads as erasure here and no other example does.

On the folded text (``nlu.normalize.fold``: no diacritics, teencode expanded), so "xoá", "xoa" and
"e mun xoa het tn" look alike. A bare verb is not enough where it is also a name or another word:
"Lưu" (Quỳnh Lưu, a name), "quên" (I forgot), "Huy", English "go" and "clear".
"""

from __future__ import annotations

import re

from nlu.normalize import fold

_WHAT = (
    r"(?:du lieu|thong tin|tin nhan|lich su|cuoc tro chuyen|tro chuyen|hoi thoai|ho so|"
    r"chat|tai khoan|tat ca|het|sach|toan bo|moi thu|nhung gi)"
)
# People and things held, after "giữ": a child, a person, papers, a phone, contact.
_HELD = (
    r"con|be|em be|dua be|dua tre|tre|chau|nguoi|em|toi|minh|chung em|chung toi|ho chieu|"
    r"giay to|can cuoc|cccd|dien thoai|lien lac"
)
_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # "xóa dữ liệu của tôi", "xóa hết tin nhắn đi", "xoá lịch sử chat", "hủy hồ sơ ... xóa"
        r"\bxoa (?:(?:giup|dum|ho|luon|bo|di|het|sach|giup em|giup toi|cho em|cho toi) )*" + _WHAT,
        # the whole message is the command: "xóa", "xóa đi", "xin hãy xóa giúp em"
        r"^(?:(?:em|toi|minh|tui|xin|lam on|hay|muon|can|vui long|ad|admin) )*xoa"
        r"(?: (?:di|giup|dum|ho|luon|nhe|nha|a|voi|em|toi|minh|ngay|gap))*[ .!]*$",
        # the erasure question's yes typed by hand: "Có, xóa", "đồng ý xóa", "ok xoá đi"
        r"^(?:co|dong y|ok|oke|okay|u|vang|da|yes|yeah|sure|chac chan|xac nhan)"
        r"(?: (?:co|vang|a|roi|nhe|nha|ad))*,? (?:xoa|delete|erase)\b",
        # "đừng lưu gì về tôi", "không muốn lưu thông tin"; not what is held or kept from someone
        # ("cô ấy không được giữ con", "đừng giữ em lại", "không cho giữ điện thoại").
        r"\b(?:dung|khong muon|khong duoc|khong cho) (?:luu|giu)\b(?! (?:" + _HELD + r")\b)",
        # "gỡ hết những gì mình kể lúc nãy"
        r"\bgo (?:het|sach|bo|toan bo) (?:nhung gi|moi thu|tat ca|tin nhan|thong tin|du lieu)",
        # "hủy hồ sơ của tôi", "huỷ hết thông tin"
        r"\bhuy (?:(?:bo|het|giup|di) )*(?:ho so|du lieu|thong tin|tin nhan|cuoc tro chuyen)",
        # "quên tôi đi", "quên hết những gì em kể"
        r"\bquen (?:toi|em|minh|chau|tui) di\b",
        r"\bquen het (?:di\b|nhung gi (?:toi|em|minh|tui) (?:ke|noi|gui|viet|nhan))",
        # English
        r"\b(?:delete|erase|remove|wipe)\b.*\b(?:my|this|our|all)\b.*"
        r"\b(?:data|conversation|chat|messages?|information|info|history|details)\b",
        r"\bforget (?:me|about me|everything)\b",
        r"\b(?:delete|erase|remove|wipe) (?:everything|all) (?:i|we)(?:'ve| have)? "
        r"(?:sent|wrote|written|said|told|typed|shared|given)\b",
        # "can you delete everything?", "yes please, delete it all"
        r"(?:^|\b(?:please|pls|can you|could you|yes|ok|okay|just)\b,? )"
        r"(?:delete|erase|remove|wipe) (?:it all|all of it|everything|all)\b",
        r"\b(?:my|our) (?:data|conversation|chat|messages?|information|info|history|details) "
        r"(?:deleted|erased|removed|wiped)\b",
    )
)


# "em xóa tin nhắn rồi" (I have deleted them, so they are not seen): told, not asked.
_DONE = re.compile(
    r"\b(?:em|toi|minh|tui|chung em|chung toi|i|we) (?:da |vua |moi |have |already )?"
    r"(?:xoa|deleted|erased) (?:\w+ ){0,3}(?:roi|already)\b"
)


# Asked outright by the writer ("em muốn xóa hết dữ liệu", "please delete my data"), as opposed
# to told of ("họ bắt em xóa hết tin nhắn"): enough to leave a tip or a help request for.
_OUTRIGHT = re.compile(
    r"\b(?:muon|mun|xin|can|hay|vui long|lam on|giup|nho|please|pls|can you|could you|"
    r"want to|'d like to|would like to)\b.{0,20}\b(?:xoa|huy|delete|erase|remove|wipe)\b|"
    # The imperative: "Thôi xóa hết những gì tôi vừa nói đi, tôi sợ chồng tôi đọc được".
    r"^(?:(?:thoi|vay|the|ad|admin|ad oi|ban oi|anh oi|chi oi) )*xoa\b|"
    r"\bxoa (?:\w+ ){0,6}di\b(?! (?:\w+ ){0,3}roi\b)"
)


def asks_outright_to_erase(text: str) -> bool:
    """The writer asks, in their own words, to erase their data (see ``asks_to_erase``)."""
    return asks_to_erase(text) and bool(_OUTRIGHT.search(fold(text)))


def asks_to_erase(text: str) -> bool:
    """The message reads as "erase my data" (a button's "/delete_data" does too). Prefers a false
    alarm ("họ xóa hết tin nhắn") to a miss: it only opens a question the person answers."""
    if text.strip().startswith("/"):
        return True
    folded = fold(text)
    return not _DONE.search(folded) and any(pattern.search(folded) for pattern in _PATTERNS)
