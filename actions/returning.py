"""A returning person: a case code typed in finds their intake instead of starting a new one."""

from __future__ import annotations

import asyncio
import re

from actions import store_access
from intake_store.intakes import (
    REFERENCE_ALPHABET,
    IntakeRef,
    attach_conversation,
    find_by_reference,
    get_intake,
)
from intake_store.messages import conversation_for_sender

REFERENCE = re.compile(rf"\bCT[-\s]?([{REFERENCE_ALPHABET}]{{6}})\b", re.IGNORECASE)


def reference_in(text: str) -> str | None:
    """The case code in a message ("CT-7K3M9Q", "ct 7k3m9q"), upper-cased; None if none."""
    match = REFERENCE.search(text or "")
    return f"CT-{match.group(1).upper()}" if match else None


async def find_intake(
    reference_code: str, *, rasa_sender_id: str | None = None
) -> IntakeRef | None:
    """The case with this code; with ``rasa_sender_id``, that conversation joins the case (the
    person may be writing from another channel or phone than the one they first used)."""
    store = store_access.get_store()

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            found = find_by_reference(session, reference_code=reference_code)
            if found is None or rasa_sender_id is None:
                return found
            if get_intake(session, intake_id=found.id).anonymised:
                return None  # erased: nothing left to return to
            conversation = conversation_for_sender(session, rasa_sender_id=rasa_sender_id)
            if conversation is not None:
                attach_conversation(session, intake_id=found.id, conversation_id=conversation.id)
            return found

    return await asyncio.to_thread(work)


async def open_case_of(rasa_sender_id: str) -> IntakeRef | None:
    """The open (not closed) case of this conversation, e.g. after the assistant restarted."""
    store = store_access.get_store()

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            conversation = conversation_for_sender(session, rasa_sender_id=rasa_sender_id)
            if conversation is None or conversation.open_intake_id is None:
                return None
            return find_by_reference(
                session,
                reference_code=get_intake(
                    session, intake_id=conversation.open_intake_id
                ).reference_code,
            )

    return await asyncio.to_thread(work)
