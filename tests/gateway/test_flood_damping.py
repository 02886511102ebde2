"""Flood damping of the web chat: a burst of urgent chats from one address pages staff once,
the per-address and new-conversation limits refuse a script (urgent text still gets 113/111),
and the address is only ever kept as a keyed hash."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import AsyncIterator, Callable
from datetime import time, timedelta
from importlib import resources
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from bot.app import create_app
from chungtay.settings import Settings
from intake_store import alerts, audit, intakes, roster, sources, workflow
from intake_store.models import Conversation, Intake, Message, OutboxRow
from intake_store.store import Store
from routing.clock import FakeClock
from routing.worker import RoutingWorker, WorkerConfig
from tests.gateway.conftest import FakeRasa

URGENT = "cứu tôi với, tôi đang bị nhốt"
PROXY = "10.0.0.2"  # the TLS proxy in front of the gateway


@contextlib.asynccontextmanager
async def from_address(app: FastAPI, peer: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose TCP connection comes from ``peer``."""
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def chat(n: int, text: str = URGENT, *, prefix: str = "a") -> dict[str, str]:
    return {"session": f"{prefix}{n:03d}" + "x" * 16, "message_id": f"m-{n:08d}", "text": text}


def file_as_the_action(store: Store) -> Callable[[dict[str, Any]], None]:
    """What the action server's ActionOpenIntake does with each urgent message Rasa gets."""

    def action(body: dict[str, Any]) -> None:
        with store.begin() as session:
            intakes.open_intake(
                session,
                cipher=store.cipher,
                conversation_id=body["metadata"]["conversation_id"],
                triage="urgent",
                urgent_reasons=["confinement"],
                source_message_id=body["metadata"]["message_id"],
                language="vi",
            )

    return action


async def test_ten_urgent_chats_from_one_address_page_staff_once_and_each_gets_113_111(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    rasa.on_message = file_as_the_action(store)
    rasa.replies = [{"text": "Hãy gọi ngay 113 (Công an) hoặc 111 (miễn phí, 24/7)."}]
    app = create_app(
        gateway_settings(trusted_proxies=PROXY),
        store=store,
        rasa_transport=rasa.transport,
        retry_loop=False,
    )
    answers: list[httpx.Response] = []
    async with app.router.lifespan_context(app), from_address(app, PROXY) as proxy:
        for n in range(10):
            # Half while Rasa answers (the action files the same message too), half while it
            # is down (the gateway's own fallback reply).
            rasa.mode = "ok" if n < 5 else "down"
            answers.append(
                await proxy.post(
                    "/webchat/messages",
                    json=chat(n),
                    # The script forges an address at the left; the proxy appends the real one.
                    headers={"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.7"},
                )
            )
        other = await proxy.post(
            "/webchat/messages",
            json=chat(99, prefix="b"),
            headers={"X-Forwarded-For": "203.0.113.99"},
        )

    assert [a.status_code for a in [*answers, other]] == [200] * 11
    for answer in answers:
        text = " ".join(r["text"] for r in answer.json()["replies"])
        assert "113" in text and "111" in text
    with store.begin() as session:
        cases = session.scalars(select(Intake).order_by(Intake.id)).all()
        assert len(cases) == 11 and {c.triage for c in cases} == {"urgent"}
        first, *folded, second_source = cases
        assert first.burst_leader_id is None and second_source.burst_leader_id is None
        assert {c.burst_leader_id for c in folded} == {first.id}
        outbox = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        assert [(o.kind, o.intake_id) for o in outbox] == [
            ("staff_alert", first.id),
            ("staff_alert", second_source.id),
        ]
        assert outbox[0].payload["burst"] == 9 and "burst" not in outbox[1].payload
        # Only keyed hashes of the addresses: the same one for the burst, another for the other.
        hashes = session.scalars(select(Conversation.source_hash).order_by(Conversation.id)).all()
        assert len(set(hashes[:10])) == 1 and hashes[10] != hashes[0]
        assert all(h and "203.0.113" not in h and len(h) == 64 for h in hashes)

    # The worker sends one alert about the burst, with its count; then only its first case
    # escalates (one page, not ten).
    with store.begin() as session:  # one social worker on duty around the clock
        staff_id = roster.add_staff(session, name="Trực ban", role="social_worker")
        roster.add_shift(session, staff_id=staff_id, start=time(0), end=time(0))
    clock = FakeClock(start=first.received_at + timedelta(seconds=30))
    worker = RoutingWorker(
        session_factory=store.session_factory,
        notifiers=[],
        config=WorkerConfig(console_base_url="https://console.example.vn", escalation_minutes=5),
        clock=clock,
        worker_id="w1",
    )
    await worker.run_once()
    with store.begin() as session:
        sent = alerts.list_alerts(session)
    burst_alert = next(a for a in sent if a.intake_id == first.id)
    assert len(sent) == 2 and "10 ca khẩn cấp" in burst_alert.text
    clock.advance(minutes=6)
    assert worker.escalate_due() == 2  # the burst's first case and the other address's


async def test_a_folded_chat_after_the_first_alert_went_out_is_one_notice_with_a_count(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    rasa.mode = "down"
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    worker = RoutingWorker(
        session_factory=store.session_factory,
        notifiers=[],
        config=WorkerConfig(console_base_url="https://console.example.vn"),
        worker_id="w1",
    )
    async with app.router.lifespan_context(app), from_address(app, "192.0.2.5") as client:
        await client.post("/webchat/messages", json=chat(0))
        await worker.run_once()  # the first alert is out
        for n in range(1, 4):
            await client.post("/webchat/messages", json=chat(n))
    with store.begin() as session:
        outbox = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        assert [(o.kind, o.status) for o in outbox] == [
            ("staff_alert", "sent"),
            ("intake_update", "pending"),
        ]
        assert outbox[1].payload["burst"] == 3 and outbox[1].payload["fields"] == ["burst"]
        assert session.query(Intake).filter(Intake.triage == "urgent").count() == 4
        first = session.scalars(select(Intake).order_by(Intake.id)).first()
        assert first is not None
        workflow.change_status(
            session, intake_id=first.id, to_status="closed", actor="sup", reason="tin giả"
        )

    # The burst's first case is closed (its notices are dropped): a new chat pages on its own.
    async with app.router.lifespan_context(app), from_address(app, "192.0.2.5") as client:
        await client.post("/webchat/messages", json=chat(4))
    with store.begin() as session:
        last = session.scalars(select(Intake).order_by(Intake.id.desc())).first()
        assert last is not None and last.burst_leader_id is None
        kinds = session.scalars(select(OutboxRow.kind).where(OutboxRow.intake_id == last.id)).all()
        assert kinds == ["staff_alert"]


async def test_limits_per_address_refuse_with_429_but_urgent_text_gets_113_111(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    settings = gateway_settings(
        webchat_new_sessions_per_address_per_minute=3,
        webchat_messages_per_address_per_minute=8,
        webchat_new_sessions_per_minute=5,
    )
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    async with (
        app.router.lifespan_context(app),
        from_address(app, "192.0.2.10") as script,
        from_address(app, "192.0.2.11") as neighbour,
        from_address(app, "192.0.2.12") as third,
    ):
        opened = [
            await script.post("/webchat/messages", json=chat(n, "xin chào")) for n in range(3)
        ]
        refused_calm = await script.post("/webchat/messages", json=chat(3, "xin chào"))
        refused_urgent = await script.post("/webchat/messages", json=chat(4))
        # A session it already has still talks (its address's message budget allows it) ...
        again = [
            await script.post(
                "/webchat/messages", json={**chat(0, "tôi cần giúp"), "message_id": f"m-9{n:07d}"}
            )
            for n in range(3)
        ]
        # ... until the address's message budget is spent.
        over = await script.post(
            "/webchat/messages", json={**chat(1, URGENT), "message_id": "m-99999999"}
        )
        # Another address is not limited by this one, but by the overall budget (5 per minute).
        neighbours = [
            await neighbour.post("/webchat/messages", json=chat(n, "xin chào", prefix="n"))
            for n in range(2)
        ]
        overall = await third.post("/webchat/messages", json=chat(0, "xin chào", prefix="t"))

    assert [r.status_code for r in opened + again + neighbours] == [200] * 8
    assert (refused_calm.status_code, refused_urgent.status_code, over.status_code) == (429,) * 3
    assert overall.status_code == 429
    calm_text = refused_calm.json()["replies"][0]["text"]
    assert "111" in calm_text and "113" not in calm_text
    for urgent in (refused_urgent, over):
        [reply] = urgent.json()["replies"]
        assert "113" in reply["text"] and "111" in reply["text"]
        assert "chưa nhận được" in reply["text"]  # honest: it was not stored
    # Refused messages are not stored and open nothing.
    with store.begin() as session:
        assert session.query(Intake).count() == 0
        assert session.query(Conversation).count() == 5
    assert len(rasa.calls) == 8


async def test_a_blocked_address_gets_113_111_but_no_case_no_alert_nothing_to_rasa(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    async with (
        app.router.lifespan_context(app),
        from_address(app, "192.0.2.66") as flooder,
        from_address(app, "192.0.2.67") as someone_else,
    ):
        await flooder.post("/webchat/messages", json=chat(0))
        with store.begin() as session:
            [case] = session.scalars(select(Intake)).all()
            block_id = sources.block_case_source(
                session, intake_id=case.id, kind="address", actor="sup", reason="tin giả hàng loạt"
            )
        calls_before = len(rasa.calls)
        # A new session from the blocked address, and the old one again: both blocked.
        blocked = [
            await flooder.post("/webchat/messages", json=chat(1)),
            await flooder.post(
                "/webchat/messages", json={**chat(0, "xin chào"), "message_id": "m-77777777"}
            ),
        ]
        other = await someone_else.post("/webchat/messages", json=chat(2, prefix="o"))
        with store.begin() as session:
            assert sources.unblock(session, block_id=block_id, actor="sup", reason="nhầm")
        after = await flooder.post("/webchat/messages", json=chat(3))

    assert (other.status_code, after.status_code) == (200, 200)
    for answer in blocked:
        assert answer.status_code == 200
        [reply] = answer.json()["replies"]
        assert "113" in reply["text"] and "111" in reply["text"]
    assert len(rasa.calls) == calls_before + 2  # the other address and the unblocked one
    with store.begin() as session:
        statuses = session.scalars(
            select(Message.status).where(Message.direction == "inbound").order_by(Message.id)
        ).all()
        assert statuses == ["processed", "blocked", "blocked", "processed", "processed"]
        # Cases only for the other address and for the chat after the unblock; the latter joins
        # the address's burst (the blocked chats were not counted in it).
        cases = session.scalars(select(Intake).order_by(Intake.id)).all()
        assert [c.burst_leader_id for c in cases] == [None, None, case.id]
        outbox = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        assert [(o.kind, o.intake_id) for o in outbox] == [
            ("staff_alert", case.id),
            ("staff_alert", cases[1].id),
        ]
        assert outbox[0].payload["burst"] == 1
        trail = [
            (a.action, a.actor, a.reason, a.detail["kind"])
            for a in audit.list_audit(session, subject_type="intake", subject_id=case.id)
            if a.action.endswith("block_source")
        ]
    assert sorted(trail) == [
        ("block_source", "sup", "tin giả hàng loạt", "address"),
        ("unblock_source", "sup", "nhầm", "address"),
    ]


def page_polls_per_minute() -> int:
    """How often the web chat page asks for an operator's replies, read from its script."""
    script = resources.files("bot").joinpath("static/webchat.js").read_text(encoding="utf-8")
    [interval_ms] = re.findall(r"setInterval\(fetchStaffReplies, (\d+)\)", script)
    return math.ceil(60_000 / int(interval_ms))


async def test_reply_polls_are_limited_per_address_but_never_refuse_an_open_page(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    # The lowest limit the settings accept: even there, one page's minute of polling passes.
    lowest = next(
        m.ge
        for m in Settings.model_fields["webchat_polls_per_address_per_minute"].metadata
        if hasattr(m, "ge")
    )
    per_page = page_polls_per_minute()
    app = create_app(
        gateway_settings(trusted_proxies=PROXY, webchat_polls_per_address_per_minute=lowest),
        store=store,
        rasa_transport=rasa.transport,
        retry_loop=False,
    )
    page = {"session": "p" * 24}
    async with app.router.lifespan_context(app), from_address(app, PROXY) as proxy:
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        # A whole minute of one open page's polls, all at once (the worst case of a window).
        for _ in range(per_page):
            answer = await proxy.post("/webchat/replies", json=page, headers=forwarded)
            assert answer.status_code == 200 and answer.json()["replies"] == []
        # A script going on, with made-up session ids: refused, with nothing to read.
        refused = [
            await proxy.post(
                "/webchat/replies", json={"session": f"s{n:03d}" + "y" * 20}, headers=forwarded
            )
            for n in range(lowest)
        ]
        assert refused[-1].status_code == 429 and refused[-1].content == b""
        # What the page left of the address's budget, and not one poll more.
        assert sum(r.status_code == 200 for r in refused) == lowest - per_page
        # Another address (behind the same proxy) is not touched by it.
        other = await proxy.post(
            "/webchat/replies", json=page, headers={"X-Forwarded-For": "198.51.100.9"}
        )
        assert other.status_code == 200
