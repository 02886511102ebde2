"""Normalisation of messages as people really type them.

Pure Python (stdlib only) so that the gateway (.venv, 3.11) and the Rasa pipeline (.venv-rasa, 3.10)
share one definition. Two forms are produced:

* ``normalize(text)``: NFC, lower case, squeezed repeats, emoji as words, teencode expanded; the
  diacritics stay because they disambiguate (lừa "deceive" vs lửa "fire").
* ``fold(text)``: the normalised text without diacritics (đ→d), so that "bị lừa" and "bi lua" look
  the same to the classifier and the urgency patterns.

The original text is never replaced: callers keep it for the transcript and for entity offsets.
"""

from __future__ import annotations

import re
import unicodedata

# Teencode and abbreviations seen on Zalo/SMS, keyed by the folded lower-case token. Expanded only
# when the writer used no diacritics on that token ("cấm" must not become Campuchia).
TEENCODE: dict[str, str] = {
    "ko": "không",
    "k": "không",
    "kh": "không",
    "khg": "không",
    "hok": "không",
    "hong": "không",
    "kg": "không",
    "khong": "không",
    "dc": "được",
    "dk": "được",
    "duoc": "được",
    "j": "gì",
    "ng": "người",
    "ngta": "người ta",
    "tq": "trung quốc",
    "cam": "campuchia",
    "cpc": "campuchia",
    "cambo": "campuchia",
    "xkld": "xuất khẩu lao động",
    "sdt": "số điện thoại",
    "dt": "điện thoại",
    "dth": "điện thoại",
    "cty": "công ty",
    "tr": "triệu",
    "e": "em",
    "vs": "với",
    "r": "rồi",
    "dg": "đang",
    "đg": "đang",
    "đc": "được",
    "ck": "chồng",
    "vk": "vợ",
    "mn": "mọi người",
    "bt": "biết",
    "bik": "biết",
    "mun": "muốn",
    "mún": "muốn",
    "hc": "hộ chiếu",
    "tn": "tin nhắn",
    "trc": "trước",
    "ntn": "như thế nào",
    "nc": "nước",
    "ad": "admin",
    "tks": "cảm ơn",
    "thanks": "cảm ơn",
    "camon": "cảm ơn",
    "cccd": "căn cước",
    "cmnd": "căn cước",
    "bn": "bao nhiêu",
    "sđt": "số điện thoại",
    "hcm": "hồ chí minh",
    "tphcm": "hồ chí minh",
    "ko'": "không",
    "hix": "huhu",
    # More of what people type on a cheap phone (Gen Z and SMS): "lm sao bít", "mk đi từ hqua".
    "hk": "không",
    "kô": "không",
    "khum": "không",
    "hông": "không",
    "lm": "làm",
    "bit": "biết",
    "bít": "biết",
    "bjt": "biết",
    "mk": "mình",
    "mik": "mình",
    "mjk": "mình",
    "ns": "nói",
    "nt": "nhắn tin",
    "jo": "giờ",
    "bjo": "bây giờ",
    "bh": "bây giờ",
    "bg": "bây giờ",
    "ms": "mới",
    "cx": "cũng",
    "cg": "cũng",
    "lun": "luôn",
    "ik": "đi",
    "wa": "qua",
    "ny": "người yêu",
    "bme": "bố mẹ",
    "nma": "nhưng mà",
    "mng": "mọi người",
    "đt": "điện thoại",
    "hqua": "hôm qua",
    "hnay": "hôm nay",
    "hkia": "hôm kia",
    "hum": "hôm",
    "nhiu": "nhiều",
    "nhìu": "nhiều",
    "rùi": "rồi",
    "z": "vậy",
}

# Emoji that carry meaning in this domain become words; every other emoji is dropped.
EMOJI_WORDS: dict[str, str] = {
    "🆘": " sos ",
    "😭": " khóc ",
    "😢": " khóc ",
    "🙏": " xin ",
    "🚨": " khẩn cấp ",
}

_COMBINING = re.compile(r"[\u0300-\u036f]")
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{2,}")  # letters only: 111 is the hotline
_REPEATED_PUNCT = re.compile(r"([!?.,~\-])\1+")
_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:['’][\w]+)?")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Compose NFD (and mixed) input; Rasa's regex and count features only see NFC words."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics, including đ→d (unicodedata does not decompose đ)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = _COMBINING.sub("", decomposed).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", bare)


def has_diacritics(text: str) -> bool:
    return strip_diacritics(nfc(text)) != nfc(text)


def _squeeze_letter(match: re.Match[str]) -> str:
    # "cuuuu" is an elongated "cứu"/"cuu"; u and o may legitimately double, other letters not.
    char = match.group(1)
    return char * 2 if char in "uo" else char


def squeeze(text: str) -> str:
    """Collapse elongations ("emmmm" → "em") and repeated punctuation ("!!!" → "!")."""
    return _REPEATED_PUNCT.sub(r"\1", _REPEATED_LETTER.sub(_squeeze_letter, text))


def replace_emoji(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in EMOJI_WORDS:
            out.append(EMOJI_WORDS[char])
        elif unicodedata.category(char) in ("So", "Sk", "Cs") or char in "\ufe0f\u200d":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def expand_token(token: str) -> str:
    """Teencode expansion of one lower-case NFC token (kept as is when it has diacritics)."""
    if token in TEENCODE:
        return TEENCODE[token]
    return token


# Teencode that depends on the next word: "cam on" is cảm ơn, not Campuchia.
_NOT_BEFORE: dict[str, frozenset[str]] = {
    "cam": frozenset({"on", "ơn", "kết", "ket", "thấy", "thay", "giác", "giac"}),
    "k": frozenset({"g"}),
}
# "bn" is bao nhiêu before a unit or at the end ("bn tiền", "giá bn"), else bạn ("bn mk quen ...").
_HOW_MANY_BEFORE = frozenset(
    {"tiền", "tien", "tuổi", "tuoi", "ngày", "ngay", "tháng", "thang", "năm", "nam", "lâu", "lau",
     "người", "nguoi", "ng", "tr", "triệu", "trieu", "đồng", "dong", "k", "lần", "lan", "cái",
     "cai", "giờ", "gio", "km", "ký", "ky", "kg", "%", "đứa", "dua", "con"}
)  # fmt: skip


def expand_in_context(token: str, next_token: str | None) -> str:
    """Teencode expansion of a lower-case token, looking at the following token."""
    if next_token is not None and next_token in _NOT_BEFORE.get(token, frozenset()):
        return token
    if token == "bn" and next_token is not None and next_token not in _HOW_MANY_BEFORE:
        return "bạn"
    if token == "v" and next_token is None:
        return "vậy"  # "sao lại thế v": the last word; elsewhere "v" may be an initial
    return expand_token(token)


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` (combining marks stay attached, so NFD words are not split)."""
    return _TOKEN.findall(text)


def normalize(text: str) -> str:
    """NFC, lower case, squeezed repeats, emoji as words, teencode expanded; diacritics kept."""
    cleaned = squeeze(replace_emoji(nfc(text)).lower())
    found = tokens(cleaned)
    words = [expand_in_context(word, _next(found, index)) for index, word in enumerate(found)]
    return _SPACES.sub(" ", " ".join(words)).strip()


def _next(words: list[str], index: int) -> str | None:
    return words[index + 1] if index + 1 < len(words) else None


def fold_token(token: str, next_token: str | None = None) -> str:
    """The diacritic-free, teencode-expanded, squeezed form of one token (for features)."""
    lowered = squeeze(nfc(token).lower())
    following = squeeze(nfc(next_token).lower()) if next_token else None
    expanded = expand_in_context(lowered, following)
    folded = strip_diacritics(expanded)
    # A folded "cứuuu" becomes "cuuu": squeeze again after folding.
    return squeeze(folded)


def fold(text: str) -> str:
    """The normalised text without diacritics: what the urgency patterns match against."""
    cleaned = squeeze(replace_emoji(nfc(text)).lower())
    found = tokens(cleaned)
    return " ".join(fold_token(word, _next(found, index)) for index, word in enumerate(found))
