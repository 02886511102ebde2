"""A feeling said in a form's answer: "em sợ lắm", "tôi run quá không nhớ nổi", "e so qa",
"hic mk k bit nua", "I'm so scared", "em sợ lắm, nó ở Móng Cái".

A reply is cut into clauses (commas, full stops, line breaks); a clause that tells a feeling, and
besides it only fillers, "I can't say / remember" or a short "for whom" ("lo cho con bé quá"),
is the feeling; the other clauses are the answer. Only a feeling: comfort and the same question.
A feeling with an answer: the answer is kept (without the feeling) and comfort is added.

Accented text is read accented ("sợ" is fear, "số" a number, "buôn" trade, "Hoàng" a name);
unaccented, a word that is also another word counts only next to the words that go with a
feeling ("so qa", "em buon lam"), never before a number or "người"/"bán"/"nhà".
"""

from __future__ import annotations

import re

from nlu.normalize import fold, has_diacritics, nfc, normalize

# Accented (normalised, lower case): only ever a feeling.
_ACCENTED = frozenset({
    "sợ", "lo", "lo lắng", "lo sợ", "hoảng", "hoảng sợ", "hoảng loạn", "run", "khóc", "buồn",
    "mệt", "tuyệt vọng", "hoang mang", "căng thẳng", "bất an", "tổn thương", "sốc", "sợ hãi",
    "kinh khủng", "đau khổ", "đau lòng", "rối trí", "bấn loạn", "hoảng hốt", "run rẩy",
})  # fmt: skip
# Folded words and pairs that are a feeling whatever the accents (and English).
_ALWAYS = frozenset({
    "run", "khoc", "huhu", "hu hu", "huhuhu", "hic", "hix", "hichic", "tuyet vong", "hoang mang",
    "lo lang", "so hai", "cang thang", "bat an", "ton thuong", "hoang so", "hoang loan",
    "kinh khung", "lo so", "run ray", "hoang hot", "scared", "afraid", "worried", "terrified",
    "frightened", "anxious", "nervous", "panicking", "panic", "crying", "upset", "sad",
    "shaking", "scary",
})  # fmt: skip
# Folded words that are also other words (số, lò, buôn, mét, Hoàng): a feeling only in context.
_AMBIGUOUS = frozenset({"so", "lo", "buon", "met", "hoang"})
_INTENSIFIERS = frozenset({
    "qua", "qa", "wa", "lam", "ghe", "that", "vai", "the", "hai", "nua", "roi", "muon", "chet",
    "di", "cho",
})  # fmt: skip
_BEFORE = frozenset({"em", "e", "toi", "t", "minh", "mk", "tui", "con", "chau", "dang", "rat",
                     "that", "qua", "van", "cung", "hoi", "i'm", "im", "am"})  # fmt: skip
# Not a feeling: "số nhà", "buôn người", "buôn bán", "lò gạch", "mét vuông".
_NOT_AFTER = re.compile(r"^(?:\d|nha|nguoi|ban|dien|gach|vuong|hang|lau|xe|long)")
# Said with a feeling, they carry no answer: fillers, "can't say / remember / don't know".
_FILLERS = frozenset({
    "em", "e", "toi", "t", "minh", "mk", "tui", "con", "chau", "dang", "rat", "lam", "qua",
    "qa", "wa", "that", "a", "oi", "roi", "nua", "thi", "cung", "van", "i", "am", "im", "i'm",
    "very", "m", "so", "much", "really", "phai", "nhieu", "ghe", "vay", "the", "do", "ah", "ha",
    "ak", "hoi", "khong", "dam", "noi", "nho", "biet", "bit", "ro", "duoc", "gi", "ca", "het",
    "can't", "cant", "remember", "dont", "don't", "know", "say", "it", "too", "and", "me", "my",
    "now", "right", "troi", "chet", "muon", "vai", "hai", "voi", "ai", "suot", "ke", "tra",
    "loi", "nghi", "chi", "anh", "ad", "admin", "ban", "bac", "please", "help",
})  # fmt: skip
# One more word ("sợ quá không dám nói với cô") or a short "for whom" ("lo cho con bé quá"):
# still only the feeling.
_ABOUT_WORDS = 2
# Yes and no said after a feeling ("em sợ lắm, không"): the answer to a yes/no question.
_BARE_ANSWERS = frozenset({
    "co", "khong", "chua", "u", "uh", "vang", "da", "yes", "no", "ok", "dung", "dung roi",
    "co a", "khong a", "da co", "da khong",
})  # fmt: skip
_BARE_ANSWERS_ACCENTED = frozenset({"có", "không", "chưa", "ừ", "vâng", "dạ", "đúng", "đúng rồi"})
_CLAUSES = re.compile(r"[,.;!?\n…]+|\s-\s")


def _words(folded: str) -> list[str]:
    return folded.split()


def _feeling_spans(clause: str) -> list[tuple[int, int]]:
    """(start, end) word spans of the feelings in one clause (folded word positions)."""
    folded = _words(fold(clause))
    accented = normalize(clause).split() if has_diacritics(clause) else []
    aligned = len(accented) == len(folded)
    spans: list[tuple[int, int]] = []
    for i, word in enumerate(folded):
        pair = " ".join(folded[i : i + 2])
        if len(folded) > i + 1 and pair in _ALWAYS:
            spans.append((i, i + 2))
        elif word in _ALWAYS:
            spans.append((i, i + 1))
        elif aligned and " ".join(accented[i : i + 2]) in _ACCENTED and i + 1 < len(folded):
            spans.append((i, i + 2))
        elif aligned:
            if accented[i] in _ACCENTED:
                spans.append((i, i + 1))
        elif word in _AMBIGUOUS:
            after = folded[i + 1] if i + 1 < len(folded) else ""
            before = folded[i - 1] if i else ""
            if _NOT_AFTER.match(after):
                continue
            if after in _INTENSIFIERS or before in _BEFORE or (not after and not before):
                spans.append((i, i + 1))
    return spans


def _only_feeling(clause: str) -> bool:
    """The clause tells a feeling and nothing an answer could use."""
    spans = _feeling_spans(clause)
    if not spans:
        return False
    folded = _words(fold(clause))
    if _named(clause):
        return False
    inside = {i for start, end in spans for i in range(start, end)}
    rest = [i for i, w in enumerate(folded) if i not in inside and w not in _FILLERS]
    if not rest:
        return True
    if len(rest) == 1:
        return not _bare_answer(clause, rest[0])
    return len(rest) <= _ABOUT_WORDS and "cho" in folded


def _named(clause: str) -> bool:
    """A name or a number is an answer ("sợ Hà lắm", "sợ 2 thằng đó")."""
    raw = nfc(clause).split()
    return any(w[:1].isupper() for w in raw[1:]) or any(ch.isdigit() for ch in clause)


def _bare_answer(clause: str, index: int) -> bool:
    """The word at ``index`` is a yes or a no as written ("có", not "cô")."""
    folded = _words(fold(clause))
    if folded[index] not in _BARE_ANSWERS:
        return False
    accented = normalize(clause).split() if has_diacritics(clause) else []
    if len(accented) != len(folded):
        return True
    return accented[index] in _BARE_ANSWERS_ACCENTED or accented[index] == folded[index]


def _says_something(clause: str) -> bool:
    """Besides a feeling: a word that is not a filler, a name or number, or a bare yes/no."""
    folded = _words(fold(clause))
    if _named(clause) or (len(folded) == 1 and _bare_answer(clause, 0)):
        return True
    return " ".join(folded) in _BARE_ANSWERS or any(w not in _FILLERS for w in folded)


def read_feeling(text: str) -> tuple[bool, str]:
    """(a feeling is said, what else the reply says: its other clauses, "" when nothing)."""
    clauses = [c.strip() for c in _CLAUSES.split(nfc(text or "")) if c.strip()]
    feels = False
    others: list[str] = []
    for clause in clauses:
        if _only_feeling(clause):
            feels = True
        else:
            feels = feels or bool(_feeling_spans(clause))
            others.append(clause)
    if not feels:
        return False, text
    # With a feeling, "em không dám nói" / "k bit nua" says nothing more; a bare "không" or
    # "có" is the answer to a yes/no question.
    told = [c for c in others if _says_something(c)]
    return True, ", ".join(told)
