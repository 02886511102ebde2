"""Answer first, forms keep their place (issue 16): questions are answered and never stored as form
answers, each answer is checked against its question, yes/no reads every written form, and what a
person writes after a form lands in their case. Through the real actions and a real SQLite store.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk import Action
from sqlalchemy import select

from actions import messages
from actions.awareness import ActionAnswerQuestion, ActionReadQuestion
from actions.forms.answer_kinds import kind_of
from actions.forms.answers import Answer
from actions.forms.labels import REPORT_LABELS
from actions.forms.questions import ASK_ACTIONS, QUESTIONS
from actions.forms.submit import ActionSubmitReport, ActionUrgentFollowupDone
from actions.forms.validate_help_form import ValidateHelpForm
from actions.forms.validate_report_form import ValidateReportForm
from actions.forms.validate_urgent_followup_form import ValidateUrgentFollowupForm
from actions.forms.validator_base import IntakeFormValidation
from actions.intake import ActionHandleHelp, ActionHandleReport
from actions.intake_filing import ASSISTANT, INTERPRETER_NOTE, LANGUAGE_NAMES
from actions.interruptions import ActionEraseData, ActionExplainErasure, ActionKeepData
from actions.smalltalk import ActionHandleOther
from actions.urgent import ActionHandleUrgent
from content.knowledge import KnowledgeBase, load_knowledge_base
from intake_store.casework import read_notes
from intake_store.handoff import conversation_hold
from intake_store.intake_views import reveal_intake
from intake_store.models import Conversation as StoredConversation
from intake_store.models import Intake, OutboxRow
from intake_store.store import Store
from tests.actions.conversation import Conversation

TIP = {"text": "có người rủ con gái hàng xóm đi làm bên Lào", "intent": "report_tip"}
URGENT = {
    "text": "cứu em, họ nhốt em ở Campuchia",
    "intent": "urgent_help",
    "triage": "urgent",
    "urgent_reasons": ["confinement"],
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def selector(kb: KnowledgeBase, entry_id: str, confidence: float = 0.9) -> dict[str, Any]:
    """The response selector's part of a parse result (it runs on every message)."""
    return {
        "response_selector": {
            "faq": {
                "response": {"confidence": confidence, "intent_response_key": f"faq/{entry_id}"},
                "ranking": [{"confidence": confidence, "intent_response_key": f"faq/{entry_id}"}],
            }
        }
    }


def personal(store: Store, intake_id: int) -> dict[str, str | None]:
    with store.begin() as session:
        return reveal_intake(
            session, cipher=store.cipher, intake_id=intake_id, actor="test", reason="check"
        )


def intakes(store: Store) -> list[Intake]:
    with store.begin() as session:
        found = list(session.scalars(select(Intake)).all())
        session.expunge_all()
    return found


async def in_report_form(store: Store, slot: str) -> Conversation:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn(TIP))
    for earlier in REPORT_LABELS:  # the questions before this one were skipped
        if earlier == slot:
            break
        person.slots[earlier] = "no" if earlier == "report_anonymous" else "skip"
    person.slots["requested_slot"] = slot
    return person


# --- answer first ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "asks"),
    [
        ("cty bên lào tuyển nv, bao vé máy bay, có đáng tin ko", "report_tip", True),
        ("Công ty này tuyển người đi Đài Loan có lừa đảo không?", "report_tip", True),
        ("mất hộ chiếu bên đó thì làm lại giấy tờ ở đâu", "request_support", True),
        ("em muon trinh bao thi trinh bao o dau", "report_tip", True),
        # Teencode nlu.question does not read ("lm sao", "hk"); the selector is sure of the topic.
        ("lm sao bít cty tuyển đi lào đó uy tín hk", "report_tip", True),
        # The NLU turned it into faq (nlu.question.asks_for_answer); the classifier said tip.
        ("chỗ này tuyển người đi Lào lương cao, có đáng tin không ạ", "faq", True),
        ("ở chợ huyện có người hay gạ các cô gái đi làm bên Đài Loan", "report_tip", False),
        ("con toi bi lua sang cpc, can giup do", "request_support", False),
    ],
)
async def test_a_question_shaped_tip_is_answered_and_no_form_or_case_starts(
    store: Store, kb: KnowledgeBase, text: str, intent: str, asks: bool
) -> None:
    person = Conversation(store)
    nlu_said = {"triage": "question", "language": "vi", "original_intent": "report_tip"}
    parse = person.user_turn(
        {
            "text": text,
            "intent": intent,
            "parse": {
                **selector(kb, "tactic_easy_job_high_pay"),
                **({"chungtay": nlu_said} if intent == "faq" else {}),
            },
        }
    )
    # action_extract_slots runs the slot's custom mapping before the rules choose the action.
    await person.run(ActionReadQuestion(), parse)
    assert person.slots["asks_question"] is asks
    if not asks:
        return

    await person.run(ActionAnswerQuestion(), parse)

    entry = kb.entries["tactic_easy_job_high_pay"]
    answer, offer = person.replies
    assert answer["text"].startswith(entry.text("answer", "vi"))
    assert offer["text"] == messages.NEXT_STEPS["vi"]
    assert [b["payload"] for b in offer["buttons"]] == [
        "/report_tip",
        "/request_support",
        "/human_handoff",
    ]
    assert intakes(store) == []  # offered, not started: nothing filed, no form answer stored


async def test_danger_now_is_never_a_question_to_answer_first(store: Store) -> None:
    person = Conversation(store)
    parse = person.user_turn({**URGENT, "text": "họ nhốt em rồi, em phải làm sao?"})
    await person.run(ActionReadQuestion(), parse)
    assert person.slots["asks_question"] is False  # the urgent rule takes it


async def test_a_question_inside_the_report_form_is_answered_and_asked_again(
    store: Store, kb: KnowledgeBase
) -> None:
    person = await in_report_form(store, "report_where")
    question = {
        "text": "mà trình báo công an thì trình báo ở đâu?",
        "intent": "report_tip",
        "parse": selector(kb, "how_to_report"),
    }

    assert await person.reply_to_form(ValidateReportForm(), question)

    assert person.slots["report_where"] is None
    assert person.slots["requested_slot"] == "report_where"  # the same question comes again
    said = person.said()
    assert kb.entries["how_to_report"].text("answer", "vi") in said
    assert messages.BACK_TO_QUESTION["vi"] in said
    # Classified as a question, the words still reach the form, which answers them.
    assert await person.reply_to_form(
        ValidateReportForm(), {**question, "text": "bao cong an o dau", "intent": "faq"}
    )
    assert person.slots["report_where"] is None
    assert "trình báo" not in str(person.slots.get("form_details") or "")
    # Saying what they do not know is an answer, not a question to us.
    unsure = {"text": "em cũng không rõ là ở đâu, gần biên giới", "intent": "inform"}
    assert await person.reply_to_form(ValidateReportForm(), unsure)
    assert person.slots["report_where"] == unsure["text"]


# The questions people ask most, each with the words its entry must give, asked where the selector
# was unsure (it offered topics, or inside a form said it had no sure answer).
COMMON_QUESTIONS = [
    ("chủ giữ giấy tờ của công nhân như vậy có đúng luật không?", "vi", "Điều 17"),
    ("is it legal for the factory to keep our passports?", "en", "Article 17"),
    ("nếu chị đó còn rủ người khác thì em báo ở đâu?", "vi", "Ủy ban nhân dân xã"),
    ("where do I report someone who recruits girls for China?", "en", "police station"),
    ("z nếu mún báo bà mối đó thì gọi số nào", "vi", "miễn phí, 24/7"),
    ("Hi, I came home in October. What support can I get?", "en", "medical care"),
    ("người bị bán trở về được hưởng những chế độ gì", "vi", "tâm lý"),
    ("có nên nộp tiền trước khi ký hợp đồng không?", "vi", "biên lai"),
    ("should I pay the deposit before signing the contract?", "en", "receipt"),
    ("nan nhan duoc o co so bao lau", "vi", "120 ngày"),
    ("How long can a victim stay in a support facility?", "en", "120 days"),
    ("bị lừa ở nước ngoài thì liên hệ đâu để được về nước?", "vi", "Đại sứ quán"),
    ("I'm stuck abroad, who can help me get home?", "en", "+84 981 84 84 84"),
    # Where a tip goes, how long a check takes, what the steps are.
    ("tin báo lên tổng đài được chuyển tới cơ quan nào xử lý?", "vi", "Cảnh sát biển"),
    ("tự khai báo là nạn nhân thì mấy ngày mới được xác minh?", "vi", "3 ngày"),
    ("the support process for victims has which steps?", "en", "verification"),
    ("can a foreign tourist report trafficking here?", "en", "113"),
    ("thấy người ta bị bắt làm không lương mấy tháng, tôi nên báo ai?", "vi", "Cảnh sát biển"),
    ("gặp chuyện gấp thì gọi cảnh sát số nào?", "vi", "113"),
    ("khuya rồi gọi đường dây nóng 111 thì có ai trực không?", "vi", "24/7"),
    ("which ministry is responsible for supporting trafficking victims now?", "en", "Health"),
    ("bị cty cầm cccd không trả thì họ làm thế có được không", "vi", "Điều 17"),
    ("trung tâm tuyển đi Hàn bắt đóng tiền giữ chỗ, làm sao biết họ uy tín?", "vi", "dolab"),
    ("nghị định số mấy quy định việc hỗ trợ nạn nhân?", "vi", "162/2025"),
    ("luat chong buon nguoi co hieu luc tu khi nao vay", "vi", "01/7/2025"),
    ("đẻ thuê cho người ta có bị pháp luật cấm không?", "vi", "Điều 3 khoản 2"),
    ("người ta hỏi mua một quả thận, bán thì có sao không?", "vi", "Điều 154"),
    ("bạn rủ qua Thái làm phục vụ, bao vé, có phải lừa đảo không?", "vi", "hộ chiếu"),
    ("kẻ xấu trên mạng xã hội thường tiếp cận bằng cách nào?", "vi", "TikTok"),
    ("đàn ông có thể bị buôn bán không?", "vi", "đàn ông cũng bị mua bán"),
    ("my niece is 15 and went with them willingly, is she trafficked?", "en", "under 18"),
    ("gia đình người tố giác có được bảo vệ không?", "vi", "người thân"),
    ("bị ép làm lừa đảo rồi trốn về, có bị công an bắt không?", "vi", "trợ giúp pháp lý"),
    ("đi chui qua biên giới làm thuê có bị phạt không?", "vi", "bị phạt"),
    ("về quê ai cũng dị nghị, em mặc cảm lắm, phải làm sao?", "vi", "tâm lý"),
]


@pytest.mark.parametrize(("text", "language", "fact"), COMMON_QUESTIONS)
async def test_a_common_question_the_selector_is_unsure_of_gets_its_answer(
    store: Store, kb: KnowledgeBase, text: str, language: str, fact: str
) -> None:
    unsure = selector(kb, "lost_documents", confidence=0.3)
    # Outside a form: the answer, not a list of topics.
    person = Conversation(store)
    parse = person.user_turn({"text": text, "intent": "faq", "language": language, "parse": unsure})
    await person.run(ActionAnswerQuestion(), parse)
    assert fact in person.said()
    assert kb.entries["lost_documents"].text("answer", language) not in person.said()
    # Inside a form: the answer, then the same question again.
    person = await in_report_form(store, "report_what")
    person.slots["language"] = language
    turn = {"text": text, "intent": "faq", "language": language, "parse": unsure}
    assert await person.reply_to_form(ValidateReportForm(), turn)
    assert fact in person.said()
    assert person.slots["report_what"] is None
    assert person.slots["requested_slot"] == "report_what"


async def test_a_worry_about_being_found_out_inside_a_form_is_answered_before_a_common_question(
    store: Store, kb: KnowledgeBase
) -> None:
    person = await in_report_form(store, "report_what")
    turn = {
        "text": "em báo ở đâu thì họ không biết là em báo?",
        "intent": "faq",
        "parse": selector(kb, "lost_documents", confidence=0.3),
    }
    assert await person.reply_to_form(ValidateReportForm(), turn)
    assert kb.entries["anonymous_follow_up"].text("answer", "vi") in person.said()


async def test_a_sure_selector_keeps_its_topic_and_other_words_are_no_common_question(
    store: Store, kb: KnowledgeBase
) -> None:
    person = Conversation(store)
    sure = selector(kb, "lost_documents", confidence=0.9)
    question = "bị giữ hộ chiếu thì có đúng luật không, giờ làm lại ở đâu?"
    await person.run(ActionAnswerQuestion(), person.user_turn({"text": question, "parse": sure}))
    assert kb.entries["lost_documents"].text("answer", "vi") in person.said()
    # Numbers, reports already made, kept money, papers got back or done ask none of them.
    for text in (
        "nhà tôi số 5 đường Lê Lợi",
        "tôi gọi số 111 rồi",
        "bà ấy giữ tiền của em",
        "em có được lấy lại giấy tờ không",
        "làm thủ tục giấy tờ có đúng luật không",
    ):
        person = Conversation(store)
        unsure = selector(kb, "lost_documents", confidence=0.3)
        await person.run(
            ActionAnswerQuestion(), person.user_turn({"text": f"{text}?", "parse": unsure})
        )
        assert person.said().startswith("Mình chưa chắc")


# --- each answer fits its question ----------------------------------------------------------


async def test_a_place_name_is_the_answer_even_when_read_as_a_question_topic(
    store: Store, kb: KnowledgeBase
) -> None:
    person = await in_report_form(store, "report_where")
    # No location entity: the NLU thought it was an FAQ topic.
    turn = {"text": "xa Dien Chau, Nghe An", "intent": "faq", "parse": selector(kb, "shelters")}

    assert await person.reply_to_form(ValidateReportForm(), turn)

    assert person.slots["report_where"] == "xa Dien Chau, Nghe An"
    assert person.slots["form_details"]["province"] == "Nghệ An"
    assert person.slots["requested_slot"] == "report_who"


@pytest.mark.parametrize(
    ("text", "found", "province"),
    [
        ("em ở xã Na Ngoi, Kỳ Sơn", "Kỳ Sơn", "Nghệ An"),  # the district the NLU found: its commune
        ("gần chợ Móng Cái", "Móng Cái", "Quảng Ninh"),  # a border town
        ("ở Lục Ngạn", "Lục Ngạn", "Bắc Ninh"),  # a district, in its province since 2025
    ],
)
async def test_the_province_column_holds_a_province_not_the_district_the_nlu_found(
    store: Store, text: str, found: str, province: str
) -> None:
    person = await in_report_form(store, "report_where")
    turn = {"text": text, "intent": "inform", "entities": [{"entity": "location", "value": found}]}

    assert await person.reply_to_form(ValidateReportForm(), turn)

    assert person.slots["form_details"]["province"] == province
    assert person.slots["form_details"]["location_detail"] == text


async def test_a_reply_that_names_no_place_is_asked_once_more_then_kept(store: Store) -> None:
    person = await in_report_form(store, "report_where")
    assert await person.reply_to_form(ValidateReportForm(), {"text": "gần cái chợ"})
    assert person.slots["report_where"] is None
    assert messages.NOT_A_PLACE["vi"] in person.said()

    assert await person.reply_to_form(ValidateReportForm(), {"text": "gần cái chợ"})
    assert person.slots["report_where"] == "gần cái chợ"  # their words; nothing is lost


async def test_a_bare_yes_to_have_you_a_link_or_a_name_asks_for_it_once(store: Store) -> None:
    person = await in_report_form(store, "report_recruiter")
    assert await person.reply_to_form(ValidateReportForm(), {"text": "có", "intent": "affirm"})
    assert person.slots["report_recruiter"] is None
    # The form asks again: for the details, not "Bạn có đường link … không?" (a second "có").
    await person.run(ASK_ACTIONS["report_recruiter"](), person.user_turn({"text": "có"}))
    assert messages.DETAILS_PLEASE["vi"] in person.said()
    assert QUESTIONS["report_recruiter"]["vi"] not in person.said()
    assert [b["title"] for b in person.replies[-1]["buttons"]] == ["Bỏ qua"]

    link = "facebook.com/vieclamlao.luongcao"
    assert await person.reply_to_form(ValidateReportForm(), {"text": link, "intent": "inform"})
    assert person.slots["report_recruiter"] == link
    assert person.slots["requested_slot"] == "report_anonymous"

    # Asked once: a second bare yes is kept as said rather than asked a third time.
    person = await in_report_form(store, "report_recruiter")
    for _ in range(2):
        assert await person.reply_to_form(ValidateReportForm(), {"text": "co", "intent": "affirm"})
    assert person.slots["report_recruiter"] == "co"
    assert person.slots["form_reasked"] is None


async def test_an_age_in_any_written_form_answers_is_anyone_under_18(store: Store) -> None:
    for text in ("mười lăm", "tầm 15", "15t", "nó mới mười lăm tuổi"):
        person = Conversation(store)
        await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
        person.slots["requested_slot"] = "urgent_minor"

        assert await person.reply_to_form(ValidateUrgentFollowupForm(), {"text": text})

        assert person.slots["urgent_minor"] == "yes", text
        with store.begin() as session:
            intake = session.get(Intake, int(person.slots["intake_id"]))
            assert intake is not None and (intake.is_minor, intake.age_band) == (True, "under_16")
        # The age as said, for staff (a band alone hides 15 from 12).
        assert text in "\n".join(v or "" for v in personal(store, intake.id).values()), text


async def test_an_urgent_message_from_abroad_names_the_mission_there(store: Store) -> None:
    abroad = Conversation(store)
    await abroad.run(ActionHandleUrgent(), abroad.user_turn(URGENT))  # "… ở Campuchia"
    at_home = Conversation(store)
    await at_home.run(
        ActionHandleUrgent(),
        at_home.user_turn({**URGENT, "text": "cứu em, họ nhốt em trong nhà ở Nghệ An"}),
    )

    said = abroad.said()
    assert "Đại sứ quán Việt Nam tại Campuchia" in said and "113" in said, said
    assert "nước ngoài" not in at_home.said()


@pytest.mark.parametrize("text", ["em sợ lắm", "lo quá", "huhu", "so qua 😭"])
async def test_a_feeling_is_comforted_and_the_question_asked_again(store: Store, text: str) -> None:
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
    person.slots["requested_slot"] = "urgent_location"

    assert await person.reply_to_form(ValidateUrgentFollowupForm(), {"text": text})

    assert person.slots["urgent_location"] is None
    assert person.slots["requested_slot"] == "urgent_location"
    assert person.replies[-1]["text"] == messages.COMFORT["vi"]
    # The place is still the one the urgent message named, never the feeling.
    assert personal(store, int(person.slots["intake_id"]))["location_detail"] == URGENT["text"]


async def test_a_feeling_among_other_words_is_comforted_and_never_kept_as_the_answer(
    store: Store,
) -> None:
    person = await in_report_form(store, "report_where")
    intake_id = int(person.slots["intake_id"])
    # A feeling with nothing to use (a "can't say", teencode, English): comfort, same question.
    for text in (
        "em run lắm, em không dám kể",
        "e so qa k bit nua",
        "lo cho em gái tôi quá",
        "I'm so scared right now",
        "huhu mk ko nho noi",
        "con sợ quá, không biết ở đâu nữa",
    ):
        assert await person.reply_to_form(ValidateReportForm(), {"text": text}), text
        assert person.slots["report_where"] is None, text
        assert person.replies[-1]["text"] == messages.pick(messages.COMFORT, "vi"), text
        assert person.slots["requested_slot"] == "report_where", text
    # A feeling with an answer: the answer is kept without the feeling, and comfort is added.
    said = "sợ quá chị ơi, nó giữ con bé ở thị trấn Mường Xén, Kỳ Sơn"
    assert await person.reply_to_form(ValidateReportForm(), {"text": said})
    assert person.slots["report_where"] == "nó giữ con bé ở thị trấn Mường Xén, Kỳ Sơn"
    assert person.replies[-1]["text"] == messages.pick(messages.COMFORT_NOTED, "vi")
    kept = personal(store, intake_id)
    assert kept["location_detail"] == "nó giữ con bé ở thị trấn Mường Xén, Kỳ Sơn"
    # Numbers, names and "buôn người" are never read as a feeling, accented or not.
    person.slots["requested_slot"] = "report_who"
    assert await person.reply_to_form(ValidateReportForm(), {"text": "so nha 7, buon ban nguoi"})
    assert person.slots["report_who"] == "so nha 7, buon ban nguoi"
    # At a yes/no question the yes or no said after the feeling is the answer.
    person.slots["requested_slot"] = "report_anonymous"
    assert await person.reply_to_form(ValidateReportForm(), {"text": "e so qa, dạ không"})
    assert person.slots["report_anonymous"] == "no"
    assert person.replies[-1]["text"] == messages.pick(messages.COMFORT_NOTED, "vi")
    words = kept["narrative"] or ""
    assert "Mường Xén" in words
    for feeling in ("sợ quá", "run lắm", "so qa", "scared", "huhu"):
        assert feeling not in words and feeling not in (kept["summary"] or ""), feeling


async def test_skip_always_skips(store: Store) -> None:
    # Whatever the classifier makes of it (a stop, a no, a question topic).
    for text, intent in [("bỏ qua", "stop"), ("bo qua", "deny"), ("skip", "faq")]:
        person = await in_report_form(store, "report_when")
        assert await person.reply_to_form(ValidateReportForm(), {"text": text, "intent": intent})
        assert person.slots["report_when"] == "skip", text
        assert person.slots["requested_slot"] == "report_how_known"


async def test_how_the_tipster_knows_is_an_answer_unless_the_net_sees_danger_now(
    store: Store,
) -> None:
    person = await in_report_form(store, "report_how_known")
    # The classifier alone thought "urgent": an answer to the question, not an emergency.
    heard = {
        "text": "tôi nghe mẹ con bé kể",
        "intent": "urgent_help",
        "triage": "urgent",
        "urgent_reasons": ["classifier"],
    }
    assert await person.reply_to_form(ValidateReportForm(), heard)
    assert person.slots["report_how_known"] == "tôi nghe mẹ con bé kể"

    # The urgency net saw danger now: the form steps aside and the urgent rule takes over.
    person.slots["requested_slot"] = "report_recruiter"
    danger = {**heard, "text": "họ vừa nhốt con bé lại rồi", "urgent_reasons": ["confinement"]}
    assert not await person.reply_to_form(ValidateReportForm(), danger)
    assert person.slots["report_recruiter"] is None


async def test_every_word_of_an_urgent_turn_inside_or_after_a_form_reaches_the_case(
    store: Store,
) -> None:
    person = await in_report_form(store, "report_recruiter")
    intake_id = int(person.slots["intake_id"])
    assert await person.reply_to_form(ValidateReportForm(), {"text": "bà Thắm ở chợ huyện"})
    # The tip turns into danger now: the form steps aside and the urgent path takes the turn.
    person.slots["requested_slot"] = "report_anonymous"
    danger = {
        "text": "chị ơi tụi nó giam con bé ở nhà trọ Phúc Lộc, đường Hùng Vương, Mong Cai, cứu",
        "intent": "urgent_help",
        "triage": "urgent",
        "urgent_reasons": ["confinement"],
    }
    assert not await person.reply_to_form(ValidateReportForm(), danger)
    await person.run(ActionHandleUrgent(), person.user_turn(danger))
    kept = personal(store, intake_id)
    assert "Phúc Lộc" in (kept["location_detail"] or "")
    assert "Phúc Lộc" in (kept["narrative"] or "")

    # Inside the urgent form, danger said to another question names a new place: kept too.
    person.slots["requested_slot"] = "urgent_people"
    moved = {**danger, "text": "họ vừa chở con bé với 2 đứa nữa lên cửa khẩu Hoành Mô rồi"}
    assert await person.reply_to_form(ValidateUrgentFollowupForm(), moved)
    kept = personal(store, intake_id)
    assert "Hoành Mô" in (kept["location_detail"] or "")
    assert "Hoành Mô" in (kept["narrative"] or "")
    assert "Phúc Lộc" in (kept["narrative"] or "")  # the earlier place is not lost

    # After the form, an urgent message with a place: the same.
    person.slots.update({"requested_slot": None, "urgent_location": "skip"})
    later = {**danger, "text": "giờ họ đưa con bé qua bên kia biên giới, ở Đông Hưng, nhanh lên"}
    await person.run(ActionHandleUrgent(), person.user_turn(later))
    kept = personal(store, intake_id)
    assert "Đông Hưng" in (kept["location_detail"] or "")
    assert "Đông Hưng" in (kept["narrative"] or "")
    assert len(intakes(store)) == 1


# --- yes and no -----------------------------------------------------------------------------

YES_TEXTS = ["dung", "đúng rồi", "có ạ", "Có", "co", "ừ", "uh", "uk", "ok", "oke", "đồng ý",
             "dong y", "vâng", "dạ", "yes"]  # fmt: skip
NO_TEXTS = ["không", "ko", "k", "hok", "no", "thôi", "không ạ"]
HELP = {"text": "em cần hỗ trợ", "intent": "request_support"}
YES_NO_FORMS: list[tuple[Action, dict[str, Any], type[IntakeFormValidation], str]] = [
    (ActionHandleUrgent(), URGENT, ValidateUrgentFollowupForm, "urgent_safe_contact"),
    (ActionHandleReport(), TIP, ValidateReportForm, "report_anonymous"),
    (ActionHandleHelp(), HELP, ValidateHelpForm, "help_consent"),
]


@pytest.mark.parametrize(("opener", "opening", "form", "slot"), YES_NO_FORMS)
async def test_typed_yes_and_no_in_every_form(
    store: Store,
    opener: Action,
    opening: dict[str, Any],
    form: type[IntakeFormValidation],
    slot: str,
) -> None:
    for text, said in [(t, "yes") for t in YES_TEXTS] + [(t, "no") for t in NO_TEXTS]:
        person = Conversation(store)
        await person.run(opener, person.user_turn(opening))
        person.slots["requested_slot"] = slot
        # The classifier may call a bare "dung" a stop, or anything else: the words decide.
        intent = "stop" if text == "dung" else "inform"

        assert await person.reply_to_form(form(), {"text": text, "intent": intent}), text

        assert person.slots[slot] == said, text


async def at_question(
    store: Store, opener: Action, opening: dict[str, Any], slot: str
) -> Conversation:
    """A person whose flow was opened by ``opening`` and who is asked ``slot`` (not anonymous)."""
    person = Conversation(store)
    await person.run(opener, person.user_turn(opening))
    person.slots.update(requested_slot=slot, report_anonymous="no")
    return person


CONTACT_QUESTIONS: list[tuple[Action, dict[str, Any], type[IntakeFormValidation], str]] = [
    (ActionHandleUrgent(), URGENT, ValidateUrgentFollowupForm, "urgent_safe_contact"),
    (ActionHandleReport(), TIP, ValidateReportForm, "report_contact"),
    (ActionHandleHelp(), HELP, ValidateHelpForm, "help_consent"),
]


@pytest.mark.parametrize(
    ("opener", "opening", "form", "slot"), CONTACT_QUESTIONS, ids=[q[3] for q in CONTACT_QUESTIONS]
)
async def test_a_call_back_answer_is_the_answer_to_the_contact_question_not_a_handoff(
    store: Store,
    opener: Action,
    opening: dict[str, Any],
    form: type[IntakeFormValidation],
    slot: str,
) -> None:
    # The classifier hears "gọi cho tôi" as a call for a person; at the contact question it is the
    # answer, and only words that allow contact allow it.
    for text, allowed in [
        ("gọi cho tôi được, an toàn", True),
        ("nhan zalo cho e dc", True),
        ("đừng gọi, chồng em hay xem máy", False),
    ]:
        person = await at_question(store, opener, opening, slot)

        assert await person.reply_to_form(form(), {"text": text, "intent": "human_handoff"}), text

        assert person.slots["requested_slot"] != slot, text  # answered: the form moved on
        intake_id = int(person.slots["intake_id"])
        with store.begin() as session:
            intake = session.get(Intake, intake_id)
            assert intake is not None and intake.consent_contact is allowed, text
    # A call for a person still leaves the form, for the handoff rule.
    person = await at_question(store, opener, opening, slot)
    turn = {"text": "cho em gặp cán bộ ngay", "intent": "human_handoff"}
    assert not await person.reply_to_form(form(), turn)


async def test_dung_confirms_the_report_and_dung_with_its_accent_stops(store: Store) -> None:
    person = await in_report_form(store, "report_confirm")
    person.slots.update(report_what="rủ đi làm", report_anonymous="yes")
    # "Dừng" is a stop: the form steps aside for the stop rule.
    assert not await person.reply_to_form(ValidateReportForm(), {"text": "Dừng", "intent": "stop"})
    assert person.slots["report_confirm"] is None

    person.slots["requested_slot"] = "report_confirm"
    assert await person.reply_to_form(ValidateReportForm(), {"text": "dung", "intent": "stop"})
    assert person.slots["report_confirm"] == "yes"
    assert person.slots["requested_slot"] is None  # done: the report is submitted next
    await person.run(ActionSubmitReport(), person.user_turn({"text": "dung"}))
    assert person.slots["reference_code"] in person.said()


async def test_the_erasure_question_reads_typed_answers(store: Store) -> None:
    for text, intent, erased in [
        ("Có, xóa", "delete_data", True),
        ("đồng ý xóa", "delete_data", True),
        ("có, xóa", "inform", True),
        ("dung", "stop", True),
        ("Không xóa", "delete_data", False),
        ("Dừng", "stop", False),
        # The classifier's reading is not the answer: a teencode yes read as a no, a yes read
        # as small talk, a no read as a greeting.
        ("uk xóa đi ạ", "deny", True),
        ("yes please, delete it all", "greet", True),
        ("ko, đừng xóa", "greet", False),
    ]:
        person = Conversation(store)
        await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
        await person.run(
            ActionExplainErasure(),
            person.user_turn({"text": "xóa dữ liệu", "intent": "delete_data"}),
        )
        asked = len(person.replies)
        # The rules: delete_data goes to action_explain_erasure; affirm, stop, inform (while the
        # question is pending) to action_erase_data; deny to action_keep_data; small talk to
        # action_handle_other.
        action = {
            "delete_data": ActionExplainErasure(),
            "deny": ActionKeepData(),
            "greet": ActionHandleOther(),
        }.get(intent, ActionEraseData())
        await person.run(action, person.user_turn({"text": text, "intent": intent}))

        with store.begin() as session:
            conversation = session.get(StoredConversation, person.conversation_id)
            assert conversation is not None
            assert (conversation.erased_at is not None) is erased, text
        reply = person.replies[asked]["text"]
        assert reply == (messages.ERASED["vi"] if erased else messages.KEPT["vi"]), text
        assert len(person.replies) == asked + 1  # answered, never asked again


# --- after the form -------------------------------------------------------------------------


async def test_what_is_written_after_the_form_lands_in_the_case(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
    for slot, text in [
        ("urgent_location", "bỏ qua"),
        ("urgent_people", "2"),
        ("urgent_minor", "không"),
        ("urgent_safe_contact", "không"),
    ]:
        person.slots["requested_slot"] = slot
        assert await person.reply_to_form(ValidateUrgentFollowupForm(), {"text": text})
    await person.run(ActionUrgentFollowupDone(), person.user_turn({"text": "không"}))
    intake_id = int(person.slots["intake_id"])

    person.slots.pop("intake_id")  # even when Rasa forgot the case, the store knows it
    for text in ("em đang ở xã Tịnh Biên, An Giang", "họ có 3 xe đen"):
        await person.run(ActionHandleOther(), person.user_turn({"text": text, "intent": "inform"}))

    # Once each, among the person's own words (the case page shows them there), not again as
    # summary lines; the place joins the case's place.
    kept = personal(store, intake_id)
    assert (kept["narrative"] or "").splitlines()[-2:] == [
        "Bổ sung sau: em đang ở xã Tịnh Biên, An Giang",
        "Bổ sung sau: họ có 3 xe đen",
    ]
    assert "Bổ sung sau" not in (kept["summary"] or "")
    assert "Tịnh Biên" in (kept["location_detail"] or "")
    with store.begin() as session:
        intake = session.get(Intake, intake_id)
        assert intake is not None and intake.province == "An Giang"
        kinds = list(
            session.scalars(select(OutboxRow.kind).where(OutboxRow.intake_id == intake_id))
        )
    assert kinds == ["staff_alert", "intake_update"]  # staff hear of it as of any other change
    assert intake.reference_code in person.replies[-1]["text"]
    assert messages.OTHER_REPLIES["default"]["vi"] not in person.said()

    # Once they erased their case, nothing they write is kept in it again.
    await person.run(
        ActionExplainErasure(), person.user_turn({"text": "xóa dữ liệu", "intent": "delete_data"})
    )
    await person.run(ActionEraseData(), person.user_turn({"text": "có", "intent": "affirm"}))
    await person.run(
        ActionHandleOther(), person.user_turn({"text": "em ở Huế", "intent": "inform"})
    )
    assert personal(store, intake_id)["summary"] is None
    assert personal(store, intake_id)["narrative"] is None
    assert person.replies[-1]["text"] == messages.OTHER_REPLIES["default"]["vi"]


# --- other languages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        ("zh", "救命，他们把我关起来了", "请拨打 113（警察）或 111"),
        ("th", "ช่วยด้วย ฉันถูกขังอยู่", "โทร 113 (ตำรวจ) หรือ 111"),
        ("km", "ជួយខ្ញុំផង គេឃុំខ្ញុំ", "113 (ប៉ូលិស) ឬ 111"),
        ("lo", "ຊ່ວຍແດ່ ຂ້ອຍຖືກກັກຂັງ", "ໂທ 113 (ຕຳຫຼວດ) ຫຼື 111"),
        ("my", "ကယ်ပါ ကျွန်တော့်ကို ပိတ်ထားတယ်", "113 (ရဲ) သို့မဟုတ် 111"),
        ("en", "help, they locked me in", "Call 113 (police) or 111"),
    ],
)
async def test_an_urgent_message_in_another_language_is_answered_in_it_and_flagged(
    store: Store, language: str, text: str, words: str
) -> None:
    person = Conversation(store)
    turn = {**URGENT, "text": text, "language": language}
    await person.run(ActionHandleUrgent(), person.user_turn(turn))

    first = person.replies[0]["text"]
    assert words in first
    assert "Gọi 113 (Công an) hoặc 111" in first  # the Vietnamese line too
    digits = {token.strip("().,") for token in first.split() if token.strip("().,").isdigit()}
    assert digits <= {"111", "113", "24"}, digits  # no other number
    with store.begin() as session:
        hold = conversation_hold(session, conversation_id=person.conversation_id or 0)
        assert hold is not None and hold.waiting_for_human  # a person is asked to take over
        intake = session.scalars(select(Intake)).one()
        # Flagged for staff, but nobody said it is safe to write to them.
        assert intake.safe_to_contact is None and intake.triage == "urgent"
        assert [r.kind for r in session.scalars(select(OutboxRow))] == ["staff_alert"]
    # The case code and the questions that follow: English, which they read more than Vietnamese.
    assert person.slots["language"] == "en"
    assert "Your case code" in person.replies[-1]["text"]
    # Staff read, in Vietnamese, that someone who reads the language is needed (not for English).
    wanted = [] if language == "en" else [interpreter_note(language)]
    assert staff_notes(store, intake.id) == wanted


def staff_notes(store: Store, intake_id: int) -> list[str]:
    with store.begin() as session:
        notes = read_notes(
            session, cipher=store.cipher, intake_id=intake_id, actor="test", reason="check"
        )
    assert all(note.author == ASSISTANT for note in notes)
    return [note.text for note in notes]


def interpreter_note(language: str) -> str:
    note = INTERPRETER_NOTE.format(language=LANGUAGE_NAMES[language])
    assert "phiên dịch" in note and LANGUAGE_NAMES[language] in note
    return note


@pytest.mark.parametrize(
    ("language", "text", "action", "intro", "triage"),
    [
        ("zh", "我要举报一个骗越南女孩去中国结婚的中介", ActionHandleReport(), "REPORT", "report"),
        (
            "th",
            "ฉันกลับมาเวียดนามแล้ว ต้องการความช่วยเหลือเรื่องที่พัก",
            ActionHandleHelp(),
            "HELP",
            "help",
        ),
        ("km", "ខ្ញុំចង់រាយការណ៍អំពីមេខ្យល់ម្នាក់", ActionHandleReport(), "REPORT", "report"),
        ("lo", "ຂ້ອຍກັບມາແລ້ວ ຕ້ອງການຄວາມຊ່ວຍເຫຼືອ", ActionHandleHelp(), "HELP", "help"),
        ("my", "ကျွန်တော် ပြန်ရောက်ပြီ အကူအညီလိုပါတယ်", ActionHandleHelp(), "HELP", "help"),
    ],
)
async def test_a_tip_or_help_request_in_another_script_gets_its_line_then_english_and_a_person(
    store: Store, language: str, text: str, action: Action, intro: str, triage: str
) -> None:
    """Issue 16: a tip or a request for support in Chinese, Thai, Khmer, Lao or Burmese opens its
    case like any other; the person reads the line in their script (113/111), then the form in
    English; the case waits for a person who reads their language, and nobody is paged."""
    person = Conversation(store)
    intent = "report_tip" if triage == "report" else "request_support"
    turn = {"text": text, "intent": intent, "triage": triage, "language": language}
    await person.run(action, person.user_turn(turn))

    own_line, introduction = (reply["text"] for reply in person.replies)
    assert own_line == messages.URGENT_OTHER_LANGUAGE[language]
    # 113 and 111 in their script, and no other number (Chinese has no spaces: "全天24小时").
    assert set(re.findall(r"\d+", own_line)) == {"111", "113", "24"}, own_line
    assert introduction == getattr(messages, f"{intro}_INTRO")["en"]
    assert person.slots["language"] == "en"
    first_question = "report_what" if triage == "report" else "help_needs"
    await person.run(ASK_ACTIONS[first_question](), person.user_turn(turn))
    assert person.replies[-1]["text"] == QUESTIONS[first_question]["en"]

    [intake] = intakes(store)
    assert (intake.triage, intake.language) == (triage, language)
    with store.begin() as session:
        hold = conversation_hold(session, conversation_id=person.conversation_id or 0)
        assert hold is not None and hold.waiting_for_human
        assert list(session.scalars(select(OutboxRow.kind))) == []  # no page, no notice
    # Once per case, however often the person writes in their language.
    await person.run(action, person.user_turn({**turn, "text": text + "!"}))
    assert staff_notes(store, intake.id) == [interpreter_note(language)]


async def test_a_vietnamese_conversation_that_pastes_a_chinese_tip_stays_in_vietnamese(
    store: Store,
) -> None:
    person = Conversation(store)
    person.slots["language"] = "vi"  # an earlier case in this conversation, in Vietnamese
    pasted = {"text": "我要举报这个中介", "intent": "report_tip", "language": "zh"}
    await person.run(ActionHandleReport(), person.user_turn(pasted))
    assert [reply["text"] for reply in person.replies] == [messages.REPORT_INTRO["vi"]]
    assert person.slots["language"] == "vi"
    [intake] = intakes(store)
    assert staff_notes(store, intake.id) == []


# --- places below the province, thanks and "don't know" inside a form (issue 16) ------------


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("Lục Ngạn", "Bắc Ninh"),  # a district of Bắc Giang, which is part of Bắc Ninh since 2025
        ("luc ngan", "Bắc Ninh"),
        ("LỤC NGẠN", "Bắc Ninh"),
        ("nó ở huyện Quế Võ ạ", "Bắc Ninh"),
        ("o que vo a", "Bắc Ninh"),
        ("Mường Xén", "Nghệ An"),
        ("xa Na Ngoi", "Nghệ An"),
        ("XÃ NA NGOI", "Nghệ An"),
        ("TT Mường Xén, h.Kỳ Sơn", "Nghệ An"),  # Kỳ Sơn alone is in several provinces
        ("h. Ky Son", None),
        ("phường Móng Cái 1", "Quảng Ninh"),
        ("xã Tân Tiến", None),  # a commune in many provinces: a place, no province
        ("Tân Tiến", None),
    ],
)
async def test_a_district_or_commune_named_alone_is_a_place_with_its_province(
    store: Store, text: str, province: str | None
) -> None:
    person = await in_report_form(store, "report_where")

    assert await person.reply_to_form(ValidateReportForm(), {"text": text})

    assert person.slots["report_where"] == text
    assert person.slots["requested_slot"] == "report_who"
    assert person.slots["form_details"].get("province") == province
    assert messages.NOT_A_PLACE["vi"] not in person.said()


@pytest.mark.parametrize(
    "text", ["tân tiến lắm", "xa lắm", "hop dong lao dong", "an phu", "ĐÃ AN TOÀN RỒI"]
)
async def test_a_common_word_that_is_also_a_commune_is_not_a_place(store: Store, text: str) -> None:
    person = await in_report_form(store, "report_where")
    assert await person.reply_to_form(ValidateReportForm(), {"text": text})
    assert person.slots["report_where"] is None, text
    assert messages.NOT_A_PLACE["vi"] in person.said()


async def test_a_thank_you_inside_a_form_is_welcomed_and_never_kept(store: Store) -> None:
    for slot in ("report_anonymous", "report_where"):  # a yes/no question, then a place
        person = await in_report_form(store, slot)
        for text in (
            "cảm ơn",
            "cam on ban",
            "thanks",
            "dạ cảm ơn ạ",
            "Cảm ơn bạn nhiều nha",
            "tks ad",
        ):
            assert await person.reply_to_form(ValidateReportForm(), {"text": text}), text
            assert person.slots[slot] is None, text
            assert person.slots["requested_slot"] == slot, text
            assert person.replies[-1]["text"] == messages.THANKS_IN_FORM["vi"], text
    # "ok cảm ơn" thanks at a place question and says yes at a yes/no question.
    assert await person.reply_to_form(ValidateReportForm(), {"text": "ok cam on"})
    assert person.slots["report_where"] is None
    yes = await in_report_form(store, "report_anonymous")
    assert await yes.reply_to_form(ValidateReportForm(), {"text": "ok cam on"})
    assert yes.slots["report_anonymous"] == "yes"
    # The answer after it is kept, and the thanks never is.
    intake_id = int(person.slots["intake_id"])
    assert await person.reply_to_form(ValidateReportForm(), {"text": "cảm ơn, nó ở Lục Ngạn"})
    assert person.slots["report_where"] == "cảm ơn, nó ở Lục Ngạn"
    kept = personal(store, intake_id)
    assert "dạ cảm ơn" not in (kept["narrative"] or "") + (kept["summary"] or "")


@pytest.mark.parametrize(
    "text", ["em không biết ở đâu", "tôi cũng không rõ nữa", "e k bit", "I don't know where"]
)
async def test_a_dont_know_at_a_place_question_skips_it(store: Store, text: str) -> None:
    person = await in_report_form(store, "report_where")

    assert await person.reply_to_form(ValidateReportForm(), {"text": text})

    assert person.slots["report_where"] == "skip"
    assert person.slots["requested_slot"] == "report_who"
    assert messages.NOT_A_PLACE["vi"] not in person.said()
    assert "province" not in person.slots["form_details"]


async def test_do_they_know_is_a_confidentiality_worry_unless_the_question_is_about_knowing(
    store: Store, kb: KnowledgeBase
) -> None:
    worry = kb.entries["anonymous_follow_up"].text("answer", "vi")
    for slot, text, worried in [
        ("report_where", "họ có biết không?", True),
        ("report_how_known", "họ có biết không?", False),  # may mean: do the family know?
        ("report_how_known", "ho co biet ai bao khong", True),
        ("report_how_known", "họ có biết em báo không?", True),
    ]:
        person = await in_report_form(store, slot)
        assert await person.reply_to_form(ValidateReportForm(), {"text": text})
        assert person.slots[slot] is None, text
        assert (worry in person.said()) is worried, text


async def test_a_reply_that_answers_another_question_is_kept_there_and_the_question_asked_again(
    store: Store,
) -> None:
    person = await in_report_form(store, "report_what")
    person.slots["report_anonymous"] = None

    # A place said to "what did you see?": it is where; "what" is asked again.
    assert await person.reply_to_form(ValidateReportForm(), {"text": "ở xã Bản Lầu, Mường Khương"})
    assert person.slots["report_where"] == "ở xã Bản Lầu, Mường Khương"
    assert (person.slots["report_what"], person.slots["requested_slot"]) == (None, "report_what")
    assert "Mình đã ghi lại" in person.said()
    # A time said to it again: kept as when, and "what" is skipped rather than asked a third time.
    assert await person.reply_to_form(ValidateReportForm(), {"text": "tháng trước"})
    assert person.slots["report_when"] == "tháng trước"
    assert person.slots["report_what"] == "skip"
    # The next question is the first unanswered one: who (where and when are answered).
    assert person.slots["requested_slot"] == "report_who"
    # How the writer knows, said to "who?": kept as such; an age to "who?" is the answer.
    assert await person.reply_to_form(ValidateReportForm(), {"text": "mẹ con bé kể"})
    assert person.slots["report_how_known"] == "mẹ con bé kể"
    assert await person.reply_to_form(ValidateReportForm(), {"text": "con bé nhà bên mới 16"})
    assert person.slots["report_who"] == "con bé nhà bên mới 16"
    summary = personal(store, int(person.slots["intake_id"]))["summary"] or ""
    for line in ("ở xã Bản Lầu", "tháng trước", "mẹ con bé kể", "mới 16"):
        assert line in summary, summary


@pytest.mark.parametrize(
    "text", ["bọn nó đưa con bé đi Campuchia", "có người rủ đi làm nhà hàng bên Trung Quốc"]
)
async def test_what_happened_with_a_place_in_it_answers_what_was_seen(
    store: Store, text: str
) -> None:
    person = await in_report_form(store, "report_what")
    assert await person.reply_to_form(ValidateReportForm(), {"text": text})
    assert (person.slots["report_what"], person.slots.get("report_where")) == (text, None)


async def test_a_place_said_to_what_is_needed_is_where_the_person_is(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionHandleHelp(), person.user_turn(HELP))
    person.slots["requested_slot"] = "help_needs"
    assert await person.reply_to_form(ValidateHelpForm(), {"text": "em ở Tĩnh Gia, Thanh Hóa"})
    assert person.slots["help_location"] == "em ở Tĩnh Gia, Thanh Hóa"
    assert (person.slots["help_needs"], person.slots["requested_slot"]) == (None, "help_needs")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("thôn 3 xã Tân Lập, Lục Ngạn", "place"),
        ("em ở Tĩnh Gia, Thanh Hóa", "place"),
        ("cách đây 2 tuần", "time"),
        ("about 3 weeks ago", "time"),
        ("nghe hàng xóm kể lại", "source"),
        ("thấy trên tiktok", "source"),
        ("con bé nhà bên mới 16", "person"),
        ("em là hàng xóm", None),  # a neighbour, not a hamlet
        ("bọn nó đưa con bé đi Campuchia", None),  # what happened, with a place in it
        ("có", None),
    ],
)
def test_a_reply_that_is_only_a_place_a_time_a_person_or_a_source(
    text: str, kind: str | None
) -> None:
    assert kind_of(Answer(text)) == kind


@pytest.mark.parametrize(
    ("opener", "opening", "form", "slot"),
    [q for q in CONTACT_QUESTIONS if q[3] != "report_contact"],
    ids=["urgent_safe_contact", "help_consent"],
)
async def test_more_than_a_yes_at_the_consent_question_is_kept_in_the_persons_words(
    store: Store,
    opener: Action,
    opening: dict[str, Any],
    form: type[IntakeFormValidation],
    slot: str,
) -> None:
    for text, kept in [
        ("đừng gọi, chồng em hay xem máy", True),
        ("ok, em muốn học nghề sửa xe máy", True),
        ("có, số em 0912 345 678", False),  # a phone number lives in the contact fields only
        ("có ạ", False),
    ]:
        person = await at_question(store, opener, opening, slot)
        assert await person.reply_to_form(form(), {"text": text}), text
        words = personal(store, int(person.slots["intake_id"]))["narrative"] or ""
        assert (text in words) is kept, words


async def test_a_question_that_goes_on_from_the_answer_gets_that_answer_again(
    store: Store, kb: KnowledgeBase
) -> None:
    """ "Vậy ở Huế thì mình liên hệ cơ quan nào …?" after the answer on shelters, which the selector
    cannot place: the answer it goes on from, with its 111, not a list of other topics."""
    person = Conversation(store)
    asked = "Ở đâu có nhà tạm lánh cho phụ nữ bị mua bán trở về?"
    parse = person.user_turn({"text": asked, "intent": "faq", "parse": selector(kb, "shelters")})
    await person.run(ActionAnswerQuestion(), parse)
    person.replies.clear()
    then = "Vậy ở Huế thì mình liên hệ cơ quan nào để hỏi cho các chị em đó ạ?"
    unsure = selector(kb, "support_jobs_training", confidence=0.3)
    parse = person.user_turn({"text": then, "intent": "faq", "parse": unsure})
    await person.run(ActionAnswerQuestion(), parse)
    assert kb.entries["shelters"].text("summary", "vi") in person.said()
    assert "111" in person.said()


async def test_a_yes_the_classifier_alone_took_for_a_cry_accepts_the_support_offered(
    store: Store, kb: KnowledgeBase
) -> None:
    """ "co, giup em voi" after "Bạn có cần hỗ trợ không?": the help case opens; nobody is paged.
    The same words with danger the net saw stay urgent."""
    asked = "em o Campuchia ve thang truoc, bi benh ma khong co bao hiem, co duoc kham free khong"
    person = Conversation(store)
    parse = person.user_turn(
        {"text": asked, "intent": "faq", "parse": selector(kb, "support_medical")}
    )
    await person.run(ActionAnswerQuestion(), parse)
    yes = {"text": "co, giup em voi", "intent": "urgent_help", "triage": "urgent"}
    parse = person.user_turn({**yes, "urgent_reasons": ["classifier"]})
    events = await person.run(ActionHandleUrgent(), parse)
    assert [(e["event"], e.get("name")) for e in events] == [("followup", "action_handle_help")]
    with store.begin() as session:
        assert session.scalars(select(Intake)).all() == []
        assert session.scalars(select(OutboxRow)).all() == []

    # Danger the net saw, or a place alone the classifier took for danger: urgent all the same.
    for words, reasons in (
        ("co, giup em voi", ["confinement"]),
        ("em dang o Bavet", ["classifier"]),
    ):
        person = Conversation(store)
        medical = selector(kb, "support_medical")
        parse = person.user_turn({"text": asked, "intent": "faq", "parse": medical})
        await person.run(ActionAnswerQuestion(), parse)
        parse = person.user_turn({**yes, "text": words, "urgent_reasons": reasons})
        await person.run(ActionHandleUrgent(), parse)
    with store.begin() as session:
        triages = [intake.triage for intake in session.scalars(select(Intake))]
    assert triages == ["urgent", "urgent"]


async def test_a_support_request_asked_as_a_question_is_answered_then_filed_and_grows(
    store: Store, kb: KnowledgeBase
) -> None:
    """triage.md: a help request is an intake record plus what the law gives. Asked as a question,
    it is answered first (with the support it names, not the topic of its story), then filed at
    once with the form offered, not started; the story and the place told next join that case and
    no tip form raises it to a report; a typed yes opens the form for it."""
    asked = (
        "chồng em ở Campuchia về, bị ép làm ở khu lừa đảo, giờ người yếu, có được khám miễn phí "
        "không"
    )
    person = Conversation(store)
    parse = person.user_turn(
        {
            "text": asked,
            "intent": "request_support",
            "triage": "help",
            # The selector took the story for its topic.
            "parse": selector(kb, "tactic_easy_job_high_pay"),
        }
    )
    await person.run(ActionReadQuestion(), parse)
    assert person.slots["asks_question"] is True
    await person.run(ActionAnswerQuestion(), parse)

    answer, noted = person.replies
    assert kb.entries["support_medical"].text("answer", "vi") in answer["text"]
    assert not answer["text"].endswith("Bạn có cần hỗ trợ không?")
    [intake] = intakes(store)
    assert intake.triage == "help"
    assert intake.reference_code in noted["text"] and "khám" not in noted["text"]
    assert [b["payload"] for b in noted["buttons"]] == ["/request_support", "/human_handoff"]
    assert person.slots["intake_id"] == str(intake.id)

    # More of the story, which the classifier hears as a tip: it joins the request.
    told = {"text": "anh ấy trốn về qua cửa khẩu Mộc Bài tháng trước", "intent": "report_tip"}
    events = await person.run(ActionHandleReport(), person.user_turn(told))
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    await person.run(
        ActionHandleOther(),
        person.user_turn({"text": "nhà em ở Gò Dầu, Tây Ninh", "intent": "inform"}),
    )
    [intake] = intakes(store)
    assert intake.triage == "help"
    kept = personal(store, intake.id)
    narrative = kept["narrative"] or ""
    for words in (asked, "cửa khẩu Mộc Bài", "Gò Dầu"):
        assert words in narrative, words
    assert kept["location_detail"]  # the first place told fills it; later ones are in the words

    # A selector's answer to the request itself (where to stay) stands.
    shelter = Conversation(store)
    parse = shelter.user_turn(
        {
            "text": "em mới trốn về, nhà chồng không cho ở, có chỗ nào cho em ở tạm không",
            "intent": "request_support",
            "triage": "help",
            "parse": selector(kb, "shelters"),
        }
    )
    await shelter.run(ActionAnswerQuestion(), parse)
    assert kb.entries["shelters"].text("answer", "vi") in shelter.replies[0]["text"]

    # Another person says yes to the offer: the help form opens on their case.
    other = Conversation(store)
    parse = other.user_turn(
        {"text": asked, "intent": "request_support", "triage": "help", "parse": {}}
    )
    await other.run(ActionAnswerQuestion(), parse)
    events = await other.run(
        ActionHandleOther(), other.user_turn({"text": "dạ có", "intent": "affirm"})
    )
    assert [(e["event"], e.get("name")) for e in events] == [("followup", "action_handle_help")]
