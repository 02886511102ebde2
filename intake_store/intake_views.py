"""Read views of cases: the queue, one case without personal data, and its personal fields
(decrypted, audited). Nothing here writes but the audit row of a reveal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.intakes import PERSONAL_DETAILS, PLAIN_DETAILS, get_row
from intake_store.models import Intake, StatusChange


@dataclass(frozen=True)
class QueueItem:
    id: int
    reference_code: str
    triage: str
    priority: int
    status: str
    urgent_reasons: list[str]
    language: str
    channel: str | None
    category: str | None
    province: str | None
    is_minor: bool | None
    conversation_id: int | None
    assigned_to: str | None
    escalation_level: int
    received_at: datetime
    alerted_at: datetime | None
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class StatusEvent:
    from_status: str | None
    to_status: str
    actor: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class IntakeView:
    """Everything about a case except personal data (see ``reveal_intake`` for that)."""

    id: int
    reference_code: str
    conversation_id: int | None
    triage: str
    priority: int
    status: str
    urgent_reasons: list[str]
    language: str
    channel: str | None
    details: dict[str, Any]  # the PLAIN_DETAILS that are set
    has_personal: dict[str, bool]  # which PERSONAL_DETAILS exist (without their values)
    assigned_staff_id: int | None
    assigned_to: str | None
    escalation_level: int
    received_at: datetime
    alerted_at: datetime | None
    acknowledged_at: datetime | None
    first_action_at: datetime | None
    closed_at: datetime | None
    anonymised: bool
    history: list[StatusEvent] = field(default_factory=list)


def _queue_item(i: Intake) -> QueueItem:
    return QueueItem(
        id=i.id,
        reference_code=i.reference_code,
        triage=i.triage,
        priority=i.priority,
        status=i.status,
        urgent_reasons=list(i.urgent_reasons or []),
        language=i.language,
        channel=i.channel,
        category=i.category,
        province=i.province,
        is_minor=i.is_minor,
        conversation_id=i.conversation_id,
        assigned_to=i.assigned_to,
        escalation_level=i.escalation_level,
        received_at=i.received_at,
        alerted_at=i.alerted_at,
        acknowledged_at=i.acknowledged_at,
    )


def list_queue(
    session: Session, *, limit: int = 100, include_closed: bool = False
) -> list[QueueItem]:
    """Open cases, most serious first, then oldest first. No personal data."""
    query = select(Intake).order_by(
        Intake.priority.desc(), (Intake.status == "new").desc(), Intake.received_at, Intake.id
    )
    if not include_closed:
        query = query.where(Intake.status != "closed")
    return [_queue_item(i) for i in session.scalars(query.limit(limit))]


def get_intake(session: Session, *, intake_id: int) -> IntakeView:
    i = get_row(session, intake_id)
    history = session.scalars(
        select(StatusChange).where(StatusChange.intake_id == intake_id).order_by(StatusChange.id)
    ).all()
    return IntakeView(
        id=i.id,
        reference_code=i.reference_code,
        conversation_id=i.conversation_id,
        triage=i.triage,
        priority=i.priority,
        status=i.status,
        urgent_reasons=list(i.urgent_reasons or []),
        language=i.language,
        channel=i.channel,
        details={n: getattr(i, n) for n in PLAIN_DETAILS if getattr(i, n) is not None},
        has_personal={n: getattr(i, f"{n}_enc") is not None for n in PERSONAL_DETAILS},
        assigned_staff_id=i.assigned_staff_id,
        assigned_to=i.assigned_to,
        escalation_level=i.escalation_level,
        received_at=i.received_at,
        alerted_at=i.alerted_at,
        acknowledged_at=i.acknowledged_at,
        first_action_at=i.first_action_at,
        closed_at=i.closed_at,
        anonymised=i.anonymised_at is not None,
        history=[StatusEvent(h.from_status, h.to_status, h.actor, h.reason, h.at) for h in history],
    )


def reveal_intake(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    actor: str,
    reason: str,
    audited: bool = True,
) -> dict[str, str | None]:
    """The decrypted personal fields of a case; writes an audit row."""
    intake = get_row(session, intake_id)
    # audited=False: only to show again, minutes later, what this actor revealed and was
    # audited for (the console's reveal grant, console/reveal_grant.py).
    if audited:
        record_audit(
            session,
            actor=actor,
            action="reveal_intake",
            subject_type="intake",
            subject_id=intake_id,
            reason=reason,
            detail={"fields": list(PERSONAL_DETAILS)},
        )
    return {n: cipher.decrypt_optional(getattr(intake, f"{n}_enc")) for n in PERSONAL_DETAILS}
