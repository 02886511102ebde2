"""Conversations and messages: encrypted text, pseudonymous senders, idempotent inbound.

What reads them back for delivery (pending inbound, queued staff replies) is in
intake_store/message_delivery.py."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import Conversation, Message, utcnow
from intake_store.not_found import NotFound

InboundStatus = Literal["received", "processed", "queued", "failed", "held", "seen"]
# held: kept for the operator holding the conversation (never sent to Rasa), unread; seen: read.
# "blocked": from a source staff blocked (intake_store/sources.py): kept, never processed.
INBOUND_STATUSES = ("received", "processed", "queued", "failed", "held", "seen", "blocked")
CHANNELS = ("webchat", "telegram", "zalo", "sms")


@dataclass(frozen=True)
class InboundRecord:
    message_id: int
    conversation_id: int
    rasa_sender_id: str
    duplicate: bool
    # This message opened the conversation: the person's first message on this channel.
    conversation_created: bool = False


# -- the per-message path: statements built once (building one costs more than running it) ----
_conversations = cast(Table, Conversation.__table__)
_messages = cast(Table, Message.__table__)

_SENDER_CONVERSATION = (
    select(Conversation)
    .where(
        Conversation.channel == bindparam("channel"),
        Conversation.sender_hash == bindparam("sender_hash"),
    )
    .order_by(Conversation.id.desc())
    .limit(1)
)
_CONVERSATION_OF_SENDER_ID = select(Conversation).where(
    Conversation.rasa_sender_id == bindparam("rasa_sender_id")
)
_STORED_INBOUND = (
    select(_messages.c.id, _messages.c.conversation_id, _conversations.c.rasa_sender_id)
    .join(_conversations, _conversations.c.id == _messages.c.conversation_id)
    .where(
        _messages.c.channel == bindparam("channel"),
        _messages.c.external_id == bindparam("external_id"),
    )
)
_TOUCH_CONVERSATION = (
    update(_conversations)
    .where(_conversations.c.id == bindparam("conversation"))
    .values(last_message_at=bindparam("at"))
)
_CONVERSATION_STATE = select(_conversations.c.channel, _conversations.c.erased_at).where(
    _conversations.c.id == bindparam("conversation")
)
_MARK_PROCESSED = (
    update(_messages)
    .where(_messages.c.id == bindparam("message"), _messages.c.direction == "inbound")
    .values(status="processed", error=None, updated_at=bindparam("at"))
)
_INSERT_MESSAGES = insert(_messages)


def _insert_or_nothing(dialect: str, table: Any, *conflict_columns: str) -> Any:
    """``INSERT ... ON CONFLICT (columns) DO NOTHING`` for the store's two engines.

    One statement instead of a check, an insert and a SAVEPOINT for the race: cheaper, and on
    SQLite a SAVEPOINT opened before any write would itself begin (and its release commit) the
    transaction early.
    """
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    raise NotImplementedError(f"the intake store does not support {dialect}")


@functools.cache
def _insert_inbound(dialect: str) -> Any:
    return _insert_or_nothing(dialect, _messages, "channel", "external_id").returning(
        _messages.c.id
    )


@functools.cache
def _insert_conversation(dialect: str) -> Any:
    return _insert_or_nothing(dialect, _conversations, "rasa_sender_id").returning(
        _conversations.c.id
    )


def _encrypted_json(cipher: FieldCipher, value: Any) -> str | None:
    """Attachments or buttons as encrypted JSON; None when there are none."""
    return cipher.encrypt(json.dumps(value, ensure_ascii=False)) if value else None


def _outbound_row(
    *,
    cipher: FieldCipher,
    conversation_id: int,
    channel: str,
    text: str,
    buttons: list[dict[str, Any]] | None,
    status: str,
    now: datetime,
) -> dict[str, Any]:
    """The messages row of one thing sent to the person (assistant or staff), text encrypted."""
    return {
        "conversation_id": conversation_id,
        "direction": "outbound",
        "channel": channel,
        "external_id": None,
        "text_enc": cipher.encrypt(text),
        "extra_enc": _encrypted_json(cipher, buttons),
        "status": status,
        "created_at": now,
        "updated_at": now,
    }


def _existing_inbound(session: Session, *, channel: str, message_key: str) -> InboundRecord | None:
    row = session.execute(_STORED_INBOUND, {"channel": channel, "external_id": message_key}).first()
    return None if row is None else InboundRecord(row[0], row[1], row[2], duplicate=True)


def stored_inbound_id(
    session: Session, *, hasher: SenderHasher, channel: str, external_id: str
) -> int | None:
    """The stored message with this channel message id (ids are kept only as keyed hashes)."""
    message_key = hasher.message_key(channel=channel, external_id=external_id)
    found = _existing_inbound(session, channel=channel, message_key=message_key)
    return None if found is None else found.message_id


def _new_conversation(
    session: Session,
    *,
    cipher: FieldCipher,
    channel: str,
    sender_hash: str,
    sender_id: str,
    now: datetime,
) -> tuple[Conversation, bool]:
    """The sender's new conversation and True; or the one a concurrent request made, False."""
    # Rasa sees only a pseudonym derived from the keyed hash, never the channel id.
    rasa_sender_id = f"ct-{sender_hash[:40]}"
    created = session.execute(
        _insert_conversation(session.get_bind().dialect.name),
        {
            "channel": channel,
            "sender_hash": sender_hash,
            "rasa_sender_id": rasa_sender_id,
            "sender_id_enc": cipher.encrypt(sender_id),
            "created_at": now,
            "last_message_at": now,
        },
    ).scalar_one_or_none()
    conversation = session.scalars(
        _CONVERSATION_OF_SENDER_ID, {"rasa_sender_id": rasa_sender_id}
    ).one()
    return conversation, created is not None


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
    """Store one inbound message; the same (channel, external_id) returns the first record.

    ``external_id`` is stored as a keyed hash (``SenderHasher.message_key``), never as given.

    The sender's conversation is loaded into ``session`` (so reading its hold state in the same
    transaction costs no query), or created by this message (``conversation_created``).
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    now = received_at or utcnow()
    sender_hash = hasher.hash(channel=channel, sender_id=sender_id)
    message_key = hasher.message_key(channel=channel, external_id=external_id)
    conversation = session.scalars(
        _SENDER_CONVERSATION, {"channel": channel, "sender_hash": sender_hash}
    ).first()
    created = False
    if conversation is None:
        # A replayed message must not create a conversation (it would store the sender again).
        existing = _existing_inbound(session, channel=channel, message_key=message_key)
        if existing is not None:
            return existing
        conversation, created = _new_conversation(
            session,
            cipher=cipher,
            channel=channel,
            sender_hash=sender_hash,
            sender_id=sender_id,
            now=now,
        )
    message_id = session.execute(
        _insert_inbound(session.get_bind().dialect.name),
        {
            "conversation_id": conversation.id,
            "direction": "inbound",
            "channel": channel,
            "external_id": message_key,
            "text_enc": cipher.encrypt(text),
            "extra_enc": _encrypted_json(cipher, attachments),
            "status": "received",
            "created_at": now,
            "updated_at": now,
        },
    ).scalar_one_or_none()
    if message_id is None:  # a webhook retry (perhaps a concurrent one) stored it first
        existing = _existing_inbound(session, channel=channel, message_key=message_key)
        if existing is None:  # pragma: no cover - the conflicting row cannot vanish
            raise NotFound("conflicting inbound message not found")
        return existing
    if not created:
        session.execute(_TOUCH_CONVERSATION, {"conversation": conversation.id, "at": now})
    return InboundRecord(
        message_id,
        conversation.id,
        conversation.rasa_sender_id,
        duplicate=False,
        conversation_created=created,
    )


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
        raise NotFound(f"conversation {conversation_id} does not exist")
    message = Message(
        **_outbound_row(
            cipher=cipher,
            conversation_id=conversation_id,
            channel=conversation.channel,
            text=text,
            buttons=buttons,
            status=status,
            now=utcnow(),
        )
    )
    session.add(message)
    session.flush()
    return message.id


@dataclass(frozen=True)
class Reply:
    """One assistant reply to store (its text and buttons are encrypted)."""

    text: str
    buttons: list[dict[str, Any]] | None = None


def record_replies(
    session: Session,
    *,
    cipher: FieldCipher,
    conversation_id: int,
    replies: Sequence[Reply],
    status: str,
    answered: int | None = None,
) -> bool:
    """Store what the assistant sent, and mark the inbound message it answered processed.

    Returns True when the conversation is erased by now (the turn was "xóa dữ liệu"). Three
    statements whatever the number of replies: this runs once for every message answered.
    """
    row = session.execute(_CONVERSATION_STATE, {"conversation": conversation_id}).first()
    if row is None:
        raise NotFound(f"conversation {conversation_id} does not exist")
    channel, erased_at = row
    now = utcnow()
    if answered is not None:
        session.execute(_MARK_PROCESSED, {"message": answered, "at": now})
    if replies:
        session.execute(
            _INSERT_MESSAGES,
            [
                _outbound_row(
                    cipher=cipher,
                    conversation_id=conversation_id,
                    channel=channel,
                    text=reply.text,
                    buttons=reply.buttons,
                    status=status,
                    now=now,
                )
                for reply in replies
            ],
        )
    return erased_at is not None
