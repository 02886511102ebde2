"""How a person wants to be reached, or not: "đừng gọi điện cho tôi", "chỉ nhắn tin thôi", "tôi sẽ
tự nhắn lại vào đây", "don't call me", "I'll text again myself".

Said at any question of a form, it answers the form's contact question; read by the classifier as a
call for a person (it shares the words "gọi cho tôi"), it is none: the person asks that nobody
call. Used by the NLU's safety net and by the forms' validators.
"""

from __future__ import annotations

import re

from nlu.normalize import fold

_PRONOUN = r"(?:toi|em|minh|tui|chau|con|tao|me)"
# "tôi sẽ tự nhắn lại", "I'll text again myself": they will write; nobody should reach them first.
_WILL_WRITE_BACK = (
    rf"\b{_PRONOUN} (?:se |de )?tu (?:nhan tin|nhan|goi dien|goi|lien lac|lien he)"
    r" (?:lai|vao day|sau|cho (?:ben|cac|chi|anh|ad|tong dai))\b"
    r"|\bi(?:'ll| will|ll) (?:text|message|write|call|contact|get back|reach)\b.*"
    r"\b(?:again|back|later|myself)\b"
)
# A forbidding, a way or the writer's own return; "không liên lạc được với em tôi" tells what
# happened instead, no arrangement.
_ARRANGES = re.compile(
    r"\b(?:dung|xin dung|khong can|khoi)(?: ai)? (?:goi dien|goi|nhan tin|nhan|lien lac|lien he)"
    rf"(?: (?:lai|den|toi))?(?: (?:cho|voi|den) {_PRONOUN}\b|(?: (?:nhe|nha|a|nhe a))?$)"
    rf"|{_WILL_WRITE_BACK}"
    # "chỉ nhắn tin thôi"; "chị nhân viên", "chỉ nhận được một lá thư" fold alike.
    r"|\bchi (?:nhan tin|nhan|text|zalo|sms)\b(?! (?:vien|duoc|ve|dung)\b)"
    r"|\b(?:don'?t|do not|never) (?:call|phone|text|message) me\b"
    r"|\bonly (?:text|message|sms|zalo)\b"
)
_WRITES_BACK = re.compile(_WILL_WRITE_BACK)


def _words(text: str) -> str:
    # Folded words without punctuation; a phone keyboard's apostrophe is often the typographic
    # one ("don’t").
    folded = fold(text).replace("’", "'").strip(" .!?")
    return " ".join(folded.replace(",", " ").replace(".", " ").split())


def arranges_contact(text: str) -> bool:
    """It says how (or whether) to be reached, asking for nobody now."""
    return bool(_ARRANGES.search(_words(text)))


def writes_back(text: str) -> bool:
    """They will write again themselves: nobody should reach them first."""
    return bool(_WRITES_BACK.search(_words(text)))
