"""What a reply is when it is only a place, a time, a person's age or how the writer knows.

People answer the question they expect, not always the one asked: "ở xã Bản Lầu, huyện Mường
Khương" to "what did you see?", "tháng trước" to "where?". Such a reply answers another question
of the form (validator_base routes it there and asks the same question again). Only a short reply
that is nothing but one of these counts: "bọn nó đưa con bé đi Campuchia" tells what happened.
"""

from __future__ import annotations

import re

from actions.forms.answers import Answer
from actions.forms.places import looks_like_place

PLACE, TIME, PERSON, SOURCE = "place", "time", "person", "source"
_MAX_WORDS = 10
_POLITE = r"(?: (?:a|ah|nhe|nha|day|do|roi|thoi|chi|anh|ad|oi|luon))*"
_NUMBER = r"(?:\d{1,2}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|may|vai|nua)"
# "hôm qua", "cách đây 2 tuần", "tháng 3 năm ngoái", "từ hôm kia", "hồi Tết".
_TIME_ONLY = re.compile(
    r"^(?:(?:tu|cach day|khoang|tam|hoi|vao|luc|chung|moi|tu hoi|da|duoc|cung) )*"
    r"(?:hom qua|hom kia|hom nay|sang nay|trua nay|chieu nay|toi qua|dem qua|toi hom qua|"
    r"tuan (?:truoc|nay|roi)|thang (?:truoc|nay|roi)|nam (?:ngoai|truoc|nay|kia)|dau nam|cuoi nam|"
    rf"{_NUMBER} (?:ngay|hom|tuan|thang|nam|tieng|buoi)(?: (?:truoc|nay|roi|qua|lien))*|"
    r"thang \d{1,2}(?: (?:nam ngoai|nam nay|nam truoc|nam \d{4}))?|nam \d{4}|"
    r"(?:truoc |sau |hoi |dip )?tet(?: (?:nam ngoai|vua roi|nay))?|mua gat|"
    r"(?:about |around |like )?(?:\d{1,2}|a|an|one|two|three|four|five|six|few|a few|several) "
    r"(?:days?|weeks?|months?|years?|hours?) ago|yesterday|last (?:night|week|month|year)|"
    r"this (?:morning|week|month|year))"
    rf"(?: (?:truoc|nay|roi))?{_POLITE}$"
)
# "tôi thấy tận mắt", "mẹ nó kể", "đọc trên facebook", "người quen kể lại".
_SOURCE_ONLY = re.compile(
    r"^(?:(?:toi|em|minh|tui|chau|con|la|do|qua) )*(?:(?:tu|da|chinh|duoc) )?"
    r"(?:thay tan mat|tan mat thay|chinh mat (?:toi |em |minh )?thay|tu thay|"
    r"nghe (?:\w+ ){0,4}(?:ke|noi)(?: lai)?|(?:\w+ ){1,4}(?:ke|noi) (?:lai|cho (?:toi|em|minh) "
    r"(?:nghe|biet))|(?:\w+ ){1,3}ke(?: lai)?|doc (?:duoc )?(?:tren|o) \w+(?: \w+)?|"
    r"thay (?:tren|o) (?:mang|facebook|fb|zalo|tiktok|youtube|nhom \w+|group)|"
    r"tren (?:mang|facebook|fb|zalo|tiktok|youtube)|nguoi quen (?:ke|noi|bao))"
    rf"{_POLITE}$"
)
# Where a reply that names a place starts when it is only a place ("ở …", "xã …", "bên …").
_LOCATIVE = re.compile(
    r"^(?:(?:em|toi|minh|tui|chau|con|nha (?:em|toi|minh)|chung em|chung toi|no|ho) )?"
    r"(?:(?:dang|van|hien|gio) )?(?:o|tai|ben|gan|phia|xa|huyen|tinh|thon|xom|ban|quan|phuong|"
    r"tp|thanh pho|khu|ap|lang|thi tran|thi xa|cho|in|at|near)\b"
)
# What happened, said with the place ("đưa đi Campuchia", "rủ sang Lào"): not only a place.
# (Verbs with what follows them: place names fold like "bán", "chợ", "Lâm", "Sang".)
_EVENT = re.compile(
    r"\b(?:ru (?:di|sang|qua|lam|ve)|du (?:di|do|sang|qua)|dua (?:di|sang|qua|len|ve|toi|den)|"
    r"ban (?:sang|qua|cho|di)|lua|tuyen|bat (?:di|coc|lam)|nhot|danh|giu|chuyen (?:di|sang|qua)|"
    r"dan (?:di|sang|qua)|mang (?:di|sang)|lam (?:viec|o|cho|nha hang)|di (?:lam|sang|qua|theo)|"
    r"mat tich|lien lac|gap|thay|nghe|ke)\b"
)
_NEIGHBOUR = re.compile(r"\bhang xom\b")
# "con bé nhà bên mới 16", "thằng bé chừng 14": a person and a bare age at the end.
_PERSON_AGE = re.compile(
    r"\b(?:con be|con gai|con trai|con|chau|be|no|em|co|chi|ba|ong|anh|thang be|dua|nguoi|"
    r"ban)\b.{0,30}\b(?:moi|chi|khoang|tam|chung|gan|hon|duoi|tren|co) (\d{1,2})$"
)


def kind_of(answer: Answer) -> str | None:
    """PLACE, TIME, PERSON or SOURCE when the reply is only that (short, nothing else told)."""
    words = answer.words
    if not words or len(words) > _MAX_WORDS or answer.skipped:
        return None
    folded = " ".join(words)
    if _SOURCE_ONLY.match(folded):
        return SOURCE
    if _TIME_ONLY.match(folded):
        return TIME
    if states_a_place(answer):
        return PLACE
    if not _names_a_place(answer.text, folded) and (
        answer.age() is not None or _PERSON_AGE.search(folded)
    ):
        return PERSON
    return None


def states_a_place(answer: Answer, *, max_words: int = _MAX_WORDS) -> bool:
    """The reply only says where: a place, after "ở"/"xã"/… or in a few words, and no event."""
    words = answer.words
    if not words or len(words) > max_words or answer.skipped:
        return False
    folded = " ".join(words)
    if not _names_a_place(answer.text, folded):
        return False
    return bool(_LOCATIVE.match(folded) or len(words) <= 4) and not _EVENT.search(folded)


def _names_a_place(text: str, folded: str) -> bool:
    # "em là hàng xóm" (a neighbour) is no "xóm" (hamlet).
    return looks_like_place(text) and not _NEIGHBOUR.search(folded)
