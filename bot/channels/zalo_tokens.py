"""Zalo OA access tokens, refreshed with the rotating (single-use) refresh token.

A refresh token works once: the answer carries a new one, which must be stored before anything
else can refresh, or the OA is locked out until someone re-authorises it by hand. So refreshes run
one at a time (an asyncio lock in-process, ``flock`` across processes), the file is replaced
atomically, and a caller whose token was already replaced by someone else's refresh simply picks
up the new one instead of spending the refresh token again.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

log = logging.getLogger(__name__)

OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"


class ZaloAuthError(Exception):
    """No usable token: the OA must be re-authorised by an administrator."""


@dataclass(frozen=True)
class ZaloTokens:
    access_token: str
    refresh_token: str
    expires_at: float = 0.0  # epoch seconds; 0 when unknown


class ZaloTokenStore:
    def __init__(
        self,
        *,
        path: Path,
        app_id: str,
        app_secret: str,
        http: httpx.AsyncClient,
        initial: ZaloTokens | None = None,
    ) -> None:
        self.path = path
        self.app_id = app_id
        self.app_secret = app_secret
        self.http = http
        self._initial = initial
        self._lock = asyncio.Lock()

    def load(self) -> ZaloTokens:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return ZaloTokens(**data)
        except FileNotFoundError:
            if self._initial is None or not (
                self._initial.access_token or self._initial.refresh_token
            ):
                raise ZaloAuthError("no Zalo access or refresh token configured") from None
            return self._initial

    async def access_token(self) -> str:
        tokens = self.load()
        if not tokens.access_token or (tokens.expires_at and tokens.expires_at - time.time() < 60):
            return await self.refresh(stale=tokens.access_token)
        return tokens.access_token

    async def refresh(self, *, stale: str) -> str:
        """A fresh access token, replacing ``stale``; spends the refresh token at most once."""
        async with self._lock:
            with self._file_lock():
                current = self.load()
                if current.access_token != stale:
                    return current.access_token  # someone else refreshed meanwhile
                if not current.refresh_token:
                    raise ZaloAuthError("no Zalo refresh token")
                fresh = await self._call_refresh(current.refresh_token)
                self._write(fresh)
                log.info("zalo access token refreshed")
                return fresh.access_token

    async def _call_refresh(self, refresh_token: str) -> ZaloTokens:
        try:
            response = await self.http.post(
                OAUTH_URL,
                headers={"secret_key": self.app_secret},
                data={
                    "app_id": self.app_id,
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                },
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ZaloAuthError(f"refresh failed: {error.__class__.__name__}") from error
        if (
            not isinstance(data, dict)
            or not data.get("access_token")
            or not data.get("refresh_token")
        ):
            code = data.get("error") if isinstance(data, dict) else None
            raise ZaloAuthError(f"refresh refused (error {code})")
        expires_in = float(data.get("expires_in") or 0)
        return ZaloTokens(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_at=time.time() + expires_in if expires_in else 0.0,
        )

    def _write(self, tokens: ZaloTokens) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".zalo-tokens.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(tokens), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)  # atomic: readers see the old or the new pair, never half
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
