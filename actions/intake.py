"""Report (tip) and help (support request) paths: the intake opens at once, then the form asks.

The first message is on file from the start (staff can act on it even if the person stops); the
form's answers follow, and the case code comes with the closing message.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.intake_filing import file_intake
from actions.tracker_data import slot_language, turn_info


class _OpenIntakeAction(Action, ABC):
    """Opens an intake at the action's triage level and introduces the form that follows."""

    triage: str
    introduction: messages.Texts
    contact_from_entities = True

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        language = tracker.get_slot("language") or slot_language(info.language)
        intake = await file_intake(
            tracker, info, triage=self.triage, contact_from_entities=self.contact_from_entities
        )
        dispatcher.utter_message(text=messages.pick(self.introduction, language))
        events: list[dict[str, Any]] = [SlotSet("language", language)]
        if intake is not None:
            events += [
                SlotSet("intake_id", str(intake.id)),
                SlotSet("reference_code", intake.reference_code),
            ]
        return events


class ActionHandleReport(_OpenIntakeAction):
    """A tip about suspected trafficking with no immediate danger."""

    triage = "report"
    introduction = messages.REPORT_INTRO
    contact_from_entities = False

    def name(self) -> str:
        return "action_handle_report"


class ActionHandleHelp(_OpenIntakeAction):
    """A victim, returnee or family member asks for support."""

    triage = "help"
    introduction = messages.HELP_INTRO

    def name(self) -> str:
        return "action_handle_help"
