"""action_answer_question: sourced answers in the person's language, buttons when unsure."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.awareness import ActionAnswerQuestion, answer_in_passing, asks_in_passing
from actions.smalltalk import ActionHandleOther
from content.knowledge import LOW_CONFIDENCE_THRESHOLD, KnowledgeBase, load_knowledge_base
from tests.content.parse_data import rasa_parse


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def tracker_for(parse: dict[str, Any], **slots: Any) -> Tracker:
    """The tracker the action server receives after one user message."""
    return Tracker.from_dict(
        {
            "sender_id": "pseudonymous-3f9a",
            "slots": {"language": None, **slots},
            "latest_message": parse,
            "events": [{"event": "user", "text": parse["text"], "parse_data": parse}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


async def run_action(parse: dict[str, Any], **slots: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion().run(dispatcher, tracker_for(parse, **slots), {})
    return dispatcher.messages, events


async def test_vietnamese_answer_has_source_and_next_step(kb: KnowledgeBase) -> None:
    parse = rasa_parse(
        "tong dai 111 co mat phi khong", kb, [("hotline_111", 0.93), ("how_to_report", 0.04)]
    )
    messages, events = await run_action(parse)
    assert events == []
    [message] = messages
    entry = kb.entries["hotline_111"]
    assert message["text"].startswith(entry.answer["vi"])
    # One compact source line on the phone; the full list is behind the last button.
    [line] = [line for line in message["text"].splitlines() if line.startswith("Nguồn:")]
    assert line.startswith("Nguồn: Tổng đài 111, plo.vn post863158")
    assert f"(+{len(entry.sources) - 1} nguồn khác)" in line and "cập nhật" in line
    # next step: the related topics, as buttons whose payload is a question the model knows
    titles = [button["title"] for button in message["buttons"]]
    assert titles == [
        kb.entries["how_to_report"].title["vi"],
        kb.entries["abroad_help"].title["vi"],
        "Xem nguồn",
    ]


async def test_the_old_number_is_named_only_to_whoever_asks_about_it(kb: KnowledgeBase) -> None:
    ranking = [("hotline_111", 0.93), ("how_to_report", 0.04)]
    [asked_number] = (await run_action(rasa_parse("Số tổng đài là số nào?", kb, ranking)))[0]
    assert "111" in asked_number["text"] and "18001567" not in asked_number["text"]
    for question in ("so 18001567 con goi duoc khong", "is 1800 1567 still working?"):
        [old] = (await run_action(rasa_parse(question, kb, ranking)))[0]
        assert "18001567" in old["text"] and "111" in old["text"], question
        assert any(word in old["text"] for word in ("số cũ", "old number")), question


async def test_sources_button_lists_every_source(kb: KnowledgeBase) -> None:
    parse = rasa_parse("số điện thoại bảo hộ công dân", kb, [("abroad_help", 0.9)])
    [answer], _ = await run_action(parse)
    button = answer["buttons"][-1]
    assert button["payload"] == '/faq{"sources": "abroad_help"}'
    # Rasa keeps the payload as the text; the unknown entity is dropped.
    pressed = rasa_parse(button["payload"], kb, [("hotline_111", 0.3)])
    [message], events = await run_action(pressed)
    assert events == []
    assert not message.get("buttons")
    entry = kb.entries["abroad_help"]
    for source in entry.sources:
        assert source.ref in message["text"]
    assert entry.sources[2].url in message["text"]


async def test_long_answer_opens_with_its_summary(kb: KnowledgeBase) -> None:
    entry = kb.entries["non_punishment"]
    parse = rasa_parse("ve tu cam co bi bat ko", kb, [("non_punishment", 0.8)])
    [message], _ = await run_action(parse)
    first, rest = message["text"].split("\n\n", 1)
    assert first == entry.summary["vi"]
    assert rest.startswith(entry.answer["vi"])


async def test_english_answer_and_support_offer(kb: KnowledgeBase) -> None:
    parse = rasa_parse(
        "can a trafficking victim get a free lawyer",
        kb,
        [("support_free_legal_aid", 0.88), ("support_legal_information", 0.07)],
        language="en",
    )
    [message], _ = await run_action(parse)
    assert message["text"].startswith(kb.entries["support_free_legal_aid"].answer["en"])
    assert "Source: Luật Trợ giúp pháp lý" in message["text"]
    assert "Do you need support?" in message["text"]
    assert message["buttons"][0] == {"title": "Yes, I need support", "payload": "/request_support"}


@pytest.mark.parametrize(
    ("text", "language", "free"),
    [
        ("111 热线是免费的吗？", "zh", "免费"),
        ("โทร 111 ฟรีไหม", "th", "ฟรี"),
        ("ហៅលេខ 111 ឥតគិតថ្លៃទេ?", "km", "ឥតគិតថ្លៃ"),
        ("ໂທ 111 ບໍ່ເສຍຄ່າບໍ?", "lo", "ບໍ່ເສຍຄ່າ"),
        ("111 ကို ဖုန်းခေါ်ရင် အခမဲ့လား", "my", "အခမဲ့"),
    ],
)
async def test_a_question_in_another_script_gets_the_numbers_in_it_then_english(
    kb: KnowledgeBase, text: str, language: str, free: str
) -> None:
    """We have no answers in Chinese, Thai, Khmer, Lao or Burmese: 113/111 and "free" in the
    person's own language first, then the sourced answer in English, never Vietnamese alone."""
    parse = rasa_parse(text, kb, [("hotline_111", 0.9)], language=language)
    [own_words, answer], _ = await run_action(parse)
    assert "113" in own_words["text"] and "111" in own_words["text"]
    assert free in own_words["text"]
    assert answer["text"].startswith(kb.entries["hotline_111"].answer["en"])


async def test_low_confidence_offers_closest_topics_instead_of_guessing(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_open_case(*_: object) -> bool:
        return False  # a newcomer: with an open case the words would join it (test_case_words)

    monkeypatch.setattr("actions.smalltalk.added_to_case", no_open_case)
    low = LOW_CONFIDENCE_THRESHOLD / 2
    ranking = [
        ("support_jobs_training", low),
        ("support_hardship_loans", low - 0.05),
        ("support_regimes_overview", low - 0.1),
        ("day_30_july", 0.01),
    ]
    parse = rasa_parse("ho tro lam an cho nguoi ve", kb, ranking)
    [message], _ = await run_action(parse)
    assert kb.entries["support_jobs_training"].answer["vi"] not in message["text"]
    assert message["text"].startswith("Mình chưa chắc")
    assert [b["payload"] for b in message["buttons"]] == [
        kb.entries[entry_id].title["vi"] for entry_id, _ in ranking[:3]
    ]


async def test_a_short_unsure_follow_up_is_about_the_answer_just_given(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_open_case(*_: object) -> bool:
        return False

    monkeypatch.setattr("actions.smalltalk.added_to_case", no_open_case)
    first = rasa_parse("what number do I call about trafficking?", kb, [("hotline_111", 0.95)])
    [answer], _ = await run_action(first)
    unsure = [("law_2024", 0.2), ("what_is_trafficking", 0.18), ("hotline_111", 0.15)]

    def after_the_answer(text: str) -> Tracker:
        parse = rasa_parse(text, kb, unsure, language="en")
        tracker = tracker_for(parse)
        tracker.events = [
            {"event": "user", "text": first["text"], "parse_data": first},
            {"event": "bot", "text": answer["text"], "data": {"buttons": answer["buttons"]}},
            {"event": "user", "text": text, "parse_data": parse},
        ]
        return tracker

    for text, entry_id in (
        ("Is it free?", "hotline_111"),
        ("do they tell anyone my name?", "anonymous_follow_up"),
        # Longer than a follow-up, but pointing back at the answer just given.
        ("and if my cousin abroad is in a case like that, what should he do first?", "hotline_111"),
    ):
        dispatcher = CollectingDispatcher()
        await ActionAnswerQuestion().run(dispatcher, after_the_answer(text), {})
        [reply] = dispatcher.messages
        assert reply["text"].startswith(kb.entries[entry_id].answer["en"]), text
    # As long, pointing at nothing: a question of its own, not the answer given before.
    dispatcher = CollectingDispatcher()
    own = "what should a family do first when a relative abroad stops answering the phone?"
    await ActionAnswerQuestion().run(dispatcher, after_the_answer(own), {})
    assert not dispatcher.messages[0]["text"].startswith(kb.entries["hotline_111"].answer["en"])
    # The same follow-up the classifier took for a yes or small talk: still about that answer.
    for intent in ("affirm", "out_of_scope"):
        tracker = after_the_answer("Is it free?")
        tracker.latest_message["intent"] = {"name": intent, "confidence": 0.9}
        dispatcher = CollectingDispatcher()
        await ActionHandleOther().run(dispatcher, tracker, {})
        [reply] = dispatcher.messages
        assert reply["text"].startswith(kb.entries["hotline_111"].answer["en"]), intent
    # Without an answer just before, the same question gets the closest topics.
    [menu], _ = await run_action(rasa_parse("Is it free?", kb, unsure, language="en"))
    assert not menu["text"].startswith(kb.entries["hotline_111"].answer["en"])


async def test_an_unsure_selector_whose_first_topic_stands_clear_answers_it(
    kb: KnowledgeBase,
) -> None:
    # Below the threshold, but far ahead of the next topic: that topic's answer.
    clear = [("support_medical", 0.4), ("support_psychological", 0.12), ("shelters", 0.05)]
    [message], _ = await run_action(rasa_parse("chuyện khám chữa bệnh thì sao", kb, clear))
    assert kb.entries["support_medical"].answer["vi"] in message["text"]
    # Two topics close together, or a first topic too weak: the closest topics as buttons.
    for ranking in (
        [("support_medical", 0.4), ("support_psychological", 0.3)],
        [("support_medical", 0.3), ("support_psychological", 0.05)],
    ):
        # (A question naming no kind of support: one that names it gets that support's entry.)
        [message], _ = await run_action(rasa_parse("còn chuyện kia thì sao", kb, ranking))
        assert message["text"].startswith("Mình chưa chắc")
        assert kb.entries["support_medical"].answer["vi"] not in message["text"]


async def test_danger_mid_question_goes_to_the_urgent_path(kb: KnowledgeBase) -> None:
    parse = rasa_parse("so 111 la gi, ho dang nhot em", kb, [("hotline_111", 0.9)], triage="urgent")
    messages, events = await run_action(parse)
    assert messages == []
    assert events == [FollowupAction("action_handle_urgent")]


async def test_other_intents_are_left_alone(kb: KnowledgeBase) -> None:
    parse = rasa_parse("chao ad", kb, [("hotline_111", 0.9)], intent="greet", triage="other")
    messages, events = await run_action(parse)
    assert (messages, events) == ([], [])


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        ("cty bên lào tuyển nv cskh lương ngàn đô, bao vé máy bay, có đáng tin ko", True),
        ("co nguoi ru sang cam lam van phong luong cao, co nen di k", True),
        ("a company offers me a job in Cambodia with free flights, is it safe?", True),
        # No particle nlu.question knows ("hk"), but it asks about an offer the selector knows.
        ("có bà mối rủ e lấy chồng tq, nhà trai cho 80tr, lo hết giấy tờ, có an toàn hk ad", True),
        ("ở chợ huyện có một người hay gạ các cô gái đi làm bên Đài Loan", False),
    ],
)
async def test_a_tip_asked_as_a_question_gets_the_tactic_answer_and_no_form(
    kb: KnowledgeBase, text: str, answered: bool
) -> None:
    """Answer first: the tactic's sourced answer, then the report is offered, not started; a
    plain tip gets no lecture and its form."""
    from actions import messages as texts
    from actions.awareness import ActionReadQuestion

    language = "en" if text.startswith("a company") else "vi"
    parse = rasa_parse(
        text,
        kb,
        [("tactic_easy_job_high_pay", 0.81), ("tactic_fake_labour_export", 0.1)],
        intent="report_tip",
        language=language,
        triage="report",
    )
    # action_extract_slots runs the custom mapping; the rules answer when asks_question is true.
    [asks] = await ActionReadQuestion().run(CollectingDispatcher(), tracker_for(parse), {})
    assert asks["value"] is answered
    if not answered:
        return
    said, _ = await run_action(parse, asks_question=True)
    entry = kb.entries["tactic_easy_job_high_pay"]
    assert said[0]["text"].startswith(entry.text("answer", language))
    assert entry.source_line(language) in said[0]["text"]
    assert said[-1]["text"] == texts.NEXT_STEPS[language]


async def test_an_unsure_question_naming_a_kind_of_support_gets_what_the_law_gives_for_it(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A returnee's question the selector cannot place ("có chỗ nào khám bệnh miễn phí cho em
    không?") names the support it is about: that support's entry, not a menu of topics."""

    async def no_open_case(*_: object) -> bool:
        return False

    monkeypatch.setattr("actions.smalltalk.added_to_case", no_open_case)
    unsure = [("children_born_abroad", 0.2), ("support_psychological", 0.18), ("law_2024", 0.1)]
    one = "em mới về được 2 tuần, có chỗ nào khám bệnh miễn phí cho em không?"
    [reply, *_], _ = await run_action(rasa_parse(one, kb, unsure))
    assert reply["text"].startswith(kb.entries["support_medical"].answer["vi"])
    two = "Chồng tôi mới được đưa về, tôi muốn hỏi chỗ chữa trị, và có được trợ giúp pháp lý không?"
    [reply, *_], _ = await run_action(rasa_parse(two, kb, unsure))
    for entry_id in ("support_medical", "support_free_legal_aid"):
        assert kb.entries[entry_id].answer["vi"] in reply["text"], entry_id
    # Naming no support: the closest topics, as before.
    [menu, *_], _ = await run_action(rasa_parse("cái đó là sao vậy?", kb, unsure))
    assert menu["text"].startswith("Mình chưa chắc")


def test_inside_a_form_a_fact_asked_before_a_worry_or_whether_papers_may_be_kept_is_answered(
    kb: KnowledgeBase,
) -> None:
    """ "tên tôi có bị lộ ra không, tôi sợ mất việc": the question comes first, a worry after
    it; "công ty giữ giấy tờ … có phạm luật không?": the Labour Code forbids it (lost_documents),
    whatever topic the unsure selector guessed."""
    assert asks_in_passing("tên tôi có bị lộ ra không, tôi sợ mất việc")
    assert not asks_in_passing("chỗ tôi làm, quản đốc giữ căn cước của cả tổ, ai nghỉ là không trả")
    assert not asks_in_passing("em không biết, họ nhốt em")
    unsure = [("law_2024", 0.2), ("what_is_trafficking", 0.18)]
    asked = "Mà xưởng giữ căn cước của thợ như thế có phạm luật không?"
    said = answer_in_passing(rasa_parse(asked, kb, unsure), "vi")
    assert "Bộ luật Lao động 2019, Điều 17" in said


def test_inside_a_form_free_care_asked_about_is_that_care_not_what_a_call_costs(
    kb: KnowledgeBase,
) -> None:
    unsure = [("law_2024", 0.2), ("what_is_trafficking", 0.18)]
    asked = "có chỗ nào khám bệnh miễn phí cho cháu không?"
    said = answer_in_passing(rasa_parse(asked, kb, unsure), "vi")
    assert said.startswith(kb.entries["support_medical"].answer["vi"]), said
    # The hotline's cost asked is still the hotline's answer.
    cost = answer_in_passing(rasa_parse("gọi 111 có mất tiền không?", kb, unsure), "vi")
    assert cost.startswith(kb.entries["hotline_111"].answer["vi"]), cost
