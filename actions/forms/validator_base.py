"""The abstract validator every intake form shares (after RasaHQ/financial-demo's custom base).

Each question is skippable. A subclass reads one answer into a slot value and intake fields; the
base keeps the fields gathered so far in the ``form_details`` slot, rebuilds the staff summary from
the answers, and — for forms where every answer matters at once (urgent) — writes them to the
intake straight away.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import SKIPPED, Answer
from actions.forms.labels import ALL_LABELS
from actions.intake_filing import save_answers
from actions.tracker_data import turn_info

MAX_ANSWER_CHARS = 500
DETAILS_SLOT = "form_details"


@dataclass(frozen=True)
class Reading:
    """What one answer means: the slot's value and the intake fields it gives."""

    value: str
    details: dict[str, Any] = field(default_factory=dict)


class IntakeFormValidation(FormValidationAction, ABC):
    """Validation of one intake form; subclasses say what each answer means."""

    #: The form's questions in order, with the Vietnamese label staff see in the summary.
    labels: Mapping[str, str] = {}
    #: Write each answer to the intake as it comes (urgent) or only at the end (report, help).
    save_each_answer: bool = False

    @abstractmethod
    def form_name(self) -> str: ...

    @abstractmethod
    def interpret(self, slot: str, answer: Answer, tracker: Tracker) -> Reading:
        """The meaning of a non-skipped answer to ``slot``."""

    def name(self) -> str:
        return f"validate_{self.form_name()}"

    def summary(self, answers: Mapping[str, Any], earlier: str = "") -> str:
        """One line per answered question of any form, for the staff member who opens the intake.

        Lines from earlier forms of the same intake stay (their slots may have been cleared).
        """
        lines = dict(line.split(": ", 1) for line in earlier.splitlines() if ": " in line)
        for slot, label in ALL_LABELS.items():
            if label and answers.get(slot) not in (None, SKIPPED):
                lines[label] = str(answers[slot])
        return "\n".join(f"{label}: {value}" for label, value in lines.items())

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        candidates = {
            slot: value
            for slot, value in tracker.slots_to_validate().items()
            if slot in self.labels and value is not None
        }
        if not candidates:
            return []  # nothing answered: Rasa rejects the form and another rule takes the turn
        info = turn_info(tracker)
        details: dict[str, Any] = dict(tracker.get_slot(DETAILS_SLOT) or {})
        answers = {slot: tracker.get_slot(slot) for slot in ALL_LABELS}
        events: list[EventType] = []
        for slot, value in candidates.items():
            answer = Answer(
                text=str(value)[:MAX_ANSWER_CHARS], intent=info.intent, entities=info.entities
            )
            reading = Reading(SKIPPED) if answer.skipped else self.interpret(slot, answer, tracker)
            answers[slot] = reading.value
            details.update(reading.details)
            events.append(SlotSet(slot, reading.value))
        if summary := self.summary(answers, str(details.get("summary") or "")):
            details["summary"] = summary
        events.append(SlotSet(DETAILS_SLOT, details))
        if self.save_each_answer:
            await save_answers(tracker, details)
        return events
