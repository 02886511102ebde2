"""Forwarding one stored message to Rasa's ``chungtay`` REST channel (docs/architecture.md).

With several Rasa replicas every message of one conversation goes to the same replica: the
open-source ``RedisLockStore`` does not make two replicas wait for each other, so two replicas
handling one conversation at once could each load the same tracker and lose the other's events.
The replica is chosen by rendezvous (highest random weight) hashing of the pseudonymous sender id
over the replica URLs: stable, balanced, and when a replica leaves only its own conversations move,
each to the next replica in its own hash order, which reads the shared tracker store and goes on.
Within this gateway the messages of one sender are also sent one at a time, lowest id first.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import heapq
import time
import unicodedata
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from bot.messages import BotReply

WEBHOOK_PATH = "/webhooks/chungtay/webhook"
# A replica that refused a connection is tried last for this long (a dead host would otherwise
# cost a connect timeout on every message).
DOWN_SECONDS = 5.0
CONNECT_TIMEOUT = 3.0


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully; the message stays queued."""


def rendezvous_order(key: str, urls: Sequence[str]) -> list[str]:
    """``urls`` in rendezvous-hash order for ``key``: the first is its replica, then failovers."""
    return sorted(urls, key=lambda url: (_weight(key, url), url), reverse=True)


def _weight(key: str, url: str) -> int:
    digest = hashlib.blake2b(f"{url}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def parse_urls(value: str | Sequence[str]) -> list[str]:
    """Replica URLs from a comma-separated setting or a list; duplicates and blanks dropped."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return list(dict.fromkeys(u.strip().rstrip("/") for u in items if u.strip()))


@dataclass
class _Turns:
    """One sender's queue: who is at Rasa now, and who waits (lowest message id goes next)."""

    busy: bool = False
    waiting: list[tuple[int, int, asyncio.Future[None]]] = field(default_factory=list)


class RasaClient:
    def __init__(
        self,
        base_url: str | Sequence[str],
        *,
        timeout: float,
        auth_token: str,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.urls = parse_urls(base_url)
        if not self.urls:
            raise ValueError("no Rasa URL configured")
        if not auth_token:
            raise ValueError("no Rasa auth token configured (CHUNGTAY_RASA_AUTH_TOKEN)")
        # The chungtay channel checks the header; Rasa's HTTP API (`--auth-token`) only reads
        # the token from the query string.
        self._token = auth_token
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            transport=transport,
            headers={"Authorization": f"Bearer {auth_token}"},
        )
        self._down_until: dict[str, float] = {}
        self._turns: dict[str, _Turns] = {}
        self._tickets = 0

    def replicas_for(self, sender: str) -> list[str]:
        """The order in which this sender's message tries the replicas now."""
        order = rendezvous_order(sender, self.urls)
        now = time.monotonic()
        return sorted(order, key=lambda url: self._down_until.get(url, 0.0) > now)  # stable

    async def send(
        self,
        *,
        sender: str,
        text: str,
        channel: str,
        message_id: int,
        conversation_id: int,
        take_turn: bool = True,
    ) -> list[BotReply]:
        """One message to the sender's replica. ``take_turn=False``: the caller holds ``turn()``."""
        body = {
            "sender": sender,
            "message": unicodedata.normalize("NFC", text),
            "metadata": {
                "channel": channel,
                "message_id": message_id,
                "conversation_id": conversation_id,
            },
        }
        if take_turn:
            async with self.turn(sender, message_id):
                response = await self._post(sender, body)
        else:
            response = await self._post(sender, body)
        # The chungtay channel answers 500 when the action server is down or an action failed.
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            items: Any = response.json()
        except ValueError as error:
            raise RasaUnavailable("invalid JSON") from error
        if not isinstance(items, list):
            raise RasaUnavailable("unexpected answer shape")
        replies = [BotReply.from_rasa(item) for item in items if isinstance(item, dict)]
        return [reply for reply in replies if reply is not None]

    async def append_events(self, *, sender: str, events: list[dict[str, Any]]) -> None:
        """Add events to a conversation's tracker (Rasa's HTTP API, ``rasa run --enable-api``)."""
        await self._tracker_events("POST", sender, events)

    async def replace_events(self, *, sender: str, events: list[dict[str, Any]]) -> None:
        """Replace a conversation's whole tracker; ``[]`` forgets it (in-memory tracker store)."""
        await self._tracker_events("PUT", sender, events)

    async def _tracker_events(self, method: str, sender: str, events: list[dict[str, Any]]) -> None:
        # The sender's own replica: the tracker store is shared, but its turn order is per replica.
        url = self.replicas_for(sender)[0]
        path = f"/conversations/{quote(sender, safe='')}/tracker/events"
        try:
            response = await self._client.request(
                method,
                url + path,
                params={"include_events": "NONE", "token": self._token},
                json=events,
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"{error.__class__.__name__}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")

    async def _post(self, sender: str, body: dict[str, Any]) -> httpx.Response:
        last: Exception | None = None
        for url in self.replicas_for(sender):
            try:
                response = await self._client.post(url + WEBHOOK_PATH, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # Never connected, so this replica saw nothing: the next one may take the message.
                self._down_until[url] = time.monotonic() + DOWN_SECONDS
                last = error
                continue
            except httpx.HTTPError as error:
                # Sent, maybe processed: do not hand it to another replica (it could run twice);
                # the message stays queued and the retry loop sends it again.
                raise RasaUnavailable(error.__class__.__name__) from error
            self._down_until.pop(url, None)
            return response
        raise RasaUnavailable(f"{last.__class__.__name__} on every replica") from last

    @contextlib.asynccontextmanager
    async def turn(self, sender: str, message_id: int) -> AsyncIterator[bool]:
        """This sender's messages one at a time, lowest id first, in this gateway.

        Yields whether the message had to wait for an earlier one of the same sender.
        """
        waited = await self._take_turn(sender, message_id)
        try:
            yield waited
        finally:
            self._end_turn(sender)

    @contextlib.asynccontextmanager
    async def turn_if_free(self, sender: str) -> AsyncIterator[bool]:
        """This sender's turn only if nobody here has it or waits for it (yields False then).

        The retry loop uses it: it holds the conversation's turn in the store already, so waiting
        here for a live message that waits for that store turn would stall both.
        """
        if sender in self._turns:
            yield False
            return
        self._turns[sender] = _Turns(busy=True)
        try:
            yield True
        finally:
            self._end_turn(sender)

    async def _take_turn(self, sender: str, message_id: int) -> bool:
        turns = self._turns.setdefault(sender, _Turns())
        if not turns.busy and not turns.waiting:
            turns.busy = True
            return False
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tickets += 1
        heapq.heappush(turns.waiting, (message_id, self._tickets, future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._end_turn(sender)  # we were handed the turn as we were cancelled: pass it on
            else:
                turns.waiting = [w for w in turns.waiting if w[2] is not future]
                heapq.heapify(turns.waiting)
            raise
        return True

    def _end_turn(self, sender: str) -> None:
        turns = self._turns[sender]
        while turns.waiting:
            _, _, future = heapq.heappop(turns.waiting)
            if not future.done():
                future.set_result(None)  # busy stays True: the turn passes straight on
                return
        turns.busy = False
        del self._turns[sender]

    async def aclose(self) -> None:
        await self._client.aclose()
