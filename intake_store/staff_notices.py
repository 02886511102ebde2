"""Telling staff about a case: its first staff alert when it becomes urgent, and a notice
(``intake_update``) to the staff who already know of it when the person adds to it.

Both are outbox rows written in the caller's transaction, so a case never changes without the
message that must follow it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.bursts import DEFAULT_WINDOW, fold_into_burst
from intake_store.models import Intake, OutboxRow
from intake_store.outbox import enqueue, enqueue_intake_update

# Pseudo-field of an ``intake_update``: a new message from the person joined the case.
NEW_MESSAGE = "message"
# Pseudo-field of an ``intake_update``: the person came back in another conversation.
RETURNED = "conversation"
# Pseudo-field: the case code was typed in another conversation; staff have to confirm the link.
CLAIMED = "conversation_claimed"
# Changes within these seconds of each other reach staff as one notice.
UPDATE_NOTICE_DELAY_SECONDS = 5.0


def staff_know_of(session: Session, intake: Intake) -> bool:
    """Someone took the case, or an alert about it is (or was) on its way."""
    if intake.assigned_staff_id is not None or intake.acknowledged_at is not None:
        return True
    alert = select(OutboxRow.id).where(
        OutboxRow.intake_id == intake.id, OutboxRow.kind == "staff_alert"
    )
    return session.scalars(alert.limit(1)).first() is not None


def alert_still_waiting(session: Session, intake: Intake) -> bool:
    """The first alert is queued and untouched: the worker reads the case's fields when it sends
    it, so a change now is in the alert and needs no notice of its own. Locked, so a worker's
    claim of the row waits for this transaction and then reads what it wrote."""
    waiting = select(OutboxRow.id).where(
        OutboxRow.intake_id == intake.id,
        OutboxRow.kind == "staff_alert",
        OutboxRow.status == "pending",
        OutboxRow.attempts == 0,
        OutboxRow.claimed_by.is_(None),
    )
    return session.scalars(waiting.limit(1).with_for_update()).first() is not None


def queue_update(session: Session, intake: Intake, fields: list[str], now: datetime) -> bool:
    if not fields or intake.status == "closed" or not staff_know_of(session, intake):
        return False
    enqueue_intake_update(
        session,
        intake_id=intake.id,
        reference_code=intake.reference_code,
        fields=fields,
        now=now,
        delay_seconds=UPDATE_NOTICE_DELAY_SECONDS,
    )
    return True


def _alert_payload(intake: Intake) -> dict[str, Any]:
    # Identifiers only: the worker reads the current non-personal fields at delivery time.
    return {"intake_id": intake.id, "reference_code": intake.reference_code, "level": 0}


def queue_alert(
    session: Session, intake: Intake, now: datetime, burst_window: timedelta = DEFAULT_WINDOW
) -> bool:
    """Queue the staff alert of a case that became urgent, unless it joins its source's burst."""
    if fold_into_burst(session, intake=intake, now=now, window=burst_window):
        return False
    return (
        enqueue(
            session,
            kind="staff_alert",
            dedupe_key=f"staff_alert:{intake.id}",
            payload=_alert_payload(intake),
            intake_id=intake.id,
            now=now,
        )
        is not None
    )
