"""The one real path through the store: message -> intake (+ alert) -> queue -> workflow."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest

from intake_store import (
    case_queue,
    intake_views,
    intakes,
    messages,
    outbox,
    person_choices,
    turns,
    workflow,
)
from intake_store.intakes import PRIORITY_NORMAL, PRIORITY_URGENT
from intake_store.store import Store
from intake_store.workflow import InvalidTransition
from tests.store.conftest import record_message

T = TypeVar("T")
R = TypeVar("R")

URGENT_TEXT = "cứu tôi với, tôi đang bị nhốt ở Campuchia"


def _inbound(store: Store, external_id: str, text: str, sender: str = "tg-42", **kw: Any):
    with store.begin() as session:
        return record_message(
            session, store, text=text, sender=sender, external_id=external_id, **kw
        )


def test_urgent_message_opens_one_intake_with_one_alert(store: Store) -> None:
    first = _inbound(store, "m1", URGENT_TEXT)
    again = _inbound(store, "m1", URGENT_TEXT)  # webhook retried by the channel
    assert again.duplicate and again.message_id == first.message_id
    assert first.rasa_sender_id.startswith("ct-") and "tg-42" not in first.rasa_sender_id

    def open_for(message_id: int) -> intakes.IntakeRef:
        with store.begin() as session:
            return intakes.open_intake(
                session,
                cipher=store.cipher,
                conversation_id=first.conversation_id,
                triage="urgent",
                urgent_reasons=["held", "abroad"],
                source_message_id=message_id,
                language="vi",
                details={"destination_country": "KH", "province": "An Giang"},
            )

    ref = open_for(first.message_id)
    assert ref.created and ref.priority == PRIORITY_URGENT and ref.alert_queued
    assert ref.reference_code.startswith("CT-")
    assert open_for(first.message_id) == intakes.IntakeRef(
        ref.id, ref.reference_code, ref.priority, False, "urgent", "new", False
    )  # the action server retried: same intake, no new alert

    with store.begin() as session:
        rows = outbox.list_outbox(session, intake_id=ref.id)
        queue = case_queue.search_open_intakes(session)
        view = intake_views.get_intake(session, intake_id=ref.id)
    assert [(r.kind, r.status) for r in rows] == [("staff_alert", "pending")]
    assert URGENT_TEXT not in repr(rows[0])  # alerts carry no transcript
    assert queue[0].id == ref.id and queue[0].urgent_reasons == ["held", "abroad"]
    assert view.details == {"destination_country": "KH", "province": "An Giang"}
    assert [h.to_status for h in view.history] == ["new"]


def test_follow_up_attaches_and_priority_only_rises(store: Store) -> None:
    report = _inbound(store, "r1", "có người rủ con gái đi làm quán ăn bên Lào")
    with store.begin() as session:
        ref = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=report.conversation_id,
            triage="report",
            urgent_reasons=[],
            source_message_id=report.message_id,
            language="vi",
        )
    assert ref.priority == PRIORITY_NORMAL and not ref.alert_queued
    follow = _inbound(store, "r2", "nó vừa nhắn cầu cứu rồi tắt máy")
    with store.begin() as session:
        raised = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=follow.conversation_id,
            triage="urgent",
            urgent_reasons=["cry_for_help"],
            source_message_id=follow.message_id,
            language="vi",
        )
    assert raised.id == ref.id and not raised.created
    assert raised.priority == PRIORITY_URGENT and raised.alert_queued
    lower = _inbound(store, "r3", "cảm ơn")
    with store.begin() as session:
        same = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=lower.conversation_id,
            triage="other",
            urgent_reasons=[],
            source_message_id=lower.message_id,
            language="vi",
        )
        assert (same.id, same.priority, same.triage) == (ref.id, PRIORITY_URGENT, "urgent")
        # One alert; the later message reaches the alerted staff as an update, not a new alert.
        rows = outbox.list_outbox(session, intake_id=ref.id)
        assert [r.kind for r in rows] == ["staff_alert", "intake_update"]

    # After the window, the same person's message opens a new case.
    later = datetime.now(UTC) + timedelta(hours=73)
    late = _inbound(store, "r4", "lại có người rủ đi Lào", received_at=later)
    with store.begin() as session:
        fresh = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=late.conversation_id,
            triage="report",
            urgent_reasons=[],
            source_message_id=late.message_id,
            language="vi",
            window_hours=72,
            now=later,
        )
    assert fresh.created and fresh.id != ref.id


def test_status_workflow_records_who_when_why(store: Store) -> None:
    msg = _inbound(store, "w1", URGENT_TEXT)
    with store.begin() as session:
        ref = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=msg.conversation_id,
            triage="urgent",
            urgent_reasons=["held"],
            source_message_id=msg.message_id,
            language="vi",
        )
    with store.begin() as session:
        assert workflow.acknowledge(session, intake_id=ref.id, actor="staff:lan")
        assert not workflow.acknowledge(session, intake_id=ref.id, actor="staff:minh")
        with pytest.raises(InvalidTransition):
            workflow.change_status(
                session, intake_id=ref.id, to_status="reintegrating", actor="lan", reason="x"
            )
        for status in ("verifying", "identified", "referred", "closed", "verifying"):
            workflow.change_status(
                session, intake_id=ref.id, to_status=status, actor="staff:lan", reason=status
            )
    with store.begin() as session:
        view = intake_views.get_intake(session, intake_id=ref.id)
    assert [h.to_status for h in view.history] == [
        "new",
        "acknowledged",
        "verifying",
        "identified",
        "referred",
        "closed",
        "verifying",
    ]
    assert view.assigned_to == "staff:lan" and view.closed_at is None  # reopened
    assert view.acknowledged_at is not None and view.first_action_at is not None
    assert view.history[-1].actor == "staff:lan" and view.history[-1].reason == "verifying"


def _at_once(
    make_store: Callable[[], Store], work: Callable[[Store, T], R], args: list[T]
) -> list[R]:
    """``work(store, arg)`` for each arg in its own thread and Store (its own connections, like
    separate gateway threads, replicas or action-server workers), all released at one moment."""
    barrier = threading.Barrier(len(args))
    results: list[R] = []
    errors: list[BaseException] = []

    def run(arg: T) -> None:
        own = make_store()
        try:
            barrier.wait()
            results.append(work(own, arg))
        except BaseException as error:
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run, args=(arg,)) for arg in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_two_messages_at_once_from_one_person_open_one_case(
    store: Store, make_store: Callable[[], Store]
) -> None:
    first = _inbound(store, "c1", "họ nhốt tụi em")
    second = _inbound(store, "c2", "cứu với")

    def act(own: Store, message_id: int) -> intakes.IntakeRef:
        with own.begin() as session:
            return intakes.open_intake(
                session,
                cipher=own.cipher,
                conversation_id=first.conversation_id,
                triage="urgent",
                urgent_reasons=["held"],
                source_message_id=message_id,
                language="vi",
            )

    refs = _at_once(make_store, act, [first.message_id, second.message_id])
    assert len({r.id for r in refs}) == 1 and sorted(r.created for r in refs) == [False, True]
    with store.begin() as session:  # one alert; the second message follows it as an update
        assert sorted(r.kind for r in outbox.list_outbox(session)) == [
            "intake_update",
            "staff_alert",
        ]


def _retry_claim(session: Any, store: Store, *, limit: int = 200) -> list[Any]:
    """What the gateway's retry loop takes now: every unanswered message is due."""
    return turns.claim_pending(
        session,
        holder="test-gateway",
        now=datetime.now(UTC),
        lease_seconds=60,
        stale_received=timedelta(0),
        cipher=store.cipher,
        limit=limit,
    )


def test_a_new_persons_first_messages_and_a_retry_at_once_store_each_message_once(
    store: Store, make_store: Callable[[], Store]
) -> None:
    """One conversation, each message stored once, one of them said to have opened it."""

    def receive(own: Store, external_id: str) -> messages.InboundRecord:
        with own.begin() as session:
            return record_message(
                session, own, text="chào, cho em hỏi", sender="tg-new", external_id=external_id
            )

    # n1 three times (Telegram retried the webhook while the first was being stored), and n2.
    records = _at_once(make_store, receive, ["n1", "n1", "n1", "n2"])
    assert len({r.conversation_id for r in records}) == 1
    stored = [r for r in records if not r.duplicate]
    assert len(stored) == 2 and len({r.message_id for r in records}) == 2
    assert sum(r.conversation_created for r in records) == 1  # one "first message" hint
    with store.begin() as session:
        pending = _retry_claim(session, store)
    assert sorted(p.message_id for p in pending) == sorted(r.message_id for r in stored)


def test_messages_given_up_on_do_not_hide_newer_queued_ones_from_the_retry_loop(
    store: Store,
) -> None:
    given_up = [_inbound(store, f"f{i}", "tin cũ", sender=f"tg-{i}") for i in range(3)]
    queued = _inbound(store, "q1", "tin mới", sender="tg-9")
    with store.begin() as session:
        for record in given_up:
            messages.set_inbound_status(session, message_id=record.message_id, status="failed")
        messages.set_inbound_status(session, message_id=queued.message_id, status="queued")
    with store.begin() as session:
        batch = _retry_claim(session, store, limit=2)
    assert [(p.message_id, p.text) for p in batch] == [(queued.message_id, "tin mới")]


def test_a_reporters_yes_or_no_is_on_the_timeline_and_a_dropped_contact_leaves_no_key(
    store: Store,
) -> None:
    from intake_store.casework import timeline
    from intake_store.search_keys import phone_key

    tip = _inbound(store, "c1", "có người rủ con gái đi làm quán ăn bên Lào", sender="tg-77")
    with store.begin() as session:
        ref = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=tip.conversation_id,
            triage="report",
            urgent_reasons=[],
            source_message_id=tip.message_id,
            language="vi",
        )
        intakes.update_details(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            intake_id=ref.id,
            details={"contact_phone": "0912345678", "summary": "Liên hệ người báo: 0912345678"},
        )
        key = phone_key(store.hasher, "0912345678")
        assert key
        found = case_queue.search_open_intakes(session, sender_hashes=[key])
        assert [r.id for r in found] == [ref.id]
        person_choices.record_confirmation(session, intake_id=ref.id, confirmed=False)
        person_choices.clear_contact(session, cipher=store.cipher, intake_id=ref.id, summary="")
        person_choices.record_confirmation(session, intake_id=ref.id, confirmed=True)

    with store.begin() as session:
        kinds = [e.kind for e in timeline(session, intake_id=ref.id) if e.kind != "status"]
        view = intake_views.get_intake(session, intake_id=ref.id)
        found = case_queue.search_open_intakes(session, sender_hashes=[key])
    assert kinds == ["person_not_confirmed", "person_confirmed"]
    assert not any(view.has_personal.values())  # contact and its summary line are gone
    assert (view.details["consent_contact"], view.details["contact_method"]) == (False, "none")
    assert [row.id for row in found] == []


def test_a_child_named_only_by_an_urgent_reason_comes_first_within_its_level(store: Store) -> None:
    """A child taken or just missing is a child's case even with "is a minor" unset."""

    opened = []
    for n, reasons in enumerate(
        (["confinement"], ["child_missing_recent"], ["transport_in_progress", "child_taken"])
    ):
        message = _inbound(store, f"u{n}", URGENT_TEXT, sender=f"tg-{n}")
        with store.begin() as session:
            ref = intakes.open_intake(
                session,
                cipher=store.cipher,
                conversation_id=message.conversation_id,
                triage="urgent",
                urgent_reasons=reasons,
                source_message_id=message.message_id,
                language="vi",
            )
        opened.append(ref.id)
    with store.begin() as session:
        rows = case_queue.search_open_intakes(session)
    assert [row.id for row in rows] == [opened[1], opened[2], opened[0]]  # oldest child first
    assert [row.is_minor for row in rows] == [True, True, False]
