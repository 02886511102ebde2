"""The urgent path: help first, questions later."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.case_words import keep_opening
from actions.forms.validate_urgent_followup_form import keep_place
from actions.forms.validator_base import CLASSIFIER_REASONS
from actions.intake import said_after_a_form
from actions.intake_filing import file_intake, flag_for_interpreter
from actions.offers import accept_offer
from actions.tracker_data import TurnInfo, slot_language, turn_info
from content.abroad import abroad_advice, find_country


class ActionHandleUrgent(Action):
    """Someone is in danger now: file a top-priority intake (it alerts staff), reply at once."""

    def name(self) -> str:
        return "action_handle_urgent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        if (said := await self.news_after_a_form(dispatcher, tracker, info)) is not None:
            return said
        if not set(info.urgent_reasons) - CLASSIFIER_REASONS and (
            accepted := accept_offer(tracker, places=False)
        ):
            # "có, giúp em với" after "Bạn có cần hỗ trợ không?": the classifier alone heard a
            # cry where the net saw no danger; it is a yes to the support just offered. Not a
            # place alone ("em đang ở Bavet"): in doubt, urgent (triage.md).
            return accepted
        other = messages.URGENT_OTHER_LANGUAGE.get(info.language)
        # The safety reply goes out even if filing fails: the person must get 111/113 regardless.
        if other is not None:
            # Their language first, then the numbers in Vietnamese (someone nearby may read it);
            # a person on staff who reads their language is asked to take over, and the
            # questions that follow are in English.
            dispatcher.utter_message(text=f"{other}\n\n{messages.URGENT_VIETNAMESE_LINE}")
        else:
            dispatcher.utter_message(text=messages.pick(messages.URGENT_RECEIVED, info.language))
        intake = await file_intake(tracker, info, triage="urgent")
        if intake is not None:
            await keep_opening(tracker, intake.id)
            await keep_place(tracker, intake.id)
        if other is not None:
            await flag_for_interpreter(tracker, info, intake.id if intake else None)
        if other is None and (mission := _named_country(tracker, info.entities)) is not None:
            # 113 and 111 are numbers in Vietnam: someone abroad also needs the mission there.
            language = "en" if info.language == "en" else "vi"
            dispatcher.utter_message(text=abroad_advice(mission, language))
        language = slot_language(info.language)  # English after a line in their script
        if intake is None:
            return [SlotSet("language", language)]
        dispatcher.utter_message(
            text=messages.pick(messages.URGENT_REFERENCE, language, reference=intake.reference_code)
        )
        return [
            SlotSet("intake_id", str(intake.id)),
            SlotSet("reference_code", intake.reference_code),
            SlotSet("language", language),
        ]

    async def news_after_a_form(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, info: TurnInfo
    ) -> list[dict[str, Any]] | None:
        """ "dạ em cảm ơn, hôm đó có 3 chiếc xe đen đến đón" after a form: the classifier alone
        called it urgent (the urgency net saw no danger now), so it is news for the person's case,
        not a new emergency with its questions. None: the urgent path."""
        if set(info.urgent_reasons) - CLASSIFIER_REASONS:
            return None
        return await said_after_a_form(dispatcher, tracker)


def _named_country(tracker: Tracker, entities: dict[str, str]) -> str | None:
    """The listed destination the person named (country entity, else their words), if any."""
    words = entities.get("country") or str((tracker.latest_message or {}).get("text") or "")
    mission = find_country(words)
    return mission.country if mission else None
