"""Sign-in throttling: failures slow the next attempts down; the right credentials always pass.

A refusal keyed on an address locks out everyone behind it (an office, a proxy) and one keyed on a
user name lets anyone lock a colleague out; so nothing is refused here. Failures counted per user
name and per real client address (chungtay.http_guard.client_address) within a sliding window make
each later attempt wait before its password is even checked, doubling up to a cap. The store's
account lockout (5 failures in a row) holds that user name at the cap, across restarts.

Attempts still waiting count as failures-to-be, so a burst sent in parallel is slowed like the same
attempts one after another. The counts live in ``chungtay.counters``: the process's memory, or
Redis shared by every console process when ``CHUNGTAY_REDIS_URL`` is set (behind a load balancer
a guesser's attempts spread over all of them). User names and addresses are hashed in the keys.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from chungtay.counters import MemoryCounters, WindowCounters

# Beyond this many keys, those with no failure left in the window are forgotten (a flood of
# made-up user names must not grow the process without bound).
PRUNE_ABOVE = 10_000


def _key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


@dataclass
class LoginThrottle:
    free_user_failures: int = 3
    free_address_failures: int = 10
    base_delay: float = 0.5
    max_delay: float = 10.0  # also the delay while an account's stored lockout lasts
    max_address_delay: float = 2.0  # an address may be a whole office behind one proxy
    window_seconds: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    counters: WindowCounters | None = field(default=None)

    def __post_init__(self) -> None:
        if self.counters is None:
            self.counters = MemoryCounters(clock=self.clock, max_keys=PRUNE_ABOVE)

    @property
    def _counters(self) -> WindowCounters:
        assert self.counters is not None
        return self.counters

    async def aclose(self) -> None:
        await self._counters.aclose()

    def _backoff(self, failures: int, free: int, cap: float) -> float:
        if failures < free:
            return 0.0
        return min(cap, self.base_delay * 2 ** min(failures - free, 32))

    async def _failures(self, key: str) -> int:
        """Failures in the window plus attempts still waiting."""
        counters = self._counters
        waiting = await counters.adjust(f"waiting-{key}", 0, ttl=self._waiting_ttl)
        return await counters.count(f"failed-{key}", window=self.window_seconds) + waiting

    @property
    def _waiting_ttl(self) -> float:
        # An attempt waits at most max_delay; a crashed process's count goes after this.
        return self.max_delay + 60.0

    async def delay(self, *, username: str, address: str, locked: bool = False) -> float:
        """How long the next attempt for this user name from this address waits."""
        user_failures = await self._failures(_key("user", username.casefold()))
        address_failures = await self._failures(_key("address", address))
        by_user = self._backoff(user_failures, self.free_user_failures, self.max_delay)
        if locked:
            by_user = self.max_delay
        by_address = self._backoff(
            address_failures, self.free_address_failures, self.max_address_delay
        )
        return max(by_user, by_address)

    @asynccontextmanager
    async def attempt(
        self, *, username: str, address: str, locked: bool = False
    ) -> AsyncIterator[float]:
        """Wait as long as earlier failures say, then let the caller check the credentials."""
        wait = await self.delay(username=username, address=address, locked=locked)
        keys = [_key("user", username.casefold()), _key("address", address)]
        for key in keys:
            await self._counters.adjust(f"waiting-{key}", 1, ttl=self._waiting_ttl)
        try:
            await self.sleep(wait)
            yield wait
        finally:
            for key in keys:
                await self._counters.adjust(f"waiting-{key}", -1, ttl=self._waiting_ttl)

    async def failed(self, *, username: str, address: str) -> None:
        for key in (_key("user", username.casefold()), _key("address", address)):
            await self._counters.add(f"failed-{key}", window=self.window_seconds)

    async def succeeded(self, *, username: str) -> None:
        """The user signed in: their own count starts again (the address's does not)."""
        await self._counters.clear(f"failed-{_key('user', username.casefold())}")
