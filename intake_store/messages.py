"""Conversations and messages: encrypted text, pseudonymous senders, idempotent inbound."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import Conversation, Intake, Message, OutboxRow, utcnow

InboundStatus = Literal["received", "processed", "queued", "failed", "held", "seen"]
# held: kept for the operator holding the conversation (never sent to Rasa), unread; seen: read.
INBOUND_STATUSES = ("received", "processed", "queued", "failed", "held", "seen")
CHANNELS = ("webchat", "telegram", "zalo", "sms")


@dataclass(frozen=True)
class InboundRecord:
    message_id: int
    conversation_id: int
    rasa_sender_id: str
    duplicate: bool


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


@dataclass(frozen=True)
class ConversationRef:
    id: int
    channel: str
    rasa_sender_id: str
    created_at: datetime
    last_message_at: datetime
    open_intake_id: int | None
    erased: bool


@dataclass(frozen=True)
class TranscriptLine:
    message_id: int
    direction: str  # inbound | outbound
    text: str | None  # None once erased
    at: datetime
    status: str


def _conversation_for(
    session: Session, *, cipher: FieldCipher, channel: str, sender_hash: str, sender_id: str
) -> Conversation:
    conversation = session.scalars(
        select(Conversation)
        .where(Conversation.channel == channel, Conversation.sender_hash == sender_hash)
        .order_by(Conversation.id.desc())
        .limit(1)
    ).first()
    if conversation is not None:
        return conversation
    conversation = Conversation(
        channel=channel,
        sender_hash=sender_hash,
        # Rasa sees only a pseudonym derived from the keyed hash, never the channel id.
        rasa_sender_id=f"ct-{sender_hash[:40]}",
        sender_id_enc=cipher.encrypt(sender_id),
    )
    try:
        with session.begin_nested():
            session.add(conversation)
    except IntegrityError:  # another request created it at the same moment
        return session.scalars(
            select(Conversation).where(Conversation.rasa_sender_id == f"ct-{sender_hash[:40]}")
        ).one()
    return conversation


def record_inbound(
    session: Session,
    *,
    cipher: FieldCipher,
    hasher: SenderHasher,
    channel: str,
    sender_id: str,
    external_id: str,
    text: str,
    received_at: datetime | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> InboundRecord:
    """Store one inbound message; the same (channel, external_id) returns the first record."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    existing = session.execute(
        select(Message.id, Message.conversation_id, Conversation.rasa_sender_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.channel == channel, Message.external_id == external_id)
    ).first()
    if existing is not None:
        return InboundRecord(existing[0], existing[1], existing[2], duplicate=True)

    now = received_at or utcnow()
    sender_hash = hasher.hash(channel=channel, sender_id=sender_id)
    conversation = _conversation_for(
        session, cipher=cipher, channel=channel, sender_hash=sender_hash, sender_id=sender_id
    )
    conversation.last_message_at = now
    message = Message(
        conversation_id=conversation.id,
        direction="inbound",
        channel=channel,
        external_id=external_id,
        text_enc=cipher.encrypt(text),
        extra_enc=cipher.encrypt(json.dumps(attachments, ensure_ascii=False))
        if attachments
        else None,
        status="received",
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # a concurrent webhook retry stored it first
        row = session.execute(
            select(Message.id, Message.conversation_id).where(
                Message.channel == channel, Message.external_id == external_id
            )
        ).one()
        return InboundRecord(row[0], row[1], conversation.rasa_sender_id, duplicate=True)
    return InboundRecord(message.id, conversation.id, conversation.rasa_sender_id, duplicate=False)


def set_inbound_status(
    session: Session, *, message_id: int, status: str, error: str | None = None
) -> None:
    if status not in INBOUND_STATUSES:
        raise ValueError(f"unknown inbound status {status!r}")
    session.execute(
        update(Message)
        .where(Message.id == message_id, Message.direction == "inbound")
        .values(status=status, error=(error or None) and error[:200], updated_at=utcnow())
    )


def record_outbound(
    session: Session,
    *,
    cipher: FieldCipher,
    conversation_id: int,
    text: str,
    buttons: list[dict[str, Any]] | None = None,
    status: str = "sent",
) -> int:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(f"conversation {conversation_id} does not exist")
    message = Message(
        conversation_id=conversation_id,
        direction="outbound",
        channel=conversation.channel,
        external_id=None,
        text_enc=cipher.encrypt(text),
        extra_enc=cipher.encrypt(json.dumps(buttons, ensure_ascii=False)) if buttons else None,
        status=status,
    )
    session.add(message)
    session.flush()
    return message.id


def pending_inbound(
    session: Session,
    *,
    limit: int = 100,
    cipher: FieldCipher | None = None,
    actor: str = "system:gateway-retry",
) -> list[PendingInbound]:
    """Inbound messages not yet answered (received/queued/failed), oldest first.

    With a ``cipher`` the text and channel sender id are decrypted for re-processing, and that
    read is audited once per call.
    """
    rows = session.execute(
        select(Message, Conversation)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.direction == "inbound",
            Message.status.in_(("received", "queued", "failed")),
            Message.text_enc.is_not(None),
        )
        .order_by(Message.id)
        .limit(limit)
    ).all()
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


def _open_intake_id(session: Session, conversation_id: int) -> int | None:
    linked = session.scalars(  # a case named by its code in this conversation comes first
        select(Intake.id)
        .join(Conversation, Conversation.linked_intake_id == Intake.id)
        .where(Conversation.id == conversation_id, Intake.status != "closed")
    ).first()
    if linked is not None:
        return linked
    return session.scalars(
        select(Intake.id)
        .where(Intake.conversation_id == conversation_id, Intake.status != "closed")
        .order_by(Intake.id.desc())
        .limit(1)
    ).first()


def conversation_for_sender(session: Session, *, rasa_sender_id: str) -> ConversationRef | None:
    conversation = session.scalars(
        select(Conversation).where(Conversation.rasa_sender_id == rasa_sender_id)
    ).first()
    if conversation is None:
        return None
    return ConversationRef(
        id=conversation.id,
        channel=conversation.channel,
        rasa_sender_id=conversation.rasa_sender_id,
        created_at=conversation.created_at,
        last_message_at=conversation.last_message_at,
        open_intake_id=_open_intake_id(session, conversation.id),
        erased=conversation.erased_at is not None,
    )


def sender_id_for(
    session: Session, *, cipher: FieldCipher, conversation_id: int, actor: str, reason: str
) -> str | None:
    """The channel's sender id (to answer the person); audited."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.sender_id_enc is None:
        return None
    record_audit(
        session,
        actor=actor,
        action="read_sender_id",
        subject_type="conversation",
        subject_id=conversation_id,
        reason=reason,
    )
    return cipher.decrypt(conversation.sender_id_enc)


def transcript(
    session: Session, *, cipher: FieldCipher, conversation_id: int, actor: str, reason: str
) -> list[TranscriptLine]:
    """The whole conversation in order; writes an audit row in the same transaction."""
    messages = session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    ).all()
    record_audit(
        session,
        actor=actor,
        action="read_transcript",
        subject_type="conversation",
        subject_id=conversation_id,
        reason=reason,
        detail={"messages": len(messages)},
    )
    return [
        TranscriptLine(
            message_id=m.id,
            direction=m.direction,
            text=cipher.decrypt_optional(m.text_enc),
            at=m.created_at,
            status=m.status,
        )
        for m in messages
    ]


@dataclass(frozen=True)
class OutboundToSend:
    """A queued staff reply, decrypted for the gateway that delivers it."""

    message_id: int
    conversation_id: int
    channel: str
    text: str | None
    status: str
    last_inbound_at: datetime  # channels only let us answer within a window after this


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
        message.id, message.conversation_id, channel, text, message.status, last_inbound_at
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
    picked = [PickedUpReply(m.id, cipher.decrypt(m.text_enc or "")) for m in held]
    if picked:
        session.execute(
            update(Message)
            .where(Message.id.in_([p.message_id for p in picked]))
            .values(status="sent", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return picked
