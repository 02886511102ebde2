"""``validate_report_form``: a tip, question by question, each answer saved as it comes.

A person who gives some details and then stops, leaves or asks something else has them on their
case. The summary at the end is a confirmation, not the moment of saving: "yes" is recorded on the
case's timeline and the reference code given; "no" is recorded too and the questions are asked
again, each new answer replacing the one saved ("bỏ qua" keeps it). What was said stays unless the
person asks to erase ("xóa").

Anonymous means anonymous: no contact question is asked and no contact field is kept. Details of
the suspected recruiter (link, phone, name) go to the summary, never to the contact fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import messages
from actions.forms.answer_kinds import PERSON, PLACE, SOURCE, TIME
from actions.forms.answers import SKIPPED, Answer, age_band
from actions.forms.labels import REPORT_LABELS
from actions.forms.validate_urgent_followup_form import place_details
from actions.forms.validator_base import DETAILS_SLOT, IntakeFormValidation, Reading, rejected
from actions.intake_details import RELATIVES, SELF
from actions.intake_filing import forget_contact, record_report_confirmation
from actions.tracker_data import conversation_language, turn_info

YES, NO = "yes", "no"
CONTACT_FIELDS = ("contact_name", "contact_phone", "safe_contact_time")

# "Do you want to stay anonymous?" answered in words: "e mún giấu tên", "keep me anonymous" (yes);
# "không cần giấu tên", "cứ để tên tôi" (no). On folded text.
_ANONYMOUS = re.compile(
    r"\b(?:giau ten|an danh)\b|"
    r"\b(?:keep me|stay|be|remain) anonymous\b|\banonymously\b"
)
_NOT_ANONYMOUS = re.compile(
    r"\b(?:khong|ko|k|hong|chang|hok) (?:can|muon|phai|\w+ can) (?:giau ten|an danh)\b|"
    r"\bkhong giau\b|\b(?:cu )?(?:de|ghi|dung) (?:ten|so)(?: (?:toi|em|minh|tui))?\b|"
    r"\bno need (?:to )?(?:be |stay )?anonymous\b|\bnot anonymous\b|\buse my name\b"
)


def _anonymity_in_words(answer: Answer) -> bool | None:
    """Staying anonymous asked for (True) or given up (False) in so many words; None: neither."""
    if _NOT_ANONYMOUS.search(answer.folded):
        return False
    if _ANONYMOUS.search(answer.folded):
        return True
    return None


def anonymity_said(answer: Answer) -> bool | None:
    """Whether the reply asks to stay anonymous: True, False, or None (not said). A number given
    is a no: the person wants to be reached."""
    if (in_words := _anonymity_in_words(answer)) is not None:
        return in_words
    if answer.phone():
        return False
    return answer.yes_no()


def who_details(answer: Answer) -> dict[str, Any]:
    """Who is at risk: an age band and whether they are the writer, a relative or someone else."""
    details: dict[str, Any] = {}
    age = answer.age()
    if age is not None:
        details.update(is_minor=age < 18, age_band=age_band(age))
    relation = (answer.entities.get("relation") or "").strip().lower()
    if relation:
        details["at_risk"] = (
            "self" if relation in SELF else "relative" if relation in RELATIVES else "other"
        )
    return details


def contact_details(answer: Answer, channel: str | None) -> tuple[str, dict[str, Any]]:
    """A non-anonymous reporter's contact: a phone number they typed, or this channel."""
    if phone := answer.phone():
        return answer.text, {
            "consent_contact": True,
            "contact_method": "call",
            "contact_phone": phone,
        }
    said = answer.allows_contact()
    if said is False:
        # "đừng gọi, chồng em hay xem máy": no contact at all; the words stay for staff to read.
        return (NO if answer.yes_no() is False else answer.text), {
            "consent_contact": False,
            "contact_method": "none",
        }
    return answer.text, {"consent_contact": True, "contact_method": channel or "none"}


class ValidateReportForm(IntakeFormValidation):
    labels = REPORT_LABELS
    routes: ClassVar[Mapping[str, str]] = {
        PLACE: "report_where",
        TIME: "report_when",
        PERSON: "report_who",
        SOURCE: "report_how_known",
    }
    # "What did you see?" takes a person's description as told; the recruiter question takes
    # anything (a name, a link, an age).
    routed_from: ClassVar[Mapping[str, frozenset[str]]] = {
        "report_what": frozenset({PLACE, TIME, SOURCE}),
        "report_where": frozenset({TIME, PERSON, SOURCE}),
        "report_who": frozenset({PLACE, TIME, SOURCE}),
        "report_when": frozenset({PLACE, PERSON, SOURCE}),
        "report_how_known": frozenset({PLACE, TIME, PERSON}),
    }

    def form_name(self) -> str:
        return "report_form"

    def contact_slot(self, tracker: Tracker) -> str | None:
        # Asked only of a reporter who gave up anonymity.
        return "report_contact" if tracker.get_slot("report_anonymous") == NO else None

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # Anonymous (or not said): the contact question is never asked.
        if tracker.get_slot("report_anonymous") != NO:
            return [slot for slot in domain_slots if slot != "report_contact"]
        return domain_slots

    def answers_yes_or_no(self, slot: str, answer: Answer) -> bool:
        if slot == "report_anonymous":
            return anonymity_said(answer) is not None
        return super().answers_yes_or_no(slot, answer)

    def says_outright(self, slot: str, answer: Answer) -> bool:
        return slot == "report_anonymous" and _anonymity_in_words(answer) is not None

    def interpret(self, slot: str, answer: Answer, tracker: Tracker) -> Reading:
        if slot == "report_where":
            return Reading(answer.text, place_details(answer))
        if slot == "report_who":
            return Reading(answer.text, who_details(answer))
        if slot == "report_anonymous":
            # "Do you want to stay anonymous?" — only a clear "no" gives up anonymity.
            return Reading(NO if anonymity_said(answer) is False else YES)
        if slot == "report_contact":
            value, details = contact_details(answer, turn_info(tracker).channel)
            return Reading(value, details)
        if slot == "report_confirm":
            said = answer.yes_no()
            return Reading(YES if said else NO if said is False else answer.text)
        return Reading(answer.text)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if rejected(events):
            return events
        values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        if values.get("report_anonymous") == YES or values.get("report_contact") == SKIPPED:
            details = dict(values.get(DETAILS_SLOT) or {})
            for name in CONTACT_FIELDS:
                details.pop(name, None)
            details.update(consent_contact=False, contact_method="none")
            events.append(SlotSet(DETAILS_SLOT, details))
            # A contact given on an earlier pass through the form is not kept either.
            await forget_contact(tracker, REPORT_LABELS["report_contact"])
        if values.get("report_confirm") == NO:
            # Not right: the answers stay on the case (staff see they are not confirmed) and the
            # questions are asked again; each new answer replaces the saved one.
            await record_report_confirmation(tracker, confirmed=False)
            dispatcher.utter_message(
                text=messages.pick(messages.REPORT_ANSWER_AGAIN, conversation_language(tracker))
            )
            events = [SlotSet(slot, None) for slot in self.labels] + [
                SlotSet(DETAILS_SLOT, values.get(DETAILS_SLOT) or tracker.get_slot(DETAILS_SLOT))
            ]
        elif values.get("report_confirm") not in (None, YES):
            events.append(SlotSet("report_confirm", None))  # neither yes nor no: ask again
        return events
