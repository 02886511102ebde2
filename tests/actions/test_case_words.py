"""Whatever a person writes as part of their tip or help request is kept in their case (issue 16):
the opening message, each free-text answer and what they add after the form, encrypted, shown
only through the audited reveal, erased with the case. Questions and feelings are not kept.
Through the real actions and a real SQLite store.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from actions import messages
from actions.awareness import ActionAnswerQuestion, ActionReadQuestion
from actions.forms.labels import REPORT_LABELS
from actions.forms.submit import ActionSubmitReport
from actions.forms.validate_report_form import ValidateReportForm
from actions.intake import ActionHandleHelp, ActionHandleReport
from actions.interruptions import (
    ActionEraseData,
    ActionExplainErasure,
    ActionHumanHandoff,
    ActionStop,
)
from actions.smalltalk import ActionHandleOther
from actions.urgent import ActionHandleUrgent
from intake_store.audit import list_audit
from intake_store.intake_views import reveal_intake
from intake_store.models import Intake, NarrativeEntry
from intake_store.store import Store
from tests.actions.conversation import Conversation

TIP = (
    "Tôi muốn báo tin: ở thôn Đồng Mỏ có bà Lựu hay rủ các cô gái sang Lào làm karaoke, "
    "hứa lương 15 triệu"
)


def revealed(store: Store, intake_id: int) -> dict[str, str | None]:
    with store.begin() as session:
        return reveal_intake(
            session, cipher=store.cipher, intake_id=intake_id, actor="test", reason="check"
        )


def everything(store: Store, intake_id: int) -> str:
    return "\n".join(value for value in revealed(store, intake_id).values() if value)


async def answer(person: Conversation, slot: str, text: str, **turn: Any) -> bool:
    person.slots["requested_slot"] = slot
    return await person.reply_to_form(ValidateReportForm(), {"text": text, **turn})


async def test_every_detail_of_a_tip_is_kept_in_the_case_and_questions_are_not(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])

    company = "công ty tên là Hoàng Phát, văn phòng ở tầng 2 số 14 phố Trần Phú"
    assert await answer(person, "report_what", company)
    # Names no place: asked once more; the words are kept all the same.
    assert await answer(person, "report_where", "bà ấy hay ngồi quán nước cạnh cây đa")
    assert person.slots["report_where"] is None
    assert await answer(person, "report_where", "bỏ qua")
    assert await answer(person, "report_who", "em sợ lắm")  # comforted, asked again
    assert await answer(person, "report_who", "gọi 111 có mất tiền không?")
    assert "miễn phí" in person.replies[-1]["text"]
    assert person.slots["report_who"] is None
    assert await answer(person, "report_who", "con gái nhà hàng xóm, mới 16 tuổi")
    assert await answer(person, "report_when", "tuần trước")
    assert await answer(person, "report_how_known", "tôi biết vì em họ tôi cũng đã nộp tiền")
    assert await answer(person, "report_recruiter", "trang Facebook Việc Làm Lào Lương Cao")
    assert await answer(person, "report_anonymous", "co")
    assert await answer(person, "report_confirm", "dung", intent="stop")
    assert person.slots["report_confirm"] == "yes"
    await person.run(ActionSubmitReport(), person.user_turn({"text": "dung"}))

    # After the form: news in any intent that is not small talk or a question joins the case.
    await person.run(
        ActionHandleOther(), person.user_turn({"text": "à, bà Lựu đi xe Vision màu đỏ"})
    )
    await person.run(
        ActionHandleReport(),
        person.user_turn(
            {"text": "hôm qua bà ấy lại rủ thêm 2 cô ở xóm Bến", "intent": "report_tip"}
        ),
    )
    assert int(person.slots["intake_id"]) == intake_id

    kept = everything(store, intake_id)
    for detail in (
        "bà Lựu",
        "15 triệu",
        "thôn Đồng Mỏ",
        "Hoàng Phát",
        "tầng 2 số 14 phố Trần Phú",
        "quán nước cạnh cây đa",
        "mới 16 tuổi",
        "em họ tôi cũng đã nộp tiền",
        "Facebook Việc Làm Lào Lương Cao",
        "xe Vision màu đỏ",
        "xóm Bến",
    ):
        assert detail in kept, detail
    for not_kept in ("mất tiền", "sợ lắm"):
        assert not_kept not in kept, not_kept
    # In the order they were written, each under what it answered.
    narrative = (revealed(store, intake_id)["narrative"] or "").splitlines()
    assert narrative[0] == f"Tin nhắn đầu: {TIP}"
    assert f"Đã thấy gì: {company}" in narrative
    assert narrative[-1] == "Nhắn thêm: hôm qua bà ấy lại rủ thêm 2 cô ở xóm Bến"


async def test_an_answer_given_again_keeps_the_first_one_too(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])
    assert await answer(person, "report_what", "rủ đi làm quán ăn ở Viêng Chăn")
    person.slots["report_anonymous"] = "yes"
    assert await answer(person, "report_confirm", "không đúng", intent="deny")
    assert await answer(person, "report_what", "rủ đi làm karaoke")

    kept = everything(store, intake_id)
    assert "Đã thấy gì: rủ đi làm karaoke" in (revealed(store, intake_id)["summary"] or "")
    assert "quán ăn ở Viêng Chăn" in kept  # the person's first words are not lost


async def test_the_kept_words_are_read_through_the_audited_reveal_and_erased_with_the_case(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])
    with store.begin() as session:
        [token] = session.scalars(select(NarrativeEntry.text_enc)).all()
    assert "Lựu" not in token  # encrypted at rest

    revealed(store, intake_id)
    with store.begin() as session:
        reveal = [r for r in list_audit(session) if r.action == "reveal_intake"]
        assert reveal and "narrative" in reveal[0].detail["fields"]

    await person.run(
        ActionExplainErasure(), person.user_turn({"text": "xóa dữ liệu", "intent": "delete_data"})
    )
    await person.run(ActionEraseData(), person.user_turn({"text": "dung", "intent": "stop"}))
    with store.begin() as session:
        assert session.scalar(select(func.count()).select_from(NarrativeEntry)) == 0
    assert revealed(store, intake_id)["narrative"] is None
    # Nothing written after the erasure is kept in the erased case.
    await person.run(ActionHandleOther(), person.user_turn({"text": "bà Lựu ở xóm Bến"}))
    assert revealed(store, intake_id)["narrative"] is None


async def test_a_question_about_confidentiality_inside_the_form_gets_the_fact(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    # The selector had no confident topic: the fact still comes, then the same question — in
    # whatever words the worry comes (who will know, being found, revenge; teencode, English).
    for text in (
        "tin của tôi có được giữ bí mật không",
        "bà ấy có biết tôi báo không?",
        "chủ xưởng có biết ai báo không",
        "nhỡ bọn nó lần ra nhà em thì sao",
        "ng ta co bit e to cao k",
        "báo thế có bị trả đũa không ạ",
        "will the boss find out who reported him?",
    ):
        assert await answer(person, "report_how_known", text)
        said = person.replies[-1]["text"]
        assert "bí mật" in said and "Nguồn" in said, text
        assert said.endswith(messages.BACK_TO_QUESTION["vi"]), text
        assert person.slots["report_how_known"] is None
    # The selector sure of a topic that does not say it: the fact is said all the same.
    picked = {
        "response_selector": {
            "faq": {
                "response": {"confidence": 0.9, "intent_response_key": "faq/after_reporting"},
                "ranking": [],
            }
        }
    }
    assert await answer(person, "report_when", "báo xong có bị lộ không", parse=picked)
    assert "bí mật" in person.replies[-1]["text"]
    assert await answer(person, "report_when", "gọi 111 có tốn tiền không", parse=picked)
    assert "miễn phí" in person.replies[-1]["text"]
    # Asked at a yes/no question, it is still a question, not a yes.
    assert await answer(person, "report_anonymous", "có bị lộ tên không?")
    assert person.slots["report_anonymous"] is None
    assert "bí mật" in person.replies[-1]["text"]
    assert "lộ tên" not in everything(store, int(person.slots["intake_id"]))


async def test_a_bare_dung_outside_a_form_is_never_a_stop(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionStop(), person.user_turn({"text": "dung", "intent": "stop"}))
    assert messages.STOPPED["vi"].split(".")[0] not in person.said()
    await person.run(ActionStop(), person.user_turn({"text": "Dừng", "intent": "stop"}))
    assert messages.STOPPED["vi"].split(".")[0] in person.said()


async def test_a_stop_that_tells_one_more_thing_keeps_it_and_a_bare_stop_keeps_nothing(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])
    await person.run(
        ActionStop(),
        person.user_turn({"text": "thôi, ông kia tên Sáng, ở xóm Bãi", "intent": "stop"}),
    )
    assert messages.STOPPED["vi"].split(".")[0] in person.said()
    assert "Khi dừng: thôi, ông kia tên Sáng, ở xóm Bãi" in everything(store, intake_id)

    await person.run(ActionStop(), person.user_turn({"text": "thôi dừng lại đi", "intent": "stop"}))
    assert "dừng lại đi" not in everything(store, intake_id)


async def test_a_bare_dung_inside_a_form_is_an_answer_not_a_stop(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    assert await answer(person, "report_when", "dung", intent="stop")
    assert person.slots["report_when"] == "dung"
    assert not await answer(person, "report_how_known", "Dừng", intent="stop")


async def test_news_said_with_a_yes_or_a_thank_you_joins_the_case_and_small_talk_does_not(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])
    person.slots.clear()  # the form ended long ago and Rasa forgot; the store did not

    for text, intent in [
        ("ừ, bà ấy tên là Lựu, hay đi xe Vision màu đỏ", "affirm"),
        ("cảm ơn ad, à mà bà Lựu có con trai tên Tuấn làm ở Viêng Chăn", "thank"),
        ("ok cảm ơn bạn nhiều nhé", "thank"),
        ("vâng ạ", "affirm"),
    ]:
        await person.run(ActionHandleOther(), person.user_turn({"text": text, "intent": intent}))

    narrative = (revealed(store, intake_id)["narrative"] or "").splitlines()
    assert narrative[1:] == [
        "Bổ sung sau: ừ, bà ấy tên là Lựu, hay đi xe Vision màu đỏ",
        "Bổ sung sau: cảm ơn ad, à mà bà Lựu có con trai tên Tuấn làm ở Viêng Chăn",
    ]
    assert person.replies[-2]["text"] == messages.OTHER_REPLIES["thank"]["vi"]


async def test_a_tip_asked_as_a_question_is_kept_once_the_person_chooses_to_report_it(
    store: Store,
) -> None:
    person = Conversation(store)
    question = {
        "text": "bà Lựu ở thôn Đồng Mỏ tuyển người đi Lào lương 15 triệu, có đáng tin không?",
        "intent": "report_tip",
    }
    parse = person.user_turn(question)
    await person.run(ActionReadQuestion(), parse)
    await person.run(ActionAnswerQuestion(), parse)
    with store.begin() as session:
        assert session.scalar(select(func.count()).select_from(NarrativeEntry)) == 0

    # The offered button: the report of what they had just described.
    await person.run(
        ActionHandleReport(), person.user_turn({"text": "/report_tip", "intent": "report_tip"})
    )
    narrative = revealed(store, int(person.slots["intake_id"]))["narrative"]
    assert narrative == f"Đã kể khi hỏi: {question['text']}"


async def test_asking_for_a_person_keeps_what_it_is_about_and_nothing_else(store: Store) -> None:
    bare = Conversation(store)
    await bare.run(
        ActionHumanHandoff(),
        bare.user_turn({"text": "cho em gặp cán bộ tư vấn", "intent": "human_handoff"}),
    )
    assert revealed(store, int(bare.slots["intake_id"]))["narrative"] is None

    person = Conversation(store)
    text = "cho tôi gặp cán bộ, bà Lựu ở thôn Đồng Mỏ rủ con gái tôi sang Lào"
    await person.run(
        ActionHumanHandoff(), person.user_turn({"text": text, "intent": "human_handoff"})
    )
    assert revealed(store, int(person.slots["intake_id"]))["narrative"] == f"Tin nhắn đầu: {text}"


async def test_news_read_as_a_question_topic_joins_the_case_instead_of_a_topic_menu(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])
    person.slots.clear()  # the form ended; Rasa forgot the case, the store did not
    before = len(person.replies)
    unsure = {"response_selector": {"faq": {"response": {"confidence": 0.2}, "ranking": []}}}

    sure = {
        "response_selector": {
            "faq": {
                "response": {
                    "confidence": 0.9,
                    "intent_response_key": "faq/tactic_easy_job_high_pay",
                },
                "ranking": [],
            }
        }
    }
    added = messages.ADDED_TO_CASE["vi"].split("{")[0]

    news = "à, bà Lựu hay đi xe Vision màu đỏ"
    await person.run(
        ActionAnswerQuestion(), person.user_turn({"text": news, "intent": "faq", "parse": unsure})
    )
    assert added in person.replies[before]["text"]
    # A model sure of a topic (a clean clone's training read it so): an afterthought or a
    # statement naming someone is still news, not a topic answer.
    for text in ("à, bà Lựu hay đi xe Vision màu đỏ", "Bà Lựu còn hay ra bến xe Vinh đón người"):
        await person.run(
            ActionAnswerQuestion(), person.user_turn({"text": text, "intent": "faq", "parse": sure})
        )
        assert person.replies[-1]["text"].startswith(added), text
    asked = "bà ấy có bị bắt không?"
    await person.run(
        ActionAnswerQuestion(), person.user_turn({"text": asked, "intent": "faq", "parse": unsure})
    )
    assert not person.replies[-1]["text"].startswith(added)
    # A topic typed as a search, naming no one, is answered.
    search = "thủ đoạn lừa đi làm việc nhẹ lương cao"
    await person.run(
        ActionAnswerQuestion(), person.user_turn({"text": search, "intent": "faq", "parse": sure})
    )
    assert not any(added in (reply.get("text") or "") for reply in person.replies[-2:])

    narrative = (revealed(store, intake_id)["narrative"] or "").splitlines()
    assert narrative[1:] == [  # the question and the search are answered, not kept
        f"Bổ sung sau: {news}",
        f"Bổ sung sau: {news}",
        "Bổ sung sau: Bà Lựu còn hay ra bến xe Vinh đón người",
    ]


def followed_by(events: list[dict[str, Any]]) -> list[str]:
    """The action an action asked to run next (``action_listen``: the turn ends, no form)."""
    return [str(e["name"]) for e in events if e.get("event") == "followup"]


async def test_news_with_a_thank_you_after_the_form_joins_the_case_and_starts_no_new_form(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleReport(), person.user_turn({"text": TIP, "intent": "report_tip"}))
    intake_id = int(person.slots["intake_id"])
    person.slots.update({slot: "skip" for slot in REPORT_LABELS})
    person.slots["report_anonymous"] = "yes"
    await person.run(ActionSubmitReport(), person.user_turn({"text": "đúng"}))

    # Read as a new tip or a new request by the classifier: the case they have, no new form.
    for text, action in [
        ("dạ cám ơn chị, à em mới nhớ ra ông kia tên Khải, ngồi quán bi-a", ActionHandleReport),
        ("thanks a lot, btw the van they used was a white 16-seater", ActionHandleReport),
        ("camon ad nhe, e quen chua ke la ba Luu co so dien thoai duoi 68", ActionHandleHelp),
        # "à, em quên": an afterthought (folded "quen" is also "acquainted": accents decide).
        ("a em quen, be trai nha em 7 tuoi cung can di hoc", ActionHandleReport),
    ]:
        before = len(person.replies)
        events = await person.run(action(), person.user_turn({"text": text, "intent": "x"}))
        assert followed_by(events) == ["action_listen"], text
        [reply] = person.replies[before:]
        assert reply["text"] == messages.pick(messages.ADDED_TO_CASE, "vi").format(
            reference=person.slots["reference_code"]
        ), text
    # Read as danger now by the classifier alone (the urgency net saw none): news, no new form.
    vans = "dạ em cảm ơn, hôm đó có 2 chiếc xe bán tải đến đón mấy đứa"
    events = await person.run(
        ActionHandleUrgent(),
        person.user_turn(
            {
                "text": vans,
                "intent": "urgent_help",
                "triage": "urgent",
                "urgent_reasons": ["classifier"],
            }
        ),
    )
    assert followed_by(events) == ["action_listen"]
    assert person.replies[-1]["text"].startswith(messages.ADDED_TO_CASE["vi"].split("{")[0])
    # Read as a question topic the selector was sure of: news for the case all the same.
    sure = {
        "response_selector": {
            "faq": {
                "response": {"confidence": 0.95, "intent_response_key": "faq/how_to_report"},
                "ranking": [],
            }
        }
    }
    later = "cảm ơn nha, em nhớ thêm là họ đón ở bến xe Nước Ngầm"
    await person.run(
        ActionAnswerQuestion(), person.user_turn({"text": later, "intent": "faq", "parse": sure})
    )
    assert person.replies[-1]["text"].startswith(messages.ADDED_TO_CASE["vi"].split("{")[0])
    # A plain thank-you read as a tip gets a plain reply, and nothing is kept.
    events = await person.run(
        ActionHandleReport(), person.user_turn({"text": "ok cảm ơn chị nhiều ạ", "intent": "x"})
    )
    assert followed_by(events) == ["action_listen"]
    assert person.replies[-1]["text"] == messages.OTHER_REPLIES["thank"]["vi"]

    with store.begin() as session:
        assert session.scalar(select(func.count()).select_from(Intake)) == 1
    narrative = (revealed(store, intake_id)["narrative"] or "").splitlines()
    assert narrative[1:] == [
        "Bổ sung sau: dạ cám ơn chị, à em mới nhớ ra ông kia tên Khải, ngồi quán bi-a",
        "Bổ sung sau: thanks a lot, btw the van they used was a white 16-seater",
        "Bổ sung sau: camon ad nhe, e quen chua ke la ba Luu co so dien thoai duoi 68",
        "Bổ sung sau: a em quen, be trai nha em 7 tuoi cung can di hoc",
        f"Bổ sung sau: {vans}",
        f"Bổ sung sau: {later}",
    ]
