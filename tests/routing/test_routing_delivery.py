"""Urgent intake -> outbox -> on-duty staff by Telegram, with 429, fallback to SMS, and acks."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from routing_env import RoutingEnv

from intake_store import alerts, intake_views, outbox, workflow


async def test_urgent_alert_reaches_on_duty_staff_once_without_personal_data(
    env: RoutingEnv,
) -> None:
    env.add_staff("Lan", chat="5001", phone="+84900000001")
    env.add_staff("Đêm", chat="5002", hours=("22:00", "06:00"))  # off duty at 10:00
    ref = env.urgent_intake()
    worker = env.worker()

    stats = await worker.run_once()
    assert (stats.claimed, stats.sent) == (1, 1)
    assert [m["chat_id"] for m in env.telegram.sent] == [5001]
    alert = env.telegram.sent[0]
    assert ref.reference_code in alert["text"] and "An Giang" in alert["text"]
    assert f"https://console.example.vn/intakes/{ref.id}" in alert["text"]
    for secret in ("Campuchia", "0912345678", "nhốt"):
        assert secret not in alert["text"]  # no transcript, no contact data
    buttons = alert["reply_markup"]["inline_keyboard"][0]
    assert buttons[0] == {"text": "Nhận xử lý", "callback_data": f"ack:{ref.id}"}
    assert env.twilio.sent == []  # Telegram worked: no SMS

    assert (await worker.run_once()).claimed == 0
    with env.store.begin() as session:
        view = intake_views.get_intake(session, intake_id=ref.id)
        rows = outbox.list_outbox(session, intake_id=ref.id)
    assert view.alerted_at == env.clock.now()
    assert [r.status for r in rows] == ["sent"]
    await worker.aclose()


async def test_telegram_429_is_honoured_before_retrying(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001")
    ref = env.urgent_intake()
    env.telegram.fail_next(429, "Too Many Requests: retry after 30", retry_after=30)
    worker = env.worker([env.telegram_notifier()])

    assert (await worker.run_once()).retried == 1
    with env.store.begin() as session:
        (row,) = outbox.list_outbox(session, intake_id=ref.id)
    assert row.status == "pending" and row.attempts == 1
    assert row.next_attempt_at >= env.clock.now() + timedelta(seconds=30)

    env.clock.advance(20)
    assert (await worker.run_once()).claimed == 0  # still inside Telegram's retry_after
    env.clock.advance(11)
    assert (await worker.run_once()).sent == 1
    assert [m["chat_id"] for m in env.telegram.sent] == [5001]
    await worker.aclose()


async def test_telegram_failure_falls_back_to_sms_then_retries_with_backoff(
    env: RoutingEnv,
) -> None:
    env.add_staff("Lan", chat="5001", phone="+84900000001")
    ref = env.urgent_intake()
    env.telegram.fail_next(403, "Forbidden: bot was blocked by the user")
    worker = env.worker()

    assert (await worker.run_once()).sent == 1
    assert env.telegram.sent == []
    (sms,) = env.twilio.sent
    assert sms["To"] == "+84900000001" and ref.reference_code in sms["Body"]
    assert "0912345678" not in sms["Body"]
    with env.store.begin() as session:
        (record,) = alerts.list_alerts(session, intake_id=ref.id)
    assert (record.channel, record.status) == ("sms", "sent")

    # Both channels down: the row comes back later, with growing, jittered delays.
    second = env.urgent_intake("m2", sender="p2")
    env.telegram.fail_next(502, "Bad Gateway")
    env.twilio.fail = (500, 20500, "Internal Server Error")
    assert (await worker.run_once()).retried == 1
    with env.store.begin() as session:
        (row,) = outbox.list_outbox(session, intake_id=second.id)
    delay = (row.next_attempt_at - env.clock.now()).total_seconds()
    assert 1.0 <= delay <= 2.0 and "twilio 500" in (row.last_error or "")
    assert 8.0 <= worker.backoff_seconds(4) <= 16.0
    env.twilio.fail = None
    env.clock.advance(2)
    assert (await worker.run_once()).sent == 1
    await worker.aclose()


async def test_nhan_xu_ly_button_acknowledges_only_for_rostered_staff(env: RoutingEnv) -> None:
    staff_id = env.add_staff("Lan", chat="5001")
    ref = env.urgent_intake()
    worker = env.worker([env.telegram_notifier()])
    await worker.run_once()

    env.telegram.press_acknowledge(chat_id=9999, intake_id=ref.id)  # not on the roster
    env.telegram.press_acknowledge(chat_id=5001, intake_id=ref.id)
    assert await worker.poll_acknowledgements(force=True) == 2
    assert [a["text"] for a in env.telegram.answered] == [
        "Bạn không có trong danh sách trực.",
        "Đã nhận xử lý hồ sơ.",
    ]
    with env.store.begin() as session:
        view = intake_views.get_intake(session, intake_id=ref.id)
    assert view.status == "acknowledged" and view.acknowledged_at == env.clock.now()
    assert (view.assigned_to, view.assigned_staff_id) == (f"staff:{staff_id}", staff_id)
    await worker.aclose()


async def test_run_forever_delivers_runs_retention_daily_and_stops(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001")
    old = env.urgent_intake("old", sender="a")
    with env.store.begin() as session:
        workflow.acknowledge(session, intake_id=old.id, actor="lan", now=env.clock.now())
        workflow.change_status(
            session, intake_id=old.id, to_status="closed", actor="lan", reason="xong",
            now=env.clock.now(),
        )  # fmt: skip
    env.clock.advance(minutes=60 * 24 * 400)  # 400 days later
    fresh = env.urgent_intake("new", sender="b")
    worker = env.worker([env.telegram_notifier()])
    worker.config = replace(worker.config, retention_days=365)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    for _ in range(200):
        if env.telegram.sent:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, timeout=10)

    assert [fresh.reference_code in m["text"] for m in env.telegram.sent] == [True]
    with env.store.begin() as session:
        assert intake_views.get_intake(session, intake_id=old.id).anonymised
        assert not intake_views.get_intake(session, intake_id=fresh.id).anonymised
