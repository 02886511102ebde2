"""Alert deliveries (one row per staff member per alert) and the escalation bookkeeping.

The ``alerts`` row is written *before* a send and completed after it: a worker that dies between
the two leaves ``sending``, and the next worker sends again (at-least-once); a ``sent`` row is never
sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from intake_store.models import Alert, ConsoleUser, Intake, OutboxRow, Staff

# Outbox kinds whose deliveries are alerts (an ``intake_update`` goes to whom these reached).
ALERT_KINDS = ("staff_alert", "escalation")


@dataclass(frozen=True)
class AlertRecord:
    id: int
    intake_id: int | None
    staff_id: int | None
    channel: str
    status: str
    text: str
    created_at: datetime
    sent_at: datetime | None
    error: str | None


def alert_sent(session: Session, *, dedupe_key: str) -> bool:
    status = session.scalars(select(Alert.status).where(Alert.dedupe_key == dedupe_key)).first()
    return status == "sent"


def begin_alert(
    session: Session,
    *,
    dedupe_key: str,
    outbox_id: int | None,
    intake_id: int | None,
    staff_id: int | None,
    channel: str,
    text: str,
    now: datetime,
) -> None:
    alert = session.scalars(select(Alert).where(Alert.dedupe_key == dedupe_key)).first()
    if alert is None:
        session.add(
            Alert(
                dedupe_key=dedupe_key,
                outbox_id=outbox_id,
                intake_id=intake_id,
                staff_id=staff_id,
                channel=channel,
                status="sending",
                text=text,
                created_at=now,
            )
        )
    else:
        alert.channel, alert.status, alert.text, alert.error = channel, "sending", text, None
    session.flush()


def finish_alert(
    session: Session,
    *,
    dedupe_key: str,
    ok: bool,
    now: datetime,
    provider_ref: str | None = None,
    error: str | None = None,
) -> None:
    session.execute(
        update(Alert)
        .where(Alert.dedupe_key == dedupe_key)
        .values(
            status="sent" if ok else "failed",
            sent_at=now if ok else None,
            provider_ref=provider_ref,
            error=error and error[:500],
        )
        .execution_options(synchronize_session=False)
    )


def list_alerts(
    session: Session, *, intake_id: int | None = None, limit: int = 50
) -> list[AlertRecord]:
    """Recent alerts, newest first (the console's alert panel)."""
    query = select(Alert).order_by(Alert.id.desc()).limit(limit)
    if intake_id is not None:
        query = query.where(Alert.intake_id == intake_id)
    return [
        AlertRecord(
            a.id,
            a.intake_id,
            a.staff_id,
            a.channel,
            a.status,
            a.text,
            a.created_at,
            a.sent_at,
            a.error,
        )
        for a in session.scalars(query)
    ]


def mark_alerted(session: Session, *, intake_id: int, now: datetime) -> bool:
    """Timeline: the first moment a human was reached about this case; True when this was it."""
    result = session.execute(
        update(Intake)
        .where(Intake.id == intake_id, Intake.alerted_at.is_(None))
        .values(alerted_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def due_escalations(
    session: Session, *, now: datetime, after_minutes: float, max_level: int = 2
) -> list[tuple[int, int]]:
    """(intake_id, current level) of urgent cases nobody acknowledged in ``after_minutes``."""
    since = func.coalesce(Intake.escalated_at, Intake.alerted_at, Intake.received_at)
    rows = session.execute(
        select(Intake.id, Intake.escalation_level).where(
            Intake.triage == "urgent",
            Intake.acknowledged_at.is_(None),
            Intake.status == "new",
            Intake.escalation_level < max_level,
            # A case folded into a burst's first one is escalated with it, never on its own.
            Intake.burst_leader_id.is_(None),
            since <= now - timedelta(minutes=after_minutes),
        )
    ).all()
    return [(row[0], row[1]) for row in rows]


def set_escalation_level(
    session: Session, *, intake_id: int, from_level: int, to_level: int, now: datetime
) -> bool:
    """Compare-and-set, so two workers never escalate the same step twice."""
    result = session.execute(
        update(Intake)
        .where(Intake.id == intake_id, Intake.escalation_level == from_level)
        .values(escalation_level=to_level, escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def staff_for_telegram_chat(session: Session, *, chat_id: str) -> int | None:
    return session.scalars(
        select(Staff.id).where(Staff.telegram_chat_id == chat_id, Staff.active.is_(True))
    ).first()


def alerted_staff(session: Session, *, intake_id: int) -> list[int]:
    """Staff an alert or escalation about this intake reached, first reached first."""
    rows = session.execute(
        select(Alert.staff_id, func.min(Alert.sent_at))
        .join(OutboxRow, OutboxRow.id == Alert.outbox_id)
        .where(
            Alert.intake_id == intake_id,
            Alert.status == "sent",
            Alert.staff_id.is_not(None),
            OutboxRow.kind.in_(ALERT_KINDS),
        )
        .group_by(Alert.staff_id)
        .order_by(func.min(Alert.sent_at), Alert.staff_id)
    ).all()
    return [int(row[0]) for row in rows if row[0] is not None]


def alert_outstanding(session: Session, *, intake_id: int) -> bool:
    """The first alert about this intake is still waiting for delivery (pending or in flight)."""
    row = session.scalars(
        select(OutboxRow.id).where(
            OutboxRow.intake_id == intake_id,
            OutboxRow.kind == "staff_alert",
            OutboxRow.status.in_(("pending", "sending")),
        )
    ).first()
    return row is not None


def alert_delivered(session: Session, *, intake_id: int) -> bool:
    """Some alert about this intake reached a human (the log notifier included)."""
    row = session.scalars(
        select(Alert.id)
        .join(OutboxRow, OutboxRow.id == Alert.outbox_id)
        .where(
            Alert.intake_id == intake_id,
            Alert.status == "sent",
            OutboxRow.kind.in_(ALERT_KINDS),
        )
    ).first()
    return row is not None


def holder_staff_id(session: Session, *, intake_id: int) -> int | None:
    """The rostered staff member who holds the case now, if any.

    ``assigned_to`` names the holder: ``staff:<id>`` after a Telegram "Nhận xử lý", or a console
    username (acknowledged or assigned in the console), which counts when that account is linked
    to a staff member. ``assigned_staff_id`` alone could be stale after a reassignment.
    """
    intake = session.get(Intake, intake_id)
    if intake is None or not intake.assigned_to:
        return None
    holder = intake.assigned_to
    if holder.startswith("staff:") and holder[6:].isdigit():
        return int(holder[6:])
    return session.scalars(
        select(ConsoleUser.staff_id).where(
            ConsoleUser.username == holder.lower(), ConsoleUser.staff_id.is_not(None)
        )
    ).first()
