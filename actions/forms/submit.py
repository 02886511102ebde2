"""A completed form: the answers are saved and the person hears what comes next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.forms.labels import HELP_LABELS, REPORT_LABELS
from actions.forms.validate_help_form import GROUPS, is_abroad
from actions.forms.validator_base import DETAILS_SLOT
from actions.intake_filing import record_report_confirmation, save_answers
from actions.tracker_data import conversation_language
from content.entitlements import entitlements_text


def _details(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.get_slot(DETAILS_SLOT) or {})


def _cleared(labels: dict[str, str]) -> list[dict[str, Any]]:
    # Saved: a later tip or request in this conversation is asked afresh.
    return [SlotSet(slot, None) for slot in labels]


def _reference(tracker: Tracker) -> str:
    return str(tracker.get_slot("reference_code") or "-")


class ActionUrgentFollowupDone(Action):
    """The urgent answers are already with staff; say so and repeat the safety advice."""

    def name(self) -> str:
        return "action_urgent_followup_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await save_answers(tracker, _details(tracker))
        language = conversation_language(tracker)
        dispatcher.utter_message(text=messages.pick(messages.URGENT_FOLLOWUP_DONE, language))
        return []


class ActionSubmitReport(Action):
    """The confirmed tip: the answers are already on the case (saved one by one); the confirmation
    goes on its timeline and the person gets the code to quote later."""

    def name(self) -> str:
        return "action_submit_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await save_answers(tracker, _details(tracker))
        await record_report_confirmation(tracker, confirmed=True)
        language = conversation_language(tracker)
        dispatcher.utter_message(
            text=messages.pick(messages.REPORT_RECEIVED, language, reference=_reference(tracker))
        )
        return _cleared(REPORT_LABELS)


def help_group(tracker: Tracker) -> str | None:
    """The law's group for the entitlements; being identified depends on where they are."""
    group = tracker.get_slot("help_group")
    if group not in GROUPS:
        return None
    if group == "being_identified" and is_abroad(_details(tracker)):
        return "being_identified_abroad"
    return str(group)


class ActionSubmitHelp(Action):
    """What the law gives this group (no amounts), then the code of the help intake."""

    def name(self) -> str:
        return "action_submit_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await save_answers(tracker, _details(tracker))
        language = conversation_language(tracker)
        group = help_group(tracker)
        if group is None:  # not said: the general overview from the skeleton
            dispatcher.utter_message(
                text=messages.pick(messages.HELP_RECEIVED, language, reference=_reference(tracker))
            )
            return _cleared(HELP_LABELS)
        dispatcher.utter_message(text=entitlements_text(group, language))
        dispatcher.utter_message(
            text=messages.pick(messages.HELP_SAVED, language, reference=_reference(tracker))
        )
        return _cleared(HELP_LABELS)
