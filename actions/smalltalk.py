"""Greetings, thanks, goodbyes and anything off-topic: say what the assistant can do.

A message carrying a case code ("CT-7K3M9Q") is a returning person: their intake is found and the
rest of the conversation goes into it instead of a new one.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.returning import find_intake, open_case_of, reference_in
from actions.tracker_data import conversation_language, turn_info


class ActionHandleOther(Action):
    """A short reply in the person's language; no intake."""

    def name(self) -> str:
        return "action_handle_other"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        language = conversation_language(tracker) if tracker.get_slot("language") else info.language
        if code := reference_in((tracker.latest_message or {}).get("text") or ""):
            intake = await find_intake(code, rasa_sender_id=tracker.sender_id)
            if intake is None:
                dispatcher.utter_message(text=messages.pick(messages.RETURNING_UNKNOWN, language))
                return []
            dispatcher.utter_message(
                text=messages.pick(
                    messages.RETURNING_FOUND, language, reference=intake.reference_code
                )
            )
            return [
                SlotSet("intake_id", str(intake.id)),
                SlotSet("reference_code", intake.reference_code),
            ]
        if info.intent == "greet":
            # Same conversation, case still open: carry on with it instead of starting over.
            case = await open_case_of(tracker.sender_id)
            if case is not None:
                dispatcher.utter_message(
                    text=messages.pick(
                        messages.WELCOME_BACK, language, reference=case.reference_code
                    )
                )
                return [
                    SlotSet("intake_id", str(case.id)),
                    SlotSet("reference_code", case.reference_code),
                ]
        texts = messages.OTHER_REPLIES.get(info.intent, messages.OTHER_REPLIES["default"])
        dispatcher.utter_message(text=messages.pick(texts, language))
        return []
