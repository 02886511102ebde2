"""Several gateways and routing workers behind a load balancer, on one PostgreSQL and one Redis.

Two gateway apps (each with its own store engine, Rasa client and Redis client, like two
processes) take a web chat through a Rasa outage, with the person's messages alternating between
them; two routing workers (each in its own thread, event loop and engine) deliver the staff
alerts. When Rasa is back both retry loops run at once: each queued message must reach Rasa
once, in the order it was written, never two of one person's at the same time, and each alert
must go out once. The lease rules underneath are checked on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, select

from bot.app import create_app
from bot.rasa_client import WEBHOOK_PATH
from chungtay.settings import Settings
from intake_store import messages, outbox, turns
from intake_store.db import upgrade_database
from intake_store.models import Message
from intake_store.roster import StaffRef
from intake_store.store import Store
from routing.notify.base import StaffMessage
from routing.worker import RoutingWorker, WorkerConfig
from tests.conftest import make_test_settings
from tests.gateway.conftest import RASA_URL, FakeRasa, running

PEOPLE = 6
PER_PERSON = 3


def person_of(text: str) -> int:
    match = re.search(r"người (\d+)", text)
    assert match is not None, text
    return int(match.group(1))


class SharedRasa:
    """One Rasa for both gateways: slow enough that their retries overlap; records, per person,
    the order messages arrived in and how many of theirs were at Rasa at once."""

    def __init__(self) -> None:
        self.rasa = FakeRasa()
        self.delay = 0.05
        self.order: dict[int, list[str]] = defaultdict(list)
        self.in_flight: Counter[int] = Counter()
        self.most_in_flight = 0

    async def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != WEBHOOK_PATH or self.rasa.mode != "ok":
            return self.rasa.handler(request)
        text = json.loads(request.content)["message"]
        person = person_of(text)
        self.in_flight[person] += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight[person])
        try:
            await asyncio.sleep(self.delay)
            self.order[person].append(text)
            return self.rasa.handler(request)
        finally:
            self.in_flight[person] -= 1

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


class RecordingNotifier:
    """Stands in for Telegram: every alert it was asked to send, from any worker thread."""

    channel = "telegram"

    def __init__(self) -> None:
        self.sent: list[int] = []
        self._lock = threading.Lock()

    def can_reach(self, recipient: StaffRef) -> bool:
        return True

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        await asyncio.sleep(0.01)  # the other worker gets a chance to race for the same row
        with self._lock:
            self.sent.append(alert.intake_id)
        return f"msg-{len(self.sent)}"


@pytest.fixture
def shared_postgres(postgres_url: str) -> str:
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # an empty database for this test
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    upgrade_database(postgres_url)
    return postgres_url


@pytest.fixture
def deployment(tmp_path: Path, shared_postgres: str, redis_url: str) -> Settings:
    return make_test_settings(
        tmp_path,
        database_url=shared_postgres,
        redis_url=redis_url,
        rasa_url=RASA_URL,
        rasa_timeout_seconds=10.0,
        trusted_proxies="127.0.0.1",  # the in-process client's address: the load balancer
    )


def urgent_net(text: str) -> list[str]:
    return ["asks_for_rescue"] if "cứu" in text else []


async def start_gateways(
    stack: AsyncExitStack, settings: Settings, rasa: SharedRasa, count: int = 2
) -> list[tuple[FastAPI, httpx.AsyncClient]]:
    """Each its own store engine, Rasa client and Redis client, like separate processes."""
    gateways = []
    for _ in range(count):
        app = create_app(
            settings,
            rasa_transport=rasa.transport(),
            urgency_net=urgent_net,
            retry_loop=False,  # passes are driven below, both at once
        )
        gateways.append((app, await stack.enter_async_context(running(app))))
    return gateways


async def say(client: httpx.AsyncClient, person: int, n: int, text: str) -> dict[str, Any]:
    body = {
        "session": f"session-{person:04d}-abcdefgh",
        "message_id": f"message-{n:04d}",
        "text": text,
    }
    # Each person from their own address (behind the trusted load balancer): urgent chats from
    # one address would be folded into one staff alert (intake_store/bursts.py).
    address = {"X-Forwarded-For": f"203.0.113.{person + 1}"}
    response = await client.post("/webchat/messages", json=body, headers=address)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def written(person: int, n: int) -> str:
    return f"{'cứu tôi với, ' if n == 0 and person % 2 == 0 else ''}tin {n} của người {person}"


def inbound_statuses(store: Store) -> Counter[str]:
    with store.begin() as session:
        return Counter(
            session.scalars(select(Message.status).where(Message.direction == "inbound"))
        )


def drain_outbox(settings: Settings, name: str, notifier: RecordingNotifier) -> None:
    """One routing worker process: its own engine and event loop, until nothing is left."""
    store = Store.from_settings(settings)
    worker = RoutingWorker(
        session_factory=store.session_factory,
        notifiers=[notifier],
        config=WorkerConfig(batch_size=2, retention_days=None),
        worker_id=name,
    )

    async def run() -> None:
        for _ in range(200):
            await worker.run_once()
            with store.begin() as session:
                if all(r.status == "sent" for r in outbox.list_outbox(session, limit=1000)):
                    return
        raise AssertionError("the outbox did not drain")

    try:
        asyncio.run(run())
    finally:
        store.dispose()


@pytest.mark.postgres
@pytest.mark.redis
async def test_two_gateways_and_two_workers_through_a_rasa_outage(deployment: Settings) -> None:
    rasa = SharedRasa()
    store = Store.from_settings(deployment)
    try:
        async with AsyncExitStack() as stack:
            apps, gateways = zip(*await start_gateways(stack, deployment, rasa), strict=True)
            # Rasa is down: every message is stored, queued and answered with the safety reply;
            # the load balancer sends each person's messages to one gateway, then the other.
            rasa.rasa.mode = "down"
            for n in range(PER_PERSON):
                for person in range(PEOPLE):
                    reply = await say(gateways[(person + n) % 2], person, n, written(person, n))
                    assert "111" in reply["replies"][0]["text"]
            assert inbound_statuses(store) == {"queued": PEOPLE * PER_PERSON}

            # The staff alerts of the urgent ones go out from two workers at once, once each.
            notifier = RecordingNotifier()
            workers = [
                threading.Thread(target=drain_outbox, args=(deployment, f"worker-{i}", notifier))
                for i in range(2)
            ]
            for worker in workers:
                worker.start()

            # Rasa is back: both gateways retry at the same time, and person 0 writes again
            # (to the second gateway) while their queued messages are being retried.
            rasa.rasa.mode = "ok"
            passes = [asyncio.create_task(app.state.retry.run_once()) for app in apps]
            while not rasa.order[0]:
                await asyncio.sleep(0.01)
            live = await say(gateways[1], 0, PER_PERSON, written(0, PER_PERSON))
            answered = sum(await asyncio.gather(*passes))
            for worker in workers:
                worker.join(timeout=60)
                assert not worker.is_alive()

        assert answered == PEOPLE * PER_PERSON
        # The live message waited for the retried ones, then had Rasa's answer (not queued).
        assert [r["text"] for r in live["replies"]] == [r["text"] for r in rasa.rasa.replies]
        # Each message reached Rasa once, in the order the person wrote it, one at a time.
        for person in range(PEOPLE):
            extra = 1 if person == 0 else 0
            assert rasa.order[person] == [written(person, n) for n in range(PER_PERSON + extra)]
        assert rasa.most_in_flight == 1
        assert inbound_statuses(store) == {"processed": PEOPLE * PER_PERSON + 1}
        # One alert per urgent person (even numbers), each sent once.
        with store.begin() as session:
            alerted = [r.intake_id for r in outbox.list_outbox(session) if r.kind == "staff_alert"]
        assert len(alerted) == PEOPLE // 2
        assert Counter(notifier.sent) == {intake_id: 1 for intake_id in alerted}
        # Both gateways counted each sender against one shared limit (Redis).
        assert any(k.startswith(b"chungtay:gateway:") for k in _redis_keys(deployment))
    finally:
        store.dispose()


def _redis_keys(settings: Settings) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(settings.redis_url)
    try:
        return list(client.scan_iter(match="chungtay:gateway:*"))
    finally:
        client.close()


# -- the lease rules, on both engines ---------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, database_url: str) -> Iterator[Store]:
    settings = make_test_settings(tmp_path, database_url=database_url)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    yield store
    store.dispose()


def queue(store: Store, person: int, count: int, at: datetime) -> int:
    with store.begin() as session:
        for n in range(count):
            record = messages.record_inbound(
                session,
                cipher=store.cipher,
                hasher=store.hasher,
                channel="telegram",
                sender_id=f"10{person}",
                external_id=f"{person}-{n}",
                text=written(person, n),
                received_at=at,
            )
            messages.set_inbound_status(session, message_id=record.message_id, status="queued")
        return record.conversation_id


def claim(store: Store, holder: str, now: datetime) -> list[str]:
    with store.begin() as session:
        pending = turns.claim_pending(
            session,
            holder=holder,
            now=now,
            lease_seconds=60,
            stale_received=timedelta(seconds=120),
            cipher=store.cipher,
        )
    return [p.text or "" for p in pending]


async def test_a_gateway_that_dies_mid_retry_frees_its_conversations_when_the_lease_ends(
    store: Store,
) -> None:
    start = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
    first = queue(store, 1, 2, start)
    queue(store, 2, 1, start)
    assert claim(store, "gateway-a:retry", start) == [
        written(1, 0),
        written(1, 1),
        written(2, 0),
    ]
    # Gateway A dies holding them: B finds nothing to retry, and a live message of person 1
    # at B waits, until A's lease has run out.
    assert claim(store, "gateway-b:retry", start + timedelta(seconds=59)) == []
    with store.begin() as session:
        assert not turns.take_turn(
            session,
            conversation_id=first,
            holder="gateway-b",
            now=start + timedelta(seconds=59),
            lease_seconds=60,
        )
    later = start + timedelta(seconds=61)
    assert claim(store, "gateway-b:retry", later) == [written(1, 0), written(1, 1), written(2, 0)]

    # A failed retry is counted for every gateway: the conversation waits for its backoff.
    with store.begin() as session:
        (message_id,) = session.scalars(
            select(Message.id).where(Message.conversation_id == first).order_by(Message.id)
        ).all()[:1]
        turns.record_retry_failure(
            session, message_id=message_id, retry_at=later + timedelta(seconds=30)
        )
        turns.end_turn(session, conversation_ids=[first], holder="gateway-b:retry")
    assert claim(store, "gateway-a:retry", later + timedelta(seconds=10)) == []  # 2 still held
    assert claim(store, "gateway-a:retry", later + timedelta(seconds=31)) == [
        written(1, 0),
        written(1, 1),
    ]
