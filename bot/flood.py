"""Flood damping for the web chat, where anyone can mint a new "person" with a new session id.

The per-sender limit (bot/ratelimit.py) cannot stop a script that changes its session id with
every message, so the web chat is also limited by the real client address (its keyed hash;
``chungtay.http_guard.client_address`` behind trusted proxies): messages per address, new
conversations per address, new conversations overall, and the open page's polls for an
operator's replies per address (each poll is a store query, so a script must not be able to
hammer it with made-up session ids). The channels with signed webhooks
(Telegram, Zalo, SMS) are not: their senders are real accounts and all arrive from the
provider's servers. The counts are shared like the per-sender ones (``chungtay.counters``: in
memory, or in Redis across gateways).

Mobile networks put many people behind one address (carrier-grade NAT), so the per-address
limits are generous; they bound a script, not a crowd.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.ratelimit import RateLimiter
from chungtay.counters import MemoryCounters, WindowCounters

ADDRESS_CHANNEL = "address"  # SenderHasher channel of client addresses (never stored raw)


@dataclass(frozen=True)
class FloodLimits:
    messages_per_address: int  # per minute
    new_conversations_per_address: int  # per minute
    new_conversations_overall: int  # per minute
    polls_per_address: int = 1200  # per minute; an open page asks every 5 s (bot/static)


class FloodGuard:
    def __init__(
        self,
        limits: FloodLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
        remember: int = 100_000,
        counters: WindowCounters | None = None,
    ) -> None:
        self.limits = limits
        counters = counters or MemoryCounters(clock=clock)
        self._messages = RateLimiter(
            max_messages=limits.messages_per_address,
            per_seconds=60.0,
            counters=counters,
            name="address-messages",
        )
        self._new_here = RateLimiter(
            max_messages=limits.new_conversations_per_address,
            per_seconds=60.0,
            counters=counters,
            name="address-new",
        )
        self._new_overall = RateLimiter(
            max_messages=limits.new_conversations_overall,
            per_seconds=60.0,
            counters=counters,
            name="all-new",
        )
        self._polls = RateLimiter(
            max_messages=limits.polls_per_address,
            per_seconds=60.0,
            counters=counters,
            name="address-polls",
        )
        # Conversations this process has seen, so only a sender's first message costs a lookup
        # (a cache of the store: each gateway may keep its own).
        self._known: OrderedDict[str, None] = OrderedDict()
        self._remember = remember

    async def allow_message(self, source: str) -> bool:
        return await self._messages.allow(ADDRESS_CHANNEL, source)

    async def allow_poll(self, source: str) -> bool:
        return await self._polls.allow(ADDRESS_CHANNEL, source)

    async def allow_new_conversation(self, source: str) -> bool:
        # The overall budget is only spent by a conversation its address may open.
        return await self._new_here.allow(
            ADDRESS_CHANNEL, source
        ) and await self._new_overall.allow(ADDRESS_CHANNEL, "*")

    def known(self, channel: str, sender_id: str) -> bool:
        key = RateLimiter.key(channel, sender_id)
        if key in self._known:
            self._known.move_to_end(key)
            return True
        return False

    def remember(self, channel: str, sender_id: str) -> None:
        key = RateLimiter.key(channel, sender_id)
        self._known[key] = None
        self._known.move_to_end(key)
        while len(self._known) > self._remember:
            self._known.popitem(last=False)
