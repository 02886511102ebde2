"""Field encryption (AES-GCM with rotating keys) and keyed hashes of channel sender ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chungtay.settings import Settings

PREFIX = "v1"


class CryptoConfigError(ValueError):
    """Keys missing or malformed in the settings."""


def parse_keys(spec: str) -> list[tuple[str, bytes]]:
    """``"kid:base64key,kid2:base64key"`` -> [(kid, key)]; the first one encrypts."""
    keys: list[tuple[str, bytes]] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, b64 = part.partition(":")
        if not sep or not kid or ":" in kid:
            raise CryptoConfigError("CHUNGTAY_ENCRYPTION_KEYS entries must be kid:base64key")
        try:
            key = base64.b64decode(b64, validate=True)
        except ValueError as error:
            raise CryptoConfigError(f"key {kid!r} is not valid base64") from error
        if len(key) != 32:
            raise CryptoConfigError(f"key {kid!r} must be 32 bytes (AES-256)")
        keys.append((kid, key))
    if not keys:
        raise CryptoConfigError("CHUNGTAY_ENCRYPTION_KEYS is empty")
    return keys


class FieldCipher:
    """Encrypts one text value: ``v1:<kid>:<base64(nonce || ciphertext+tag)>``."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise CryptoConfigError("at least one key is needed")
        self._current_kid = keys[0][0]
        self._keys = {kid: AESGCM(key) for kid, key in keys}

    @classmethod
    def from_settings(cls, settings: Settings) -> FieldCipher:
        return cls(parse_keys(settings.encryption_keys))

    @property
    def current_key_id(self) -> str:
        return self._current_kid

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._keys[self._current_kid].encrypt(
            nonce, plaintext.encode("utf-8"), self._current_kid.encode()
        )
        return f"{PREFIX}:{self._current_kid}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        prefix, kid, b64 = _split(token)
        if prefix != PREFIX or kid not in self._keys:
            raise CryptoConfigError(f"no key {kid!r} to decrypt this value")
        raw = base64.b64decode(b64)
        return self._keys[kid].decrypt(raw[:12], raw[12:], kid.encode()).decode("utf-8")

    def key_id_of(self, token: str) -> str:
        return _split(token)[1]

    def encrypt_optional(self, plaintext: str | None) -> str | None:
        return None if plaintext is None else self.encrypt(plaintext)

    def decrypt_optional(self, token: str | None) -> str | None:
        return None if token is None else self.decrypt(token)


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3:
        raise CryptoConfigError("not a FieldCipher value")
    return parts[0], parts[1], parts[2]


@dataclass(frozen=True)
class SenderHasher:
    """HMAC-SHA256 of ``channel:sender_id``: stable lookup key without storing the id."""

    key: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> SenderHasher:
        if not settings.sender_hash_key:
            raise CryptoConfigError("CHUNGTAY_SENDER_HASH_KEY is empty")
        return cls(settings.sender_hash_key.encode("utf-8"))

    def hash(self, *, channel: str, sender_id: str) -> str:
        message = f"{channel}:{sender_id}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def message_key(self, *, channel: str, external_id: str) -> str:
        """The stored form of a channel's message id: replays still match, the id is not kept.

        Channel message ids name the person (Telegram's hold the chat id, the web chat's the
        session id); a separate prefix keeps these hashes apart from the sender hashes.
        """
        message = f"message:{channel}:{external_id}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()
