"""Report (tip) and help (support request) paths: the intake opens at once, then the form asks.

The first message is on file from the start (staff can act on it even if the person stops); the
form's answers follow, and the case code comes with the closing message.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.case_words import keep_opening, plain, tells_more_after_a_form, thanks_first
from actions.forms.validate_help_form import NEEDS_IN_ENGLISH, needs_named
from actions.help_requests import noted_without_form
from actions.intake_filing import file_intake, flag_for_interpreter
from actions.offers import FORMS, PLACE_SLOTS, opened_by_offer
from actions.smalltalk import added_to_case, says_more_than_small_talk
from actions.tracker_data import conversation_language, slot_language, turn_info
from nlu import other_scripts
from nlu.question import is_question, says_reporting
from nlu.triage_levels import REPORT

# Ends the turn without the form the rule would start next.
NO_FORM = FollowupAction("action_listen")


async def said_after_a_form(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """A thank-you or an "I just remembered" read as a new tip, request or (by the classifier
    alone) danger: a plain thank-you gets a plain reply, news joins the person's case with a short
    acknowledgement; no form starts. None when the message is not one (or there is no case to add
    to)."""
    text = str((tracker.latest_message or {}).get("text") or "").strip()
    if not text or text.startswith("/") or is_question(text):
        return None
    if not tells_more_after_a_form(text):
        return None
    language = conversation_language(tracker)
    if not says_more_than_small_talk(text):
        if not thanks_first(text):
            return None  # "em quên chưa kể": the usual path
        dispatcher.utter_message(text=messages.pick(messages.OTHER_REPLIES["thank"], language))
        return [NO_FORM]
    if await added_to_case(tracker, dispatcher, text, language):
        return [NO_FORM]
    return None


async def more_of_a_noted_request(
    triage: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """ "nó 19 tuổi, tự trốn về qua cửa khẩu Xa Mát" after a support request was answered and put
    on file: more of that request (the classifier hears a tip in the story), added to it, and no
    report form raises it to a tip. A message that says it reports something is a tip."""
    text = str((tracker.latest_message or {}).get("text") or "").strip()
    if triage != REPORT or not text or text.startswith("/") or says_reporting(text):
        return None
    if not noted_without_form(tracker):
        return None
    if await added_to_case(tracker, dispatcher, text, conversation_language(tracker)):
        return [NO_FORM]
    return None


# "tôi muốn báo tin về một vụ mua bán người": a wish to report, nothing told yet (folded).
_WISH_TO_REPORT = re.compile(
    r"\b(?:muon|mun|xin|can|dinh|de|i want to|i'd like to|i would like to) (?:\w+ ){0,2}"
    r"(?:bao|to giac|phan anh|report|tell you)(?: tin| chuyen| viec| vu| ve| about| a| an| that)*"
)
# Words that tell nothing of the tip itself ("tôi … về một vụ mua bán người ạ").
_SAY_NOTHING = frozenset(
    (
        "toi", "em", "e", "minh", "tui", "chung", "a", "ad", "oi", "ve", "mot", "1", "vu",
        "chuyen", "viec", "truong", "hop", "nghi", "ngo", "mua", "ban", "buon", "nguoi", "lua",
        "dao", "i", "an", "about", "the", "suspected", "trafficking", "case", "something", "this",
    )
)  # fmt: skip
# Words of the tip itself, beyond the wish to report it: enough to be what was seen or heard.
TIP_TOLD_MIN_WORDS = 5


def tells_a_tip(text: str) -> bool:
    """The opening tells what was seen or heard (not only that the person wants to report).
    Not counted in the scripts without spaces between words (Chinese, Thai, Khmer, Lao,
    Burmese): their tip is asked for, in English, with a reader flagged."""
    if other_scripts.SCRIPT.search(text):
        return False
    told = [w for w in _WISH_TO_REPORT.sub(" ", plain(text)).split() if w not in _SAY_NOTHING]
    return len(told) >= TIP_TOLD_MIN_WORDS


@dataclass(frozen=True)
class AnsweredInOpening:
    """The form's questions a case's first message already answered, and what the person is told
    of it."""

    slots: dict[str, str]
    noted: str


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
        if (said := await said_after_a_form(dispatcher, tracker)) is not None:
            return said
        if (told := await more_of_a_noted_request(self.triage, dispatcher, tracker)) is not None:
            return told
        # A conversation already in Vietnamese or English stays so (a Vietnamese reporter may
        # paste a Chinese advert); otherwise the language of this message.
        kept = tracker.get_slot("language")
        language = kept if kept in ("vi", "en") else slot_language(info.language)
        intake = await file_intake(
            tracker, info, triage=self.triage, contact_from_entities=self.contact_from_entities
        )
        # A place or a yes that accepted the case offered after an answer: the rules start the
        # form only for a request, so it is started here (the place is its prefilled answer).
        accepted_offer = opened_by_offer(tracker, self.triage)
        if intake is not None:
            await keep_opening(tracker, intake.id, accepted_offer=accepted_offer)
        if info.language in messages.OTHER_SCRIPTS and kept != "vi":
            # Chinese, Thai, Khmer, Lao or Burmese: first a line in their script (received,
            # staff will read it, 113/111), then the form in English; a person who reads their
            # language is asked for on the case. No page: the case is a tip or a request.
            dispatcher.utter_message(text=messages.URGENT_OTHER_LANGUAGE[info.language])
            await flag_for_interpreter(tracker, info, intake.id if intake else None)
        introduction = messages.pick(self.introduction, language)
        opening = str((tracker.latest_message or {}).get("text") or "")
        answered = None
        if not accepted_offer and not opening.startswith("/"):
            answered = self.answered_in_opening(opening, language)
        if answered is not None:
            introduction = answered.noted + " " + introduction
        if accepted_offer and tracker.get_slot(PLACE_SLOTS[self.triage]):
            introduction = messages.pick(messages.PLACE_NOTED, language) + " " + introduction
        dispatcher.utter_message(text=introduction)
        events: list[dict[str, Any]] = [SlotSet("language", language)]
        # The form's questions the opening message already answered: the form starts with them
        # filled (Rasa validates them at activation, so they are saved like answers).
        if answered is not None:
            events += [SlotSet(slot, value) for slot, value in answered.slots.items()]
        if intake is not None:
            events += [
                SlotSet("intake_id", str(intake.id)),
                SlotSet("reference_code", intake.reference_code),
            ]
        if accepted_offer:
            events.append(FollowupAction(FORMS[self.triage]))
        return events

    def answered_in_opening(self, text: str, language: str) -> AnsweredInOpening | None:
        """The form's questions the opening message answered, if any."""
        return None


class ActionHandleReport(_OpenIntakeAction):
    """A tip about suspected trafficking with no immediate danger."""

    triage = "report"
    introduction = messages.REPORT_INTRO
    contact_from_entities = False

    def name(self) -> str:
        return "action_handle_report"

    def answered_in_opening(self, text: str, language: str) -> AnsweredInOpening | None:
        """ "bạn e quen 1 anh trên tiktok, ảnh hứa đưa nó qua hàn…": what was seen is told, not
        asked again (asking it again made every later answer land one question late)."""
        if not tells_a_tip(text):
            return None
        noted = messages.pick(messages.TIP_NOTED, language)
        return AnsweredInOpening({"report_what": text}, noted)


class ActionHandleHelp(_OpenIntakeAction):
    """A victim, returnee or family member asks for support."""

    triage = "help"
    introduction = messages.HELP_INTRO

    def name(self) -> str:
        return "action_handle_help"

    def answered_in_opening(self, text: str, language: str) -> AnsweredInOpening | None:
        """ "giờ chị cần làm lại giấy tờ": what support is not asked again, only confirmed."""
        needs = needs_named(text)
        if not needs:
            return None
        shown = needs if language != "en" else [NEEDS_IN_ENGLISH[need] for need in needs]
        noted = messages.pick(messages.NEEDS_NOTED, language, needs=", ".join(shown))
        return AnsweredInOpening({"help_needs": ", ".join(needs)}, noted)
