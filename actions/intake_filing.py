"""Filing an intake for the conversation a Rasa turn belongs to, and saving answers to it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from rasa_sdk import Tracker

from actions import store_access
from actions.intake_details import details_from_entities
from actions.intake_updates import save_details, slot_intake_id
from actions.tracker_data import TurnInfo
from chungtay.settings import get_settings
from intake_store.handoff import request_handoff
from intake_store.intakes import (
    IntakeDetails,
    IntakeRef,
    get_intake,
    open_intake,
    reveal_intake,
    update_details,
)

logger = logging.getLogger(__name__)


async def file_intake(
    tracker: Tracker, info: TurnInfo, *, triage: str, contact_from_entities: bool = True
) -> IntakeRef | None:
    """Open (or attach to) the conversation's intake; None when the turn has no stored conversation.

    ``contact_from_entities=False`` for tips: a phone number in a tip is the suspect's, not the
    reporter's contact.

    Runs in a thread: the store is synchronous SQLAlchemy and the action server is async.
    """
    store = store_access.get_store()
    details = details_from_entities(info.entities)
    if not contact_from_entities:
        details.pop("contact_phone", None)

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            ids = store_access.turn_ids_for(
                session,
                rasa_sender_id=tracker.sender_id,
                conversation_id=info.conversation_id,
                message_id=info.message_id,
            )
            if ids is None:
                return None
            return open_intake(
                session,
                cipher=store.cipher,
                conversation_id=ids.conversation_id,
                triage=triage,
                urgent_reasons=info.urgent_reasons,
                source_message_id=ids.message_id,
                language=info.language,
                details=details or None,
                window_hours=get_settings().conversation_window_hours,
                # The same window as the gateway's: a burst's cases never page one by one here.
                burst_window=timedelta(minutes=get_settings().urgent_burst_window_minutes),
            )

    intake = await asyncio.to_thread(work)
    if intake is None:
        # Only happens when Rasa is used without the gateway (e.g. `rasa shell`).
        logger.warning("no stored conversation for this turn; intake not filed")
    else:
        logger.info(
            "intake %s (%s, %s) for message %s", intake.id, triage, intake.priority, info.message_id
        )
    return intake


async def ask_for_human(tracker: Tracker, info: TurnInfo, intake: IntakeRef) -> None:
    """The console shows the intake as waiting for a human until an operator takes it.

    Asking for a person here, after being told staff will answer here, is the person saying
    staff may answer on this channel; an earlier "not safe" is never overridden.
    """
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            conversation_id = store_access.conversation_id_for(
                session, conversation_id=info.conversation_id, rasa_sender_id=tracker.sender_id
            )
            if conversation_id is None:
                return
            request_handoff(session, conversation_id=conversation_id)
            known = get_intake(session, intake_id=intake.id).details
            if False not in (known.get("consent_contact"), known.get("safe_to_contact")):
                answer: IntakeDetails = {"consent_contact": True, "safe_to_contact": True}
                update_details(session, cipher=store.cipher, intake_id=intake.id, details=answer)

    await asyncio.to_thread(work)
    logger.info("intake %s waits for a human", intake.id)


def merge_summary(stored: str, new: str) -> str:
    """The staff summary with ``new`` lines merged into the ``stored`` ones, one line per label.

    A label answered again takes the new value in place; a label only in ``stored`` stays (its
    answer may be gone from Rasa's slots, e.g. after a Rasa restart mid-form).
    """
    lines: dict[str, str] = {}
    for text in (stored, new):
        for line in text.splitlines():
            label, sep, value = line.partition(": ")
            if sep:
                lines[label] = value
    return "\n".join(f"{label}: {value}" for label, value in lines.items())


async def save_answers(tracker: Tracker, details: Mapping[str, Any]) -> bool:
    """Save form answers to the intake (``intake_id`` slot), the store being the source of truth.

    The summary in ``details`` is built from Rasa's slots, which a Rasa restart can lose; it is
    merged into the summary the intake already has instead of replacing it.
    """
    details = dict(details)
    intake_id = slot_intake_id(tracker)
    if intake_id is not None and details.get("summary"):
        store = store_access.get_store()

        def stored_summary() -> str:
            with store.session_factory.begin() as session:
                try:
                    personal = reveal_intake(
                        session,
                        cipher=store.cipher,
                        intake_id=intake_id,
                        actor="system:assistant",
                        reason="merge the person's new answers into the staff summary",
                    )
                except LookupError:  # erased meanwhile: save_details says so
                    return ""
                return personal.get("summary") or ""

        details["summary"] = merge_summary(
            await asyncio.to_thread(stored_summary), str(details["summary"])
        )
    return await save_details(tracker, details)
