"""Audit log: one row for every read of personal data and every privacy operation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.models import AuditEntry, utcnow


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: int | None
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | None,
    reason: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Write one audit row in the caller's transaction: a read and its audit commit together."""
    if not actor or not reason:
        raise ValueError("personal data is only read with an actor and a reason")
    entry = AuditEntry(
        at=at or utcnow(),
        actor=actor[:64],
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason[:500],
        detail=detail or {},
    )
    session.add(entry)
    session.flush()
    return entry.id


def list_audit(
    session: Session,
    *,
    subject_type: str | None = None,
    subject_id: int | None = None,
    actor: str | None = None,
    limit: int = 100,
) -> list[AuditRecord]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if subject_type is not None:
        query = query.where(AuditEntry.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return [
        AuditRecord(
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            reason=e.reason,
            detail=dict(e.detail or {}),
        )
        for e in session.scalars(query)
    ]
