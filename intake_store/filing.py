"""Intakes an operator files: hotline calls, walk-ins, official handovers and referrals.

Most of the cases the provincial plans count (trao trả chính thức, tự trở về, được giải cứu, tự
đến trình báo) reach the hotline by phone, in person or from another agency, never through a
chat. An operator files them here: the case is an ``intakes`` row like a chat's (same queue,
workflow, referrals, statistics; an urgent one gets the same ``staff_alert`` outbox row, so the
same delivery and escalation), with ``source`` saying how it came and ``filed_by`` who filed it.

The call itself is an ``operator_calls`` row: a draft while the operator types
(intake_store/call_drafts.py), then filed here as a new case or attached to an existing one (a
timeline entry, not a second case). Before filing, intake_store/case_search.py looks for the
person; intake_store/calls.py reads the calls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store import call_drafts, intake_details, intakes, staff_notices
from intake_store.audit import record_audit
from intake_store.call_drafts import ATTACHED, FILED
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import (
    Intake,
    OperatorCall,
    StatusChange,
    utcnow,
)
from intake_store.not_found import NotFound
from intake_store.search_keys import add_keys
from nlu.triage_levels import LEVELS as TRIAGE_LEVELS
from nlu.urgency import REASONS as URGENCY_REASONS

# How a case reached the hotline when an operator filed it (the statistics' "source").
SOURCES: tuple[str, ...] = (
    "call_111",  # a call to the national hotline 111
    "call_provincial",  # a call to a provincial social-work line
    "walk_in",  # came in person (commune, social-work centre)
    "official_handover",  # handed over at the border (trao trả chính thức)
    "police",
    "border_guard",
    "coast_guard",
    "commune",
    "ngo",
    "other",
)
# Who is calling, relative to the person at risk ("self": the person at risk calls).
CALLER_RELATIONS: tuple[str, ...] = (
    "self",
    "parent",
    "spouse",
    "child",
    "sibling",
    "relative",
    "friend",
    "neighbour",
    "official",
    "other",
)
# The urgency net's reasons, plus the operator's own judgement when none of them fits.
OPERATOR_JUDGEMENT = "operator_judgement"
FILING_REASONS: tuple[str, ...] = (*URGENCY_REASONS, OPERATOR_JUDGEMENT)


def age_band(age: int) -> str:
    """The coarse band of the plain column, the same bands the chat forms keep
    (``actions.forms.answers.age_band``; tests/store/test_store_filing.py holds them equal)."""
    for limit, band in ((16, "under_16"), (18, "16_17"), (25, "18_24"), (40, "25_39")):
        if age < limit:
            return band
    return "40_plus"


class FilingError(ValueError):
    """A filing the store refuses (unknown source, relation, triage or reason)."""


@dataclass(frozen=True)
class Caller:
    """Who called (or walked in, or handed the person over). Name and phone are personal."""

    name: str | None = None
    relation: str | None = None  # CALLER_RELATIONS
    phone: str | None = None


@dataclass(frozen=True)
class Filed:
    intake_id: int
    reference_code: str
    call_id: int
    alert_queued: bool
    duration_seconds: int | None


@dataclass(frozen=True)
class Attached:
    intake_id: int
    reference_code: str
    call_id: int
    alert_queued: bool


def _already_done(session: Session, *, operator: str, call_id: int | None) -> Intake | None:
    """The case this operator's call was already filed on or attached to, if it was."""
    if call_id is None:
        return None
    return session.scalars(
        select(Intake)
        .join(OperatorCall, OperatorCall.intake_id == Intake.id)
        .where(
            OperatorCall.id == call_id,
            OperatorCall.operator == operator,
            OperatorCall.status.in_((FILED, ATTACHED)),
        )
    ).first()


# -- filing and attaching -----------------------------------------------------------------------
def _check(source: str, caller: Caller, triage: str, reasons: list[str]) -> None:
    if source not in SOURCES:
        raise FilingError(f"unknown source {source!r}")
    if caller.relation is not None and caller.relation not in CALLER_RELATIONS:
        raise FilingError(f"unknown caller relation {caller.relation!r}")
    if triage not in TRIAGE_LEVELS:
        raise FilingError(f"unknown triage level {triage!r}")
    unknown = [r for r in reasons if r not in FILING_REASONS]
    if unknown:
        raise FilingError(f"unknown urgency reasons {unknown}")


def _finish_call(
    session: Session,
    *,
    cipher: FieldCipher,
    operator: str,
    call_id: int | None,
    status: str,
    intake_id: int,
    source: str,
    caller: Caller,
    notes: str | None,
    received_at: datetime,
    now: datetime,
) -> OperatorCall:
    call = call_drafts.own_draft(session, operator=operator, call_id=call_id)
    if call is None:
        call = OperatorCall(operator=operator[:64], started_at=now, created_at=now)
        session.add(call)
    call.status, call.intake_id, call.source = status, intake_id, source
    call.caller_relation = caller.relation
    call.caller_name_enc = cipher.encrypt(caller.name) if caller.name else None
    call.caller_phone_enc = cipher.encrypt(caller.phone) if caller.phone else None
    call.notes_enc = cipher.encrypt(notes) if notes and notes.strip() else None
    call.draft_enc = None  # everything it held is in the case and the call now
    call.received_at, call.ended_at, call.updated_at = received_at, now, now
    call.duration_seconds = (
        call_drafts.call_duration(call.started_at, now) if call_id is not None else None
    )
    session.flush()
    return call


def file_intake(
    session: Session,
    *,
    cipher: FieldCipher,
    hasher: SenderHasher,
    operator: str,
    source: str,
    caller: Caller,
    triage: str,
    urgent_reasons: list[str] | tuple[str, ...] = (),
    details: intake_details.IntakeDetails | None = None,
    notes: str | None = None,
    received_at: datetime | None = None,
    language: str = "vi",
    call_id: int | None = None,
    now: datetime | None = None,
) -> Filed:
    """Open a case for a call, walk-in or handover; an urgent one queues one staff alert.

    ``call_id``: the draft autosaved while the operator typed (it becomes the filed call and
    gives the call's duration). Audited with who filed it, from what source.
    """
    now = now or utcnow()
    reasons = list(dict.fromkeys(urgent_reasons))
    if triage == "urgent" and not reasons:
        reasons = [OPERATOR_JUDGEMENT]
    _check(source, caller, triage, reasons)
    done = _already_done(session, operator=operator, call_id=call_id)
    if done is not None:  # the form sent twice (a double key press, a resent page)
        return Filed(done.id, done.reference_code, call_id or 0, False, None)
    received = min(received_at or now, now)
    intake = Intake(
        reference_code=intakes.new_reference(session),
        conversation_id=None,
        source_message_id=None,
        triage=triage,
        priority=intakes.PRIORITY_FOR_TRIAGE[triage],
        status="new",
        urgent_reasons=reasons,
        language=language,
        channel=None,
        source=source,
        filed_by=operator[:64],
        escalation_level=0,
        received_at=received,
        created_at=now,
        updated_at=now,
    )
    intake_details.apply_details(intake, cipher, details)
    session.add(intake)
    session.flush()
    session.add(
        StatusChange(
            intake_id=intake.id,
            from_status=None,
            to_status="new",
            actor=operator[:64],
            reason=f"filed by an operator ({source})",
            at=now,
        )
    )
    alert_queued = triage == "urgent" and staff_notices.queue_alert(session, intake, now)
    call = _finish_call(
        session,
        cipher=cipher,
        operator=operator,
        call_id=call_id,
        status=FILED,
        intake_id=intake.id,
        source=source,
        caller=caller,
        notes=notes,
        received_at=received,
        now=now,
    )
    values: dict[str, Any] = dict(details or {})
    add_keys(
        session,
        hasher=hasher,
        intake_id=intake.id,
        phones=[str(p) for p in (caller.phone, values.get("contact_phone")) if p],
        names=[str(n) for n in (caller.name, values.get("contact_name")) if n],
    )
    record_audit(
        session,
        actor=operator,
        action="file_intake",
        subject_type="intake",
        subject_id=intake.id,
        reason="casework",
        detail={"call_id": call.id, "source": source, "triage": triage},
        at=now,
    )
    return Filed(intake.id, intake.reference_code, call.id, alert_queued, call.duration_seconds)


def attach_call(
    session: Session,
    *,
    cipher: FieldCipher,
    hasher: SenderHasher,
    intake_id: int,
    operator: str,
    source: str,
    caller: Caller,
    triage: str | None = None,
    urgent_reasons: list[str] | tuple[str, ...] = (),
    notes: str | None = None,
    received_at: datetime | None = None,
    call_id: int | None = None,
    now: datetime | None = None,
) -> Attached:
    """Add a call to an existing case: a timeline entry, not a new case.

    ``triage`` may raise the case (never lower it); a case becoming urgent queues its staff
    alert, otherwise staff who know of the case get a notice that a call came in.
    """
    now = now or utcnow()
    reasons = list(dict.fromkeys(urgent_reasons))
    if triage == "urgent" and not reasons:
        reasons = [OPERATOR_JUDGEMENT]
    _check(source, caller, triage or "other", reasons)
    intake = session.scalars(select(Intake).where(Intake.id == intake_id).with_for_update()).first()
    if intake is None or intake.anonymised_at is not None:
        raise NotFound(f"intake {intake_id} does not exist")
    done = _already_done(session, operator=operator, call_id=call_id)
    if done is not None:
        return Attached(done.id, done.reference_code, call_id or 0, False)
    received = min(received_at or now, now)
    call = _finish_call(
        session,
        cipher=cipher,
        operator=operator,
        call_id=call_id,
        status=ATTACHED,
        intake_id=intake.id,
        source=source,
        caller=caller,
        notes=notes,
        received_at=received,
        now=now,
    )
    ref = intakes.raise_triage(
        session,
        cipher=cipher,
        intake_id=intake.id,
        triage=triage or "other",
        reasons=reasons,
        now=now,
    )
    if not ref.alert_queued:
        intakes.queue_staff_notice(session, intake_id=intake.id, fields=[CALL], now=now)
    add_keys(
        session,
        hasher=hasher,
        intake_id=intake.id,
        phones=[caller.phone] if caller.phone else [],
        names=[caller.name] if caller.name else [],
    )
    record_audit(
        session,
        actor=operator,
        action="attach_call",
        subject_type="intake",
        subject_id=intake.id,
        reason="casework",
        detail={"call_id": call.id, "source": source},
        at=now,
    )
    return Attached(intake.id, intake.reference_code, call.id, ref.alert_queued)


# Pseudo-field of an ``intake_update``: an operator attached a call to the case.
CALL = "call"
