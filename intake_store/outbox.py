"""Transactional outbox: rows written with the intake, delivered by the routing worker.

Claiming is safe with several workers: PostgreSQL uses ``FOR UPDATE SKIP LOCKED``; SQLite (one
writer at a time) uses a conditional UPDATE per row and keeps only the rows it changed. A claim is a
lease: a row left in ``sending`` by a crashed worker is claimable again after ``lease_seconds``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake_store.models import OutboxRow, utcnow

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")
DEFAULT_LEASE_SECONDS = 60.0
# New facts about a case staff already know of (answers given after the alert, later messages).
INTAKE_UPDATE = "intake_update"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str
    intake_id: int | None
    payload: dict[str, Any]
    attempts: int  # including the current claim
    dedupe_key: str
    created_at: datetime


def enqueue(
    session: Session,
    *,
    kind: str,
    dedupe_key: str,
    payload: dict[str, Any] | None = None,
    intake_id: int | None = None,
    now: datetime | None = None,
    not_before: datetime | None = None,
) -> int | None:
    """Add a row; returns its id, or None when a row with this dedupe key already exists."""
    if session.scalars(select(OutboxRow.id).where(OutboxRow.dedupe_key == dedupe_key)).first():
        return None
    created = now or utcnow()
    row = OutboxRow(
        kind=kind,
        intake_id=intake_id,
        payload=payload or {},
        status="pending",
        attempts=0,
        next_attempt_at=not_before or created,
        dedupe_key=dedupe_key,
        created_at=created,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row.id


def enqueue_intake_update(
    session: Session,
    *,
    intake_id: int,
    reference_code: str,
    fields: Sequence[str],
    now: datetime,
    delay_seconds: float = 0.0,
    burst: int = 0,
) -> int:
    """Queue a notice that ``fields`` of an intake changed; returns the outbox row's id.

    ``burst``: urgent chats from the case's source folded into it (intake_store/bursts.py);
    added up while the notice waits.

    While a notice for the intake still waits untouched (never claimed), later changes join it:
    one form answered question by question gives staff one message, not five. The short
    ``delay_seconds`` gives the answers of one turn time to join.
    """
    waiting = session.scalars(
        select(OutboxRow)
        .where(
            OutboxRow.intake_id == intake_id,
            OutboxRow.kind == INTAKE_UPDATE,
            OutboxRow.status == "pending",
            OutboxRow.attempts == 0,
        )
        .order_by(OutboxRow.id.desc())
        .limit(1)
        .with_for_update()  # PostgreSQL: waits for a worker's claim, then sees it is taken
    ).first()
    if waiting is not None:
        known = list((waiting.payload or {}).get("fields") or [])
        merged = known + [f for f in fields if f not in known]
        joined = session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == waiting.id, OutboxRow.status == "pending")
            .values(payload=_joined(waiting.payload or {}, merged, burst))
            .execution_options(synchronize_session=False)
        )
        if joined.rowcount:  # type: ignore[attr-defined]
            return waiting.id
    row_id = enqueue(
        session,
        kind=INTAKE_UPDATE,
        dedupe_key=f"{INTAKE_UPDATE}:{intake_id}:{uuid.uuid4().hex[:16]}",
        payload=_joined(
            {"intake_id": intake_id, "reference_code": reference_code}, list(fields), burst
        ),
        intake_id=intake_id,
        now=now,
        not_before=now + timedelta(seconds=delay_seconds),
    )
    assert row_id is not None  # the key is new
    return row_id


def _joined(payload: dict[str, Any], fields: list[str], burst: int) -> dict[str, Any]:
    joined = {**payload, "fields": fields}
    if burst:
        joined["burst"] = int(payload.get("burst") or 0) + burst
    return joined


def _due(now: datetime, lease_seconds: float) -> Any:
    lease_expired = now - timedelta(seconds=lease_seconds)
    return or_(
        and_(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == "sending", OutboxRow.claimed_at <= lease_expired),
    )


def claim(
    session: Session,
    *,
    worker_id: str,
    now: datetime,
    limit: int = 10,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    kinds: Sequence[str] | None = None,
) -> list[OutboxItem]:
    """Claim due rows for ``worker_id``; commit right after so other workers see the lease.

    ``kinds`` restricts the claim to the rows a process can deliver (the routing worker sends
    staff alerts, the gateway sends staff replies to people).
    """
    due = _due(now, lease_seconds)
    if kinds is not None:
        due = and_(due, OutboxRow.kind.in_(list(kinds)))
    order = (OutboxRow.next_attempt_at, OutboxRow.id)
    claimed: list[OutboxRow] = []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.scalars(
            select(OutboxRow)
            .where(due)
            .order_by(*order)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.status = "sending"
            row.claimed_by = worker_id
            row.claimed_at = now
            row.attempts += 1
        claimed = list(rows)
    else:
        candidates = session.scalars(select(OutboxRow.id).where(due).order_by(*order).limit(limit))
        for row_id in list(candidates):
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id, due)
                .values(
                    status="sending",
                    claimed_by=worker_id,
                    claimed_at=now,
                    attempts=OutboxRow.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                fresh = session.get(OutboxRow, row_id, populate_existing=True)
                if fresh is not None:
                    claimed.append(fresh)
    session.flush()
    return [
        OutboxItem(
            id=r.id,
            kind=r.kind,
            intake_id=r.intake_id,
            payload=dict(r.payload or {}),
            attempts=r.attempts,
            dedupe_key=r.dedupe_key,
            created_at=r.created_at,
        )
        for r in claimed
    ]


def _owned(outbox_id: int, worker_id: str) -> Any:
    return and_(
        OutboxRow.id == outbox_id,
        OutboxRow.status == "sending",
        OutboxRow.claimed_by == worker_id,
    )


def renew(session: Session, *, outbox_id: int, worker_id: str, now: datetime) -> bool:
    """Extend ``worker_id``'s lease on a row it is delivering; False when the lease was lost.

    A worker renews before each send, so a delivery to many people (or over a slow channel)
    never outlives its lease and has a second worker send the same alert again.
    """
    result = session.execute(
        update(OutboxRow)
        .where(_owned(outbox_id, worker_id))
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(session: Session, *, outbox_id: int, worker_id: str, now: datetime) -> bool:
    """False when the lease was lost (another worker re-claimed the row)."""
    result = session.execute(
        update(OutboxRow)
        .where(_owned(outbox_id, worker_id))
        .values(status="sent", sent_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_failed(
    session: Session,
    *,
    outbox_id: int,
    worker_id: str,
    error: str,
    retry_at: datetime | None,
) -> bool:
    """Back to ``pending`` until ``retry_at``; ``retry_at=None`` gives up (status ``failed``)."""
    values: dict[str, Any] = {"last_error": error[:500]}
    if retry_at is None:
        values["status"] = "failed"
    else:
        values.update(status="pending", next_attempt_at=retry_at, claimed_by=None, claimed_at=None)
    result = session.execute(
        update(OutboxRow)
        .where(_owned(outbox_id, worker_id))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class OutboxStatus:
    id: int
    kind: str
    intake_id: int | None
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    dedupe_key: str


def list_outbox(
    session: Session, *, intake_id: int | None = None, status: str | None = None, limit: int = 100
) -> list[OutboxStatus]:
    query = select(OutboxRow).order_by(OutboxRow.id).limit(limit)
    if intake_id is not None:
        query = query.where(OutboxRow.intake_id == intake_id)
    if status is not None:
        query = query.where(OutboxRow.status == status)
    return [
        OutboxStatus(
            id=r.id,
            kind=r.kind,
            intake_id=r.intake_id,
            status=r.status,
            attempts=r.attempts,
            next_attempt_at=r.next_attempt_at,
            last_error=r.last_error,
            sent_at=r.sent_at,
            dedupe_key=r.dedupe_key,
        )
        for r in session.scalars(query)
    ]


def oldest_pending_age(session: Session, *, now: datetime) -> float | None:
    """Seconds the oldest undelivered row (pending or being sent) has waited; None: none waits."""
    oldest = session.scalars(
        select(OutboxRow.created_at)
        .where(OutboxRow.status.in_(("pending", "sending")))
        .order_by(OutboxRow.created_at)
        .limit(1)
    ).first()
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())
