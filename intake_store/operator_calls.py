"""The calls operators filed or attached: read back (decrypted, audited), listed, forgotten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.call_drafts import ATTACHED, FILED
from intake_store.crypto import FieldCipher
from intake_store.models import Intake, OperatorCall
from intake_store.search_keys import forget_keys


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
