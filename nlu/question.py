"""Is a message asking something? On folded text, so every written form looks alike.

Pure Python (stdlib + ``nlu.normalize``), importable from both venvs: the actions use it to answer
first instead of opening a form, and never to store a question as a form answer.

"Có lừa đảo không?", "co lua dao ko", "làm lại giấy tờ ở đâu", "lam s", "is it safe" ask; a bare
"không" / "chưa" (the answer to a yes/no question), "không sao" and reported speech ("họ hỏi em có
muốn đi không") do not, unless the writer put a question mark.
"""

from __future__ import annotations

import re

from nlu.normalize import fold, has_diacritics, nfc, normalize

# Sentence-final particles that make a sentence a question, on folded text ("ko", "k", "hok" fold
# to "khong", "j" to "gi"). "đâu" is only a question with its accent or after a verb ("ở đâu"):
# folded "dau" is also đau (pain).
_FINAL_FOLDED = frozenset({"khong", "chua", "sao", "gi", "nao", "nhi", "hem", "s", "chang"})
_FINAL_ACCENTED = frozenset({"đâu", "hả", "hở", "chăng"})
# Endings that look like a question particle but are not one.
_NOT_FINAL = ("khong sao", "khong co gi", "chang co gi", "chua bao gio", "khong the nao")
_PHRASES = (
    "co phai", "phai khong", "duoc khong", "lam sao", "lam the nao", "the nao", "nhu nao",
    "ra sao", "tai sao", "vi sao", "sao lai", "la gi", "cai gi", "gi vay", "gi the", "sao the",
    "sao vay", "bao nhieu", "o dau", "di dau", "tu dau", "den dau", "nam dau", "la dau",
    "cho nao", "noi nao", "khi nao", "luc nao", "co nen", "hay khong", "hoac khong",
    "co sao khong", "nhu the nao", "ntn", "co dang tin", "dang tin khong", "co uy tin",
    "uy tin khong", "co lua dao khong", "lua dao khong", "co lua khong", "co an toan khong",
    "co that khong", "that khong", "co nen di", "co nen tin", "co bi lua khong", "lua khong",
)  # fmt: skip
# Politeness and address words after the question particle: "… có đáng tin không ạ", "… ko vậy
# chị", "… không ad ơi". Dropped before the last word is read.
_TRAILING = frozenset({
    "a", "ah", "vay", "the", "nhe", "nha", "ha", "chi", "anh", "em", "ad", "admin", "ban", "oi",
    "co", "chu", "bac", "ong", "ba", "shop", "ak", "z", "v", "ne", "roi", "day",
})  # fmt: skip
# Openers that announce a question ("cho em hỏi", "xin hỏi").
_OPENERS = re.compile(
    r"\b(?:cho (?:em|minh|toi|tui|chau|con|to) hoi|xin hoi|muon hoi|hoi chut)\b|"
    r"^(?:(?:em|toi|tui|minh|con|chau) )?(?:muon|can) (?:biet|tim hieu)\b"
)
# Teencode that folding leaves as is: "lam s", "tai s", "s vay".
_TEENCODE = re.compile(r"\b(?:lam|tai|vi|the|la) s\b|\bs (?:vay|the)\b")
# Reported speech: "họ hỏi em có muốn đi không" tells what happened; it does not ask us.
_REPORTED = re.compile(
    r"\b(?:ho|no|han|nguoi ta|ong ay|ba ay|co ay|anh ay|chi ay|tui no|bon no|chung no|ben do) "
    r"(?:co |da |cu |lien |van )?hoi\b|\bhoi (?:em|toi|minh|con|chau|tui) (?:co|la|muon)\b"
)
# A question word before "cũng" is indefinite: "ở đâu cũng được" (anywhere), "gì cũng làm".
_INDEFINITE = re.compile(r"\b(?:o dau|dau|gi|nao|ai|bao nhieu|the nao|sao|khi nao|luc nao) cung\b")
# "bao giờ" asks "when", except in "chưa bao giờ" / "không bao giờ" (never).
_WHEN = re.compile(r"(?<!chua )(?<!khong )\bbao gio\b")
_ENGLISH_START = re.compile(
    r"^(?:what|where|when|why|how|who|which|whose|is|are|does|did|should|could|would|"
    r"(?:can|do|will|may) (?:i|you|we|they|someone|anyone|he|she|it|my|this|that))\b"
)
_ENGLISH_PHRASES = re.compile(
    r"\b(?:is it|is this|is that|can i trust|is there|legit|scam or not|how do i|how can i|"
    r"where can i|where do i|what should i|i want to know|i'd like to know|can you tell me)\b"
)


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def is_question(text: str) -> bool:
    """True when ``text`` asks something (Vietnamese in any written form, or English)."""
    composed = nfc(text or "").strip()
    folded = _folded(composed)
    if not folded:
        return False
    if "?" in composed or "？" in composed:
        return True
    if _OPENERS.search(folded):
        return True
    lowered = " ".join(composed.lower().split())
    if _ENGLISH_START.search(lowered) or _ENGLISH_PHRASES.search(lowered):
        return True
    if _REPORTED.search(folded):
        return False
    folded = " ".join(_INDEFINITE.sub(" ", folded).split())
    if not folded:
        return False
    padded = f" {folded} "
    if any(f" {phrase} " in padded for phrase in _PHRASES) or _TEENCODE.search(folded):
        return True
    if _WHEN.search(folded):
        return True
    words = folded.split()
    if len(words) < 2 or folded.endswith(_NOT_FINAL):
        return False  # "không", "chưa": the answer to a yes/no question
    if words[-1] in _FINAL_FOLDED:
        return True
    core = list(words)
    while len(core) > 2 and core[-1] in _TRAILING:
        core.pop()
    if core != words and core[-1] in _FINAL_FOLDED and not " ".join(core).endswith(_NOT_FINAL):
        return True
    return has_diacritics(composed) and normalize(composed).split()[-1] in _FINAL_ACCENTED
