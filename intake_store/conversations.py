"""Small reads of a conversation for the gateway and the console, so neither queries the models.

`latest_for_sender`: which conversation a channel sender's page polls; `latest_open_case`: the
case Rasa is handed back after an operator's hold; `is_live`: not erased.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.models import Conversation, Intake


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


def is_live(session: Session, *, conversation_id: int) -> bool:
    """The conversation exists and was not erased."""
    conversation = session.get(Conversation, conversation_id)
    return conversation is not None and conversation.erased_at is None
