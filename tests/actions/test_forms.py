"""The urgent, report and help flows through the real actions and a real SQLite store."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from sqlalchemy import select

from actions.forms.questions import ASK_ACTIONS
from actions.forms.submit import ActionSubmitHelp, ActionSubmitReport, ActionUrgentFollowupDone
from actions.forms.validate_help_form import ValidateHelpForm, needs_named
from actions.forms.validate_report_form import ValidateReportForm
from actions.forms.validate_urgent_followup_form import ValidateUrgentFollowupForm
from actions.forms.validator_base import IntakeFormValidation
from actions.intake import ActionHandleHelp, ActionHandleReport
from actions.urgent import ActionHandleUrgent
from intake_store.casework import timeline
from intake_store.intake_views import reveal_intake
from intake_store.models import Intake, OutboxRow
from intake_store.store import Store
from tests.actions.conversation import Conversation, load_scenario

FLOWS: dict[str, tuple[Action, IntakeFormValidation, Action]] = {
    "urgent_every_question": (
        ActionHandleUrgent(),
        ValidateUrgentFollowupForm(),
        ActionUrgentFollowupDone(),
    ),
    "report_anonymous_tip": (ActionHandleReport(), ValidateReportForm(), ActionSubmitReport()),
    "help_being_identified_abroad": (ActionHandleHelp(), ValidateHelpForm(), ActionSubmitHelp()),
}


async def walk(store: Store, name: str) -> tuple[Conversation, Intake, dict[str, Any]]:
    """Open the flow with the scenario's first message, answer every question, complete it."""
    scenario = load_scenario(name)
    opener, validator, submit = FLOWS[name]
    person = Conversation(store)
    await person.run(opener, person.user_turn(scenario["opening"]))
    for answer in scenario["answers"]:
        person.slots["requested_slot"] = answer["slot"]
        parse = person.user_turn(answer)
        await person.run(validator, parse, {answer["slot"]: answer["text"]})
        assert person.slots.get("requested_slot") == answer["next"], answer
    await person.run(submit, parse)
    with store.begin() as session:
        [intake] = session.scalars(
            select(Intake).where(Intake.conversation_id == person.conversation_id)
        ).all()
        personal = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="check"
        )
        session.expunge(intake)
    return person, intake, personal


@pytest.mark.parametrize("name", sorted(FLOWS))
async def test_a_whole_flow_fills_the_intake(store: Store, name: str) -> None:
    person, intake, personal = await walk(store, name)

    expect = load_scenario(name)["expect"]
    assert {key: getattr(intake, key) for key in expect["plain"]} == expect["plain"]
    for key, words in expect["personal_contains"].items():
        assert words in (personal[key] or ""), (key, personal[key])
    assert all(personal[key] is None for key in expect["personal_absent"]), personal
    said = person.said()
    assert all(words in said for words in expect["replies_contain"]), said
    assert not any(words in said for words in expect.get("replies_lack", [])), said
    assert intake.reference_code in said
    with store.begin() as session:
        kinds = session.scalars(select(OutboxRow.kind).where(OutboxRow.intake_id == intake.id))
        # Urgent: one alert, and the answers given after it follow as one (coalesced) update.
        assert list(kinds) == (
            ["staff_alert", "intake_update"] if intake.triage == "urgent" else []
        )


async def test_urgent_answers_reach_the_intake_one_by_one(store: Store) -> None:
    scenario = load_scenario("urgent_every_question")
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(scenario["opening"]))
    person.slots["requested_slot"] = "urgent_location"
    answer = scenario["answers"][0]
    await person.run(
        ValidateUrgentFollowupForm(), person.user_turn(answer), {answer["slot"]: answer["text"]}
    )

    # Staff can read where the person is before the form is finished.
    personal = _revealed(store, int(person.slots["intake_id"]))
    assert "Bavet" in (personal["location_detail"] or "")


async def test_unsafe_contact_skips_the_when_question(store: Store) -> None:
    person = Conversation(store)
    await person.run(
        ActionHandleUrgent(),
        person.user_turn({"text": "cứu, họ nhốt tôi", "intent": "urgent_help", "triage": "urgent"}),
    )
    for slot, text in [
        ("urgent_location", "không biết"),
        ("urgent_people", "bo qua"),
        ("urgent_minor", "k bt"),
        ("urgent_safe_contact", "ko an toàn"),
    ]:
        person.slots["requested_slot"] = slot
        await person.run(
            ValidateUrgentFollowupForm(), person.user_turn({"text": text}), {slot: text}
        )

    assert person.slots["requested_slot"] is None  # the form is done; no time question
    assert [person.slots[s] for s in ("urgent_location", "urgent_people", "urgent_minor")] == [
        "skip"
    ] * 3
    with store.begin() as session:
        intake = session.get(Intake, int(person.slots["intake_id"]))
        assert intake is not None
        assert (intake.safe_to_contact, intake.consent_contact) == (False, False)


async def test_report_answers_are_kept_as_they_come_and_a_no_asks_again(store: Store) -> None:
    person = Conversation(store)
    await person.run(
        ActionHandleReport(),
        person.user_turn({"text": "có người rủ con gái đi Lào", "intent": "report_tip"}),
    )
    intake_id = int(person.slots["intake_id"])
    for slot, text in [("report_what", "rủ đi làm quán ăn"), ("report_where", "Nghệ An")]:
        person.slots["requested_slot"] = slot
        await person.run(ValidateReportForm(), person.user_turn({"text": text}), {slot: text})
    # Saved before any confirmation: a person who leaves now has told staff this much.
    assert _summary(store, intake_id).splitlines() == [
        "Đã thấy gì: rủ đi làm quán ăn",
        "Ở đâu: Nghệ An",
    ]

    person.slots.update(report_anonymous="yes", requested_slot="report_confirm")
    await person.run(
        ValidateReportForm(),
        person.user_turn({"text": "không đúng", "intent": "deny"}),
        {"report_confirm": "không đúng"},
    )

    # Not right: asked again from the first question, nothing said is lost, staff see it.
    assert person.slots["report_what"] is None
    assert person.slots["requested_slot"] == "report_what"
    assert "bỏ qua" in person.said()
    assert "Ở đâu: Nghệ An" in _summary(store, intake_id)
    person.slots["requested_slot"] = "report_what"
    await person.run(
        ValidateReportForm(),
        person.user_turn({"text": "rủ đi làm karaoke"}),
        {"report_what": "rủ đi làm karaoke"},
    )
    assert _summary(store, intake_id).splitlines() == [
        "Đã thấy gì: rủ đi làm karaoke",
        "Ở đâu: Nghệ An",
    ]
    person.slots["requested_slot"] = None
    await person.run(ActionSubmitReport(), person.user_turn({"text": "đúng"}))
    with store.begin() as session:
        kinds = [e.kind for e in timeline(session, intake_id=intake_id) if e.kind != "status"]
    assert kinds == ["person_not_confirmed", "person_confirmed"]


async def _cry(person: Conversation, text: str, language: str, reasons: list[str]) -> None:
    """An urgent case opened by ``text`` in ``language``."""
    parse = {"text": text, "intent": "urgent_help", "triage": "urgent", "language": language}
    await person.run(ActionHandleUrgent(), person.user_turn({**parse, "urgent_reasons": reasons}))


async def test_english_speakers_are_asked_in_english(store: Store) -> None:
    person = Conversation(store)
    await _cry(person, "help me, they took my passport", "en", ["documents_taken"])
    # A short answer says little about its language; the conversation's language holds.
    parse = person.user_turn({"text": "3", "language": "vi"})
    await person.run(ASK_ACTIONS["urgent_people"](), parse)

    assert person.replies[-1]["text"].startswith("How many people")
    assert [b["title"] for b in person.replies[-1]["buttons"]] == ["Skip"]


async def test_new_danger_given_as_an_answer_joins_the_urgent_case(store: Store) -> None:
    person = Conversation(store)
    opening = {"text": "cứu, họ nhốt tôi", "intent": "urgent_help", "triage": "urgent"}
    await person.run(
        ActionHandleUrgent(), person.user_turn({**opening, "urgent_reasons": ["confinement"]})
    )
    person.slots["requested_slot"] = "urgent_location"
    answer = {
        "text": "không biết, họ vừa đánh bạn em",
        "intent": "urgent_help",
        "triage": "urgent",
        "urgent_reasons": ["violence"],
    }
    await person.run(
        ValidateUrgentFollowupForm(), person.user_turn(answer), {"urgent_location": answer["text"]}
    )

    with store.begin() as session:
        [intake] = session.scalars(select(Intake)).all()
        assert intake.urgent_reasons == ["confinement", "violence"]
        personal = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="check"
        )
        assert "họ vừa đánh bạn em" in (personal["location_detail"] or "")
        kinds = session.scalars(select(OutboxRow.kind).where(OutboxRow.intake_id == intake.id))
        assert list(kinds) == ["staff_alert", "intake_update"]  # one alert per case, then news
    # The person hears the numbers again, they may have missed the first reply.
    assert "113" in person.replies[-1]["text"] and "111" in person.replies[-1]["text"]


async def test_a_cry_in_another_script_then_vietnamese_goes_on_in_vietnamese(store: Store) -> None:
    """Khmer first ("help me"), then a whole sentence in Vietnamese without accents: the numbers
    again, the place kept although the sentence has a question word in it ("ai trốn là bị đánh"),
    and the next question in Vietnamese."""
    person = Conversation(store)
    await _cry(person, "ជួយខ្ញុំផង", "km", ["cry_for_help"])
    assert person.slots["language"] == "en"
    person.slots["requested_slot"] = "urgent_location"
    answer = {
        "text": "toi o Poipet, bi giu trong cong ty, khong cho ve, ai tron la bi danh",
        "intent": "urgent_help",
        "triage": "urgent",
        "language": "vi",
        "urgent_reasons": ["confinement", "violence"],
    }
    parse = person.user_turn(answer)
    await person.run(ValidateUrgentFollowupForm(), parse, {"urgent_location": answer["text"]})
    assert person.slots["language"] == "vi"
    assert person.slots["urgent_location"] == answer["text"]
    assert "113" in person.replies[-1]["text"]
    assert person.replies[-1]["text"].startswith("Mình đã báo thêm")
    await person.run(ASK_ACTIONS["urgent_people"](), parse)
    assert person.replies[-1]["text"].startswith("Có bao nhiêu người")


def _revealed(store: Store, intake_id: int) -> dict[str, Any]:
    with store.begin() as session:
        return reveal_intake(
            session, cipher=store.cipher, intake_id=intake_id, actor="test", reason="check"
        )


def _summary(store: Store, intake_id: int) -> str:
    return _revealed(store, intake_id)["summary"] or ""


async def test_a_rasa_restart_mid_form_keeps_the_summary_staff_already_have(store: Store) -> None:
    scenario = load_scenario("urgent_every_question")
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(scenario["opening"]))
    where, how_many, minor = scenario["answers"][:3]
    for answer in (where, how_many):
        person.slots["requested_slot"] = answer["slot"]
        await person.run(
            ValidateUrgentFollowupForm(), person.user_turn(answer), {answer["slot"]: answer["text"]}
        )
    intake_id = int(person.slots["intake_id"])
    assert _summary(store, intake_id).splitlines() == [
        "Đang ở đâu: o Bavet, gan song bac co bien hieu mau do",
        "Số người: khoang 20 ng",
    ]

    # Rasa restarted and forgot every slot (form_details too); the person writes again.
    person.slots.clear()
    await person.run(
        ActionHandleUrgent(),
        person.user_turn({"text": "cứu em với", "intent": "urgent_help", "triage": "urgent"}),
    )
    assert int(person.slots["intake_id"]) == intake_id
    person.slots["requested_slot"] = "urgent_people"  # the form starts over
    await person.run(
        ValidateUrgentFollowupForm(),
        person.user_turn({"text": "25 người"}),
        {"urgent_people": "25 người"},
    )
    person.slots["requested_slot"] = minor["slot"]
    await person.run(
        ValidateUrgentFollowupForm(), person.user_turn(minor), {minor["slot"]: minor["text"]}
    )

    # The earlier line stays, a question answered again is updated in place, new ones are added.
    assert _summary(store, intake_id).splitlines() == [
        "Đang ở đâu: o Bavet, gan song bac co bien hieu mau do",
        "Số người: 25 người",
        "Có người dưới 18 tuổi: có",
    ]
    with store.begin() as session:
        intake = session.get(Intake, intake_id)
        assert intake is not None and intake.people_count == 25 and intake.is_minor is True


async def test_the_summary_says_coded_answers_in_words(store: Store) -> None:
    _, _, personal = await walk(store, "help_being_identified_abroad")
    summary = (personal["summary"] or "").splitlines()
    assert "Thuộc nhóm: người đang được xác định là nạn nhân" in summary, summary


async def test_how_to_be_reached_said_at_another_question_answers_the_contact_question(
    store: Store,
) -> None:
    """ "Đừng gọi điện cho tôi, …" where the classifier hears a call for a person: the form goes
    on, the words answer the contact question (no contact), the question asked is asked again."""
    person = Conversation(store)
    await person.run(
        ActionHandleHelp(),
        person.user_turn(
            {
                "text": "Tôi bị bán sang Trung Quốc, về được 1 năm, giờ muốn học nghề",
                "intent": "request_support",
                "triage": "help",
            }
        ),
    )
    person.slots["requested_slot"] = "help_needs"
    said = "Đừng gọi điện cho tôi, chồng tôi không biết chuyện cũ"
    await person.run(
        ValidateHelpForm(),
        person.user_turn({"text": said, "intent": "human_handoff"}),
        {"help_needs": said},
    )

    assert person.slots["help_consent"] == "no"
    assert person.slots["requested_slot"] == "help_needs"  # asked again, the form goes on
    # Said again: kept with the first, the same question asked again.
    again = "Tôi sẽ tự nhắn lại vào đây"
    await person.run(ValidateHelpForm(), person.user_turn({"text": again}), {"help_needs": again})
    assert person.slots["requested_slot"] == "help_needs"
    for slot, text in [
        ("help_needs", "học nghề"),
        ("help_group", "nạn nhân"),
        ("help_location", "Lạng Sơn"),
    ]:
        person.slots["requested_slot"] = slot
        await person.run(ValidateHelpForm(), person.user_turn({"text": text}), {slot: text})
    assert person.slots["requested_slot"] is None  # nothing more: consent was answered
    await person.run(ActionSubmitHelp(), person.user_turn({"text": "Lạng Sơn"}))
    with store.begin() as session:
        intake = session.get(Intake, int(person.slots["intake_id"]))
        assert intake is not None
        assert (intake.consent_contact, intake.contact_method) == (False, "none")
        personal = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="check"
        )
    # Staff read why, in the person's words, under the contact question; the needs are needs.
    assert f"Khi được hỏi về liên hệ: {said}" in (personal["narrative"] or "")
    assert f"Khi được hỏi về liên hệ: {again}" in (personal["narrative"] or "")
    assert "Cần hỗ trợ: việc làm" in (personal["summary"] or "")  # học nghề: training


async def test_a_number_given_with_consent_to_contact_is_the_contact_number(store: Store) -> None:
    person = Conversation(store)
    await person.run(
        ActionHandleHelp(),
        person.user_turn(
            {"text": "em về rồi, cần khám bệnh", "intent": "request_support", "triage": "help"}
        ),
    )
    said = "liên hệ em qua số 0387222111, chỉ nhắn tin thôi ạ"
    for slot, text in [
        ("help_needs", "y tế"),
        ("help_group", said),  # said early: it answers the contact question
        ("help_group", "nạn nhân"),
        ("help_location", "Thanh Hóa"),
    ]:
        person.slots["requested_slot"] = slot
        await person.run(ValidateHelpForm(), person.user_turn({"text": text}), {slot: text})
    assert person.slots["requested_slot"] is None
    with store.begin() as session:
        intake = session.get(Intake, int(person.slots["intake_id"]))
        assert intake is not None
        assert intake.consent_contact is True
        personal = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="check"
        )
    assert personal["contact_phone"] == "0387222111"


async def test_needs_named_in_the_request_are_confirmed_and_consent_is_a_yes_no_or_a_number(
    store: Store,
) -> None:
    """ "giờ chị cần làm lại giấy tờ": the support asked for is confirmed, not asked again, and
    what the law gives for support named is told at once. At the
    contact question, a reply that is neither yes, no nor a number ("Em 24 tuổi") is kept and the
    question asked once more (never taken for a no); a number is a yes to be reached on it."""
    person = Conversation(store)
    opening = "Chị mới trốn về được từ Trung Quốc, giờ chị cần làm lại giấy tờ và tìm việc"
    await person.run(
        ActionHandleHelp(),
        person.user_turn({"text": opening, "intent": "request_support", "triage": "help"}),
    )
    assert person.slots["help_needs"] == "giấy tờ, việc làm"
    assert person.replies[-1]["text"].startswith("Mình đã ghi bạn cần hỗ trợ: giấy tờ, việc làm.")

    # Support named as the answer: what the law gives for each kind, before the next question.
    person.slots["requested_slot"] = "help_needs"
    needs = "em muốn khám sức khỏe, sau đó học nghề"
    await person.run(ValidateHelpForm(), person.user_turn({"text": needs}), {"help_needs": needs})
    told = person.said()
    assert "Chế độ b) y tế" in told and "Chế độ i) học nghề" in told
    assert "Chế độ h)" not in told  # vocational training is no schooling

    person.slots["requested_slot"] = "help_consent"
    await person.run(
        ValidateHelpForm(), person.user_turn({"text": "Em 24 tuổi"}), {"help_consent": "Em 24 tuổi"}
    )
    assert person.slots["help_consent"] is None  # asked again
    assert person.slots["form_reasked"] == "help_consent"
    said = "có ai gọi thì gọi số em 0396333444"  # question-shaped, but it gives a number
    await person.run(ValidateHelpForm(), person.user_turn({"text": said}), {"help_consent": said})
    assert person.slots["help_consent"] == "yes"
    personal = _revealed(store, int(person.slots["intake_id"]))
    assert personal["contact_phone"] == "0396333444"
    assert "Em 24 tuổi" in (personal["narrative"] or "")


async def test_a_tip_told_in_the_first_message_is_not_asked_for_again(store: Store) -> None:
    """What was seen, told in the opening, answers "what did you see?": asked again, every later
    answer landed one question late. A wish to report, with nothing told yet, is asked."""
    tip = "bạn em quen 1 anh trên tiktok, ảnh hứa đưa nó qua Hàn làm quán cafe, bao hết chi phí"
    person = Conversation(store)
    await person.run(
        ActionHandleReport(),
        person.user_turn({"text": tip, "intent": "report_tip", "triage": "report"}),
    )
    assert person.slots["report_what"] == tip
    assert person.replies[-1]["text"].startswith("Mình đã ghi lại điều bạn kể.")
    wish = Conversation(store)
    await wish.run(
        ActionHandleReport(),
        wish.user_turn(
            {"text": "tôi muốn báo tin về một vụ mua bán người ạ", "intent": "report_tip"}
        ),
    )
    assert wish.slots.get("report_what") is None
    assert not wish.replies[-1]["text"].startswith("Mình đã ghi lại")


async def _asked_in_report_form(store: Store, slot: str) -> Conversation:
    """A reporter whose short tip opened the report form, now asked ``slot``."""
    person = Conversation(store)
    await person.run(
        ActionHandleReport(),
        person.user_turn({"text": "co nguoi ru con gai trong xom di Lao lam", "intent": "x"}),
    )
    person.slots["requested_slot"] = slot
    return person


@pytest.mark.parametrize(
    ("said", "anonymous"),
    [
        ("e mún giấu tên", "yes"),
        ("giấu tên tôi", "yes"),
        ("yes, keep me anonymous", "yes"),
        ("khong can giau ten", "no"),
        ("không cần giấu tên đâu", "no"),
        ("cứ để tên tôi", "no"),
        ("0903111222", "no"),  # a number given: to be reached on it
    ],
)
async def test_whether_to_stay_anonymous_is_read_in_the_persons_words(
    store: Store, said: str, anonymous: str
) -> None:
    person = await _asked_in_report_form(store, "report_anonymous")
    turn = person.user_turn({"text": said})
    await person.run(ValidateReportForm(), turn, {"report_anonymous": said})
    assert person.slots["report_anonymous"] == anonymous


async def test_news_said_to_whether_to_stay_anonymous_is_kept_and_the_question_asked_again(
    store: Store,
) -> None:
    person = await _asked_in_report_form(store, "report_anonymous")
    news = "À quên, người ta hay gọi bà ấy là bà Tư Xoan, đi xe Wave màu đỏ"
    await person.run(
        ValidateReportForm(), person.user_turn({"text": news}), {"report_anonymous": news}
    )
    assert person.slots["report_anonymous"] is None  # asked once more, never taken for a yes
    assert "Tư Xoan" in (_revealed(store, int(person.slots["intake_id"]))["narrative"] or "")


async def test_where_not_known_is_the_answer_to_where(store: Store) -> None:
    """ "không biết nó ở đâu, chỉ nói chuyện trên mạng": an answer staff can read, not a reply to
    ask again (the next answers would each land one question late)."""
    person = await _asked_in_report_form(store, "report_where")
    said = "không biết nó ở đâu, chỉ nói chuyện trên mạng"
    await person.run(ValidateReportForm(), person.user_turn({"text": said}), {"report_where": said})
    assert person.slots["report_where"] == said


def test_every_need_a_request_names_after_its_wanting_word_is_noted() -> None:
    said = "gio ve nha o Chau Doc roi, can ho tro lam lai giay to va tim viec"
    assert needs_named(said) == ["giấy tờ", "việc làm"]
