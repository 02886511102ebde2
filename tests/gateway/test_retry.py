"""The retry loop under load: each conversation in order, several side by side, Rasa hanging."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.app import create_app
from bot.pipeline import Accepted, Outcome
from bot.rasa_client import WEBHOOK_PATH
from chungtay.settings import Settings
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, rows, running

PASS_LIMIT = 30.0  # seconds: a pass that takes longer is stuck (the test fails, never hangs)


@dataclass
class SlowRasa:
    """``FakeRasa`` behind a delay, or hanging; counts the webhook calls started and in flight."""

    rasa: FakeRasa
    delay: float = 0.0
    hang: bool = False
    started: int = 0
    in_flight: Counter[str] = field(default_factory=Counter)  # by sender
    max_in_flight: int = 0
    max_in_flight_per_sender: int = 0

    async def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != WEBHOOK_PATH:
            return self.rasa.handler(request)
        sender = json.loads(request.content)["sender"]
        self.started += 1
        self.in_flight[sender] += 1
        self.max_in_flight = max(self.max_in_flight, sum(self.in_flight.values()))
        self.max_in_flight_per_sender = max(self.max_in_flight_per_sender, self.in_flight[sender])
        try:
            if self.hang:
                # A Rasa that accepted the connection and never answers: MockTransport has no
                # timeouts of its own, so the client's read timeout is played here.
                await asyncio.sleep(request.extensions["timeout"]["read"])
                raise httpx.ReadTimeout("no answer", request=request)
            await asyncio.sleep(self.delay)
            return self.rasa.handler(request)
        finally:
            self.in_flight[sender] -= 1

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


def session(person: int) -> str:
    return f"person{person:04d}-0123456789"


async def queue_messages(
    client: httpx.AsyncClient, store: Store, rasa: FakeRasa, *, people: int, per_person: int
) -> list[tuple[str, str]]:
    """(session, text) of each message written while Rasa was down: all are stored ``queued``."""
    rasa.mode = "down"
    sent: list[tuple[str, str]] = []
    for n in range(per_person):
        for person in range(people):
            text = f"tin {n} của người {person}"
            body = {"session": session(person), "message_id": f"m-{n:08d}", "text": text}
            assert (await client.post("/webchat/messages", json=body)).status_code == 200
            sent.append((session(person), text))
    assert set(statuses(store)) == {"queued"}
    rasa.mode = "ok"
    rasa.calls.clear()
    return sent


def statuses(store: Store) -> list[str]:
    return [status for _, _, status, _ in rows(store)["inbound"]]


def sent_texts(rasa: FakeRasa) -> list[str]:
    return [call["message"] for call in rasa.calls]


async def run_pass(app: FastAPI) -> int:
    """One retry pass, failing the test (not hanging it) if it does not end."""
    answered: int = await asyncio.wait_for(app.state.retry.run_once(), timeout=PASS_LIMIT)
    return answered


async def test_a_message_still_queued_holds_back_its_conversations_later_message(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    settings = gateway_settings()
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    now = datetime.now(UTC)
    app.state.retry.clock = lambda: now
    async with running(app) as client:
        [(_, first), (_, second)] = await queue_messages(
            client, store, rasa, people=1, per_person=2
        )

        rasa.mode = "http500"  # the first one's retry fails again
        assert await run_pass(app) == 0
        assert sent_texts(rasa) == [first]  # the second did not overtake it
        assert statuses(store) == ["queued", "queued"]

        rasa.mode = "ok"  # healthy, but the first is backing off: the second waits with it
        assert await run_pass(app) == 0
        assert sent_texts(rasa) == [first]

        now += timedelta(seconds=settings.retry_interval_seconds + 1)
        assert await run_pass(app) == 2
    assert sent_texts(rasa) == [first, first, second]
    assert statuses(store) == ["processed", "processed"]


async def test_a_message_given_up_on_no_longer_holds_back_the_next(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    settings = gateway_settings(retry_max_attempts=1)
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    async with running(app) as client:
        [(_, first), (_, second)] = await queue_messages(
            client, store, rasa, people=1, per_person=2
        )
        rasa.mode = "http500"
        assert await run_pass(app) == 0
        assert statuses(store) == ["failed", "queued"]

        rasa.mode = "ok"
        assert await run_pass(app) == 1
    assert sent_texts(rasa) == [first, second]
    assert statuses(store) == ["failed", "processed"]


async def test_a_hanging_rasa_costs_one_pass_about_one_timeout_not_one_per_message(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    slow = SlowRasa(rasa)
    settings = gateway_settings(rasa_timeout_seconds=0.3, retry_concurrency=3, retry_max_attempts=1)
    app = create_app(settings, store=store, rasa_transport=slow.transport, retry_loop=False)
    async with running(app) as client:
        await queue_messages(client, store, rasa, people=12, per_person=1)
        slow.started, slow.hang = 0, True
        assert await run_pass(app) == 0
        started = slow.started
        # The calls in flight when the first one timed out, and nothing started after it.
        assert 1 <= started <= settings.retry_concurrency
        # Only those count as attempts (max_attempts=1: each of them is now failed).
        assert Counter(statuses(store)) == {"failed": started, "queued": 12 - started}

        slow.hang = False
        assert await run_pass(app) == 12 - started
    assert Counter(statuses(store)) == {"failed": started, "processed": 12 - started}


async def test_conversations_are_retried_side_by_side_each_one_in_order(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    slow = SlowRasa(rasa, delay=0.05)
    app = create_app(
        gateway_settings(), store=store, rasa_transport=slow.transport, retry_loop=False
    )
    async with running(app) as client:
        sent = await queue_messages(client, store, rasa, people=4, per_person=3)
        assert await run_pass(app) == 12
    assert slow.max_in_flight > 1
    assert slow.max_in_flight_per_sender == 1
    assert set(statuses(store)) == {"processed"}
    # Each person's messages reached Rasa in the order they were written.
    written: dict[str, list[str]] = {}
    for person, text in sent:
        written.setdefault(person, []).append(text)
    received: dict[str, list[str]] = {}
    for call in rasa.calls:
        received.setdefault(call["sender"], []).append(call["message"])
    assert sorted(received.values()) == sorted(written.values())


async def test_a_crash_is_logged_holds_back_only_its_conversation_and_counts_as_an_attempt(
    gateway_settings: Callable[..., Settings],
    store: Store,
    rasa: FakeRasa,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = gateway_settings(retry_max_attempts=1)
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    gateway = app.state.gateway
    complete = gateway.complete

    async def crash_on_first(accepted: Accepted, **kwargs: Any) -> Outcome:
        if accepted.message.text == first:
            raise RuntimeError("database went away")
        return await complete(accepted, **kwargs)

    async with running(app) as client:
        sent = await queue_messages(client, store, rasa, people=2, per_person=2)
        [(_, first), (_, other), (_, second), (_, other_second)] = sent  # people take turns
        monkeypatch.setattr(gateway, "complete", crash_on_first)
        assert await run_pass(app) == 2  # the other person is answered
        assert "crashed" in caplog.text
        assert sent_texts(rasa) == [other, other_second]
        # Counted like a failed retry: given up on, so the first person's next one may go.
        assert statuses(store) == ["failed", "processed", "queued", "processed"]
        assert await run_pass(app) == 1
    assert sent_texts(rasa) == [other, other_second, second]
