"""The action server's handle on the intake store, built on first use (never at import)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from chungtay.settings import get_settings
from intake_store.messages import conversation_for_sender
from intake_store.store import Store


@lru_cache(maxsize=1)
def get_store() -> Store:
    return Store.from_settings(get_settings())


def conversation_id_for(
    session: Session, *, conversation_id: int | None, rasa_sender_id: str
) -> int | None:
    """The turn's stored conversation: from the gateway's metadata, else by the sender id."""
    if conversation_id is not None:
        return conversation_id
    found = conversation_for_sender(session, rasa_sender_id=rasa_sender_id)
    return found.id if found else None
