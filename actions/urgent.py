"""The urgent path: help first, questions later."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.intake_filing import file_intake, flag_for_person
from actions.tracker_data import slot_language, turn_info


class ActionHandleUrgent(Action):
    """Someone is in danger now: file a top-priority intake (it alerts staff), reply at once."""

    def name(self) -> str:
        return "action_handle_urgent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        other = messages.URGENT_OTHER_LANGUAGE.get(info.language)
        # The safety reply goes out even if filing fails: the person must get 111/113 regardless.
        if other is not None:
            # Their language first, then the numbers in Vietnamese (someone nearby may read it);
            # a person on staff is asked to take over: the forms only speak Vietnamese/English.
            dispatcher.utter_message(text=f"{other}\n\n{messages.URGENT_VIETNAMESE_LINE}")
        else:
            dispatcher.utter_message(text=messages.pick(messages.URGENT_RECEIVED, info.language))
        intake = await file_intake(tracker, info, triage="urgent")
        if other is not None:
            await flag_for_person(tracker, info)
        if intake is None:
            return [SlotSet("language", slot_language(info.language))]
        dispatcher.utter_message(
            text=messages.pick(
                messages.URGENT_REFERENCE, info.language, reference=intake.reference_code
            )
        )
        return [
            SlotSet("intake_id", str(intake.id)),
            SlotSet("reference_code", intake.reference_code),
            SlotSet("language", slot_language(info.language)),
        ]
