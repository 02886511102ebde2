"""A returning person: a case code typed in finds their intake instead of starting a new one."""

from __future__ import annotations

import asyncio
import re

from actions import store_access
from intake_store.intakes import REFERENCE_ALPHABET, IntakeRef, find_by_reference, get_intake
from intake_store.messages import conversation_for_sender

REFERENCE = re.compile(rf"\bCT[-\s]?([{REFERENCE_ALPHABET}]{{6}})\b", re.IGNORECASE)


def reference_in(text: str) -> str | None:
    """The case code in a message ("CT-7K3M9Q", "ct 7k3m9q"), upper-cased; None if none."""
    match = REFERENCE.search(text or "")
    return f"CT-{match.group(1).upper()}" if match else None


async def find_intake(reference_code: str) -> IntakeRef | None:
    store = store_access.get_store()

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            return find_by_reference(session, reference_code=reference_code)

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
