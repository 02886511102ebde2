"""A case offered after an answer, accepted by carrying on rather than by pressing its button.

A tip or a request asked as a question is answered first and the report or help only offered (the
next-step buttons, actions/awareness.py); the answer on a support topic ends with "Bạn có cần hỗ trợ
không?" and a "Có, tôi cần hỗ trợ" button. People often accept by telling where they are ("em ở xã
Mường Tè, Lai Châu") or by a plain yes ("dạ có"). Such a reply opens the offered case, the place
kept as the answer to its place question, instead of getting the menu and being lost.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.forms.answer_kinds import states_a_place
from actions.forms.answers import Answer
from actions.forms.places import looks_like_place
from actions.tracker_data import previous_turn, previous_user_event, turn_info
from nlu.question import is_question
from nlu.triage_levels import HELP, REPORT, URGENT, level_for_intent

HELP_PAYLOAD, REPORT_PAYLOAD = "/request_support", "/report_tip"
# The action that opens each case and the question of its form a place answers.
OPENERS = {HELP: "action_handle_help", REPORT: "action_handle_report"}
PLACE_SLOTS = {HELP: "help_location", REPORT: "report_where"}
NEEDS_SLOT = "help_needs"
# The forms those actions introduce (started by the rules when the person asked for the case).
FORMS = {HELP: "help_form", REPORT: "report_form"}
YES_MAX_WORDS = 4
PLACE_MAX_WORDS = 16
# Places listed from the smallest up ("Buon Ma Thuot, Dak Lak"): each part a place in a few words.
PLACE_PART_MAX_WORDS = 4
# "vay vốn và học nghề sửa xe": a few words naming support; a longer message tells more.
NEEDS_MAX_WORDS = 12


def asked_level(event: dict[str, Any] | None) -> str | None:
    """The level the classifier read in a message before the NLU made it a question (a tip or a
    request asked as a question keeps it as ``original_intent``)."""
    if event is None:
        return None
    parse = event.get("parse_data") or {}
    original = (parse.get("chungtay") or {}).get("original_intent")
    intent = original or (parse.get("intent") or {}).get("name") or ""
    return level_for_intent(str(intent))


def _offered_payloads(tracker: Tracker) -> set[Any]:
    """The payloads of the buttons of the assistant's last reply."""
    return {
        button.get("payload")
        for event in previous_turn(tracker)
        if event.get("event") == "bot"
        for button in (event.get("data") or {}).get("buttons") or []
    }


def offered_case(tracker: Tracker) -> str | None:
    """HELP or REPORT when the assistant's last reply offered that case, else None.

    The next-step buttons offer both: the report when the person had described a tip (or what
    the classifier took for danger the net did not confirm), help otherwise.
    """
    payloads = _offered_payloads(tracker)
    if HELP_PAYLOAD not in payloads:
        return None
    if REPORT_PAYLOAD in payloads and asked_level(previous_user_event(tracker)) in (REPORT, URGENT):
        return REPORT
    return HELP


def offered_support_alone(tracker: Tracker) -> bool:
    """The assistant's last reply offered help and not a report (actions/help_requests.py's offer
    to go on with a request on file, or the "Có, tôi cần hỗ trợ" of an answer on support)."""
    payloads = _offered_payloads(tracker)
    return HELP_PAYLOAD in payloads and REPORT_PAYLOAD not in payloads


def says_where(answer: Answer) -> bool:
    """Only a place, maybe with what it is called now ("Chúng tôi ở Hòa Bình, giờ nhập vào Phú
    Thọ rồi"): longer than a form's stray place (answer_kinds), as nothing else was asked; or
    places listed from the smallest up, each one a place ("Buon Ma Thuot, Dak Lak")."""
    if states_a_place(answer, max_words=PLACE_MAX_WORDS):
        return True
    parts = [part.strip() for part in answer.text.split(",") if part.strip()]
    return len(parts) >= 2 and all(
        len(part.split()) <= PLACE_PART_MAX_WORDS and looks_like_place(part) for part in parts
    )


def says_needs(answer: Answer) -> bool:
    """Offered support, a few words naming what is needed ("vay vốn và học nghề sửa xe")."""
    # Imported here: the help form's validation imports actions.awareness, which imports this.
    from actions.forms.validate_help_form import needs_in_words

    return len(answer.words) <= NEEDS_MAX_WORDS and bool(needs_in_words(answer.text))


def says_yes(answer: Answer) -> bool:
    """A short yes ("dạ có", "đồng ý"); a longer one says more and goes its own way."""
    return answer.yes_no() is True and len(answer.words) <= YES_MAX_WORDS


def accept_offer(tracker: Tracker, *, places: bool = True) -> list[EventType] | None:
    """The events that open the offered case when the latest message accepts it, else None.

    Only outside a form and without a case in this conversation: news for an open case joins it
    (actions/smalltalk.py); but support offered alone (a request already on file, or an answer on
    a support topic) is taken up for the open case too. ``places=False``: a place alone is no
    acceptance (where someone is may be where the danger is).
    """
    if tracker.active_loop_name:
        return None
    if tracker.get_slot("intake_id") and not offered_support_alone(tracker):
        return None
    text = str((tracker.latest_message or {}).get("text") or "").strip()
    if not text or text.startswith("/") or is_question(text):
        return None
    case = offered_case(tracker)
    if case is None:
        return None
    info = turn_info(tracker)
    answer = Answer(text=text, intent=info.intent, entities=info.entities)
    if answer.skipped or answer.thanks or answer.stops:
        return None
    if places and says_where(answer):
        # The form validates it at its start (a place before the form: Rasa's prefilled slot).
        return [SlotSet(PLACE_SLOTS[case], text), FollowupAction(OPENERS[case])]
    if case == HELP and says_needs(answer):
        return [SlotSet(NEEDS_SLOT, text), FollowupAction(OPENERS[case])]
    return [FollowupAction(OPENERS[case])] if says_yes(answer) else None


def opened_by_offer(tracker: Tracker, case: str) -> bool:
    """The case is being opened because the latest message accepted the offer of it (not by the
    person asking for it, where the rules start the form)."""
    return offered_case(tracker) == case and turn_info(tracker).intent not in (
        "request_support",
        "report_tip",
    )
