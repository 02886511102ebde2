"""Writing form answers to the conversation's intake."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, cast

from rasa_sdk import Tracker

from actions import store_access
from intake_store.intake_details import IntakeDetails
from intake_store.intakes import NotTheConversationsIntake, update_details

logger = logging.getLogger(__name__)


def slot_intake_id(tracker: Tracker) -> int | None:
    try:
        value = tracker.get_slot("intake_id")
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


async def save_details(tracker: Tracker, details: Mapping[str, Any]) -> bool:
    """Update the intake named by the ``intake_id`` slot; False when there is none.

    Only our actions set the slot, but the write still checks that the case is the sender's
    own (the sender id authenticates the turn, intake_store/turn_ids.py): a slot is state, not
    identity.
    """
    intake_id = slot_intake_id(tracker)
    if intake_id is None or not details:
        return False
    store = store_access.get_store()

    def work() -> int | None:
        with store.session_factory.begin() as session:
            conversation_id = store_access.conversation_id_for(
                session, conversation_id=None, rasa_sender_id=tracker.sender_id
            )
            if conversation_id is None:  # no stored conversation: no case of its own either
                return None
            update_details(
                session,
                cipher=store.cipher,
                intake_id=intake_id,
                details=cast(IntakeDetails, dict(details)),
                hasher=store.hasher,  # a contact phone or name: findable by operators
                conversation_id=conversation_id,
            )
            return conversation_id

    try:
        conversation_id = await asyncio.to_thread(work)
    except NotTheConversationsIntake as refused:
        logger.warning("answers not saved: %s", refused)  # the two ids only
        return False
    except LookupError:  # erased or retention-deleted meanwhile
        logger.warning("intake %s is gone; answers not saved", intake_id)
        return False
    if conversation_id is None:
        logger.warning(
            "intake %s: the sender has no stored conversation; answers not saved", intake_id
        )
        return False
    logger.info("intake %s: saved %s", intake_id, sorted(details))  # field names only, no values
    return True
