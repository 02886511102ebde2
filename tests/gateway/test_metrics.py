"""Prometheus metrics: a message through the gateway and the routing worker moves the right
counters and gauges, `/metrics` answers only the metrics token, and no label carries anything a
person gave (their words, phone number, session, the case's reference code).

The store is real (SQLite and PostgreSQL), Rasa the fake REST server (down, then back), the
routing worker the real one with its own probe port, alerting through the log notifier.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.app import create_app
from chungtay import metrics
from chungtay.settings import Settings
from intake_store.models import Intake
from intake_store.store import Store
from routing.build import worker_from_settings
from routing.probes import ProbeApp, serve
from tests.e2e.helpers import free_port
from tests.gateway.conftest import FakeRasa, running

TOKEN = "metrics-token-for-the-test"
SESSION = "sess" + "42" * 12
PHONE = "0912345678"
URGENT = f"cứu tôi với, họ nhốt tôi ở Campuchia, số em {PHONE}"
# Label names a Chung Tay metric may use, and (for the enumerated ones) every value they may take.
ALLOWED_LABELS = {
    "channel": {*metrics.PERSON_CHANNELS, *metrics.STAFF_CHANNELS, metrics.OTHER},
    "status": {*metrics.DELIVERY_STATUSES, metrics.OTHER},
    "outcome": {"ok", "error"},
    "result": {"answered", "queued", "crashed", "sent", "retried", "failed", "skipped"},
    "kind": {*metrics.OUTBOX_KINDS, metrics.OTHER},
    "triage": {*metrics.TRIAGE_LEVELS, metrics.OTHER},
    "by": {"gateway", "assistant"},
    "le": None,  # histogram buckets: numbers
}

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _parse(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def _scrape(client: httpx.AsyncClient) -> Samples:
    answer = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.status_code
    return _parse(answer.text)


async def test_a_message_through_the_stack_moves_the_counters_and_no_label_is_personal(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa, database_url: str
) -> None:
    settings = gateway_settings(database_url=database_url, metrics_token=TOKEN)
    rasa.mode = "down"
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    worker = worker_from_settings(settings)
    probes = ProbeApp(
        session_factory=worker.session_factory,
        last_pass=lambda: worker.last_pass_at,
        metrics_token=TOKEN,
        outbox_max_age=300,
        max_silence=60,
    )
    server = serve(probes, host="127.0.0.1", port=free_port())
    assert server is not None
    worker_url = f"http://127.0.0.1:{server.server_address[1]}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        async with running(app) as client, httpx.AsyncClient(base_url=worker_url) as probe:
            # Closed to anyone without the token.
            assert (await client.get("/metrics")).status_code == 401
            wrong = {"Authorization": "Bearer not-it"}
            assert (await client.get("/metrics", headers=wrong)).status_code == 401
            assert (await probe.get("/metrics")).status_code == 401
            before = await _scrape(client)

            # Rasa is down: the urgent message is stored, answered 111/113, the case opened.
            answer = await client.post(
                "/webchat/messages",
                json={"session": SESSION, "message_id": "m-00000001", "text": URGENT},
            )
            assert answer.status_code == 200
            assert "113" in answer.json()["replies"][0]["text"]
            # Rasa is back: the next message goes through it.
            rasa.mode = "ok"
            calm = await client.post(
                "/webchat/messages",
                json={"session": SESSION, "message_id": "m-00000002", "text": "cảm ơn"},
            )
            assert calm.status_code == 200
            after = await _scrape(client)

            def moved(name: str, **labels: str) -> float:
                return _value(after, name, **labels) - _value(before, name, **labels)

            assert moved("chungtay_inbound_messages_total", channel="webchat") == 2
            assert moved("chungtay_rasa_fallbacks_total", channel="webchat") == 1
            assert moved("chungtay_rasa_request_seconds_count", outcome="error") == 1
            assert moved("chungtay_rasa_request_seconds_count", outcome="ok") == 1
            assert moved("chungtay_replies_total", channel="webchat", status="sent") == 2
            assert moved("chungtay_intakes_opened_total", triage="urgent", by="gateway") == 1
            assert moved("chungtay_inbound_messages_total", channel="telegram") == 0

            # The worker's store-wide gauges see the waiting alert and the unacknowledged case.
            waiting = await probe.get("/metrics", headers=auth)
            assert waiting.status_code == 200
            gauges = _parse(waiting.text)
            assert _value(gauges, "chungtay_outbox_waiting", kind="staff_alert") == 1
            assert _value(gauges, "chungtay_urgent_unacknowledged") == 1
            assert 0 <= _value(gauges, "chungtay_outbox_oldest_waiting_seconds") < 60
            assert _value(gauges, "chungtay_store_up") == 1
            not_yet = (await probe.get("/readyz")).json()
            assert not_yet["checks"]["pass"]["status"] == "degraded"  # no pass yet

            # One worker pass delivers the alert (log notifier: no staff channel configured).
            stats = await worker.run_once()
            worker.last_pass_at = time.monotonic()  # as run_forever records it
            assert stats.sent == 1
            delivered = _parse((await probe.get("/metrics", headers=auth)).text)
            ready = await probe.get("/readyz")
    finally:
        server.shutdown()
        server.server_close()
        await worker.aclose()

    def worker_moved(name: str, **labels: str) -> float:
        return _value(delivered, name, **labels) - _value(gauges, name, **labels)

    assert worker_moved("chungtay_outbox_rows_total", kind="staff_alert", result="sent") == 1
    assert worker_moved("chungtay_staff_sends_total", channel="log", result="sent") == 1
    assert worker_moved("chungtay_alert_delivery_seconds_count", channel="log") == 1
    assert _value(delivered, "chungtay_outbox_waiting", kind="staff_alert") == 0
    assert _value(delivered, "chungtay_urgent_unacknowledged") == 1  # delivered, not taken
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["database"] == {"status": "ok"}
    assert ready.json()["checks"]["pass"]["status"] == "ok"

    # No label, on either process, carries anything of the person or the case.
    with store.begin() as session:
        [reference] = session.scalars(select(Intake.reference_code)).all()
    personal = [PHONE, SESSION, reference, "Campuchia", "cảm ơn", "nhốt"]
    for samples in (after, delivered):
        for (name, labels), _ in samples.items():
            if not name.startswith("chungtay_"):
                continue  # prometheus-client's own process_* and python_* series
            for key, value in labels:
                assert key in ALLOWED_LABELS, (name, key)
                allowed = ALLOWED_LABELS[key]
                if allowed is None:
                    assert re.fullmatch(r"[0-9.e+]+|\+Inf", value), (name, key, value)
                else:
                    assert value in allowed, (name, key, value)
                assert not any(p.lower() in value.lower() for p in personal)


async def test_metrics_are_off_without_a_token(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    async with running(app) as client:
        answer = await client.get("/metrics", headers={"Authorization": "Bearer "})
    assert answer.status_code == 404
