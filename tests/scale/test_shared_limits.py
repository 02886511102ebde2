"""Limits that hold across processes: two gateways (or consoles) on one Redis count together.

Each instance below builds its own Redis client, as a second process behind the load balancer
would; nothing is shared in memory between them.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from bot.flood import FloodGuard, FloodLimits
from bot.ratelimit import RateLimiter
from chungtay import counters
from console.app import create_app
from console.throttle import LoginThrottle
from intake_store.db import upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings


def shared(tmp_path: Path, redis_url: str, namespace: str) -> counters.WindowCounters:
    """One process's view of the shared counters, chosen from settings like at startup."""
    chosen = counters.from_settings(
        make_test_settings(tmp_path, redis_url=redis_url), namespace=namespace
    )
    assert isinstance(chosen, counters.RedisCounters)
    return chosen


@pytest.mark.redis
async def test_a_senders_limit_holds_across_two_gateways(tmp_path: Path, redis_url: str) -> None:
    namespace = f"test-{uuid.uuid4().hex[:8]}"  # this test's keys only
    first, second = shared(tmp_path, redis_url, namespace), shared(tmp_path, redis_url, namespace)
    gateways = [RateLimiter(max_messages=5, per_seconds=60.0, counters=c) for c in (first, second)]
    # Ten messages of one sender, alternately through the two gateways, at the same time.
    allowed = await asyncio.gather(*(gateways[n % 2].allow("telegram", "12345") for n in range(10)))
    assert sum(allowed) == 5
    assert await gateways[0].allow("telegram", "67890")  # another sender is not limited
    # Web chat flood limits too: an address's new conversations are counted once overall.
    guards = [
        FloodGuard(
            FloodLimits(
                messages_per_address=100,
                new_conversations_per_address=3,
                new_conversations_overall=100,
            ),
            counters=c,
        )
        for c in (first, second)
    ]
    opened = [await guards[n % 2].allow_new_conversation("address-hash") for n in range(6)]
    assert opened == [True, True, True, False, False, False]
    # In memory (no CHUNGTAY_REDIS_URL) each process would have let 3 + 3 through.
    assert isinstance(
        counters.from_settings(make_test_settings(tmp_path), namespace="x"),
        counters.MemoryCounters,
    )
    await first.aclose()
    await second.aclose()


@pytest.mark.redis
async def test_sign_in_failures_on_one_console_slow_the_other(
    tmp_path: Path, redis_url: str
) -> None:
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    consoles = [
        LoginThrottle(counters=shared(tmp_path, redis_url, namespace), sleep=record)
        for _ in range(2)
    ]
    # Three wrong passwords for "lan" on the first console...
    for _ in range(3):
        async with consoles[0].attempt(username="lan", address="203.0.113.7"):
            pass
        await consoles[0].failed(username="lan", address="203.0.113.7")
    # ... and the next attempt on the second console waits (and the one after, longer).
    for _ in range(2):
        async with consoles[1].attempt(username="Lan", address="198.51.100.2"):
            pass
        await consoles[1].failed(username="Lan", address="198.51.100.2")
    assert waits == [0, 0, 0, consoles[0].base_delay, consoles[0].base_delay * 2]

    # Attempts still waiting on one console count on the other (a parallel burst).
    release = asyncio.Event()

    async def waiting_on_first() -> None:
        async with consoles[0].attempt(username="minh", address="192.0.2.1"):
            await release.wait()

    blocked = [asyncio.create_task(waiting_on_first()) for _ in range(3)]
    await asyncio.sleep(0.05)
    assert await consoles[1].delay(username="minh", address="192.0.2.9") == consoles[1].base_delay
    release.set()
    await asyncio.gather(*blocked)
    assert await consoles[1].delay(username="minh", address="192.0.2.9") == 0

    # Signing in on the second console clears the user's count on both.
    await consoles[1].succeeded(username="lan")
    assert await consoles[0].delay(username="lan", address="203.0.113.8") == 0
    for console in consoles:
        assert console.counters is not None
        await console.counters.aclose()


async def test_a_redis_that_cannot_be_reached_lets_people_through(tmp_path: Path) -> None:
    # Nothing listens on port 1: a person writing for help is not refused for a missing counter.
    down = counters.from_settings(
        make_test_settings(tmp_path, redis_url="redis://127.0.0.1:1/0"), namespace="down"
    )
    limiter = RateLimiter(max_messages=1, per_seconds=60.0, counters=down)
    assert [await limiter.allow("webchat", "s") for _ in range(3)] == [True, True, True]
    assert await LoginThrottle(counters=down).delay(username="lan", address="a") == 0
    await down.aclose()


@pytest.mark.redis
def test_a_stopped_console_closes_its_redis_connections(tmp_path: Path, redis_url: str) -> None:
    """A console started and stopped in one process (tests, a reload) gives its Redis
    connections back: the shared sign-in counters are closed with the app."""
    settings = make_test_settings(tmp_path, redis_url=redis_url)
    admin = redis.Redis.from_url(redis_url)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    try:
        before = len(admin.client_list())
        app = create_app(settings, store=store)
        with TestClient(app) as client:
            failed = functools.partial(
                app.state.throttle.failed, username="lan", address="203.0.113.7"
            )
            assert client.portal is not None  # set while the client runs the app
            client.portal.call(failed)
            assert len(admin.client_list()) == before + 1
        assert len(admin.client_list()) == before
    finally:
        store.dispose()
        admin.close()
