"""Per-sender rate limit: a sliding window keyed by a hash of the sender.

The limit is generous (a person typing fast never hits it); it stops one sender, or a script,
from flooding Rasa and the store. The counts live in ``chungtay.counters``: this process's
memory, or Redis shared by every gateway when ``CHUNGTAY_REDIS_URL`` is set (behind a load
balancer a sender's messages reach several gateways, and the limit must hold for all of them).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from chungtay.counters import MemoryCounters, WindowCounters


class RateLimiter:
    def __init__(
        self,
        *,
        max_messages: int,
        per_seconds: float,
        counters: WindowCounters | None = None,
        name: str = "sender",
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = 50_000,
    ) -> None:
        self._max = max_messages
        self._window = per_seconds
        # Limits sharing one set of counters keep apart by name.
        self._name = name
        self._counters = counters or MemoryCounters(clock=clock, max_keys=max_senders)

    @staticmethod
    def key(channel: str, sender_id: str) -> str:
        # Raw ids are never kept, even in memory.
        return hashlib.sha256(f"{channel}\0{sender_id}".encode()).hexdigest()[:32]

    async def allow(self, channel: str, sender_id: str) -> bool:
        return await self._counters.hit(
            f"{self._name}:{self.key(channel, sender_id)}", limit=self._max, window=self._window
        )
