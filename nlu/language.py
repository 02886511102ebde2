"""Language of a message, robust to Vietnamese written without diacritics.

langdetect alone calls "toi bi lua sang campuchia lam viec" Romanian and "alo" Somali (triage.md),
so a Vietnamese check runs first: Vietnamese-only letters, or enough tokens that are common
Vietnamese words and well-formed Vietnamese syllables. langdetect only decides what is left.
"""

from __future__ import annotations

import re
import threading

from nlu.normalize import fold_token, nfc, strip_diacritics, tokens

VIETNAMESE = "vi"
ENGLISH = "en"

# Letters that only Vietnamese uses among Latin-script languages (after NFC).
_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
_RHYME = (
    r"(?:uye|uya|oai|oay|oeo|uoi|uou|uay|uey|ieu|yeu|uoi|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|"
    r"ua|ue|ui|uo|uu|uy|ye|[aeiouy])"
)
_CODA = r"(?:ch|ng|nh|[cmnpt]|[iouy])?"
_SYLLABLE = re.compile(f"^{_ONSET}{_RHYME}{_CODA}$")

# Frequent Vietnamese words (folded) that are rare as English/other words.
_VI_COMMON = frozenset(
    [
        "toi",
        "em",
        "anh",
        "chi",
        "ban",
        "minh",
        "tui",
        "no",
        "ho",
        "chung",
        "bon",
        "cua",
        "va",
        "la",
        "co",
        "khong",
        "duoc",
        "nguoi",
        "bi",
        "lua",
        "sang",
        "qua",
        "lam",
        "viec",
        "o",
        "roi",
        "voi",
        "gi",
        "nay",
        "kia",
        "day",
        "do",
        "thi",
        "ma",
        "nhung",
        "cho",
        "ve",
        "di",
        "den",
        "tu",
        "trong",
        "ngoai",
        "nha",
        "con",
        "chau",
        "vo",
        "chong",
        "gai",
        "trai",
        "me",
        "bo",
        "ong",
        "ba",
        "cuu",
        "giup",
        "ho",
        "tro",
        "nhot",
        "giam",
        "danh",
        "dang",
        "vua",
        "moi",
        "sao",
        "the",
        "nao",
        "bao",
        "nhieu",
        "tien",
        "muon",
        "can",
        "biet",
        "hoi",
        "oi",
        "a",
        "alo",
        "da",
        "vang",
        "chao",
        "cam",
        "on",
        "tam",
        "biet",
        "xin",
        "nhe",
        "nha",
        "nhi",
        "ah",
        "uh",
        "u",
        "duong",
        "day",
        "mua",
        "ban",
        "tim",
        "kiem",
        "mat",
        "tich",
        "lien",
        "lac",
        "tin",
        "nhan",
        "dien",
        "thoai",
        "so",
        "cong",
        "ty",
        "xuat",
        "khau",
        "lao",
        "dong",
        "trung",
        "quoc",
        "campuchia",
        "lao",
        "thai",
        "viet",
        "nam",
        "tinh",
        "xa",
        "huyen",
        "thon",
        "ban",
        "bien",
        "gioi",
        "giay",
        "to",
        "can",
        "cuoc",
        "hieu",
        "chieu",
        "lay",
        "cam",
        "nan",
        "nhan",
        "tu",
        "van",
        "cong",
        "an",
        "khong",
        "sao",
        "duoc",
        "roi",
        "nua",
        "luon",
        "lai",
        "phai",
        "neu",
        "khi",
    ]
)
_EN_COMMON = frozenset(
    [
        "i",
        "you",
        "my",
        "me",
        "the",
        "is",
        "am",
        "are",
        "was",
        "were",
        "please",
        "help",
        "they",
        "we",
        "she",
        "he",
        "her",
        "his",
        "him",
        "to",
        "in",
        "of",
        "and",
        "not",
        "yes",
        "no",
        "thank",
        "thanks",
        "hello",
        "hi",
        "want",
        "need",
        "what",
        "where",
        "how",
        "can",
        "could",
        "would",
        "should",
        "this",
        "that",
        "it",
        "be",
        "been",
        "have",
        "has",
        "do",
        "does",
        "did",
        "from",
        "with",
        "for",
        "at",
        "by",
        "an",
        "or",
        "but",
        "if",
        "so",
        "my",
        "our",
        "your",
        "their",
        "them",
        "us",
        "just",
        "now",
        "here",
        "there",
        "sister",
        "brother",
        "daughter",
        "son",
        "mother",
        "father",
        "friend",
        "police",
        "passport",
    ]
)

_lock = threading.Lock()
_detector_ready = False


def _script_language(text: str) -> str | None:
    """Languages identifiable from their script alone."""
    for char in text:
        code = ord(char)
        if 0x4E00 <= code <= 0x9FFF:
            return "zh"
        if 0x0E00 <= code <= 0x0E7F:
            return "th"
        if 0x1780 <= code <= 0x17FF:
            return "km"
        if 0x0E80 <= code <= 0x0EFF:
            return "lo"
        if 0x1000 <= code <= 0x109F:
            return "my"
        if 0xAC00 <= code <= 0xD7AF:
            return "ko"
        if 0x3040 <= code <= 0x30FF:
            return "ja"
        if 0x0400 <= code <= 0x04FF:
            return "ru"
    return None


# Words every language here uses ("ok", "ad", "sos"): they say nothing about the language.
_NEUTRAL = frozenset({"ok", "oke", "okie", "okay", "ad", "admin", "sos", "alo", "hi"})


def vietnamese_score(text: str) -> float:
    """Share of word tokens that look Vietnamese (common word, or well-formed syllable)."""
    words = [fold_token(word) for word in tokens(nfc(text)) if not word.isdigit()]
    words = [part for word in words for part in word.split() if part not in _NEUTRAL]
    if not words:
        return 0.0
    hits = 0.0
    for word in words:
        if word in _VI_COMMON:
            hits += 1.0
        elif _SYLLABLE.match(word) and word not in _EN_COMMON:
            hits += 0.6
    return hits / len(words)


def _english_score(text: str) -> float:
    words = [word.lower() for word in tokens(text) if not word.isdigit()]
    words = [word for word in words if word not in _NEUTRAL - {"hi"}]
    if not words:
        return 0.0
    return sum(1 for word in words if word in _EN_COMMON) / len(words)


def _langdetect(text: str) -> str | None:
    global _detector_ready
    try:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError:  # pragma: no cover - langdetect is a declared dependency
        return None
    with _lock:
        if not _detector_ready:
            DetectorFactory.seed = 0  # deterministic answers
            _detector_ready = True
        try:
            guesses = detect_langs(text)
        except LangDetectException:
            return None
    if not guesses or guesses[0].prob < 0.8:
        return None
    code: str = guesses[0].lang
    return code.split("-", 1)[0]


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``; Vietnamese with or without diacritics is "vi".

    Text with no signal at all ("ok", "123", an emoji) counts as Vietnamese: that is the
    audience, and a Vietnamese reply still points to 111.
    """
    composed = nfc(text)
    if _VI_LETTERS.search(composed):
        return VIETNAMESE
    script = _script_language(composed)
    if script:
        return script
    vi = vietnamese_score(composed)
    en = _english_score(composed)
    if en >= 0.25 and en >= vi - 0.2:
        return ENGLISH
    if vi >= 0.6:
        return VIETNAMESE
    guess = _langdetect(strip_diacritics(composed))
    if guess in (None, VIETNAMESE):
        return VIETNAMESE
    if len(tokens(composed)) <= 3 and guess != ENGLISH:
        return VIETNAMESE  # langdetect is noise on very short text ("alo" → Somali)
    return guess
