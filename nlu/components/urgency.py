"""The urgency safety net: runs after the classifiers, may raise to urgent, never lowers.

A message naming a case code ("mã hồ sơ của tôi là CT-...") and no danger is a returning person:
its intent becomes ``inform`` (the rules answer it with action_handle_other), not a new request.

DIET can be confidently wrong on odd input, so the net looks only at the text (nlu.urgency), not at
confidences. It records the indicators it saw and the classifier's own choice for operators.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from nlu import other_scripts
from nlu.case_code import case_code_in
from nlu.contact import arranges_contact
from nlu.erasure import asks_outright_to_erase, asks_to_erase
from nlu.language import detect_language
from nlu.normalize import nfc, normalize
from nlu.question import (
    asks_about_the_assistant,
    asks_for_answer,
    asks_us,
    is_question,
    says_reporting,
    tells_at_length,
    tip_then_asks_where_to_report,
)
from nlu.stopping import may_ask_to_stop
from nlu.triage_levels import HELP, OTHER, QUESTION, REPORT, URGENT, level_for_intent
from nlu.urgency import about_writer, assess, everyday_plea, states_need, told_as_recent

CHUNGTAY = "chungtay"
URGENT_INTENT = "urgent_help"
# Where a case code goes (action_handle_other): a returning person, not a new help request.
INFORM_INTENT = "inform"
NEED_MIN_WORDS = 4  # "tôi cần", "em muốn" alone say no need
# How sure the classifier must be of a request for support for the net to keep it when the writer
# speaks of themselves and asks how or where to get it (answered first all the same).
SURE_REQUEST = 0.99
CASE_CODE_INTENT = INFORM_INTENT
FALLBACK_INTENT = "nlu_fallback"
# Shown to operators when the classifier alone chose urgent_help.
CLASSIFIER_REASON = "classifier"
# Shown when the classifier was unsure (fallback) but its best guess was urgent_help: in doubt
# between urgent and anything else, choose urgent (triage.md) -- unless the message is shaped like
# a question or tells of harm that is over: an unsure guess never pages staff for those.
CLASSIFIER_UNSURE_REASON = "classifier_unsure"
# Someone else's situation with no danger now (harm over, a plan for later, a relative unreachable
# for months), which the classifier alone took for urgent: a report for staff to verify, no page.
REPORT_INTENT = "report_tip"
# A question that asks us to judge an offer or a situation, where to go, or about confidentiality
# ("... có lừa đảo không?", "... trình báo ở đâu?"), which the classifier read as a tip or a
# request (or, with no indicator of danger, as urgent) because of the situation it describes.
QUESTION_INTENT = "faq"
# A statement this long about someone else's situation is a tip even when the classifier matched it
# to a question topic; shorter ones may be a topic typed as a search ("công ty môi giới lừa đảo").
TIP_MIN_WORDS = 8
# An invitation, a practice or a sighting told in a sentence ("co ng ru e di cpc lam online, bao
# an o, e thay ko on").
TOLD_TIP_MIN_WORDS = 6
# Two words with a question mark ("alo?") may be someone testing the line, not a question.
QUESTION_MIN_WORDS = 3
# A help request: someone back home telling of their own past harm and asking for what they need
# now, which the classifier read as a tip.
HELP_INTENT = "request_support"
# No word of harm or distress at all, which the classifier alone took for urgent ("tối nay có đá
# bóng ko"): off-topic, answered as small talk.
OFF_TOPIC_INTENT = "out_of_scope"
GREET_INTENT = "greet"
ERASE_INTENT = "delete_data"
STOP_INTENT = "stop"
HANDOFF_INTENT = "human_handoff"
# Never taken from the classifier's second place when its first, an erasure request or a stop,
# was not what the words said.
_NOT_A_SECOND_GUESS = frozenset(
    {ERASE_INTENT, STOP_INTENT, FALLBACK_INTENT, URGENT_INTENT, HANDOFF_INTENT}
)
THANK_INTENT = "thank"
# Readings an erasure request in so many words is taken for (a question, small talk, a form's
# answer): the words win. Not a tip, a help request or danger, whose content matters more.
_MAY_ASK_TO_ERASE = frozenset(
    {
        QUESTION_INTENT,
        INFORM_INTENT,
        OFF_TOPIC_INTENT,
        FALLBACK_INTENT,
        THANK_INTENT,
        GREET_INTENT,
        "goodbye",
        "affirm",
        "deny",
    }
)
# Readings a question put to us is taken for when it is short or plain ("hỏi chút": thanks).
_ASKS_US_READINGS = frozenset({INFORM_INTENT, OFF_TOPIC_INTENT, THANK_INTENT})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UrgencySafetyNet(GraphComponent):
    """Raises the intent to urgent_help on urgency indicators and writes parse_data["chungtay"]."""

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: Any
    ) -> UrgencySafetyNet:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._annotate(message)
        return messages

    @staticmethod
    def _annotate(message: Message) -> None:
        text = message.get(TEXT) or ""
        intent = message.get(INTENT) or {}
        original = classifier_choice = intent.get(INTENT_NAME_KEY) or "nlu_fallback"
        if (original == ERASE_INTENT and not asks_to_erase(text)) or (
            original == STOP_INTENT and not may_ask_to_stop(text)
        ):
            # The classifier alone heard an erasure request or a stop in words that ask neither
            # ("tôi nghe mẹ một đứa kể", "tôi ở Quỳnh Lưu", a form's answers): its next reading
            # stands, so a form takes the answer instead of ending. A second guess never pages
            # or leaves a form.
            original = _next_reading(message)
            _replace_intent(message, original)
        elif original == HANDOFF_INTENT and arranges_contact(text):
            # "Đừng gọi điện cho tôi, chồng tôi không biết": how to be reached, not a call for a
            # person; a form takes it as an answer (validator_base routes it to its contact
            # question), elsewhere it is added to the person's case.
            original = INFORM_INTENT
            _replace_intent(message, original)
        seen = assess(text)
        reasons = list(seen.reasons)
        if (
            original == FALLBACK_INTENT
            and not reasons
            and _best_guess(message) == URGENT_INTENT
            and not seen.question
            and not seen.past_harm
            and not seen.no_danger_now
            and not seen.off_topic
        ):
            reasons = [CLASSIFIER_UNSURE_REASON]
        level = level_for_intent(original)
        asks = is_question(text)
        # "em mới về, người ta nói em có thể được hỗ trợ ban đầu, em cần đăng ký ở đâu ạ",
        # "我已经回到越南了，身体不好，想知道可以去哪里看病": someone asking, about themselves or
        # their own, how to get support, which the classifier is sure is a request: a help request
        # (the dialogue answers it first), not a topic, nor a greeting or a tip by the words of
        # another script; one who says they are reporting is read by those words.
        composed = nfc(text)
        reports_in_script = other_scripts.says_reporting(composed)
        sure_request = (
            classifier_choice == HELP_INTENT
            and float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= SURE_REQUEST
            and (about_writer(text) or other_scripts.first_person(composed))
            and not reports_in_script
        )
        if not reasons and (
            (original in _MAY_ASK_TO_ERASE and asks_to_erase(text))
            or (
                original in (REPORT_INTENT, HELP_INTENT, URGENT_INTENT)
                and asks_outright_to_erase(text)
            )
        ):
            # "Can you delete everything I've written?" read as a question or small talk, "chồng
            # em hay xem điện thoại, em muốn xóa hết dữ liệu" read as a help request or, by the
            # classifier alone, as danger: the dialogue explains erasure and asks to confirm (a
            # false alarm only asks; danger the net sees still pages).
            level = _replace_intent(message, ERASE_INTENT)
        elif (
            not reasons
            # "… chuyên rủ học sinh đi làm bên Lào, tôi nên báo cho ai?": a tip whose question is
            # only where to pass it on stays the classifier's tip (the dialogue answers first).
            and not (original == REPORT_INTENT and tip_then_asks_where_to_report(text))
            and (
                (
                    level in (URGENT, REPORT, HELP)
                    and asks_for_answer(text)
                    and not seen.own_needs
                    and not sure_request
                    # "…这是不是人口买卖？我想举报。": asked, and reported all the same.
                    and not reports_in_script
                )
                or (
                    level == REPORT
                    and asks
                    and not says_reporting(text)
                    and not seen.own_needs
                    and not tells_at_length(text)
                )
                or (level == URGENT and asks and not about_writer(text))
                # "cứu em với ad ơi, mai em thuyết trình … là luật nào": an everyday plea, asked.
                or (level in (URGENT, HELP) and asks and everyday_plea(text))
                or (level == OTHER and other_scripts.asks_about_topics(text))
                # "Báo tin ở đâu?", "hỏi chút", "how do traffickers trick people now?" read as a
                # form's answer or small talk: a question put to us.
                # Not "what's the weather like in Da Nang today": off-topic, asked or not.
                or (original in _ASKS_US_READINGS and asks_us(text) and not seen.off_topic)
                or (
                    original == FALLBACK_INTENT and asks and len(text.split()) >= QUESTION_MIN_WORDS
                )
            )
        ):
            # The net saw no danger: the situation is the question's context. The dialogue
            # answers it and offers the report or help form, never starting one (issue 16). A
            # tip the writer asks about rather than tells ("tôi gọi 111 từ Nhật được không?")
            # is a question too, and so is a question the classifier was unsure of ("BÁO TIN Ở
            # ĐÂU?"); someone back home asking how to get the support they need ("giấy tờ mất
            # hết ..., giờ về quê rồi, làm lại ở đâu ạ") asks for help, answered first.
            level = _replace_intent(message, QUESTION_INTENT)
        elif (
            not reasons
            and not asks
            and not sure_request
            # "我老婆…今天早上被中介带走了": the classifier's danger, told as today, stands.
            and not (level == URGENT and told_as_recent(text))
            and (reading := _other_script_reading(text)) is not None
        ):
            # Chinese, Thai, Khmer, Lao or Burmese the classifier cannot read: a wish to report,
            # a request for support, a greeting or thanks, from the writer's own words.
            level = _replace_intent(message, reading)
        elif level == QUESTION and not reasons and says_reporting(text):
            # "... không biết có phải lừa không, tôi báo để các anh chị xem": a tip.
            level = _replace_intent(message, REPORT_INTENT)
        elif (
            (level == HELP or original in (FALLBACK_INTENT, INFORM_INTENT))
            and not reasons
            and says_reporting(text)
            and not seen.own_needs
            and not states_need(text)
        ):
            # "nhà chồng em có người bán trẻ sơ sinh, em muốn báo nhưng sợ lắm": a tip, though
            # the classifier heard a plea, a form's answer or was unsure; someone asking for
            # their own needs stays a request.
            level = _replace_intent(message, REPORT_INTENT)
        elif level in (QUESTION, HELP) and not reasons and seen.own_needs and asks:
            # Someone back home asking how to get what they need: a help request, answered first
            # (the dialogue answers anything question-shaped before offering the form).
            level = _replace_intent(message, HELP_INTENT)
        elif level == QUESTION and not reasons and seen.own_needs:
            # "sau khi được giải cứu tôi không có chỗ ở": a need told, not a topic asked about.
            level = _replace_intent(message, HELP_INTENT)
        elif (
            level == QUESTION
            and not reasons
            and not asks
            and (
                (seen.no_danger_now and len(text.split()) >= TIP_MIN_WORDS)
                or (seen.told_tip and len(text.split()) >= TOLD_TIP_MIN_WORDS)
            )
        ):
            # A statement about someone else's situation (an agency gone with the fees), or of a
            # recruiter's invitation, a workplace's practice, what was seen: not a question at all,
            # which the classifier matched to a topic: a tip.
            level = _replace_intent(message, REPORT_INTENT)
        elif (
            (
                original == FALLBACK_INTENT
                # Read as a form's answer: only someone else's situation with no danger now.
                or (
                    original == INFORM_INTENT
                    and seen.no_danger_now
                    and not arranges_contact(text)
                    and not states_need(text)
                )
            )
            and not reasons
            and not asks
            and seen.told_tip
            and len(text.split()) >= TOLD_TIP_MIN_WORDS
        ):
            # "XƯỞNG GẠCH GẦN NHÀ TÔI GIỮ GIẤY TỜ CỦA CÔNG NHÂN", a tip the classifier was unsure
            # of, or "CHÁU TÔI ĐI LÀO 6 THÁNG NAY KHÔNG LIÊN LẠC ĐƯỢC" read as a form's answer:
            # filed for staff to verify rather than the generic menu (inside a form the form
            # takes the words as its answer whatever the intent).
            level = _replace_intent(message, REPORT_INTENT)
        elif (
            original in (INFORM_INTENT, OFF_TOPIC_INTENT, FALLBACK_INTENT)
            and not reasons
            and not asks
            and len(text.split()) >= NEED_MIN_WORDS
            and states_need(text)
        ):
            # "I need medical care, I live in Tra Vinh" read as a form's answer, small talk or
            # nothing sure: outside a form a help request (inside one the form takes the words as
            # its answer whatever the intent).
            level = _replace_intent(message, HELP_INTENT)
        elif level == REPORT and not reasons and seen.own_needs:
            # The writer's own harm is over and they ask for care, training or money now.
            level = _replace_intent(message, HELP_INTENT)
        elif level == URGENT and not reasons and seen.own_needs:
            # The classifier alone took for danger someone back home asking for care now
            # ("giờ về rồi em sợ bị bệnh, em muốn đi xét nghiệm"): help with priority, no page.
            level = _replace_intent(message, HELP_INTENT)
        elif level == QUESTION and not reasons and asks_about_the_assistant(text):
            # "Bạn tên gì thế", "is this thing working?": small talk, answered with what the
            # assistant can do (a topic answer would be about something else).
            level = _replace_intent(message, OFF_TOPIC_INTENT)
        elif level == URGENT and not reasons and seen.off_topic:
            level = _replace_intent(message, OFF_TOPIC_INTENT)
        elif level == URGENT and not reasons and seen.no_danger_now and not told_as_recent(text):
            # The net's time rules, not a lowering of danger it saw: it saw none (triage.md: a
            # person missing for months with no new sign is a report). Not what is told as
            # happening today, in the last days or within hours ("4 ngày nay không về", "nếu mai
            # không trả thì bắt con gái tôi"): in doubt, urgent (triage.md).
            level = _replace_intent(message, REPORT_INTENT)
        elif reasons and level != URGENT:
            # The net is a rule, not a guess: full confidence keeps fallbacks from overriding it.
            level = _replace_intent(message, URGENT_INTENT)
        elif level == URGENT and not reasons:
            reasons = [CLASSIFIER_REASON]
        elif case_code_in(text) is not None:
            # "mã hồ sơ của tôi là CT-..." reads like a help request to the classifier, which
            # would start the help form; danger words still win (the branches above).
            level = _replace_intent(message, CASE_CODE_INTENT)
        data = dict(message.get(CHUNGTAY) or {})
        data.setdefault("language", detect_language(text))
        data.update(
            {
                "triage": level,
                "urgent_reasons": reasons if level == URGENT else [],
                # Indicators of harm that is over, or of someone else's situation without present
                # danger: shown to staff on a help request or a report without raising it.
                "signals": list(seen.signals),
                "past_harm": seen.past_harm,
                "original_intent": classifier_choice,
                "normalized_text": normalize(text),
            }
        )
        message.set(CHUNGTAY, data, add_to_output=True)


def _first_ranked(message: Message, *, passing_over: frozenset[str]) -> str | None:
    """The classifier's best intent but those passed over (FallbackClassifier keeps the
    ranking)."""
    for item in message.get(INTENT_RANKING_KEY) or []:
        name = item.get(INTENT_NAME_KEY)
        if name and name not in passing_over:
            return str(name)
    return None


def _best_guess(message: Message) -> str | None:
    """The classifier's best non-fallback intent."""
    return _first_ranked(message, passing_over=frozenset({FALLBACK_INTENT}))


def _next_reading(message: Message) -> str:
    """The classifier's best reading after an erasure request or a stop it heard without their
    words, passing over the readings that would leave a form or page staff on a second guess."""
    return _first_ranked(message, passing_over=_NOT_A_SECOND_GUESS) or INFORM_INTENT


def _other_script_reading(text: str) -> str | None:
    """The intent of a statement in another script told by its own words (None: none of them,
    or a Vietnamese or English message). The caller has ruled out a question."""
    composed = nfc(text)
    if not other_scripts.SCRIPT.search(composed):
        return None
    if other_scripts.says_reporting(composed):
        return REPORT_INTENT
    if other_scripts.asks_for_support(composed) or other_scripts.says_returned(composed):
        return HELP_INTENT
    if other_scripts.tells_of_vietnamese(composed):
        # "我邻居家最近住进了几个越南女孩，很少出门": Vietnamese people told of, to a Vietnamese
        # hotline, by someone writing their own script: a tip for staff to verify.
        return REPORT_INTENT
    if other_scripts.thanks(composed):
        return THANK_INTENT
    if other_scripts.greets(composed):
        return GREET_INTENT
    return None


def _replace_intent(message: Message, intent: str) -> str:
    """The net's reading replaces the classifier's, at full confidence (a rule, not a guess:
    fallbacks must not override it); returns the triage level it gives."""
    message.set(
        INTENT, {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True
    )
    return level_for_intent(intent)
