"""Greetings, thanks, goodbyes and anything off-topic: say what the assistant can do.

A message carrying a case code ("CT-7K3M9Q2XWB") is a returning person. In the case's own
conversation (or one staff linked to it) the case is named and the conversation carries on with
it; anywhere else the answer promises nothing and staff are asked to confirm (actions/returning.py).
A question is answered. Anything else a person with an open case writes (a place they forgot, what
happened next) joins that case instead of getting the menu.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.awareness import (
    answer_language,
    follow_up_answer,
    message_language,
    next_step_buttons,
    reply_to_question,
)
from actions.erasure import answer_to_erasure_question
from actions.forms.answers import Answer
from actions.forms.places import looks_like_place
from actions.forms.validate_urgent_followup_form import place_details
from actions.intake_filing import add_to_case
from actions.offers import accept_offer
from actions.returning import open_case_of, own_case_for_code, reference_in
from actions.tracker_data import conversation_language, turn_info
from content.knowledge import default_knowledge_base
from nlu.normalize import fold
from nlu.question import is_question

# What may be news for the case; greetings, thanks, goodbyes and a stray yes/no are not, unless
# they say more ("ừ, bà ấy tên là Lựu, hay đi xe Vision đỏ").
CASE_NEWS_INTENTS = frozenset({"inform", "out_of_scope", "nlu_fallback", ""})
SMALL_TALK_INTENTS = frozenset({"greet", "thank", "goodbye", "affirm", "deny"})
# Words of small talk, folded: what is left after them is what the person says.
_SMALL_TALK_WORDS = frozenset({
    "u", "uh", "uk", "um", "uhm", "ok", "oke", "okie", "oki", "okay", "vang", "da", "co",
    "khong", "dung", "roi", "duoc", "cam", "on", "thanks", "thank", "you", "chao", "xin", "hi",
    "hello", "alo", "tam", "biet", "bye", "ban", "ad", "admin", "nhe", "nha", "nhen", "a", "ah",
    "oi", "nhieu", "lam", "rat", "that", "em", "toi", "minh", "tui", "anh", "chi", "vay", "the",
    "hen", "gap", "lai", "sau", "good", "great", "much", "so", "very", "yes", "no", "nope",
    "yeah", "sure", "chuc", "suc", "khoe", "vui", "ve", "ha", "hihi", "haha", "hehe", "dong",
    "y", "chac", "chan", "mot", "ngay", "tot", "lanh", "se", "nua", "cung", "va", "qua",
    "huong", "dan", "giup", "do", "ho", "tro", "lien", "he", "nhan", "tin", "thoi",
    "chuan", "ro", "hieu", "bai", "goodbye", "thx", "tks", "camon", "thanksss",
})  # fmt: skip
_MORE_THAN_SMALL_TALK = 4


# Asking for a person: "cho em gặp cán bộ tư vấn", "nói chuyện với người thật".
_HANDOFF_WORDS = _SMALL_TALK_WORDS | frozenset({
    "cho", "gap", "noi", "chuyen", "voi", "nguoi", "can", "bo", "tu", "van", "vien", "nhan",
    "muon", "that", "truc", "tiep", "goi", "dien", "ai", "do", "duoc", "khong", "talk", "to",
    "a", "person", "human", "real", "someone", "staff", "want", "please", "speak", "with", "i",
})  # fmt: skip


def _words_left(text: str, filler: frozenset[str]) -> int:
    words = fold(text).replace(",", " ").replace(".", " ").replace("!", " ").split()
    return len([w for w in words if w not in filler])


def says_more_than_small_talk(text: str) -> bool:
    """ "ok cảm ơn ad nhiều" is small talk; "ừ, bà ấy tên là Lựu, hay đi xe Vision đỏ" is news."""
    return _words_left(text, _SMALL_TALK_WORDS) >= _MORE_THAN_SMALL_TALK


def says_more_than_asking_for_a_person(text: str) -> bool:
    """ "cho em gặp cán bộ" asks for a person; "cho tôi gặp cán bộ, bà Lựu rủ con tôi sang Lào"
    also tells what it is about."""
    return _words_left(text, _HANDOFF_WORDS) >= _MORE_THAN_SMALL_TALK


async def added_to_case(
    tracker: Tracker, dispatcher: CollectingDispatcher, text: str, language: str
) -> bool:
    """Add ``text`` to the conversation's open case (a place it names fills the case's location
    when it has none) and say so; False when there is no open case."""
    info = turn_info(tracker)
    answer = Answer(text=text, intent=info.intent, entities=info.entities)
    place = place_details(answer) if looks_like_place(text) else None
    reference = await add_to_case(tracker, text, place=place)
    if reference is None:
        return False
    dispatcher.utter_message(
        text=messages.pick(messages.ADDED_TO_CASE, language, reference=reference)
    )
    return True


class ActionHandleOther(Action):
    """A short reply in the person's language; no intake."""

    def name(self) -> str:
        return "action_handle_other"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        language = conversation_language(tracker) if tracker.get_slot("language") else info.language
        # "ừ", "yes" at the erasure question read as small talk: the answer to it.
        if (events := await answer_to_erasure_question(tracker, dispatcher, language)) is not None:
            return events
        if code := reference_in((tracker.latest_message or {}).get("text") or ""):
            intake = await own_case_for_code(
                code, rasa_sender_id=tracker.sender_id, conversation_id=info.conversation_id
            )
            if intake is None:
                # Word for word the same for a real code, a made-up one and one over the limits.
                dispatcher.utter_message(text=messages.pick(messages.RETURNING_NOTED, language))
                texts = messages.OTHER_REPLIES["default"]
                dispatcher.utter_message(text=messages.pick(texts, language))
                return []
            dispatcher.utter_message(
                text=messages.pick(
                    messages.RETURNING_FOUND, language, reference=intake.reference_code
                )
            )
            return [
                SlotSet("intake_id", str(intake.id)),
                SlotSet("reference_code", intake.reference_code),
            ]
        # A place or a yes after an answer that offered a report or help opens it.
        if (accepted := accept_offer(tracker)) is not None:
            return accepted
        text = str((tracker.latest_message or {}).get("text") or "").strip()
        if text and not text.startswith("/") and is_question(text):
            # "is it free?", "vậy ban đêm có ai nghe máy không" right after an answer, read as a
            # yes or small talk: a follow-up on that answer, whatever the classifier heard.
            kb, lang = default_knowledge_base(), answer_language(tracker)
            if (follow := follow_up_answer(tracker, text, kb, lang)) is not None:
                reply, buttons, _ = follow
                dispatcher.utter_message(text=reply, buttons=buttons)
                return []
        news = (
            bool(text)
            and not text.startswith("/")
            and (
                info.intent in CASE_NEWS_INTENTS
                or (info.intent in SMALL_TALK_INTENTS and says_more_than_small_talk(text))
            )
        )
        if info.intent == "greet" and not news:
            # Same conversation, case still open: carry on with it instead of starting over.
            case = await open_case_of(tracker.sender_id)
            if case is not None:
                dispatcher.utter_message(
                    text=messages.pick(
                        messages.WELCOME_BACK, language, reference=case.reference_code
                    )
                )
                return [
                    SlotSet("intake_id", str(case.id)),
                    SlotSet("reference_code", case.reference_code),
                ]
        if news:
            if is_question(text):
                lang = answer_language(tracker)
                reply, buttons, _ = reply_to_question(
                    tracker.latest_message or {}, lang, default_knowledge_base()
                )
                dispatcher.utter_message(text=reply, buttons=buttons)
                dispatcher.utter_message(
                    text=messages.pick(messages.NEXT_STEPS, lang), buttons=next_step_buttons(lang)
                )
                return []
            if await added_to_case(tracker, dispatcher, text, language):
                return []
        texts = messages.OTHER_REPLIES.get(info.intent, messages.OTHER_REPLIES["default"])
        if own_words := messages.HOTLINE_OTHER_LANGUAGE.get(message_language(tracker)):
            # A greeting or thanks in Chinese, Thai, Khmer or Lao: the numbers in the person's
            # script, then the reply in English, which more of them read than Vietnamese.
            dispatcher.utter_message(text=own_words)
            language = "en"
        dispatcher.utter_message(text=messages.pick(texts, language))
        return []
