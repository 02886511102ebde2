"""Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30 s): the optional second factor."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
import unicodedata
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def code_at(secret: str, moment: float) -> str:
    counter = int(moment // STEP_SECONDS)
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def matching_step(
    secret: str, code: str, *, moment: float | None = None, drift_steps: int = 1
) -> int | None:
    """The time step `code` belongs to, if it is valid now or within `drift_steps` steps (clock
    skew of a phone); None otherwise. Callers refuse a step already used (replay)."""
    # NFKC turns full-width digits from a phone keyboard into ASCII; other "digits" (isdigit()
    # accepts Arabic-Indic or superscripts) are dropped, as compare_digest needs ASCII.
    code = "".join(ch for ch in unicodedata.normalize("NFKC", code) if ch in "0123456789")
    if len(code) != DIGITS:
        return None
    now = time.time() if moment is None else moment
    for offset in range(-drift_steps, drift_steps + 1):
        at = now + offset * STEP_SECONDS
        if hmac.compare_digest(code_at(secret, at), code):
            return int(at // STEP_SECONDS)
    return None


def verify(secret: str, code: str, *, moment: float | None = None, drift_steps: int = 1) -> bool:
    return matching_step(secret, code, moment=moment, drift_steps=drift_steps) is not None


def provisioning_uri(secret: str, *, username: str, issuer: str = "Chung Tay") -> str:
    """The otpauth:// address authenticator apps accept (typed in or turned into a QR code)."""
    label = quote(f"{issuer}:{username}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"
