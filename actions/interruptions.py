"""Stop, talk to a person, and erase my data: honoured from anywhere in a conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.case_words import keep_opening, keep_words
from actions.erasure import (
    ERASURE_PENDING,
    EXPLAIN_ACTION,
    answer_to_erasure_question,
    asked_to_confirm_erasure,
    erase,
    erasure_answer,
)
from actions.forms.answers import Answer
from actions.intake_filing import ask_for_human, file_intake
from actions.smalltalk import (
    ActionHandleOther,
    added_to_case,
    says_more_than_asking_for_a_person,
    says_more_than_small_talk,
)
from actions.tracker_data import conversation_language, slot_language, turn_info
from nlu.erasure import asks_to_erase

# "thôi, bà ấy tên Lựu": the person stops but tells one more thing; it goes to the case first.
STOPPED_WITH_WORDS = "Khi dừng"


class ActionStop(Action):
    """Ends the flow politely; what was already saved stays (unconfirmed report answers do not)."""

    def name(self) -> str:
        return "action_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        said = Answer(
            text=str(message.get("text") or ""),
            intent=str((message.get("intent") or {}).get("name") or ""),
        )
        if not said.stops and said.yes_no() is True:
            # A bare "dung" is "đúng" as often as "dừng": a yes out of context, never a stop.
            return await ActionHandleOther().run(dispatcher, tracker, domain)
        if says_more_than_small_talk(said.text):
            await keep_words(tracker, label=STOPPED_WITH_WORDS)  # no open case: nothing kept
        language = conversation_language(tracker)
        reference = tracker.get_slot("reference_code")
        suffix = (
            messages.pick(messages.STOPPED_REFERENCE, language, reference=str(reference))
            if reference
            else ""
        )
        dispatcher.utter_message(text=messages.pick(messages.STOPPED, language, reference=suffix))
        return []


class ActionHumanHandoff(Action):
    """Puts the conversation in the staff queue (a help intake) marked as waiting for a human.

    An operator then takes it over from the console; from then on the gateway keeps the person's
    messages for them instead of forwarding them here.
    """

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        language = conversation_language(tracker)
        # Attaches to the open intake if there is one; triage only ever rises.
        intake = await file_intake(tracker, info, triage="help")
        if intake is not None:
            await ask_for_human(tracker, info, intake)
            text = str((tracker.latest_message or {}).get("text") or "")
            if says_more_than_asking_for_a_person(text):
                await keep_opening(tracker, intake.id)  # what it is about, for the staff member
        reference = (
            intake.reference_code if intake else str(tracker.get_slot("reference_code") or "-")
        )
        dispatcher.utter_message(
            text=messages.pick(messages.HANDOFF, language, reference=reference)
        )
        events: list[dict[str, Any]] = [SlotSet("language", slot_language(language))]
        if intake is not None:
            events += [
                SlotSet("intake_id", str(intake.id)),
                SlotSet("reference_code", intake.reference_code),
            ]
        return events


class ActionExplainErasure(Action):
    """Says what erasure removes and asks to confirm; nothing is erased yet."""

    def name(self) -> str:
        return EXPLAIN_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        # "Có, xóa" / "đồng ý xóa" typed by hand reads as another erasure request: it is the
        # answer. (erasure_pending stays as the rules expect after this action; the next message
        # finds no question just before it and is treated as any other.)
        answered = await answer_to_erasure_question(
            tracker, dispatcher, language, pending_after=True
        )
        if answered is not None:
            return answered
        text = str((tracker.latest_message or {}).get("text") or "")
        if not asks_to_erase(text):
            # The classifier alone heard an erasure request in words that ask none: what the
            # person told joins their case (or gets the usual short reply), nothing is offered
            # for erasing.
            if not await added_to_case(tracker, dispatcher, text.strip(), language):
                reply = messages.OTHER_REPLIES["default"]
                dispatcher.utter_message(text=messages.pick(reply, language))
            return []
        yes, no = (messages.pick(messages.ERASE_BUTTONS[k], language) for k in ("yes", "no"))
        dispatcher.utter_message(
            text=messages.pick(messages.ERASE_EXPLAIN, language),
            buttons=[
                {"title": yes, "payload": "/affirm"},
                {"title": no, "payload": "/deny"},
            ],
        )
        return [SlotSet(ERASURE_PENDING, True)]


class ActionEraseData(Action):
    """Erases the conversation's personal data after an explicit yes to the erasure question."""

    def name(self) -> str:
        return "action_erase_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        if not asked_to_confirm_erasure(tracker):
            # A stray "yes" long after the question must never erase anything; the message gets
            # the reply it would have had without the (forgotten) question.
            intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
            other: Action = ActionStop() if intent == "stop" else ActionHandleOther()
            events = await other.run(dispatcher, tracker, domain)
            return [*events, SlotSet(ERASURE_PENDING, False)]
        if erasure_answer(tracker) is not True:
            dispatcher.utter_message(text=messages.pick(messages.KEPT, language))
            return [SlotSet(ERASURE_PENDING, False)]
        await erase(tracker, dispatcher, language)
        # Forget the answers in the assistant's memory too.
        return [AllSlotsReset(), SlotSet(ERASURE_PENDING, False)]


class ActionKeepData(Action):
    def name(self) -> str:
        return "action_keep_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        # A typed yes the classifier read as a no ("uk xóa đi ạ") is a yes.
        if (events := await answer_to_erasure_question(tracker, dispatcher, language)) is not None:
            return events
        dispatcher.utter_message(text=messages.pick(messages.KEPT, language))
        return [SlotSet(ERASURE_PENDING, False)]
