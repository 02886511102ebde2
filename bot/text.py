"""Text shaping for channels: length limits, SMS segments and GSM-7 folding.

Channels cut long messages differently (Zalo at 2,000 characters, Telegram at 4,096, SMS by
segment), so every reply goes through ``split_text`` with the channel's limit. Cuts prefer a
paragraph, then a sentence, then a word boundary, so that a phone number is never split.
"""

from __future__ import annotations

import re

from nlu.normalize import strip_diacritics

# GSM 03.38 basic character set; the extension table costs two septets per character.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153  # septets per segment (multipart loses 7 to the UDH)
UCS2_SINGLE, UCS2_MULTI = 70, 67  # UTF-16 code units per segment

_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"(?<=[.!?…])\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters at the most natural boundary."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = _best_cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _best_cut(text: str, limit: int) -> int:
    window = text[: limit + 1]
    for pattern in _BOUNDARIES:
        ends = [m.start() for m in pattern.finditer(window) if 0 < m.start() <= limit]
        # A boundary in the first third would make a ragged first piece; look for a finer one.
        if ends and ends[-1] >= limit // 3:
            return ends[-1]
    return limit


def to_gsm7(text: str) -> str:
    """Fold to characters a GSM-7 SMS can carry; anything left over becomes '?'."""
    folded = strip_diacritics(text)
    replacements = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}
    out = []
    for char in folded:
        char = replacements.get(char, char)
        out.append(char if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in char) else "?")
    return "".join(out)


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def sms_units(text: str) -> int:
    """Length in SMS units: septets for GSM-7, UTF-16 code units otherwise."""
    if is_gsm7(text):
        return sum(2 if c in GSM7_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def split_sms(text: str, *, fold: bool, max_segments: int = 4) -> list[str]:
    """SMS bodies, each fitting one segment, optionally folded to GSM-7 first.

    Each body is sent as its own single-segment SMS so that an old phone that cannot join
    concatenated messages still shows whole sentences. Beyond ``max_segments`` the text is cut
    short with "..." rather than costing a person (or us) a long chain of messages.
    """
    if fold:
        text = to_gsm7(text)
    single = GSM7_SINGLE if is_gsm7(text) else UCS2_SINGLE
    # Extended characters and astral code points take two units; split on a safe character
    # budget, then re-check the real units.
    limit = single
    while True:
        pieces = split_text(text, limit)
        if all(sms_units(p) <= single for p in pieces):
            break
        limit -= 5
    if len(pieces) > max_segments:
        pieces = pieces[:max_segments]
        last = pieces[-1]
        while last and sms_units(last + "...") > single:
            last = last[:-1]
        pieces[-1] = last.rstrip() + "..."
    return pieces
