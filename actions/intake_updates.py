"""Writing form answers to the conversation's intake."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, cast

from rasa_sdk import Tracker

from actions import store_access
from intake_store.intakes import IntakeDetails, update_details

logger = logging.getLogger(__name__)


def slot_intake_id(tracker: Tracker) -> int | None:
    try:
        value = tracker.get_slot("intake_id")
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


async def save_details(tracker: Tracker, details: Mapping[str, Any]) -> bool:
    """Update the intake named by the ``intake_id`` slot; False when there is none."""
    intake_id = slot_intake_id(tracker)
    if intake_id is None or not details:
        return False
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            update_details(
                session,
                cipher=store.cipher,
                intake_id=intake_id,
                details=cast(IntakeDetails, dict(details)),
                hasher=store.hasher,  # a contact phone or name: findable by operators
            )

    try:
        await asyncio.to_thread(work)
    except LookupError:  # erased or retention-deleted meanwhile
        logger.warning("intake %s is gone; answers not saved", intake_id)
        return False
    logger.info("intake %s: saved %s", intake_id, sorted(details))  # field names only, no values
    return True
