"""Login rate limiting and lockout.

Failures are counted per username and per client address inside a sliding window; a username
with too many failures is locked for a while even if the right password then arrives. State is
per process: the console runs as one process (see `chungtay console`).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    max_user_failures: int = 5
    max_address_failures: int = 20
    window_seconds: float = 15 * 60
    lockout_seconds: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    _user_failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _address_failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _locked_until: dict[str, float] = field(default_factory=dict)

    def _trim(self, events: deque[float], now: float) -> int:
        while events and events[0] <= now - self.window_seconds:
            events.popleft()
        return len(events)

    def blocked(self, *, username: str, address: str) -> bool:
        """True while the username is locked out or the address has failed too often."""
        now = self.clock()
        key = username.casefold()
        if self._locked_until.get(key, 0.0) > now:
            return True
        self._locked_until.pop(key, None)
        return self._trim(self._address_failures[address], now) >= self.max_address_failures

    def failed(self, *, username: str, address: str) -> None:
        now = self.clock()
        key = username.casefold()
        user_events = self._user_failures[key]
        user_events.append(now)
        self._address_failures[address].append(now)
        if self._trim(user_events, now) >= self.max_user_failures:
            self._locked_until[key] = now + self.lockout_seconds
            user_events.clear()

    def succeeded(self, *, username: str) -> None:
        self._user_failures.pop(username.casefold(), None)
