"""Whose turn it is to send a conversation to Rasa, across several gateways.

A person's messages must reach Rasa one at a time and in order. Inside one gateway
``bot.rasa_client.RasaClient.turn`` does that; behind a load balancer two gateways may hold
messages of the same conversation (one retrying what was queued during an outage, another
receiving the person's next message). So a gateway takes the conversation's turn in the store
before it forwards anything: a lease (``turn_by``, ``turn_until``) that only one holder has at a
time, renewed before each message and given back afterwards; a holder that died frees it when
the lease runs out. Taking it is one conditional UPDATE, atomic on SQLite and PostgreSQL alike;
the retry loop's claim picks the conversations with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
two gateways' passes never wait for each other.

The retry counts live here too (``messages.retry_attempts`` / ``retry_at``), so the backoff and
the give-up limit hold for the whole deployment, not per gateway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from intake_store.crypto import FieldCipher
from intake_store.message_delivery import PendingInbound, pending_from_rows
from intake_store.models import Conversation, Message, utcnow

PENDING = ("received", "queued")


def _free(holder: str, now: datetime) -> Any:
    return or_(
        Conversation.turn_by.is_(None),
        Conversation.turn_until.is_(None),
        Conversation.turn_until <= now,
        Conversation.turn_by == holder,
    )


def take_turn(
    session: Session, *, conversation_id: int, holder: str, now: datetime, lease_seconds: float
) -> bool:
    """Take (or renew) the conversation's turn for ``holder``; False while someone else has it."""
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, _free(holder, now))
        .values(turn_by=holder, turn_until=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end_turn(session: Session, *, conversation_ids: Sequence[int], holder: str) -> None:
    """Give the turns back (only those ``holder`` still has)."""
    if not conversation_ids:
        return
    session.execute(
        update(Conversation)
        .where(Conversation.id.in_(list(conversation_ids)), Conversation.turn_by == holder)
        .values(turn_by=None, turn_until=None)
        .execution_options(synchronize_session=False)
    )


def claim_pending(
    session: Session,
    *,
    holder: str,
    now: datetime,
    lease_seconds: float,
    stale_received: timedelta,
    cipher: FieldCipher,
    limit: int = 200,
    actor: str = "system:gateway-retry",
) -> list[PendingInbound]:
    """Take the turn of conversations whose oldest unanswered message is due for a retry, and
    return their unanswered messages, oldest first (text and sender decrypted, read audited).

    Due: past its ``retry_at``, and ``queued`` or ``received`` longer ago than
    ``stale_received`` (younger, its webhook is still at work). A conversation whose oldest
    message is not due is left alone: its later messages must not overtake it. Commit right
    after, so other gateways see the turns taken.
    """
    oldest = (
        select(Message.conversation_id, Message.id)
        .where(
            Message.direction == "inbound",
            Message.status.in_(PENDING),
            Message.text_enc.is_not(None),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    firsts: dict[int, int] = {}
    for conversation_id, message_id in session.execute(oldest):
        firsts.setdefault(conversation_id, message_id)
    if not firsts:
        return []
    due_first = select(Message.id).where(
        Message.id.in_(list(firsts.values())),
        or_(Message.retry_at.is_(None), Message.retry_at <= now),
        or_(Message.status == "queued", Message.created_at <= now - stale_received),
    )
    due_ids = set(session.scalars(due_first))
    candidates = [c for c, first in firsts.items() if first in due_ids]
    claimed = _claim_conversations(
        session, conversation_ids=candidates, holder=holder, now=now, lease_seconds=lease_seconds
    )
    if not claimed:
        return []
    rows = session.execute(
        select(Message, Conversation)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.conversation_id.in_(claimed),
            Message.direction == "inbound",
            Message.status.in_(PENDING),
            Message.text_enc.is_not(None),
        )
        .order_by(Message.id)
    ).all()
    return pending_from_rows(session, rows, cipher=cipher, actor=actor)


def _claim_conversations(
    session: Session,
    *,
    conversation_ids: Sequence[int],
    holder: str,
    now: datetime,
    lease_seconds: float,
) -> list[int]:
    if not conversation_ids:
        return []
    until = now + timedelta(seconds=lease_seconds)
    if session.get_bind().dialect.name == "postgresql":
        # Rows another gateway is claiming right now are skipped, not waited for.
        free = list(
            session.scalars(
                select(Conversation.id)
                .where(Conversation.id.in_(list(conversation_ids)), _free(holder, now))
                .order_by(Conversation.id)
                .with_for_update(skip_locked=True)
            )
        )
        if free:
            session.execute(
                update(Conversation)
                .where(Conversation.id.in_(free))
                .values(turn_by=holder, turn_until=until)
                .execution_options(synchronize_session=False)
            )
        return free
    # SQLite has one writer at a time: a conditional UPDATE per row keeps what it changed.
    return [
        conversation_id
        for conversation_id in conversation_ids
        if take_turn(
            session,
            conversation_id=conversation_id,
            holder=holder,
            now=now,
            lease_seconds=lease_seconds,
        )
    ]


def record_retry_failure(
    session: Session, *, message_id: int, retry_at: datetime | None, error: str | None = None
) -> int:
    """Count a failed retry of a queued message; ``retry_at=None`` gives up (``failed``).

    Returns the message's failed retries so far.
    """
    values: dict[str, Any] = {
        "retry_attempts": Message.retry_attempts + 1,
        "retry_at": retry_at,
        "updated_at": utcnow(),
    }
    if retry_at is None:
        values.update(status="failed", error=(error or "retries exhausted")[:200])
    session.execute(
        update(Message)
        .where(Message.id == message_id, Message.direction == "inbound")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    attempts = session.scalar(select(Message.retry_attempts).where(Message.id == message_id))
    return int(attempts or 0)
