"""The abstract validator every intake form shares (after RasaHQ/financial-demo's custom base).

Each question is skippable. A subclass reads one answer into a slot value and intake fields; the
base keeps the fields gathered so far in the ``form_details`` slot, rebuilds the staff summary from
the answers, and writes them to the intake straight away (encrypted; an answer given again replaces
its line): a person who stops, leaves or asks something else half-way has told staff that much.

Inside a form a reply is the answer to the question just asked, whatever the classifier thought,
unless it is a clear stop, danger now (the urgency net's reasons) in a report or help form — the
form then steps aside (``ActionExecutionRejected``) and the rules take over — or not an answer at
all: a question is answered, a feeling comforted and a thank-you welcomed, and the same question is
asked again; a place question asks once more when the reply names no place.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import messages
from actions.awareness import answer_in_passing, asks_in_passing
from actions.case_words import CONSENT_WORDS, answer_label, keep_words
from actions.forms.answer_kinds import kind_of
from actions.forms.answers import SKIPPED, Answer
from actions.forms.labels import ALL_LABELS, CODED_SLOTS, SUMMARY_WORDS
from actions.forms.places import looks_like_place
from actions.forms.reasking import DETAILS_MARK, REASKED_SLOT, reasked_slot
from actions.intake_filing import save_answers
from actions.tracker_data import TurnInfo, conversation_language, turn_info

MAX_ANSWER_CHARS = 500
DETAILS_SLOT = "form_details"
# Questions answered by yes or no ("dung" there is "đúng", never "dừng").
YES_NO_QUESTIONS = frozenset(
    {"urgent_minor", "urgent_safe_contact", "report_anonymous", "help_consent", "report_confirm"}
)
PLACE_QUESTIONS = frozenset({"report_where", "help_location"})
# Consent to contact that only a yes, a no or a number answers, and whether to stay anonymous:
# anything else is kept among the person's words and the question asked once more.
ASKED_ONCE_MORE_UNLESS_YES_OR_NO = frozenset({"help_consent", "report_anonymous"})
# "Do you have a link, a phone number or a name?": a bare "có" says they have it, not what it is;
# they are asked for it once (a second bare yes is kept as said).
DETAIL_QUESTIONS = frozenset({"report_recruiter"})
BARE_YES_MAX_WORDS = 3
# Questions about reaching the person. "Gọi cho tôi được, an toàn" there is the answer though the
# classifier hears a call for a person (domain.yml lets those slots take human_handoff); "cho em
# gặp cán bộ" still leaves the form for the handoff rule.
CONTACT_QUESTIONS = frozenset(
    {"urgent_safe_contact", "urgent_contact_time", "report_contact", "help_consent"}
)
# The classifier's own guesses (nlu/components/urgency.py): danger now is a reason of the urgency
# net, never these alone ("tôi nghe mẹ con bé kể" is the answer to "how do you know?").
CLASSIFIER_REASONS = frozenset({"classifier", "classifier_unsure"})


def consent_details(said: bool, answer: Answer, channel: str) -> dict[str, Any]:
    """The intake fields of a yes or no to "may staff contact you?"; a number given with the yes
    ("liên hệ em qua số 09…, chỉ nhắn tin thôi") is the contact number."""
    details: dict[str, Any] = {
        "safe_to_contact": said,
        "consent_contact": said,
        "contact_method": channel if said else "none",
    }
    if said and (phone := answer.phone()):
        details["contact_phone"] = phone
    return details


def rejected(events: list[EventType]) -> bool:
    return any(event.get("event") == "action_execution_rejected" for event in events)


@dataclass(frozen=True)
class Reading:
    """What one answer means: the slot's value and the intake fields it gives."""

    value: str
    details: dict[str, Any] = field(default_factory=dict)


class IntakeFormValidation(FormValidationAction, ABC):
    """Validation of one intake form; subclasses say what each answer means."""

    #: The form's questions in order, with the Vietnamese label staff see in the summary.
    labels: Mapping[str, str] = {}

    @abstractmethod
    def form_name(self) -> str: ...

    @abstractmethod
    def interpret(self, slot: str, answer: Answer, tracker: Tracker) -> Reading:
        """The meaning of a non-skipped answer to ``slot``."""

    def name(self) -> str:
        return f"validate_{self.form_name()}"

    #: Danger now leaves this form for the urgent path (report, help); the urgent form keeps it.
    leaves_for_danger: bool = True
    #: The question a reply answers when it is only a place, a time, a person's age or how the
    #: writer knows (answer_kinds), and the questions such a reply may be moved away from: "ở xã
    #: Bản Lầu" said to "what did you see?" is where; the question asked is asked again.
    routes: ClassVar[Mapping[str, str]] = {}
    routed_from: ClassVar[Mapping[str, frozenset[str]]] = {}

    def contact_slot(self, tracker: Tracker) -> str | None:
        """The question of this form about reaching the person, when the form asks it."""
        return None

    def answers_yes_or_no(self, slot: str, answer: Answer) -> bool:
        """The reply to the yes/no question ``slot`` says yes or no (in its own words)."""
        return answer.yes_no() is not None

    def says_outright(self, slot: str, answer: Answer) -> bool:
        """The reply names what the yes/no question asks ("không cần giấu tên đâu"): an answer
        even when it reads like a question."""
        return False

    def told_after(self, slot: str, reading: Reading, language: str) -> str | None:
        """What the person is told once ``slot`` is answered (before the next question)."""
        return None

    def contact_arranged(self, slot: str, answer: Answer, tracker: Tracker) -> str | None:
        """The form's contact question, when the reply to another question says how to be
        reached ("Đừng gọi điện cho tôi, chồng tôi không biết"): it answers that question."""
        contact = self.contact_slot(tracker)
        if answer.arranges_contact and contact and slot not in CONTACT_QUESTIONS:
            return contact
        return None

    def route(self, slot: str, answer: Answer, tracker: Tracker) -> str | None:
        """The other, unanswered question of this form that the reply answers, if any."""
        if contact := self.contact_arranged(slot, answer, tracker):
            return contact if tracker.get_slot(contact) is None else None
        kind = kind_of(answer)
        if kind is None or kind not in self.routed_from.get(slot, frozenset()):
            return None
        target = self.routes.get(kind)
        if target is None or target == slot or tracker.get_slot(target) is not None:
            return None
        return target

    def fits(self, slot: str, answer: Answer) -> bool:
        """Whether the reply looks like an answer to ``slot`` (a place names a place)."""
        if slot in PLACE_QUESTIONS:
            return bool(
                looks_like_place(answer.text)
                or answer.entities.get("location")
                or answer.entities.get("country")
                # "không biết nó ở đâu, chỉ nói chuyện trên mạng": where is not known, and that
                # is the answer (asked again, every later answer landed one question late).
                or answer.unsure
            )
        return True

    def screen(
        self,
        slot: str,
        answer: Answer,
        info: TurnInfo,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
    ) -> str:
        """ "answer", "leave" (the form steps aside), "again" (the question is asked again),
        "again_place" (asked again once because the reply names no place), "again_kept" (a
        consent question asked again once: the reply was neither yes, no nor a number; its
        words kept), "again_details" (the
        details asked for once, because a bare "có" did not say what they have), "again_noted"
        (how to be reached, said again: kept, and the question asked again) or "route"."""
        language = conversation_language(tracker)
        yes_no = slot in YES_NO_QUESTIONS
        # A bare "dung" read as a stop is "đúng" as often as "dừng": never a stop here; nor is
        # "em sợ lắm, em không dám nói" the classifier read as one (comforted; "dừng" still stops).
        read_as_stop = info.intent == "stop" and answer.yes_no() is not True
        if answer.stops or (
            read_as_stop and not yes_no and not answer.skipped and not answer.feels
        ):
            return "leave"
        call_back = answer.arranges_contact or (slot in CONTACT_QUESTIONS and answer.about_contact)
        if info.intent == "human_handoff" and not call_back:
            return "leave"
        if self.leaves_for_danger and set(info.urgent_reasons) - CLASSIFIER_REASONS:
            return "leave"
        if answer.skipped:
            return "answer"
        # "em sợ lắm, nó ở Móng Cái": the answer is what is said besides the feeling.
        feels, core = answer.feels, answer.without_feeling()
        comfort = messages.pick(messages.COMFORT_SHORT, language) + "\n\n" if feels else ""
        # "…khong cho ve, ai tron la bi danh" (whoever flees is beaten): danger told, not asked.
        tells_danger = bool(set(info.urgent_reasons) - CLASSIFIER_REASONS)
        # "có ai gọi thì gọi số 0901…" at the contact question gives a number: an answer.
        gives_number = slot in CONTACT_QUESTIONS and bool(answer.phone())
        asks = (
            asks_in_passing(answer.text)
            and not answer.unsure
            and not tells_danger
            and not gives_number
        )
        # "Có bị lộ tên không?" at a yes/no question asks; "có", "đúng rồi" answer.
        if (
            yes_no
            and self.answers_yes_or_no(slot, core)
            and not (asks and len(core.words) > 2 and not self.says_outright(slot, core))
        ):
            if feels:
                dispatcher.utter_message(text=messages.pick(messages.COMFORT_NOTED, language))
            return "answer"
        # "cảm ơn", "dạ cảm ơn ạ" (at a yes/no question "ok cảm ơn" was a yes, read above).
        if answer.thanks:
            dispatcher.utter_message(text=messages.pick(messages.THANKS_IN_FORM, language))
            return "again"
        if asks:
            dispatcher.utter_message(
                text=comfort
                + answer_in_passing(tracker.latest_message or {}, language, asked=slot)
                + "\n\n"
                + messages.pick(messages.BACK_TO_QUESTION, language)
            )
            return "again"
        # Only a feeling, or a feeling and "không biết ở đâu nữa": comfort, the same question.
        if answer.feeling or (feels and (core.skipped or (core.unsure and len(core.words) <= 5))):
            dispatcher.utter_message(text=messages.pick(messages.COMFORT, language))
            return "again"
        if self.route(slot, core, tracker):
            return "route"
        if self.contact_arranged(slot, answer, tracker):
            # Said again once the contact question is answered: kept beside that answer, and
            # the question asked is asked again.
            return "again_noted"
        if not self.fits(slot, core) and reasked_slot(tracker) != slot:
            dispatcher.utter_message(text=comfort + messages.pick(messages.NOT_A_PLACE, language))
            return "again_place"
        if (
            slot in ASKED_ONCE_MORE_UNLESS_YES_OR_NO
            and not self.answers_yes_or_no(slot, core)
            and reasked_slot(tracker) != slot
        ):
            # "Em 24 tuổi" said to "may staff contact you?", "À quên, người ta gọi bà ấy là bà Tư
            # Xoan" to "do you want to stay anonymous?": neither a yes nor a no (never taken for
            # one); kept, and the question asked once more.
            dispatcher.utter_message(
                text=comfort + messages.pick(messages.NOTED_FOR_ANOTHER_QUESTION, language)
            )
            return "again_kept"
        if (
            slot in DETAIL_QUESTIONS
            and core.yes_no() is True
            and len(core.words) <= BARE_YES_MAX_WORDS
            and reasked_slot(tracker) != slot
        ):
            # The ask action asks for the details (reasking.py) rather than the yes/no again.
            if feels:
                dispatcher.utter_message(text=messages.pick(messages.COMFORT_SHORT, language))
            return "again_details"
        if feels:
            dispatcher.utter_message(text=messages.pick(messages.COMFORT_NOTED, language))
        return "answer"

    def summary(self, answers: Mapping[str, Any], earlier: str = "") -> str:
        """One line per answered question of any form, for the staff member who opens the intake.

        Lines from earlier forms of the same intake stay (their slots may have been cleared).
        """
        lines = dict(line.split(": ", 1) for line in earlier.splitlines() if ": " in line)
        for slot, label in ALL_LABELS.items():
            if label and answers.get(slot) not in (None, SKIPPED):
                value = str(answers[slot])
                if slot in CODED_SLOTS:
                    value = SUMMARY_WORDS.get(value, value)
                lines[label] = value
        return "\n".join(f"{label}: {value}" for label, value in lines.items())

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self._answer_events(dispatcher, tracker)
        language = conversation_language(tracker)
        switched = tracker.get_slot("language") == "en" and language == "vi"
        if events and not rejected(events) and switched:
            # A whole sentence in Vietnamese after a start in English or another script: the
            # questions that follow are in Vietnamese (tracker_data.conversation_language).
            events.append(SlotSet("language", language))
        return events

    async def _answer_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        """What the reply to the question asked means, and its effects on the intake."""
        candidates = {
            slot: value
            for slot, value in tracker.slots_to_validate().items()
            if slot in self.labels and value is not None
        }
        if not candidates:
            return []  # nothing answered: Rasa rejects the form and another rule takes the turn
        info = turn_info(tracker)
        language = conversation_language(tracker)
        details: dict[str, Any] = dict(tracker.get_slot(DETAILS_SLOT) or {})
        answers = {slot: tracker.get_slot(slot) for slot in ALL_LABELS}
        events: list[EventType] = []
        requested = tracker.get_slot("requested_slot")
        routed = False
        for slot, value in list(candidates.items()):
            answer = Answer(
                text=str(value)[:MAX_ANSWER_CHARS], intent=info.intent, entities=info.entities
            )
            if slot == requested:
                verdict = self.screen(slot, answer, info, tracker, dispatcher)
                if verdict == "leave":
                    return [SlotSet(slot, None), ActionExecutionRejected(self.form_name())]
                # A feeling is comforted, never kept as the answer (nor among their words);
                # without one, the whole message is kept (the answer is cut at 500 characters).
                told = answer.without_feeling()
                words = told.text if told is not answer else None
                answer = told
                if verdict == "route" and (target := self.route(slot, answer, tracker)):
                    # Kept where it belongs; the question asked is asked again, once (a second
                    # reply of another kind skips it rather than ask a third time).
                    reading = self.interpret(target, answer, tracker)
                    answers[target] = reading.value
                    details.update(reading.details)
                    events.append(SlotSet(target, reading.value))
                    await keep_words(tracker, label=answer_label(target, answer), text=words)
                    dispatcher.utter_message(
                        text=messages.pick(messages.NOTED_FOR_ANOTHER_QUESTION, language)
                    )
                    again = reasked_slot(tracker) != slot
                    events += [SlotSet(slot, None if again else SKIPPED)]
                    events += [SlotSet(REASKED_SLOT, slot if again else None)]
                    answers[slot] = None if again else SKIPPED
                    del candidates[slot]
                    routed = True
                    continue
                if verdict.startswith("again"):
                    events.append(SlotSet(slot, None))
                    if verdict == "again_noted":
                        await keep_words(tracker, label=CONSENT_WORDS, text=answer.text)
                        dispatcher.utter_message(
                            text=messages.pick(messages.NOTED_FOR_ANOTHER_QUESTION, language)
                        )
                    if verdict == "again_details":
                        events.append(SlotSet(REASKED_SLOT, slot + DETAILS_MARK))
                    if verdict in ("again_place", "again_kept"):
                        events.append(SlotSet(REASKED_SLOT, slot))
                        # Not an answer, but the person's words all the same (however short).
                        label = (
                            CONSENT_WORDS if verdict == "again_kept" else answer_label(slot, answer)
                        )
                        await keep_words(tracker, label=label, text=words)
                    del candidates[slot]
                    continue
                if tracker.get_slot(REASKED_SLOT):
                    events.append(SlotSet(REASKED_SLOT, None))
                await keep_words(tracker, label=answer_label(slot, answer), text=words)
            reading = Reading(SKIPPED) if answer.skipped else self.interpret(slot, answer, tracker)
            if not answer.skipped and (information := self.told_after(slot, reading, language)):
                dispatcher.utter_message(text=information)
            answers[slot] = reading.value
            details.update(reading.details)
            events.append(SlotSet(slot, reading.value))
        if not candidates and not routed:
            return events  # asked again: nothing to save
        if summary := self.summary(answers, str(details.get("summary") or "")):
            details["summary"] = summary
        events.append(SlotSet(DETAILS_SLOT, details))
        await save_answers(tracker, details)
        return events
