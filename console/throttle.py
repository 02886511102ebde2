"""Sign-in throttling: failures slow the next attempts down; the right credentials always pass.

A refusal keyed on an address locks out everyone behind it (an office, a proxy) and one keyed on a
user name lets anyone lock a colleague out; so nothing is refused here. Failures counted per user
name and per real client address (chungtay.http_guard.client_address) within a sliding window make
each later attempt wait before its password is even checked, doubling up to a cap. The store's
account lockout (5 failures in a row) holds that user name at the cap, across restarts.

Attempts still waiting count as failures-to-be, so a burst sent in parallel is slowed like the same
attempts one after another. State is per process: the console runs as one process.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

# Beyond this many keys, those with no failure left in the window are forgotten (a flood of
# made-up user names must not grow the process without bound).
PRUNE_ABOVE = 10_000


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
    _user_failures: dict[str, deque[float]] = field(default_factory=dict)
    _address_failures: dict[str, deque[float]] = field(default_factory=dict)
    _user_waiting: dict[str, int] = field(default_factory=dict)
    _address_waiting: dict[str, int] = field(default_factory=dict)

    def _count(self, table: dict[str, deque[float]], key: str, now: float) -> int:
        events = table.get(key)
        if events is None:
            return 0
        while events and events[0] <= now - self.window_seconds:
            events.popleft()
        return len(events)

    def _backoff(self, failures: int, free: int, cap: float) -> float:
        if failures < free:
            return 0.0
        return min(cap, self.base_delay * 2 ** min(failures - free, 32))

    def delay(self, *, username: str, address: str, locked: bool = False) -> float:
        """How long the next attempt for this user name from this address waits."""
        now = self.clock()
        user, waiting_user = username.casefold(), self._user_waiting.get(username.casefold(), 0)
        user_failures = self._count(self._user_failures, user, now) + waiting_user
        address_failures = self._count(self._address_failures, address, now)
        address_failures += self._address_waiting.get(address, 0)
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
        user = username.casefold()
        wait = self.delay(username=username, address=address, locked=locked)
        self._user_waiting[user] = self._user_waiting.get(user, 0) + 1
        self._address_waiting[address] = self._address_waiting.get(address, 0) + 1
        try:
            await self.sleep(wait)
            yield wait
        finally:
            for table, key in ((self._user_waiting, user), (self._address_waiting, address)):
                table[key] -= 1
                if table[key] <= 0:
                    del table[key]

    def failed(self, *, username: str, address: str) -> None:
        now = self.clock()
        for table, key in (
            (self._user_failures, username.casefold()),
            (self._address_failures, address),
        ):
            table.setdefault(key, deque()).append(now)
            if len(table) > PRUNE_ABOVE:
                for stale in [k for k in table if self._count(table, k, now) == 0]:
                    del table[stale]

    def succeeded(self, *, username: str) -> None:
        """The user signed in: their own count starts again (the address's does not)."""
        self._user_failures.pop(username.casefold(), None)
