"""A call an operator files goes through the same alert and escalation as an urgent chat."""

from __future__ import annotations

from routing_env import RoutingEnv

from intake_store import filing, intake_views


async def test_an_urgent_filed_call_alerts_once_and_escalates(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001")
    env.add_staff("Giám sát", role="supervisor", chat="5003", hours=None)
    with env.store.begin() as session:
        filed = filing.file_intake(
            session,
            cipher=env.store.cipher,
            hasher=env.store.hasher,
            operator="op1",
            source="border_guard",
            caller=filing.Caller(name="Đồn Biên phòng", relation="official", phone="0214000000"),
            triage="urgent",
            urgent_reasons=["just_escaped"],
            details={"province": "Lào Cai", "is_minor": True, "people_count": 2},
            now=env.clock.now(),
        )
    worker = env.worker([env.telegram_notifier()])
    await worker.run_once()
    await worker.run_once()  # nothing more to send
    (alert,) = env.telegram.sent
    assert alert["chat_id"] == 5001 and filed.reference_code in alert["text"]
    assert "Lào Cai" in alert["text"] and "0214000000" not in alert["text"]
    env.clock.advance(minutes=5)
    assert (await worker.run_once()).escalated == 1  # nobody took it: the same escalation
    assert [m["chat_id"] for m in env.telegram.sent] == [5001, 5003]
    with env.store.begin() as session:
        assert intake_views.get_intake(session, intake_id=filed.intake_id).escalation_level == 2
    await worker.aclose()
