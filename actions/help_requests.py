"""A support request asked as a question: answered first, then on file at once.

"có chỗ nào cho e ở tạm ko", "con tôi mới về, có được hỗ trợ viện phí không": a returnee or a
family asks for support (triage.md: help, an intake record plus what the law gives). The answer
comes first and no form starts (issue 16), but the request is filed as it stands, so staff see it
even if the person never presses a button; what they tell next joins it, and the form that makes it
actionable (needs, group, place, consent) is offered, not started.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.case_words import keep_opening
from actions.intake_filing import file_intake
from actions.tracker_data import turn_info
from content.entitlements import support_asked_about
from nlu.triage_levels import HELP
from nlu.urgency import about_writer, states_need


def asks_for_support(tracker: Tracker) -> bool:
    """The latest message, outside any form, is a support request (the NLU's level) about the
    writer's own situation or a relative's: harm told, support named by someone speaking of
    themselves, or a need said outright. "What number can I call if I want advice?" is a
    question, answered and offered the next steps as any other."""
    if tracker.active_loop_name:
        return False
    parse = tracker.latest_message or {}
    ours = parse.get("chungtay") or {}
    if ours.get("triage") != HELP:
        return False
    text = str(parse.get("text") or "")
    return bool(
        ours.get("past_harm")
        or ours.get("signals")
        or states_need(text)
        or (about_writer(text) and bool(support_asked_about(text)))
    )


# The offer that follows a request put on file (its buttons, in order).
_NOTED_OFFER = [payload for _, payload in messages.REQUEST_NOTED_BUTTONS]


def noted_without_form(tracker: Tracker) -> bool:
    """The conversation's case was filed from a request asked as a question and no form has run
    in the conversation: what the person tells next is more of that request."""
    if tracker.active_loop_name or not tracker.get_slot("intake_id"):
        return False
    events = tracker.events
    if any(event.get("event") == "active_loop" and event.get("name") for event in events):
        return False
    return any(
        event.get("event") == "bot"
        and [b.get("payload") for b in (event.get("data") or {}).get("buttons") or []]
        == _NOTED_OFFER
        for event in events
    )


async def note_support_request(
    tracker: Tracker, dispatcher: CollectingDispatcher, language: str
) -> list[EventType] | None:
    """File the request just answered and offer to go on; None when it could not be filed (no
    stored conversation: Rasa used without the gateway)."""
    intake = await file_intake(tracker, turn_info(tracker), triage=HELP)
    if intake is None:
        return None
    await keep_opening(tracker, intake.id)
    dispatcher.utter_message(
        text=messages.pick(messages.REQUEST_NOTED, language, reference=intake.reference_code),
        buttons=messages.buttons(messages.REQUEST_NOTED_BUTTONS, language),
    )
    return [
        SlotSet("intake_id", str(intake.id)),
        SlotSet("reference_code", intake.reference_code),
    ]
