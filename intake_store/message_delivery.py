"""Delivering stored messages: inbound ones still to be answered, queued staff replies to send
(or for the web chat page to pick up), and what became of them. Message writes are in
intake_store/messages.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.conversations import conversation_language
from intake_store.crypto import FieldCipher
from intake_store.models import Conversation, Intake, Message, OutboxRow, utcnow


@dataclass(frozen=True)
class PendingInbound:
    message_id: int
    conversation_id: int
    rasa_sender_id: str
    channel: str
    status: str
    received_at: datetime
    text: str | None  # only when a cipher was given (the read is audited)
    sender_id: str | None
    retry_attempts: int = 0  # failed retries so far (intake_store/turns.py)
    retry_at: datetime | None = None  # the next retry is due then (None: now)


def pending_from_rows(
    session: Session,
    rows: Sequence[Row[Message, Conversation]],
    *,
    cipher: FieldCipher | None,
    actor: str,
) -> list[PendingInbound]:
    """Pending messages from (message, conversation) rows; with a ``cipher`` their text and
    channel sender id decrypted, that read audited once (the retry loop and ``turns``)."""
    result = [
        PendingInbound(
            message_id=m.id,
            conversation_id=c.id,
            rasa_sender_id=c.rasa_sender_id,
            channel=m.channel,
            status=m.status,
            received_at=m.created_at,
            text=cipher.decrypt_optional(m.text_enc) if cipher else None,
            sender_id=cipher.decrypt_optional(c.sender_id_enc) if cipher else None,
            retry_attempts=m.retry_attempts,
            retry_at=m.retry_at,
        )
        for m, c in rows
    ]
    if cipher is not None and result:
        record_audit(
            session,
            actor=actor,
            action="read_pending_inbound",
            subject_type="message",
            subject_id=None,
            reason="re-deliver unprocessed messages to the assistant",
            detail={"message_ids": [r.message_id for r in result]},
        )
    return result


@dataclass(frozen=True)
class OutboundToSend:
    """A queued staff reply, decrypted for the gateway that delivers it."""

    message_id: int
    conversation_id: int
    channel: str
    text: str | None
    status: str
    last_inbound_at: datetime  # channels only let us answer within a window after this
    language: str = "vi"  # the case's, for the mark on a staff reply


def outbound_to_send(
    session: Session, *, cipher: FieldCipher, message_id: int
) -> OutboundToSend | None:
    """The text and channel of one outbound message (the system reads it to send it)."""
    row = session.execute(
        select(Message, Conversation.channel, Conversation.last_message_at)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id == message_id, Message.direction == "outbound")
    ).first()
    if row is None:
        return None
    message, channel, last_inbound_at = row
    text = cipher.decrypt(message.text_enc) if message.text_enc else None
    return OutboundToSend(
        message.id,
        message.conversation_id,
        channel,
        text,
        message.status,
        last_inbound_at,
        conversation_language(session, conversation_id=message.conversation_id),
    )


def set_outbound_status(session: Session, *, message_id: int, status: str) -> None:
    """Record what became of a queued reply: sent, or held for a human (outside a window)."""
    if status not in ("queued", "sent", "held", "failed"):
        raise ValueError(f"unknown outbound status {status!r}")
    session.execute(
        update(Message)
        .where(Message.id == message_id, Message.direction == "outbound")
        .values(status=status, updated_at=utcnow())
    )


@dataclass(frozen=True)
class PickedUpReply:
    message_id: int
    text: str
    language: str = "vi"


def pick_up_staff_replies(
    session: Session, *, cipher: FieldCipher, conversation_id: int
) -> list[PickedUpReply]:
    """Operator replies the gateway could not push (web chat), for the open page to fetch.

    They are marked ``sent`` here: the person's own page asked for them, with its session id.
    """
    # The person_reply outbox rows name the staff replies among the outbound messages.
    intake_ids = select(Intake.id).where(Intake.conversation_id == conversation_id)
    staff_ids = {
        int(row.payload.get("message_id", 0))
        for row in session.scalars(
            select(OutboxRow).where(
                OutboxRow.kind == "person_reply", OutboxRow.intake_id.in_(intake_ids)
            )
        )
    }
    if not staff_ids:
        return []
    held = session.scalars(
        select(Message)
        .where(
            Message.id.in_(staff_ids),
            Message.conversation_id == conversation_id,
            Message.direction == "outbound",
            Message.status == "held",
            Message.text_enc.is_not(None),
        )
        .order_by(Message.id)
    ).all()
    language = conversation_language(session, conversation_id=conversation_id)
    picked = [PickedUpReply(m.id, cipher.decrypt(m.text_enc or ""), language) for m in held]
    if picked:
        session.execute(
            update(Message)
            .where(Message.id.in_([p.message_id for p in picked]))
            .values(status="sent", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return picked
