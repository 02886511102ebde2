"""Operator filing: a call becomes a case like a chat's, or joins the person's existing case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_store import (
    audit,
    call_drafts,
    case_queue,
    case_search,
    casework,
    filing,
    intake_views,
    intakes,
    operator_calls,
    privacy,
    statistics,
    workflow,
)
from intake_store.filing import Caller
from intake_store.models import Intake, IntakeSearchKey, OperatorCall, OutboxRow
from intake_store.store import Store
from tests.store.conftest import open_chat_case

CALLER = Caller(name="Nguyễn Thị Hoa", relation="parent", phone="0912 345 678")


def _alerts(store: Store) -> list[OutboxRow]:
    with store.begin() as session:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "staff_alert")).all()
        session.expunge_all()
        return list(rows)


WALKED_IN = Caller(relation="self")


def _walk_in(
    session: Session, store: Store, *, triage: str, caller: Caller = WALKED_IN
) -> filing.Filed:
    """A person who came in, filed by op1."""
    return filing.file_intake(
        session,
        cipher=store.cipher,
        hasher=store.hasher,
        operator="op1",
        source="walk_in",
        caller=caller,
        triage=triage,
    )


def test_an_urgent_call_is_filed_like_a_chat_case_with_one_alert(store: Store) -> None:
    started = datetime.now(UTC) - timedelta(minutes=4)
    with store.begin() as session:
        draft = call_drafts.save_draft(
            session,
            cipher=store.cipher,
            operator="op1",
            call_id=None,
            fields={"notes": "mẹ gọi: con gái bị giữ ở Quảng Ninh"},
            now=started,
        )
    # The tab was closed: the operator's own draft comes back, nobody else's.
    with store.begin() as session:
        assert call_drafts.open_draft(session, cipher=store.cipher, operator="op2") is None
        resumed = call_drafts.open_draft(session, cipher=store.cipher, operator="op1")
    assert resumed is not None and resumed.call_id == draft.call_id
    assert resumed.fields["notes"] == "mẹ gọi: con gái bị giữ ở Quảng Ninh"

    with store.begin() as session:
        filed = filing.file_intake(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            operator="op1",
            source="call_111",
            caller=CALLER,
            triage="urgent",
            urgent_reasons=["confinement"],
            details={
                "at_risk": "relative",
                "is_minor": True,
                "age_band": filing.age_band(15),
                "people_count": 1,
                "province": "Quảng Ninh",
                "destination_country": "Trung Quốc",
                "contact_name": "Hoa",
                "safe_to_contact": True,
                "summary": "bị giữ trong nhà, bị lấy điện thoại",
            },
            notes="mẹ gọi: con gái bị giữ ở Quảng Ninh",
            call_id=draft.call_id,
        )
    assert filed.alert_queued and filed.call_id == draft.call_id
    assert filed.duration_seconds is not None and 230 <= filed.duration_seconds <= 300
    alerts = _alerts(store)
    assert [a.intake_id for a in alerts] == [filed.intake_id]

    with store.begin() as session:
        # The same queue as chat cases, most serious first.
        queue = case_queue.search_open_intakes(session)
        assert queue[0].id == filed.intake_id and queue[0].triage == "urgent"
        # Nothing personal is readable in the rows.
        intake = session.get(Intake, filed.intake_id)
        call = session.get(OperatorCall, filed.call_id)
        assert intake is not None and call is not None
        stored = " ".join(
            str(v)
            for v in (
                intake.contact_name_enc,
                intake.summary_enc,
                call.caller_name_enc,
                call.caller_phone_enc,
                call.notes_enc,
                call.draft_enc,
            )
        )
        assert "Hoa" not in stored and "345" not in stored and "giữ" not in stored
        assert intake.source == "call_111" and intake.filed_by == "op1"
        # Reading the caller and the notes is audited.
        calls = operator_calls.read_calls(
            session, cipher=store.cipher, intake_id=filed.intake_id, actor="sw1", reason="gọi lại"
        )
        assert calls[0].caller_phone == "0912 345 678" and calls[0].notes
        kinds = {e.kind for e in casework.timeline(session, intake_id=filed.intake_id)}
        assert "file_intake" in kinds
        actions = [e.action for e in audit.list_audit(session, subject_id=filed.intake_id)]
        assert "read_calls" in actions and "file_intake" in actions

    # Statistics: the filed call and a chat case side by side.
    with store.begin() as session:
        open_chat_case(session, store, text="tôi muốn báo tin", channel="zalo", sender="z-1")
        report = statistics.intake_counts(session)
    assert dict(report.counts["origin"]) == {"chat": 1, "operator": 1}
    assert dict(report.counts["source"]) == {"call_111": 1, "chat_zalo": 1}

    # Retention of the closed case takes the call's text and its search keys with it.
    with store.begin() as session:
        workflow.change_status(
            session, intake_id=filed.intake_id, to_status="closed", actor="sw1", reason="xong"
        )
        privacy.run_retention(session, retention_days=1, now=datetime.now(UTC) + timedelta(days=3))
        call = session.get(OperatorCall, filed.call_id)
        assert call is not None and call.caller_phone_enc is None and call.notes_enc is None
        keys = session.scalars(
            select(IntakeSearchKey).where(IntakeSearchKey.intake_id == filed.intake_id)
        ).all()
        assert keys == []


def test_a_case_code_with_many_digits_is_not_also_searched_as_a_phone(store: Store) -> None:
    # Codes are random; one with six digits was also looked up (and audited) as a phone number.
    with store.begin() as session:
        filed = _walk_in(session, store, triage="report")
        session.execute(
            update(Intake)
            .where(Intake.id == filed.intake_id)
            .values(reference_code="CT-2345678ABC")
        )
    with store.begin() as session:
        found = case_search.search_cases(
            session, hasher=store.hasher, query="ct-2345678abc", actor="op2"
        )
        assert [(m.id, m.matched_by) for m in found] == [(filed.intake_id, ("code",))]
        searches = [e for e in audit.list_audit(session, actor="op2") if e.action == "case_search"]
        assert searches == []


def test_search_before_create_finds_a_chat_case_by_phone_and_attaching_adds_no_case(
    store: Store,
) -> None:
    # A person texted by SMS last week; now they call the hotline.
    with store.begin() as session:
        _, chat_case = open_chat_case(
            session,
            store,
            text="con tôi đi làm bên Campuchia không liên lạc được",
            channel="sms",
            sender="+84912345678",
            triage="help",
            details={"province": "Hà Giang"},
        )
        filed = _walk_in(
            session, store, triage="help", caller=Caller(name="Lò Văn Páo", relation="self")
        )
    with store.begin() as session:
        # Typed the way the caller says it; matched through the keyed hash only.
        by_phone = case_search.search_cases(
            session, hasher=store.hasher, query="0912.345.678", actor="op2"
        )
        by_name = case_search.search_cases(
            session, hasher=store.hasher, query="lo van pao", actor="op2"
        )
        by_code = case_search.search_cases(
            session, hasher=store.hasher, query=chat_case.reference_code.lower(), actor="op2"
        )
        by_place = case_search.search_cases(
            session, hasher=store.hasher, query="ha giang", actor="op2"
        )
    assert [m.id for m in by_phone] == [chat_case.id] and by_phone[0].matched_by == ("phone",)
    assert [m.id for m in by_name] == [filed.intake_id]
    assert [m.id for m in by_code] == [chat_case.id]
    assert [m.id for m in by_place] == [chat_case.id]

    with store.begin() as session:
        attached = filing.attach_call(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            intake_id=chat_case.id,
            operator="op2",
            source="call_provincial",
            caller=Caller(relation="parent", phone="0912345678"),
            triage="urgent",
            urgent_reasons=["cut_off_contact"],
            notes="mẹ gọi lại, vẫn không liên lạc được",
        )
    assert attached.alert_queued  # the case became urgent on the call: its one alert
    with store.begin() as session:
        assert session.scalar(select(Intake.id).order_by(Intake.id.desc()).limit(1)) == (
            filed.intake_id
        )  # no new case
        case = intake_views.get_intake(session, intake_id=chat_case.id)
        assert case.triage == "urgent" and "cut_off_contact" in case.urgent_reasons
        entries = casework.timeline(session, intake_id=chat_case.id)
        assert [e.kind for e in entries if e.kind == "attach_call"] == ["attach_call"]
        searches = [e for e in audit.list_audit(session, actor="op2") if e.action == "case_search"]
        # By phone and by name (the place query was tried as a name too), not by a case code;
        # never with the value searched.
        assert len(searches) == 3 and all("0912" not in str(e.detail) for e in searches)
    assert [a.intake_id for a in _alerts(store)] == [chat_case.id]


def test_filed_and_chat_cases_share_the_age_bands() -> None:
    from actions.forms.answers import age_band

    assert all(filing.age_band(age) == age_band(age) for age in range(0, 100))


def test_a_phone_given_in_a_telegram_chat_is_found_and_forgotten_with_the_chat(
    store: Store,
) -> None:
    with store.begin() as session:
        chat, case = open_chat_case(
            session, store, text="em gái tôi bị lừa sang Lào", sender="tg-77"
        )
        # The report form's answer, saved as the actions save it.
        intakes.update_details(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            intake_id=case.id,
            details={"contact_phone": "+84 978 111 222", "contact_name": "Vàng Thị Dung"},
        )
    with store.begin() as session:
        by_phone = case_search.search_cases(
            session, hasher=store.hasher, query="0978111222", actor="o"
        )
        by_name = case_search.search_cases(
            session, hasher=store.hasher, query="VANG THI DUNG", actor="o"
        )
    assert [m.id for m in by_phone] == [case.id] == [m.id for m in by_name]
    with store.begin() as session:
        privacy.erase_conversation(
            session, conversation_id=chat.conversation_id, actor="sv", reason="yêu cầu xóa"
        )
    with store.begin() as session:
        assert (
            case_search.search_cases(session, hasher=store.hasher, query="0978111222", actor="o")
            == []
        )
        assert session.scalars(select(IntakeSearchKey)).all() == []


def test_canned_replies_and_transfers_are_audited(store: Store) -> None:
    from intake_store import canned, handoff, transfer

    with store.begin() as session:
        seeded = canned.list_replies(session, language="en")
        reply_id = canned.add_reply(
            session, language="vi", title="Gọi lại", text="Cán bộ sẽ gọi lại.", actor="sv1"
        )
        canned.update_reply(session, reply_id=reply_id, actor="sv1", active=False)
        chat, case = open_chat_case(
            session, store, text="cho tôi gặp người thật", sender="tg-5", triage="help"
        )
        handoff.hold_conversation(session, intake_id=case.id, actor="op1")
    # The seeded snippets rest on the knowledge base: 113 and 111, nothing invented.
    assert any("113" in r.text and "111" in r.text for r in seeded)
    with store.begin() as session:
        assert reply_id not in [r.id for r in canned.list_replies(session)]
        with pytest.raises(transfer.TransferRefused):  # only the holder hands it on
            transfer.transfer_case(
                session, cipher=store.cipher, intake_id=case.id, to_user="op3", actor="op2"
            )
        moved = transfer.transfer_case(
            session,
            cipher=store.cipher,
            intake_id=case.id,
            to_user="op2",
            actor="op1",
            note="người này cần phiên dịch tiếng H'Mông",
        )
        hold = handoff.conversation_hold(session, conversation_id=chat.conversation_id)
        actions = [e.action for e in audit.list_audit(session, actor="sv1")]
        notes = casework.read_notes(
            session, cipher=store.cipher, intake_id=case.id, actor="op2", reason="bàn giao"
        )
    assert moved.conversation_moved and hold is not None and hold.held_by == "op2"
    assert actions.count("canned_reply_add") == 1 and "canned_reply_edit" in actions
    assert notes[0].text.startswith("người này cần phiên dịch")


def test_a_call_on_a_taken_case_tells_its_holder(store: Store) -> None:
    with store.begin() as session:
        filed = _walk_in(session, store, triage="help")
        workflow.acknowledge(session, intake_id=filed.intake_id, actor="sw1")
        attached = filing.attach_call(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            intake_id=filed.intake_id,
            operator="op2",
            source="call_111",
            caller=Caller(relation="self"),
            notes="gọi lại hỏi lịch hẹn",
        )
        updates = session.scalars(select(OutboxRow).where(OutboxRow.kind == "intake_update")).all()
    assert not attached.alert_queued and not filed.alert_queued
    assert [u.payload["fields"] for u in updates] == [[filing.CALL]]
    from routing.notify.base import IntakeUpdate

    notice = IntakeUpdate(filed.intake_id, filed.reference_code, "help", ("call",), "https://c")
    assert "cuộc gọi" in notice.text() and "gọi lại hỏi" not in notice.text()
