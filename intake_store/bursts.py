"""Urgent bursts: many urgent chats from one source in a short window page staff once.

A web chat session id is whatever the browser sends, so one script can open many "victims" and
have each page the on-duty staff (then escalate, then phone them). Every urgent chat is still
opened as an urgent intake (a real victim is never lost), but when an earlier urgent case from
the same source (the keyed hash of the client address, ``Conversation.source_hash``) opened
within the window, its alert is folded into that case's: the count is added to the first alert
while it still waits, else to one "N more urgent chats from the same source" notice to whom the
first alert reached. A folded case is never escalated on its own (``alerts.due_escalations``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select, text, update
from sqlalchemy.orm import Session

from intake_store.models import Conversation, Intake, OutboxRow
from intake_store.outbox import enqueue_intake_update

DEFAULT_WINDOW = timedelta(minutes=10)
# Pseudo-field of an ``intake_update``: more urgent chats from the same source were folded in.
BURST = "burst"
# Folded chats arriving within these seconds of each other reach staff as one notice.
NOTICE_DELAY_SECONDS = 5.0


def fold_into_burst(
    session: Session, *, intake: Intake, now: datetime, window: timedelta = DEFAULT_WINDOW
) -> bool:
    """Fold the staff alert of a case that just became urgent into its burst's first case.

    True when folded (no alert of its own may be queued); False: alert it as usual.
    """
    if intake.conversation_id is None:
        return False
    source = session.scalar(
        select(Conversation.source_hash).where(Conversation.id == intake.conversation_id)
    )
    if not source:
        return False
    if session.get_bind().dialect.name == "postgresql":
        # Two urgent chats from one source at once must not both become the first one. (SQLite
        # has one writer at a time: the caller's conversation lock serialises them already.)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(source[:15], 16)})
    alerted = exists().where(OutboxRow.intake_id == Intake.id, OutboxRow.kind == "staff_alert")
    leader = session.scalars(
        select(Intake)
        .join(Conversation, Conversation.id == Intake.conversation_id)
        .where(
            Conversation.source_hash == source,
            Intake.id != intake.id,
            Intake.triage == "urgent",
            Intake.burst_leader_id.is_(None),
            Intake.anonymised_at.is_(None),
            # A closed case's notices are dropped: a chat folded into it would page no one.
            Intake.status != "closed",
            Intake.created_at >= now - window,
            alerted,
        )
        .order_by(Intake.id.desc())
        .limit(1)
    ).first()
    if leader is None:
        return False
    intake.burst_leader_id = leader.id
    if not _count_in_waiting_alert(session, leader_id=leader.id):
        enqueue_intake_update(
            session,
            intake_id=leader.id,
            reference_code=leader.reference_code,
            fields=[BURST],
            now=now,
            delay_seconds=NOTICE_DELAY_SECONDS,
            burst=1,
        )
    session.flush()
    return True


def _count_in_waiting_alert(session: Session, *, leader_id: int) -> bool:
    """Add one to the first alert's count while the worker has not touched it (it reads the
    count when it sends). Locked, so a worker's claim waits for this transaction."""
    waiting = session.scalars(
        select(OutboxRow)
        .where(
            OutboxRow.intake_id == leader_id,
            OutboxRow.kind == "staff_alert",
            OutboxRow.status == "pending",
            OutboxRow.attempts == 0,
            OutboxRow.claimed_by.is_(None),
        )
        .limit(1)
        .with_for_update()
    ).first()
    if waiting is None:
        return False
    payload = dict(waiting.payload or {})
    counted = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == waiting.id, OutboxRow.status == "pending")
        .values(payload={**payload, BURST: int(payload.get(BURST) or 0) + 1})
        .execution_options(synchronize_session=False)
    )
    return bool(counted.rowcount)  # type: ignore[attr-defined]
