"""Escalation with a controllable clock, overnight shifts, and nobody on duty."""

from __future__ import annotations

from datetime import UTC, datetime

from routing_env import RoutingEnv

from intake_store import intake_views, roster, workflow


async def test_unacknowledged_alert_escalates_to_backup_then_supervisor(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001", phone="+84900000001")
    env.add_staff("Dự phòng", chat="5002", phone="+84900000002", kind="backup")
    env.add_staff("Giám sát", role="supervisor", chat="5003", phone="+84900000003", hours=None)
    ref = env.urgent_intake()
    worker = env.worker()  # Telegram, then Twilio SMS

    await worker.run_once()
    env.clock.advance(minutes=4, seconds=59)
    assert (await worker.run_once()).escalated == 0
    env.clock.advance(1)
    assert (await worker.run_once()).escalated == 1
    env.clock.advance(minutes=5)
    assert (await worker.run_once()).escalated == 1
    env.clock.advance(minutes=30)
    assert (await worker.run_once()).escalated == 0  # the supervisor is the last step

    assert [m["chat_id"] for m in env.telegram.sent] == [5001, 5002, 5003]
    # The first alert uses the first channel that works; escalations use every channel.
    assert [m["To"] for m in env.twilio.sent] == ["+84900000002", "+84900000003"]
    assert "Chuyển cấp 1: chưa ai nhận ca sau 5 phút" in env.telegram.sent[1]["text"]
    assert "Chuyển cấp 2" in env.telegram.sent[2]["text"]
    with env.store.begin() as session:
        assert intake_views.get_intake(session, intake_id=ref.id).escalation_level == 2
    await worker.aclose()


async def test_acknowledged_case_is_not_escalated(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001")
    env.add_staff("Giám sát", role="supervisor", chat="5003", hours=None)
    ref = env.urgent_intake()
    worker = env.worker([env.telegram_notifier()])
    await worker.run_once()
    env.clock.advance(minutes=2)
    with env.store.begin() as session:
        workflow.acknowledge(session, intake_id=ref.id, actor="console:lan", now=env.clock.now())
    env.clock.advance(minutes=30)
    assert (await worker.run_once()).escalated == 0
    assert [m["chat_id"] for m in env.telegram.sent] == [5001]
    await worker.aclose()


async def test_nobody_on_duty_goes_to_supervisor_at_once(env: RoutingEnv) -> None:
    env.add_staff("Đêm", chat="5002", hours=("22:00", "06:00"))  # it is 10:00
    env.add_staff("Giám sát", role="supervisor", chat="5003", hours=None)
    ref = env.urgent_intake()
    worker = env.worker([env.telegram_notifier()])
    await worker.run_once()
    (alert,) = env.telegram.sent
    assert alert["chat_id"] == 5003 and "Không có cán bộ nào đang trực" in alert["text"]
    with env.store.begin() as session:
        assert intake_views.get_intake(session, intake_id=ref.id).escalation_level == 2
    await worker.aclose()


async def test_overnight_shift_and_province_matching(env: RoutingEnv) -> None:
    night = env.add_staff("Đêm", chat="5002", hours=("22:00", "06:00"))
    with env.store.begin() as session:
        # A Monday-only overnight shift covers Monday 23:00 and Tuesday 02:00 (Ha Noi time) ...
        monday_only = roster.add_staff(session, name="Thứ Hai", role="operator")
        roster.add_shift(
            session,
            staff_id=monday_only,
            start=datetime(2026, 1, 1, 22).time(),
            end=datetime(2026, 1, 1, 6).time(),
            weekdays="0",
        )
        # 2026-03-02 is a Monday; 16:00 UTC = 23:00 local, 19:00 UTC = 02:00 local Tuesday.
        at = {
            "mon 23:00": datetime(2026, 3, 2, 16, tzinfo=UTC),
            "tue 02:00": datetime(2026, 3, 2, 19, tzinfo=UTC),
            "mon 02:00": datetime(2026, 3, 1, 19, tzinfo=UTC),
            "tue 06:00": datetime(2026, 3, 2, 23, tzinfo=UTC),
        }
        duty = {k: {s.id for s in roster.on_duty(session, at=v)} for k, v in at.items()}
    assert duty["mon 23:00"] == {night, monday_only}
    assert duty["tue 02:00"] == {night, monday_only}
    assert duty["mon 02:00"] == {night}  # Sunday's night: not on the Monday-only roster
    assert duty["tue 06:00"] == set()  # shifts end at 06:00 sharp

    # Province: the staff member covering the intake's province is chosen.
    env.add_staff("Hà Giang", chat="6001", provinces=["Hà Giang"])
    env.add_staff("An Giang", chat="6002", provinces=["An Giang"])
    env.urgent_intake(province="An Giang")
    worker = env.worker([env.telegram_notifier()])
    await worker.run_once()
    assert [m["chat_id"] for m in env.telegram.sent] == [6002]
    await worker.aclose()
