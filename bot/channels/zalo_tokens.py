"""Zalo OA access tokens, refreshed with the rotating (single-use) refresh token.

A refresh token works once: the answer carries a new one, which must be stored before anything
else can refresh, or the OA is locked out until someone re-authorises it by hand. The pair lives
in the intake store, encrypted (``intake_store.service_tokens``), so every gateway behind a load
balancer reads the same one; a refresh runs under a lease in the store that every host honours
(and an asyncio lock in-process), and a caller whose token was already replaced by someone
else's refresh simply picks up the new one instead of spending the refresh token again.

The first pair comes from the configuration (``CHUNGTAY_ZALO_ACCESS_TOKEN`` / ``_REFRESH_TOKEN``)
or, once, from the plain file earlier versions kept in the data directory (then deleted).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

import intake_store.service_tokens as service_tokens
from intake_store.store import Store

log = logging.getLogger(__name__)

OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
TOKEN_NAME = "zalo_oa"
# Longer than a refresh call (the HTTP client's timeout); a gateway that died mid-refresh frees
# the lease after this.
LEASE_SECONDS = 60.0


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
        store: Store,
        app_id: str,
        app_secret: str,
        http: httpx.AsyncClient,
        initial: ZaloTokens | None = None,
        legacy_file: Path | None = None,
        holder: str = "gateway",
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.store = store
        self.app_id = app_id
        self.app_secret = app_secret
        self.http = http
        self._initial = initial
        self._legacy_file = legacy_file
        self.holder = holder  # this gateway, in the refresh lease
        self.lease_seconds = lease_seconds
        self._lock = asyncio.Lock()

    def load(self) -> ZaloTokens:
        """The stored pair; the first call stores the configured one (or the old file's)."""
        with self.store.begin() as session:
            stored = service_tokens.load_tokens(session, cipher=self.store.cipher, name=TOKEN_NAME)
            if stored is None:
                first = self._legacy() or self._initial
                if first is None or not (first.access_token or first.refresh_token):
                    raise ZaloAuthError("no Zalo access or refresh token configured")
                service_tokens.seed_tokens(
                    session,
                    cipher=self.store.cipher,
                    name=TOKEN_NAME,
                    access_token=first.access_token,
                    refresh_token=first.refresh_token,
                    expires_at=_when(first.expires_at),
                )
                stored = service_tokens.load_tokens(
                    session, cipher=self.store.cipher, name=TOKEN_NAME
                )
                assert stored is not None
        self._drop_legacy()
        expires = stored.expires_at.timestamp() if stored.expires_at else 0.0
        return ZaloTokens(stored.access_token, stored.refresh_token, expires)

    def _legacy(self) -> ZaloTokens | None:
        if self._legacy_file is None:
            return None
        try:
            return ZaloTokens(**json.loads(self._legacy_file.read_text(encoding="utf-8")))
        except (FileNotFoundError, ValueError, TypeError):
            return None

    def _drop_legacy(self) -> None:
        # The store has the pair now: no plain copy of a secret stays on the disk.
        if self._legacy_file is not None:
            with contextlib.suppress(FileNotFoundError):
                self._legacy_file.unlink()
                log.info("zalo tokens moved from the data directory into the store")
            self._legacy_file = None

    async def access_token(self) -> str:
        tokens = await asyncio.to_thread(self.load)
        if not tokens.access_token or (tokens.expires_at and tokens.expires_at - time.time() < 60):
            return await self.refresh(stale=tokens.access_token)
        return tokens.access_token

    async def refresh(self, *, stale: str) -> str:
        """A fresh access token, replacing ``stale``; spends the refresh token at most once."""
        async with self._lock:
            deadline = time.monotonic() + self.lease_seconds + 5.0
            while True:
                current = await asyncio.to_thread(self.load)
                if current.access_token != stale:
                    return current.access_token  # someone else refreshed meanwhile
                if not current.refresh_token:
                    raise ZaloAuthError("no Zalo refresh token")
                if await asyncio.to_thread(self._take_lease):
                    break
                if time.monotonic() > deadline:
                    raise ZaloAuthError("another gateway kept the refresh lease")
                await asyncio.sleep(0.2)  # another gateway is refreshing: wait for its pair
            try:
                current = await asyncio.to_thread(self.load)  # it may have finished just now
                if current.access_token != stale:
                    return current.access_token
                fresh = await self._call_refresh(current.refresh_token)
                if not await asyncio.to_thread(self._save, fresh):
                    # Our lease ran out during the call: the pair Zalo gave us is the only one
                    # that works now, and it is lost. Say so loudly.
                    raise ZaloAuthError("refresh lease lost; the OA must be re-authorised")
                log.info("zalo access token refreshed")
                return fresh.access_token
            finally:
                await asyncio.to_thread(self._end_lease)

    def _take_lease(self) -> bool:
        with self.store.begin() as session:
            return service_tokens.take_lease(
                session,
                name=TOKEN_NAME,
                holder=self.holder,
                now=datetime.now(UTC),
                lease_seconds=self.lease_seconds,
            )

    def _save(self, tokens: ZaloTokens) -> bool:
        with self.store.begin() as session:
            return service_tokens.save_refreshed(
                session,
                cipher=self.store.cipher,
                name=TOKEN_NAME,
                holder=self.holder,
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_at=_when(tokens.expires_at),
            )

    def _end_lease(self) -> None:
        with self.store.begin() as session:
            service_tokens.end_lease(session, name=TOKEN_NAME, holder=self.holder)

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


def _when(epoch: float) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None
