"""Per-sender rate limit: a sliding window in memory, keyed by a hash of the sender.

The limit is generous (a person typing fast never hits it); it stops one sender, or a script,
from flooding Rasa and the store. One gateway process owns its limits; with several processes
each applies its own, which is still a bound.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        *,
        max_messages: int,
        per_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = 50_000,
    ) -> None:
        self._max = max_messages
        self._window = per_seconds
        self._clock = clock
        self._max_senders = max_senders
        self._seen: dict[str, deque[float]] = {}

    @staticmethod
    def key(channel: str, sender_id: str) -> str:
        # Raw ids are never kept, even in memory.
        return hashlib.sha256(f"{channel}\0{sender_id}".encode()).hexdigest()[:32]

    def allow(self, channel: str, sender_id: str) -> bool:
        now = self._clock()
        key = self.key(channel, sender_id)
        times = self._seen.get(key)
        if times is None:
            if len(self._seen) >= self._max_senders:
                self._forget_idle(now)
            times = self._seen[key] = deque()
        while times and now - times[0] >= self._window:
            times.popleft()
        if len(times) >= self._max:
            return False
        times.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, t in self._seen.items() if not t or now - t[-1] >= self._window]:
            del self._seen[key]
