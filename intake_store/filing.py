"""Intakes an operator files: hotline calls, walk-ins, official handovers and referrals.

Most of the cases the provincial plans count (trao trả chính thức, tự trở về, được giải cứu, tự
đến trình báo) reach the hotline by phone, in person or from another agency, never through a
chat. An operator files them here: the case is an ``intakes`` row like a chat's (same queue,
workflow, referrals, statistics; an urgent one gets the same ``staff_alert`` outbox row, so the
same delivery and escalation), with ``source`` saying how it came and ``filed_by`` who filed it.

The call itself is an ``operator_calls`` row: a draft while the operator types (the whole form
autosaved, encrypted, so a dropped tab loses nothing), then filed as a new case or attached to an
existing one (a timeline entry, not a second case). Before filing, ``search_cases`` looks for
the person by phone number or name (keyed hashes only: ``intake_search_keys`` and the SMS
sender hash chats are stored under), case code or place. Every read of personal data and every
search by phone or name is audited, without the searched value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from intake_store import intakes
from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import (
    Conversation,
    Intake,
    IntakeSearchKey,
    OperatorCall,
    StatusChange,
    utcnow,
)
from intake_store.not_found import NotFound
from intake_store.search_keys import NAME, PHONE, add_keys, folded_name, forget_keys, name_key
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
DRAFT, FILED, ATTACHED = "draft", "filed", "attached"
# A duration longer than this is a draft left open, not a call.
LONGEST_CALL = timedelta(hours=12)


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


@dataclass(frozen=True)
class Draft:
    call_id: int
    started_at: datetime
    fields: dict[str, str]


@dataclass(frozen=True)
class CaseMatch:
    """A case a search found (no personal data): what the operator picks to attach to."""

    id: int
    reference_code: str
    triage: str
    status: str
    province: str | None
    source: str | None
    channel: str | None
    received_at: datetime
    matched_by: tuple[str, ...]  # code | phone | name | place


@dataclass(frozen=True)
class CallView:
    """A call on a case, decrypted for an audited read."""

    id: int
    operator: str
    status: str
    source: str | None
    caller_relation: str | None
    caller_name: str | None
    caller_phone: str | None
    notes: str | None
    received_at: datetime | None
    duration_seconds: int | None


@dataclass(frozen=True)
class CallRow:
    """A call as the calls list shows it (no personal data)."""

    id: int
    operator: str
    status: str
    source: str | None
    intake_id: int | None
    reference_code: str | None
    started_at: datetime
    duration_seconds: int | None


# -- drafts -------------------------------------------------------------------------------------
def save_draft(
    session: Session,
    *,
    cipher: FieldCipher,
    operator: str,
    call_id: int | None,
    fields: dict[str, str],
    started_at: datetime | None = None,
    now: datetime | None = None,
) -> Draft:
    """Autosave the form of a call in progress (creates the draft on the first save).

    Only the operator's own open draft is written; another one's id starts a new draft, which
    starts at ``started_at`` (when the form was opened; within the longest call) or now.
    """
    now = now or utcnow()
    call = _own_draft(session, operator=operator, call_id=call_id)
    if call is None:
        start = started_at if started_at and now - LONGEST_CALL <= started_at <= now else now
        call = OperatorCall(operator=operator[:64], status=DRAFT, started_at=start, created_at=now)
        session.add(call)
    call.draft_enc = cipher.encrypt(json.dumps(fields, ensure_ascii=False))
    call.updated_at = now
    session.flush()
    return Draft(call_id=call.id, started_at=call.started_at, fields=dict(fields))


def open_draft(session: Session, *, cipher: FieldCipher, operator: str) -> Draft | None:
    """The operator's latest unfinished call, to carry on after a closed tab (audited read)."""
    call = session.scalars(
        select(OperatorCall)
        .where(OperatorCall.operator == operator, OperatorCall.status == DRAFT)
        .order_by(OperatorCall.id.desc())
        .limit(1)
    ).first()
    if call is None:
        return None
    record_audit(
        session,
        actor=operator,
        action="read_call_draft",
        subject_type="call",
        subject_id=call.id,
        reason="resume own call",
    )
    fields = json.loads(cipher.decrypt(call.draft_enc)) if call.draft_enc else {}
    return Draft(call_id=call.id, started_at=call.started_at, fields=fields)


def discard_draft(session: Session, *, operator: str, call_id: int) -> bool:
    """Drop a draft (the call needed no case): its text goes, the row stays as a counted call."""
    call = _own_draft(session, operator=operator, call_id=call_id)
    if call is None:
        return False
    now = utcnow()
    call.status, call.draft_enc, call.ended_at = "discarded", None, now
    call.duration_seconds = _duration(call.started_at, now)
    call.updated_at = now
    return True


def _own_draft(session: Session, *, operator: str, call_id: int | None) -> OperatorCall | None:
    if call_id is None:
        return None
    return session.scalars(
        select(OperatorCall).where(
            OperatorCall.id == call_id,
            OperatorCall.operator == operator,
            OperatorCall.status == DRAFT,
        )
    ).first()


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


def _duration(started: datetime, ended: datetime) -> int | None:
    seconds = (ended - started).total_seconds()
    if seconds < 0 or seconds > LONGEST_CALL.total_seconds():
        return None
    return int(seconds)


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
    call = _own_draft(session, operator=operator, call_id=call_id)
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
    call.duration_seconds = _duration(call.started_at, now) if call_id is not None else None
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
    details: intakes.IntakeDetails | None = None,
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
    intakes.apply_details(intake, cipher, details)
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
    alert_queued = triage == "urgent" and intakes.queue_alert(session, intake, now)
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


# -- search -------------------------------------------------------------------------------------
def search_cases(
    session: Session,
    *,
    hasher: SenderHasher,
    query: str,
    actor: str,
    limit: int = 20,
) -> list[CaseMatch]:
    """Cases the person of a new call may already have: by case code, phone number (keyed
    hashes of filed callers and contacts, and of SMS senders), full name (keyed hash of the
    folded name) or place (province or destination country). Newest first.

    Searching by phone or name is a use of personal data: audited, without the value searched.
    """
    from intake_store.case_queue import phone_hashes  # the queue's own phone matching

    text = " ".join(query.split())
    if not text:
        return []
    found: dict[int, set[str]] = {}

    def hit(ids: list[int], how: str) -> None:
        for intake_id in ids:
            found.setdefault(intake_id, set()).add(how)

    code = text.upper()
    hit(list(session.scalars(select(Intake.id).where(Intake.reference_code == code))), "code")
    by_person = []
    # A case code found is the answer: a code with six digits is not also looked up as a phone
    # (that would be a needless, audited search of personal data).
    if not found and sum(ch.isdigit() for ch in text) >= 6:
        by_person.append(PHONE)
        hashes = phone_hashes(hasher, text)
        hit(
            list(
                session.scalars(
                    select(IntakeSearchKey.intake_id).where(
                        IntakeSearchKey.kind == PHONE, IntakeSearchKey.key_hash.in_(hashes)
                    )
                )
            ),
            PHONE,
        )
        hit(
            list(
                session.scalars(
                    select(Intake.id)
                    .join(Conversation, Conversation.id == Intake.conversation_id)
                    .where(Conversation.sender_hash.in_(hashes))
                )
            ),
            PHONE,
        )
    elif not found:
        by_person.append(NAME)
        key = name_key(hasher, text)
        hit(
            list(
                session.scalars(
                    select(IntakeSearchKey.intake_id).where(
                        IntakeSearchKey.kind == NAME, IntakeSearchKey.key_hash == key
                    )
                )
            ),
            NAME,
        )
        places = _matching_places(session, text)
        if places:
            hit(
                list(
                    session.scalars(
                        select(Intake.id).where(
                            or_(
                                Intake.province.in_(places),
                                Intake.destination_country.in_(places),
                            )
                        )
                    )
                ),
                "place",
            )
    rows = (
        session.scalars(
            select(Intake)
            .where(Intake.id.in_(list(found)), Intake.anonymised_at.is_(None))
            .order_by(Intake.received_at.desc(), Intake.id.desc())
            .limit(limit)
        ).all()
        if found
        else []
    )
    if by_person:
        record_audit(
            session,
            actor=actor,
            action="case_search",
            subject_type="intake",
            subject_id=None,
            reason="search before filing a call",
            detail={"by": by_person, "results": len(rows)},
        )
    return [
        CaseMatch(
            id=row.id,
            reference_code=row.reference_code,
            triage=row.triage,
            status=row.status,
            province=row.province,
            source=row.source,
            channel=row.channel,
            received_at=row.received_at,
            matched_by=tuple(sorted(found[row.id])),
        )
        for row in rows
    ]


def _matching_places(session: Session, text: str) -> list[str]:
    """Province and country names containing the query, compared without diacritics or case
    (SQLite's lower() leaves Vietnamese capitals alone, so the folding is done here)."""
    wanted = folded_name(text) or ""
    if len(wanted) < 3:
        return []
    names: set[str] = set()
    for column in (Intake.province, Intake.destination_country):
        names |= {str(v) for v in session.scalars(select(column).distinct()) if v}
    return sorted(name for name in names if wanted in (folded_name(name) or ""))


# -- reading calls ------------------------------------------------------------------------------
def read_calls(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    actor: str,
    reason: str,
    audited: bool = True,
) -> list[CallView]:
    """The calls filed on or attached to a case, decrypted (audited like every such read)."""
    rows = session.scalars(
        select(OperatorCall)
        .where(OperatorCall.intake_id == intake_id, OperatorCall.status.in_((FILED, ATTACHED)))
        .order_by(OperatorCall.id)
    ).all()
    # audited=False: only to show again, minutes later, what this actor revealed and was
    # audited for (the console's reveal grant, console/reveal_grant.py).
    if rows and audited:
        record_audit(
            session,
            actor=actor,
            action="read_calls",
            subject_type="intake",
            subject_id=intake_id,
            reason=reason,
            detail={"count": len(rows)},
        )
    return [
        CallView(
            id=row.id,
            operator=row.operator,
            status=row.status,
            source=row.source,
            caller_relation=row.caller_relation,
            caller_name=cipher.decrypt_optional(row.caller_name_enc),
            caller_phone=cipher.decrypt_optional(row.caller_phone_enc),
            notes=cipher.decrypt_optional(row.notes_enc),
            received_at=row.received_at,
            duration_seconds=row.duration_seconds,
        )
        for row in rows
    ]


def list_calls(session: Session, *, operator: str | None = None, limit: int = 100) -> list[CallRow]:
    """Calls newest first (``operator``: only theirs). No personal data."""
    query = (
        select(OperatorCall, Intake.reference_code)
        .outerjoin(Intake, Intake.id == OperatorCall.intake_id)
        .order_by(OperatorCall.id.desc())
        .limit(limit)
    )
    if operator is not None:
        query = query.where(OperatorCall.operator == operator)
    return [
        CallRow(
            id=call.id,
            operator=call.operator,
            status=call.status,
            source=call.source,
            intake_id=call.intake_id,
            reference_code=code,
            started_at=call.started_at,
            duration_seconds=call.duration_seconds,
        )
        for call, code in session.execute(query).all()
    ]


def forget_calls(session: Session, *, intake_ids: list[int]) -> None:
    """Erasure and retention: the calls' personal text goes with the case's."""
    if not intake_ids:
        return
    session.execute(
        update(OperatorCall)
        .where(OperatorCall.intake_id.in_(intake_ids))
        .values(caller_name_enc=None, caller_phone_enc=None, notes_enc=None, draft_enc=None)
        .execution_options(synchronize_session=False)
    )
    forget_keys(session, intake_ids=intake_ids)


def drop_stale_drafts(session: Session, *, older_than: datetime) -> int:
    """Drafts nobody filed or touched since ``older_than`` (retention): their text goes."""
    result = session.execute(
        update(OperatorCall)
        .where(OperatorCall.status == DRAFT, OperatorCall.updated_at < older_than)
        .values(status="discarded", draft_enc=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def form_fields(values: dict[str, Any]) -> dict[str, str]:
    """Only string fields of a posted form, as a draft keeps them."""
    return {k: v for k, v in values.items() if isinstance(v, str) and k != "csrf_token"}
