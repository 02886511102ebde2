"""What a load run reads back from the store (bench/e2e.py): message counts by status, each
urgent case's sender hash and one sender's message trail. No text and no sender id: only
statuses, keyed hashes and case codes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake_store.models import Conversation, Intake, Message


@dataclass(frozen=True)
class TrailStep:
    """One stored message of a sender, as the benchmark reports a lost one."""

    direction: str  # inbound | outbound
    status: str
    error: str | None


def last_message_id(session: Session) -> int:
    """The newest stored message's id (0 when there is none): where a run's messages start."""
    return int(session.scalar(select(func.max(Message.id))) or 0)


def inbound_status_counts(session: Session, *, after_id: int) -> dict[str, int]:
    """How many inbound messages stored after ``after_id`` have each status."""
    rows = session.execute(
        select(Message.status, func.count())
        .where(Message.direction == "inbound", Message.id > after_id)
        .group_by(Message.status)
    ).all()
    return {str(status): int(count) for status, count in rows}


def urgent_case_senders(session: Session) -> list[tuple[str, str | None]]:
    """(case code, sender hash) of every urgent case opened from a conversation (no hash once
    the conversation was erased)."""
    rows = session.execute(
        select(Intake.reference_code, Conversation.sender_hash)
        .join(Conversation, Conversation.id == Intake.conversation_id)
        .where(Intake.triage == "urgent")
    ).all()
    return [(str(code), sender_hash) for code, sender_hash in rows]


def message_trail(session: Session, *, sender_hash: str) -> list[TrailStep]:
    """The sender's stored messages in order: direction, status and error, never text."""
    rows = session.execute(
        select(Message.direction, Message.status, Message.error)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.sender_hash == sender_hash)
        .order_by(Message.id)
    ).all()
    return [TrailStep(str(direction), str(status), error) for direction, status, error in rows]
