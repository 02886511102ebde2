"""What the person adds after the alert reaches the staff member: real actions -> outbox ->
worker -> the fake Telegram server, on SQLite and PostgreSQL. Also: a case code typed on another
channel joins that conversation to the case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from routing_env import RoutingEnv

from actions import intake_filing, returning, store_access
from actions.forms.validate_urgent_followup_form import ValidateUrgentFollowupForm
from actions.smalltalk import ActionHandleOther
from actions.urgent import ActionHandleUrgent
from intake_store import (
    audit,
    case_links,
    case_queue,
    casework,
    conversations,
    intake_views,
    intakes,
    messages,
    outbox,
    privacy,
    staff_notices,
    users,
)
from tests.actions.conversation import Conversation
from tests.conftest import make_test_settings

ALL_DAY = (
    "00:00",
    "00:00",
)  # the actions stamp rows with the real time, so the shift must cover it


@pytest.fixture
def person(env: RoutingEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Conversation:
    monkeypatch.setattr(store_access, "get_store", lambda: env.store)
    settings = make_test_settings(tmp_path, database_url=env.url)
    monkeypatch.setattr(intake_filing, "get_settings", lambda: settings)
    monkeypatch.setattr(returning, "get_settings", lambda: settings)
    return Conversation(env.store, channel="telegram")


def wall_clock(env: RoutingEnv, plus_seconds: float = 0.0) -> None:
    """The actions stamp rows with the real time: move the worker's clock there."""
    env.clock.set(datetime.now(UTC) + timedelta(seconds=plus_seconds))


async def answer(person: Conversation, slot: str, text: str, **turn: object) -> None:
    person.slots["requested_slot"] = slot
    await person.run(
        ValidateUrgentFollowupForm(), person.user_turn({"text": text, **turn}), {slot: text}
    )


def updates(env: RoutingEnv, intake_id: int) -> list[outbox.OutboxStatus]:
    with env.store.begin() as session:
        rows = outbox.list_outbox(session, intake_id=intake_id)
    return [r for r in rows if r.kind == outbox.INTAKE_UPDATE]


async def test_answers_after_the_alert_reach_the_alerted_then_the_acknowledging_staff(
    env: RoutingEnv, person: Conversation
) -> None:
    lan = env.add_staff("Lan", chat="5001", hours=ALL_DAY)
    minh = env.add_staff("Minh", chat="5002", hours=ALL_DAY)
    worker = env.worker([env.telegram_notifier()])
    await person.run(
        ActionHandleUrgent(),
        person.user_turn(
            {
                "text": "cứu em, họ nhốt em ở Campuchia",
                "intent": "urgent_help",
                "triage": "urgent",
                "urgent_reasons": ["confinement"],
            }
        ),
    )
    intake_id = int(person.slots["intake_id"])
    reference = str(person.slots["reference_code"])
    wall_clock(env)
    assert (await worker.run_once()).sent == 1
    assert sorted(m["chat_id"] for m in env.telegram.sent) == [5001, 5002]  # the alert

    # Two answers in a row: one notice, once the short coalescing delay has passed.
    await answer(person, "urgent_location", "o Bavet, gan song bac mau do")
    await answer(person, "urgent_people", "khoang 20 ng")
    assert len(updates(env, intake_id)) == 1
    wall_clock(env)
    assert (await worker.run_once()).claimed == 0  # still gathering
    wall_clock(env, staff_notices.UPDATE_NOTICE_DELAY_SECONDS + 1)
    assert (await worker.run_once()).sent == 1
    news = env.telegram.sent[2:]
    assert sorted(m["chat_id"] for m in news) == [5001, 5002]
    text = news[0]["text"]
    assert f"Cập nhật · hồ sơ {reference}" in text
    assert "Có thêm: nơi đang ở, số người" in text and "Số người: 20" in text
    assert f"https://console.example.vn/intakes/{intake_id}" in text
    for secret in ("Bavet", "song bac", "khoang 20 ng", "Campuchia"):
        assert secret not in text  # the words stay in the console, behind an audited reveal
    assert news[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"ack:{intake_id}"

    # Minh takes the case; from now on only Minh hears of it, without the "Nhận xử lý" button.
    env.telegram.press_acknowledge(chat_id=5002, intake_id=intake_id)
    assert await worker.poll_acknowledgements(force=True) == 1
    with env.store.begin() as session:
        assert intake_views.get_intake(session, intake_id=intake_id).assigned_staff_id == minh
    await answer(person, "urgent_minor", "có 1 bé 15 tuổi")
    wall_clock(env, staff_notices.UPDATE_NOTICE_DELAY_SECONDS + 1)
    await worker.run_once()
    (last,) = env.telegram.sent[4:]
    assert last["chat_id"] == 5002
    assert "CÓ người dưới 18 tuổi" in last["text"] and "15" not in last["text"]
    (buttons,) = last["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in buttons] == ["Mở hồ sơ"]  # no "Nhận xử lý": the case is taken

    await answer(person, "urgent_minor", "có 1 bé 15 tuổi")  # Rasa retried the action: no news
    wall_clock(env, 60)
    assert (await worker.run_once()).claimed == 0  # nothing sent twice
    assert [r.status for r in updates(env, intake_id)] == ["sent", "sent"]

    # A supervisor hands the case to Lan's console account: the next news goes to Lan only.
    with env.store.begin() as session:
        users.create_user(session, username="lan", password_hash="x", role="social_worker",
                          staff_id=lan)  # fmt: skip
        casework.assign(session, intake_id=intake_id, assignee="lan", actor="sup", reason="ca")
    await answer(person, "urgent_safe_contact", "có", intent="affirm")
    wall_clock(env, 2 * staff_notices.UPDATE_NOTICE_DELAY_SECONDS)
    await worker.run_once()
    (handed,) = env.telegram.sent[5:]
    assert handed["chat_id"] == 5001 and "liên hệ an toàn" in handed["text"]
    await worker.aclose()


async def test_a_later_message_waits_for_the_alert_and_falls_back_to_sms(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001", phone="+84900000001")
    ref = env.urgent_intake()
    with env.store.begin() as session:  # the person writes again before the worker ran
        msg = messages.record_inbound(
            session,
            cipher=env.store.cipher,
            hasher=env.store.hasher,
            channel="telegram",
            sender_id="p1",
            external_id="m2",
            text="họ đang tới, em sợ lắm",
            received_at=env.clock.now(),
        )
        intakes.open_intake(
            session,
            cipher=env.store.cipher,
            conversation_id=msg.conversation_id,
            triage="urgent",
            urgent_reasons=["threat"],
            source_message_id=msg.message_id,
            language="vi",
            now=env.clock.now(),
        )
    env.clock.advance(staff_notices.UPDATE_NOTICE_DELAY_SECONDS + 1)
    worker = env.worker()
    env.telegram.fail_next(403, "Forbidden: bot was blocked by the user")  # the alert: by SMS
    env.telegram.fail_next(403, "Forbidden: bot was blocked by the user")  # the update too
    stats = await worker.run_once()
    assert (stats.sent, stats.failed) == (2, 0)
    alert_sms, update_sms = env.twilio.sent
    assert ref.reference_code in alert_sms["Body"]
    assert update_sms["To"] == "+84900000001"
    assert (
        f"ChungTay cap nhat {ref.reference_code}: tin nhan moi, dau hieu nguy hiem moi"
        in (update_sms["Body"])
    )
    assert "so lam" not in update_sms["Body"] and "sợ" not in update_sms["Body"]
    await worker.aclose()


async def test_no_update_for_cases_nobody_was_told_of(env: RoutingEnv) -> None:
    with env.store.begin() as session:
        msg = messages.record_inbound(
            session,
            cipher=env.store.cipher,
            hasher=env.store.hasher,
            channel="telegram",
            sender_id="p9",
            external_id="t1",
            text="có người rủ em gái đi làm bên Lào",
        )
        ref = intakes.open_intake(
            session,
            cipher=env.store.cipher,
            conversation_id=msg.conversation_id,
            triage="report",
            urgent_reasons=[],
            source_message_id=msg.message_id,
            language="vi",
        )
        changed = intakes.update_details(
            session, cipher=env.store.cipher, intake_id=ref.id, details={"at_risk": "relative"}
        )
    assert changed == ["at_risk"] and updates(env, ref.id) == []  # the queue shows it


async def test_a_case_code_typed_on_another_channel_joins_that_case(
    env: RoutingEnv, person: Conversation
) -> None:
    env.add_staff("Lan", chat="5001", hours=ALL_DAY)
    worker = env.worker([env.telegram_notifier()])
    opening = {"text": "cứu em", "intent": "urgent_help", "triage": "urgent"}
    await person.run(ActionHandleUrgent(), person.user_turn({**opening, "urgent_reasons": ["sos"]}))
    intake_id, code = int(person.slots["intake_id"]), str(person.slots["reference_code"])
    wall_clock(env)
    await worker.run_once()

    # Later, from a borrowed phone by SMS: the code only asks staff to confirm the link.
    sms = Conversation(env.store, channel="sms")
    said = {"text": f"em là người nhắn hôm qua, mã {code.lower()}", "intent": "out_of_scope"}
    await sms.run(ActionHandleOther(), sms.user_turn(said))
    assert "intake_id" not in sms.slots and code not in sms.said()
    await sms.run(ActionHandleOther(), sms.user_turn(said))  # typed twice: staff asked once
    with env.store.begin() as session:
        trail = audit.list_audit(session, subject_type="intake", subject_id=intake_id)
        [link] = case_links.pending_links(session, intake_id=intake_id)
    assert [e.action for e in trail].count("case_link_requested") == 1
    wall_clock(env, staff_notices.UPDATE_NOTICE_DELAY_SECONDS + 1)
    await worker.run_once()
    assert "chờ cán bộ xác nhận" in env.telegram.sent[-1]["text"]

    with env.store.begin() as session:  # staff checked: the same person
        case_links.confirm_link(session, intake_id=intake_id, link_id=link.id, actor="lan")
        found = conversations.conversation_for_sender(session, rasa_sender_id=sms.rasa_sender_id)
    assert found is not None and found.open_intake_id == intake_id
    wall_clock(env, staff_notices.UPDATE_NOTICE_DELAY_SECONDS + 1)
    await worker.run_once()
    assert "người báo liên hệ lại qua kênh khác" in env.telegram.sent[-1]["text"]

    # A new danger message there joins the same case instead of opening another.
    danger = {"text": "họ lại đánh em", "intent": "urgent_help", "triage": "urgent"}
    await sms.run(ActionHandleUrgent(), sms.user_turn({**danger, "urgent_reasons": ["violence"]}))
    assert sms.slots["intake_id"] == str(intake_id)
    wall_clock(env, staff_notices.UPDATE_NOTICE_DELAY_SECONDS + 1)
    await worker.run_once()
    assert "tin nhắn mới, dấu hiệu nguy hiểm mới" in env.telegram.sent[-1]["text"]
    assert "đánh" not in env.telegram.sent[-1]["text"]
    with env.store.begin() as session:
        assert [q.id for q in case_queue.search_open_intakes(session)] == [intake_id]
        # Retention keeps the linked conversation while the case is open.
        privacy.run_retention(session, retention_days=365, now=datetime.now(UTC) + timedelta(400))
        again = conversations.conversation_for_sender(session, rasa_sender_id=sms.rasa_sender_id)
    assert again is not None and not again.erased
    await worker.aclose()
