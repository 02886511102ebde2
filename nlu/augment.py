"""Written-form variants of training sentences, made at training time (pure Python, both venvs).

People write the same sentence without diacritics, in teencode, in upper case or in NFD. The data
files hold each sentence once, as its writer wrote it; ``variants`` derives the other forms so that
nobody keeps hand copies in step. Deterministic: the choice of forms for a sentence depends only
on the sentence and the seed, so the same data always gives the same training set.
"""

from __future__ import annotations

import hashlib
import re

from nlu.normalize import nfc, strip_diacritics

NO_DIACRITICS = "no_diacritics"
TEENCODE = "teencode"
UPPER = "upper"

# How people shorten words on Zalo/SMS (the reverse of nlu.normalize.TEENCODE, which reads them):
# folded word or phrase -> the short form. Longest phrases first so "so dien thoai" wins over
# "dien thoai".
_SHORT: tuple[tuple[str, str], ...] = (
    ("xuat khau lao dong", "xkld"),
    ("so dien thoai", "sdt"),
    ("trung quoc", "tq"),
    ("campuchia", "cam"),
    ("dien thoai", "dt"),
    ("cong ty", "cty"),
    ("ho chieu", "hc"),
    ("khong", "ko"),
    ("duoc", "dc"),
    ("nguoi", "ng"),
    ("biet", "bik"),
    ("muon", "mun"),
    ("trieu", "tr"),
    ("dang", "dg"),
    ("chong", "ck"),
    ("roi", "r"),
    ("voi", "vs"),
    ("gi", "j"),
    ("em", "e"),
)
_SHORT_RE = [(re.compile(rf"\b{re.escape(long)}\b"), short) for long, short in _SHORT]


def teencode(text: str) -> str:
    """The sentence as a teencode writer types it: no diacritics, lower case, short forms."""
    out = strip_diacritics(nfc(text)).lower()
    for pattern, short in _SHORT_RE:
        out = pattern.sub(short, out)
    return out


def _draw(text: str, form: str, seed: int) -> float:
    """A number in [0, 1) fixed by the sentence, the form and the seed."""
    digest = hashlib.sha256(f"{seed}:{form}:{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def variants(text: str, rates: dict[str, float], seed: int = 42) -> list[tuple[str, str]]:
    """(form, text) variants of ``text``, each form kept with its rate; none equals the text."""
    composed = nfc(text)
    bare = strip_diacritics(composed)
    short = teencode(composed)
    candidates = {
        NO_DIACRITICS: bare if bare != composed else None,
        # Only when a word was shortened: lower case alone is not teencode (English stays out).
        TEENCODE: short if short != bare.lower() else None,
        UPPER: composed.upper(),
    }
    out: list[tuple[str, str]] = []
    seen = {composed}
    for form, candidate in candidates.items():
        if candidate is None or candidate in seen:
            continue
        if _draw(composed, form, seed) < rates.get(form, 0.0):
            out.append((form, candidate))
            seen.add(candidate)
    return out
