"""Read views of cases: one case without personal data, its summary and its personal fields
(decrypted, audited), recent alerts and reference codes. Nothing here writes but the audit row
of a reveal. The queue is intake_store/case_queue.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.intake_details import PERSONAL_DETAILS, PLAIN_DETAILS
from intake_store.intakes import get_row
from intake_store.models import Alert, Intake, StatusChange
from intake_store.narrative import FIELD as NARRATIVE
from intake_store.narrative import has_narrative, narrative_lines


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


def _case_facts(row: Intake) -> dict[str, Any]:
    """What a case's view and its summary both show (no personal data), read the same way."""
    return {
        "id": row.id,
        "reference_code": row.reference_code,
        "conversation_id": row.conversation_id,
        "triage": row.triage,
        "status": row.status,
        "urgent_reasons": list(row.urgent_reasons or []),
        "language": row.language,
        "channel": row.channel,
        "assigned_to": row.assigned_to,
        "escalation_level": row.escalation_level,
        "received_at": row.received_at,
        "alerted_at": row.alerted_at,
        "acknowledged_at": row.acknowledged_at,
        "closed_at": row.closed_at,
    }


def get_intake(session: Session, *, intake_id: int) -> IntakeView:
    i = get_row(session, intake_id)
    history = session.scalars(
        select(StatusChange).where(StatusChange.intake_id == intake_id).order_by(StatusChange.id)
    ).all()
    return IntakeView(
        **_case_facts(i),
        priority=i.priority,
        details={n: getattr(i, n) for n in PLAIN_DETAILS if getattr(i, n) is not None},
        has_personal={n: getattr(i, f"{n}_enc") is not None for n in PERSONAL_DETAILS},
        assigned_staff_id=i.assigned_staff_id,
        first_action_at=i.first_action_at,
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
    """The decrypted personal fields of a case, with the person's own words (``narrative``);
    writes an audit row."""
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
            detail={"fields": [*PERSONAL_DETAILS, NARRATIVE]},
        )
    personal = {n: cipher.decrypt_optional(getattr(intake, f"{n}_enc")) for n in PERSONAL_DETAILS}
    # The person's own words, in order (intake_store/narrative.py): part of the same read.
    lines = narrative_lines(session, cipher=cipher, intake_id=intake_id)
    personal[NARRATIVE] = "\n".join(lines) if lines else None
    return personal


@dataclass(frozen=True)
class CaseSummary:
    """The non-identifying facts of one intake (shown without a reveal)."""

    id: int
    reference_code: str
    conversation_id: int | None
    triage: str
    status: str
    urgent_reasons: list[str]
    language: str
    channel: str | None
    category: str | None
    destination_country: str | None
    province: str | None
    at_risk: str | None
    age_band: str | None
    is_minor: bool | None
    people_count: int | None
    consent_contact: bool | None
    safe_to_contact: bool | None
    contact_method: str | None
    has_safe_contact_time: bool  # the person's own words about when (encrypted, not shown here)
    return_mode: str | None
    discovery: str | None
    route: str | None
    assigned_to: str | None
    escalation_level: int
    received_at: datetime
    alerted_at: datetime | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    has_personal_data: bool
    source: str | None = None  # filed by an operator: how it came (filing.SOURCES)
    filed_by: str | None = None


def case_summary(session: Session, *, intake_id: int) -> CaseSummary:
    row = get_row(session, intake_id)
    return CaseSummary(
        **_case_facts(row),
        category=row.category,
        destination_country=row.destination_country,
        province=row.province,
        at_risk=row.at_risk,
        age_band=row.age_band,
        is_minor=row.is_minor,
        people_count=row.people_count,
        consent_contact=row.consent_contact,
        safe_to_contact=row.safe_to_contact,
        contact_method=row.contact_method,
        has_safe_contact_time=row.safe_contact_time_enc is not None,
        return_mode=row.return_mode,
        discovery=row.discovery,
        route=row.route,
        has_personal_data=any(getattr(row, f"{name}_enc") is not None for name in PERSONAL_DETAILS)
        or has_narrative(session, intake_id=intake_id),
        source=row.source,
        filed_by=row.filed_by,
    )


@dataclass(frozen=True)
class AlertView:
    """A staff alert as the notifier recorded it (text has no personal data by contract)."""

    id: int
    intake_id: int | None
    reference_code: str | None
    channel: str
    status: str
    text: str
    error: str | None
    created_at: datetime
    sent_at: datetime | None


def recent_alerts(session: Session, *, limit: int = 100) -> list[AlertView]:
    """Newest staff alerts first: what the Telegram, SMS or logging notifier delivered."""
    rows = session.execute(
        select(Alert, Intake.reference_code)
        .outerjoin(Intake, Intake.id == Alert.intake_id)
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(limit)
    ).all()
    return [
        AlertView(
            id=alert.id,
            intake_id=alert.intake_id,
            reference_code=reference,
            channel=alert.channel,
            status=alert.status,
            text=alert.text,
            error=alert.error,
            created_at=alert.created_at,
            sent_at=alert.sent_at,
        )
        for alert, reference in rows
    ]


def reference_codes(session: Session, *, intake_ids: list[int]) -> dict[int, str]:
    """The CT- codes of these intakes: what people read instead of internal ids."""
    if not intake_ids:
        return {}
    rows = session.execute(
        select(Intake.id, Intake.reference_code).where(Intake.id.in_(set(intake_ids)))
    ).all()
    return {int(row_id): str(code) for row_id, code in rows}


def intake_id_for_reference(session: Session, *, reference: str) -> int | None:
    found = session.scalars(
        select(Intake.id).where(Intake.reference_code == reference.strip().upper())
    ).first()
    return None if found is None else int(found)
