"""Report (tip) and help (support request) paths: a normal-priority intake and a reference code."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.intake_filing import file_intake
from actions.tracker_data import slot_language, turn_info


class _FileIntakeAction(Action):
    """Files an intake at the action's triage level and confirms it with the reference code."""

    triage: str
    confirmation: messages.Texts

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        intake = await file_intake(tracker, info, triage=self.triage)
        reference = intake.reference_code if intake else "-"
        dispatcher.utter_message(
            text=messages.pick(self.confirmation, info.language, reference=reference)
        )
        events: list[dict[str, Any]] = [SlotSet("language", slot_language(info.language))]
        if intake is not None:
            events += [
                SlotSet("intake_id", str(intake.id)),
                SlotSet("reference_code", intake.reference_code),
            ]
        return events


class ActionHandleReport(_FileIntakeAction):
    """A tip about suspected trafficking with no immediate danger."""

    triage = "report"
    confirmation = messages.REPORT_RECEIVED

    def name(self) -> str:
        return "action_handle_report"


class ActionHandleHelp(_FileIntakeAction):
    """A victim, returnee or family member asks for support."""

    triage = "help"
    confirmation = messages.HELP_RECEIVED

    def name(self) -> str:
        return "action_handle_help"
