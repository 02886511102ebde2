"""The action server's handle on the intake store, built on first use (never at import)."""

from __future__ import annotations

import logging
from functools import lru_cache

from sqlalchemy.orm import Session

from chungtay.settings import get_settings
from intake_store.store import Store
from intake_store.turn_ids import TurnIds, turn_ids

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_store() -> Store:
    return Store.from_settings(get_settings())


def turn_ids_for(
    session: Session,
    *,
    rasa_sender_id: str,
    conversation_id: int | None,
    message_id: int | None = None,
) -> TurnIds | None:
    """The turn's stored conversation (the sender's own) and message (only one of it).

    The sender id is what authenticates a turn; the gateway's metadata ids are only used when
    they agree with it.
    """
    ids = turn_ids(
        session,
        rasa_sender_id=rasa_sender_id,
        conversation_id=conversation_id,
        message_id=message_id,
    )
    if ids is not None and not ids.hints_matched:
        logger.warning(
            "turn metadata named a conversation or message outside conversation %s; ignored",
            ids.conversation_id,
        )
    return ids


def conversation_id_for(
    session: Session, *, conversation_id: int | None, rasa_sender_id: str
) -> int | None:
    """The turn's stored conversation: the sender's own, whatever the metadata says."""
    ids = turn_ids_for(session, rasa_sender_id=rasa_sender_id, conversation_id=conversation_id)
    return ids.conversation_id if ids else None
