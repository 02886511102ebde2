"""Reads of a conversation: which one a sender or a Rasa sender id has, its open case, its
language, and (audited) its sender id and transcript. Writes of messages are in messages.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.models import Conversation, Intake, Message


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


@dataclass(frozen=True)
class OpenCase:
    """The newest case of a conversation that is not closed."""

    id: int
    reference_code: str
    language: str


def latest_for_sender(session: Session, *, channel: str, sender_hash: str) -> int | None:
    """The id of the sender's newest conversation on the channel; None when they have none."""
    return session.scalar(
        select(Conversation.id)
        .where(Conversation.channel == channel, Conversation.sender_hash == sender_hash)
        .order_by(Conversation.id.desc())
        .limit(1)
    )


def latest_open_case(session: Session, *, conversation_id: int) -> OpenCase | None:
    """The conversation's own newest case that is not closed (a linked case does not count)."""
    intake = session.scalars(
        select(Intake)
        .where(Intake.conversation_id == conversation_id, Intake.status != "closed")
        .order_by(Intake.id.desc())
        .limit(1)
    ).first()
    if intake is None:
        return None
    return OpenCase(id=intake.id, reference_code=intake.reference_code, language=intake.language)


def case_ids(session: Session, *, conversation_id: int) -> list[int]:
    """The ids of the cases opened from the conversation, oldest first (a linked one is not)."""
    return list(
        session.scalars(
            select(Intake.id).where(Intake.conversation_id == conversation_id).order_by(Intake.id)
        )
    )


def is_live(session: Session, *, conversation_id: int) -> bool:
    """The conversation exists and was not erased."""
    conversation = session.get(Conversation, conversation_id)
    return conversation is not None and conversation.erased_at is None


def conversation_language(session: Session, *, conversation_id: int) -> str:
    """The language of the conversation's latest case ("vi" when it has none)."""
    language = session.scalar(
        select(Intake.language)
        .where(Intake.conversation_id == conversation_id)
        .order_by(Intake.id.desc())
        .limit(1)
    )
    return language or "vi"


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
    session: Session,
    *,
    cipher: FieldCipher,
    conversation_id: int,
    actor: str,
    reason: str,
    audited: bool = True,
) -> list[TranscriptLine]:
    """The whole conversation in order; writes an audit row in the same transaction."""
    messages = session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    ).all()
    # audited=False: only to show again, minutes later, what this actor revealed and was
    # audited for (the console's reveal grant, console/reveal_grant.py).
    if audited:
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
