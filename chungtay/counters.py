"""Sliding-window counters for rate limits and sign-in throttling: in memory, or in Redis.

One gateway or console process keeps them in memory. Several behind a load balancer share them
through Redis (``CHUNGTAY_REDIS_URL``), so a limit holds for the deployment, not per process:
each window is a sorted set of event times, changed by one Lua script per call, timed by the
Redis server's clock so every host counts the same window. ``from_settings`` picks one at startup;
nothing connects before the first call.

Keys are hashes the callers made (never a raw sender id, address or user name). When Redis cannot
be reached a call is let through and logged: a person writing for help is never refused because
a counter is missing (the console's stored account lockout still holds).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from chungtay.settings import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "chungtay:"


class WindowCounters(Protocol):
    async def hit(self, key: str, *, limit: int, window: float) -> bool:
        """Count one event unless ``limit`` are in the last ``window`` seconds; True: counted."""
        ...

    async def add(self, key: str, *, window: float) -> None:
        """Count one event (kept for ``window`` seconds)."""
        ...

    async def count(self, key: str, *, window: float) -> int:
        """Events in the last ``window`` seconds."""
        ...

    async def clear(self, key: str) -> None: ...

    async def adjust(self, key: str, delta: int, *, ttl: float) -> int:
        """A plain number (attempts in flight) changed by ``delta``; forgotten ``ttl`` seconds
        after its last change; never below 0."""
        ...

    async def aclose(self) -> None: ...


class MemoryCounters:
    """One process's counters. Beyond ``max_keys`` keys, those with nothing left in their window
    are forgotten (a flood of made-up senders must not grow the process without bound)."""

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 50_000
    ) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._events: dict[str, tuple[float, deque[float]]] = {}
        self._numbers: dict[str, int] = {}

    def _window(self, key: str, window: float, now: float) -> deque[float]:
        entry = self._events.get(key)
        if entry is None:
            if len(self._events) >= self._max_keys:
                self._forget_idle(now)
            entry = self._events[key] = (window, deque())
        times = entry[1]
        while times and now - times[0] >= window:
            times.popleft()
        return times

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, (w, t) in self._events.items() if not t or now - t[-1] >= w]
        for key in idle:
            del self._events[key]

    async def hit(self, key: str, *, limit: int, window: float) -> bool:
        now = self._clock()
        times = self._window(key, window, now)
        if len(times) >= limit:
            return False
        times.append(now)
        return True

    async def add(self, key: str, *, window: float) -> None:
        now = self._clock()
        self._window(key, window, now).append(now)

    async def count(self, key: str, *, window: float) -> int:
        if key not in self._events:
            return 0
        return len(self._window(key, window, self._clock()))

    async def clear(self, key: str) -> None:
        self._events.pop(key, None)

    async def adjust(self, key: str, delta: int, *, ttl: float) -> int:
        value = max(0, self._numbers.get(key, 0) + delta)
        if value:
            self._numbers[key] = value
        else:
            self._numbers.pop(key, None)
        return value

    async def aclose(self) -> None:
        return None


# KEYS[1]: the window; ARGV: limit (0: none), window in ms, a unique member. Returns 1: counted.
_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local limit = tonumber(ARGV[1])
if limit > 0 and redis.call('ZCARD', KEYS[1]) >= limit then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 1
"""
_COUNT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])
"""
_ADJUST = """
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return value
"""


class RedisCounters:
    """Counters every process shares through one Redis database."""

    def __init__(self, url: str, *, namespace: str) -> None:
        import redis.asyncio as redis  # the memory-only setup never needs it

        self._errors = (redis.RedisError, OSError)
        # from_url only builds a connection pool: the first command connects.
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self._prefix = f"{KEY_PREFIX}{namespace}:"
        self._hit = self._redis.register_script(_HIT)
        self._count = self._redis.register_script(_COUNT)
        self._adjust = self._redis.register_script(_ADJUST)

    def _failed(self, what: str, error: BaseException) -> None:
        log.warning("shared counters: %s failed (%s); let through", what, error.__class__.__name__)

    async def hit(self, key: str, *, limit: int, window: float) -> bool:
        try:
            counted = await self._hit(
                keys=[self._prefix + key], args=[max(limit, 1), _ms(window), uuid.uuid4().hex]
            )
        except self._errors as error:
            self._failed("rate limit", error)
            return True
        return bool(counted)

    async def add(self, key: str, *, window: float) -> None:
        try:
            await self._hit(keys=[self._prefix + key], args=[0, _ms(window), uuid.uuid4().hex])
        except self._errors as error:
            self._failed("count", error)

    async def count(self, key: str, *, window: float) -> int:
        try:
            return int(await self._count(keys=[self._prefix + key], args=[_ms(window)]))
        except self._errors as error:
            self._failed("count", error)
            return 0

    async def clear(self, key: str) -> None:
        try:
            await self._redis.delete(self._prefix + key)
        except self._errors as error:
            self._failed("clear", error)

    async def adjust(self, key: str, delta: int, *, ttl: float) -> int:
        try:
            return int(await self._adjust(keys=[self._prefix + key], args=[delta, _ms(ttl)]))
        except self._errors as error:
            self._failed("adjust", error)
            return 0

    async def aclose(self) -> None:
        await self._redis.aclose()


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def from_settings(settings: Settings, *, namespace: str, max_keys: int = 50_000) -> WindowCounters:
    """Redis when ``CHUNGTAY_REDIS_URL`` is set (several processes), else this process's memory."""
    if settings.redis_url:
        return RedisCounters(settings.redis_url, namespace=namespace)
    return MemoryCounters(max_keys=max_keys)
