"""A returning person: a case code typed in a conversation, and the open case of a conversation.

A code is neither an oracle nor a key (intake_store/case_links.py): from any conversation but the
case's own, the answer is the same for a real code, a made-up one and one over the lookup limits,
and it takes the same least time; a real code there only asks staff to confirm the link.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from actions import store_access
from chungtay.settings import get_settings
from intake_store.case_links import look_up_code
from intake_store.conversations import conversation_for_sender
from intake_store.intake_views import get_intake
from intake_store.intakes import IntakeRef, find_by_reference
from nlu.case_code import case_code_in


def reference_in(text: str) -> str | None:
    """The case code in a message ("CT-7K3M9Q2XWB", "ct 7k3m9q", inside a sentence), upper-cased;
    None if none."""
    return case_code_in(text)


async def own_case_for_code(
    reference_code: str, *, rasa_sender_id: str, conversation_id: int | None
) -> IntakeRef | None:
    """The case with this code if it is this conversation's own (or staff linked it here); None
    in every other case, after at least ``code_lookup_min_seconds`` whatever the outcome."""
    settings = get_settings()
    store = store_access.get_store()
    started = time.monotonic()

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            conversation = store_access.conversation_id_for(
                session, conversation_id=conversation_id, rasa_sender_id=rasa_sender_id
            )
            if conversation is None:
                return None
            return look_up_code(
                session,
                conversation_id=conversation,
                reference_code=reference_code,
                per_sender=settings.code_lookups_per_sender,
                overall=settings.code_lookups_overall,
                window=timedelta(minutes=settings.code_lookup_window_minutes),
            ).own_case

    found = await asyncio.to_thread(work)
    await asyncio.sleep(max(0.0, settings.code_lookup_min_seconds - (time.monotonic() - started)))
    return found


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
