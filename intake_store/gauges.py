"""Store-wide figures for monitoring (the routing worker's ``/metrics``): counts and ages only.

Nothing here returns a person's data, an id or a reference code: only how many rows wait, by
their kind or status, and how long the oldest has waited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake_store.models import Intake, Message, OutboxRow

# Outbox rows nobody has delivered yet (``sending`` is claimed by a worker right now).
WAITING = ("pending", "sending")


@dataclass(frozen=True)
class StoreGauges:
    outbox_waiting: dict[str, int] = field(default_factory=dict)  # by kind
    outbox_failed: dict[str, int] = field(default_factory=dict)  # given up, by kind
    outbox_oldest_waiting_seconds: float | None = None
    urgent_unacknowledged: int = 0
    urgent_unacknowledged_oldest_seconds: float | None = None
    inbound_queued: dict[str, int] = field(default_factory=dict)  # waiting for Rasa, by channel


def read_gauges(session: Session, *, now: datetime) -> StoreGauges:
    def by(column: object, *where: object) -> dict[str, int]:
        rows = session.execute(
            select(column, func.count()).where(*where).group_by(column)  # type: ignore[call-overload]
        ).all()
        return {str(key): int(count) for key, count in rows}

    def age(oldest: datetime | None) -> float | None:
        return None if oldest is None else max(0.0, (now - oldest).total_seconds())

    waiting = OutboxRow.status.in_(WAITING)
    # An urgent case nobody took yet; a case folded into a burst is counted with its first one.
    unacknowledged = (
        Intake.triage == "urgent",
        Intake.acknowledged_at.is_(None),
        Intake.status == "new",
        Intake.burst_leader_id.is_(None),
    )
    urgent_count, urgent_oldest = session.execute(
        select(func.count(), func.min(Intake.received_at)).where(*unacknowledged)
    ).one()
    return StoreGauges(
        outbox_waiting=by(OutboxRow.kind, waiting),
        outbox_failed=by(OutboxRow.kind, OutboxRow.status == "failed"),
        outbox_oldest_waiting_seconds=age(
            session.scalar(select(func.min(OutboxRow.created_at)).where(waiting))
        ),
        urgent_unacknowledged=int(urgent_count or 0),
        urgent_unacknowledged_oldest_seconds=age(urgent_oldest),
        inbound_queued=by(
            Message.channel, Message.direction == "inbound", Message.status == "queued"
        ),
    )
