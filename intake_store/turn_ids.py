"""The stored conversation and message of a Rasa turn, as far as its sender owns them.

Rasa's sender id is the conversation's pseudonymous ``rasa_sender_id``, and only the gateway can
post to Rasa's channel, so the sender is the authenticated identity of a turn. The ids in the
message metadata are hints: an id naming another person's conversation or message must never
lead an action there (filing into, or erasing, someone else's case).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from intake_store.models import Conversation, Message


@dataclass(frozen=True)
class TurnIds:
    conversation_id: int
    # None when the metadata named no message, or one outside this conversation.
    message_id: int | None
    # False when the metadata named another conversation or a message not in this one.
    hints_matched: bool


def turn_ids(
    session: Session,
    *,
    rasa_sender_id: str,
    conversation_id: int | None = None,
    message_id: int | None = None,
) -> TurnIds | None:
    """The sender's conversation, and ``message_id`` only if it is an inbound message of it.

    None when the sender has no stored conversation (Rasa used without the gateway).
    """
    row = session.execute(
        select(Conversation.id, Message.id)
        .outerjoin(
            Message,
            and_(
                Message.id == (message_id if message_id is not None else -1),
                Message.conversation_id == Conversation.id,
                Message.direction == "inbound",
            ),
        )
        .where(Conversation.rasa_sender_id == rasa_sender_id)
    ).first()
    if row is None:
        return None
    own_conversation, own_message = row
    matched = conversation_id in (None, own_conversation) and (
        message_id is None or own_message is not None
    )
    return TurnIds(conversation_id=own_conversation, message_id=own_message, hints_matched=matched)
