"""The erasure question and its answer: which message answers it, what the answer says, and the
erasure itself (actions/interruptions.py asks; any action the answer reaches reads it)."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages, store_access
from actions.forms.answers import Answer
from actions.tracker_data import previous_turn, turn_info
from intake_store.privacy import erase_conversation

logger = logging.getLogger(__name__)

ERASURE_PENDING = "erasure_pending"
EXPLAIN_ACTION = "action_explain_erasure"
# "thôi khoan, đừng xóa, để lại cho người ta giúp em": the erasure words under a no ("đừng" with
# its accents: unaccented "dung xoa" may be "đúng, xóa").
_KEEP = re.compile(
    r"\b(?:đừng|khỏi|chưa|không|ko|hông|hổng|don'?t|do not|not)\s+(?:\w+\s+)?"
    r"(?:xóa|xoá|delete|erase)\b"
    r"|\b(?:khoan|khoan đã|để lại|giữ lại|keep it|wait)\b",
    re.IGNORECASE,
)


def asked_to_confirm_erasure(tracker: Tracker) -> bool:
    """True when the assistant's last action before this message was the erasure question."""
    last = next(
        (
            event.get("name")
            for event in previous_turn(tracker)
            if event.get("event") == "action" and event.get("name") != "action_listen"
        ),
        None,
    )
    return last == EXPLAIN_ACTION


def erasure_answer(tracker: Tracker) -> bool | None:
    """The words of the reply to the erasure question: yes, no, or neither.

    Every written form of yes and no, typed button titles ("Có, xóa", "Không xóa") included;
    "dung" is "đúng" here, "Dừng" is a no.
    """
    message = tracker.latest_message or {}
    answer = Answer(
        text=str(message.get("text") or ""),
        intent=str((message.get("intent") or {}).get("name") or ""),
    )
    if answer.stops:
        return False
    if _KEEP.search(answer.text):
        return False  # "khoan, đừng xóa": whatever the classifier heard, a no keeps the data
    said = answer.yes_no()
    if said is None and answer.intent == "delete_data":
        return True  # "xóa đi", "xóa hết" right after "are you sure?"
    return said


async def erase(tracker: Tracker, dispatcher: CollectingDispatcher, language: str) -> None:
    """Erase this conversation's personal data and say so."""
    info = turn_info(tracker)
    store = store_access.get_store()

    def work() -> bool:
        with store.session_factory.begin() as session:
            conversation_id = store_access.conversation_id_for(
                session, conversation_id=info.conversation_id, rasa_sender_id=tracker.sender_id
            )
            if conversation_id is None:
                return False
            erase_conversation(
                session,
                conversation_id=conversation_id,
                actor="system:assistant",
                reason="the person asked to erase their data",
            )
            return True

    erased = await asyncio.to_thread(work)
    logger.info("erasure requested in chat: %s", "done" if erased else "no stored conversation")
    dispatcher.utter_message(text=messages.pick(messages.ERASED, language))


async def answer_to_erasure_question(
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
    language: str,
    *,
    pending_after: bool = False,
) -> list[dict[str, Any]] | None:
    """When this message answers the erasure question, what it says is done: erased on a yes,
    kept on a no. None when it does not answer it (then the message is handled as any other).

    Whatever the classifier read: "uk xóa đi ạ" may come as a no, "ừ" as a greeting.
    ``pending_after`` is the value the rules expect of ``erasure_pending`` after the action.
    """
    if not asked_to_confirm_erasure(tracker):
        return None
    said = erasure_answer(tracker)
    if said is True:
        await erase(tracker, dispatcher, language)
        return [AllSlotsReset(), SlotSet(ERASURE_PENDING, pending_after)]
    if said is False:
        dispatcher.utter_message(text=messages.pick(messages.KEPT, language))
        return [SlotSet(ERASURE_PENDING, pending_after)]
    return None
