"""Greetings, thanks, goodbyes and anything off-topic: say what the assistant can do.

A message carrying a case code ("CT-7K3M9Q2XWB") is a returning person. In the case's own
conversation (or one staff linked to it) the case is named and the conversation carries on with
it; anywhere else the answer promises nothing and staff are asked to confirm (actions/returning.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.returning import open_case_of, own_case_for_code, reference_in
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
            intake = await own_case_for_code(
                code, rasa_sender_id=tracker.sender_id, conversation_id=info.conversation_id
            )
            if intake is None:
                # Word for word the same for a real code, a made-up one and one over the limits.
                dispatcher.utter_message(text=messages.pick(messages.RETURNING_NOTED, language))
                texts = messages.OTHER_REPLIES["default"]
                dispatcher.utter_message(text=messages.pick(texts, language))
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
