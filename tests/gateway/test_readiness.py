"""`/readyz` of the gateway and the console: what a load balancer and a monitor read.

The store is real (SQLite and PostgreSQL), Rasa is the fake REST server, the routing worker is the
real one beating its heartbeat file.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from bot.app import create_app
from chungtay.heartbeat import heartbeat_path
from chungtay.settings import Settings
from console.app import create_app as create_console
from intake_store import outbox
from intake_store.models import utcnow
from intake_store.store import Store
from routing.build import worker_from_settings
from tests.conftest import make_test_settings
from tests.e2e.helpers import free_port
from tests.gateway.conftest import FakeRasa, running


def _unreachable() -> str:
    """Nothing listens there: the driver's connection is refused at once."""
    return f"postgresql+psycopg://chungtay@127.0.0.1:{free_port()}/chungtay"


async def _readyz(settings: Settings, store: Store, rasa: FakeRasa) -> httpx.Response:
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    async with running(app) as client:
        live = await client.get("/livez")
        assert (live.status_code, live.json()) == (200, {"status": "ok"})
        return await client.get("/readyz")


async def _worker_pass(settings: Settings) -> None:
    """The real routing worker runs until it has beaten its heartbeat once."""
    worker = worker_from_settings(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    beat = heartbeat_path(settings)
    for _ in range(100):
        if beat.exists():
            break
        await asyncio.sleep(0.05)
    stop.set()
    await task
    assert beat.exists(), "the worker did not beat"


async def test_ready_when_store_rasa_and_worker_are_well(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa, database_url: str
) -> None:
    settings = gateway_settings(database_url=database_url)
    await _worker_pass(settings)

    response = await _readyz(settings, store, rasa)

    assert response.status_code == 200, response.text
    body = response.json()
    age = body["checks"]["worker"].pop("heartbeat_age_seconds")
    assert age is not None and age < 5
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "outbox": {"status": "ok", "oldest_pending_seconds": None},
            "rasa": {"status": "ok", "replicas": 1, "reachable": 1},
            "worker": {"status": "ok"},
        },
    }


async def test_rasa_down_is_not_ready_and_names_rasa(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    rasa.mode = "down"
    response = await _readyz(gateway_settings(), store, rasa)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["rasa"] == {"status": "fail", "replicas": 1, "reachable": 0}
    assert body["checks"]["database"] == {"status": "ok"}


async def test_one_replica_down_of_two_is_degraded_but_ready(
    gateway_settings: Callable[..., Settings], store: Store
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-2.test":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, text="Hello from Rasa: 3.6.21")

    settings = gateway_settings(rasa_urls="http://rasa-1.test:5005,http://rasa-2.test:5005")
    app = create_app(
        settings, store=store, rasa_transport=httpx.MockTransport(handler), retry_loop=False
    )
    async with running(app) as client:
        response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["rasa"] == {
        "status": "degraded",
        "replicas": 2,
        "reachable": 1,
    }


async def test_the_oldest_waiting_outbox_row_shows_its_age(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    now = utcnow()
    with store.begin() as session:
        outbox.enqueue(session, kind="staff_alert", dedupe_key="a", now=now - timedelta(minutes=10))
        outbox.enqueue(session, kind="staff_alert", dedupe_key="b", now=now - timedelta(minutes=1))
        sent = outbox.enqueue(
            session, kind="staff_alert", dedupe_key="c", now=now - timedelta(hours=5)
        )
        claimed = outbox.claim(session, worker_id="w", now=now, limit=10, kinds=("staff_alert",))
        assert sent in [item.id for item in claimed]
        assert outbox.mark_sent(session, outbox_id=sent, worker_id="w", now=now)

    response = await _readyz(gateway_settings(), store, rasa)

    check = response.json()["checks"]["outbox"]
    assert check["status"] == "degraded"  # past CHUNGTAY_READY_OUTBOX_MAX_AGE_SECONDS (300)
    assert 600 <= check["oldest_pending_seconds"] < 660  # the sent row does not count
    assert response.json()["checks"]["worker"] == {
        "status": "degraded",  # no worker has ever beaten in this data dir
        "heartbeat_age_seconds": None,
    }
    assert response.status_code == 200  # late alerts are for a person to look at, not a reroute


async def test_unreachable_database_is_not_ready_and_says_only_the_error_class(
    gateway_settings: Callable[..., Settings], tmp_path: Path, rasa: FakeRasa
) -> None:
    settings = gateway_settings(database_url=_unreachable())
    store = Store.from_settings(settings)
    try:
        response = await _readyz(settings, store, rasa)
    finally:
        store.dispose()

    assert response.status_code == 503
    body: dict[str, Any] = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["rasa"]["status"] == "ok"
    assert "127.0.0.1" not in json.dumps(body) and "chungtay" not in json.dumps(body)


def test_console_readiness_follows_its_database(tmp_path: Path) -> None:
    from intake_store.db import upgrade_database

    good = make_test_settings(tmp_path)
    upgrade_database(good.database_url)
    bad = make_test_settings(tmp_path, database_url=_unreachable())
    answers = []
    for settings in (good, bad):
        with TestClient(create_console(settings)) as client:
            assert client.get("/livez").json() == {"status": "ok"}
            response = client.get("/readyz")
            answers.append((response.status_code, response.json()))
    assert answers == [
        (200, {"status": "ok", "checks": {"database": {"status": "ok"}}}),
        (
            503,
            {
                "status": "fail",
                "checks": {"database": {"status": "fail", "error": "OperationalError"}},
            },
        ),
    ]
