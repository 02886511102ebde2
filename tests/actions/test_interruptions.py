"""Erasure only after an explicit yes; a case code brings a returning person back to their case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions import messages
from actions.forms.validate_urgent_followup_form import ValidateUrgentFollowupForm
from actions.interruptions import ActionEraseData, ActionExplainErasure, ActionHumanHandoff
from actions.smalltalk import ActionHandleOther
from actions.urgent import ActionHandleUrgent
from intake_store.handoff import conversation_hold
from intake_store.models import Conversation as StoredConversation
from intake_store.models import Intake, Message
from intake_store.store import Store
from tests.actions.conversation import Conversation

URGENT = {"text": "cứu tôi, tôi bị nhốt ở Campuchia", "intent": "urgent_help", "triage": "urgent"}


async def test_erasure_happens_only_after_yes_to_the_question(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
    # A "yes" that does not answer the erasure question erases nothing.
    await person.run(ActionEraseData(), person.user_turn({"text": "ok", "intent": "affirm"}))
    with store.begin() as session:
        assert session.get(StoredConversation, person.conversation_id).erased_at is None  # type: ignore[union-attr]

    await person.run(
        ActionExplainErasure(), person.user_turn({"text": "xoa du lieu", "intent": "delete_data"})
    )
    assert person.slots["erasure_pending"] is True
    await person.run(ActionEraseData(), person.user_turn({"text": "có", "intent": "affirm"}))

    with store.begin() as session:
        conversation = session.get(StoredConversation, person.conversation_id)
        assert conversation is not None and conversation.erased_at is not None
        texts = session.scalars(
            select(Message.text_enc).where(Message.conversation_id == person.conversation_id)
        ).all()
        assert texts and all(text is None for text in texts)
        intake = session.scalars(select(Intake)).one()
        assert intake.location_detail_enc is None and intake.anonymised_at is not None
    assert person.slots.get("intake_id") is None and person.slots["erasure_pending"] is False


async def test_a_case_code_brings_the_case_back_in_its_own_conversation_only(
    store: Store,
) -> None:
    first = Conversation(store, channel="telegram")
    await first.run(ActionHandleUrgent(), first.user_turn(URGENT))
    code = first.slots["reference_code"]
    first.slots.clear()  # the assistant restarted and forgot; the store did not

    typed = {"text": f"ma ho so cua toi la {code.lower()}", "intent": "inform"}
    await first.run(ActionHandleOther(), first.user_turn(typed))
    assert first.slots["reference_code"] == code and code in first.replies[-1]["text"]

    # Elsewhere the code is only noted for staff to check: nothing of the case comes back.
    later = Conversation(store, channel="sms")
    await later.run(ActionHandleOther(), later.user_turn(typed))
    assert later.slots == {} and code not in later.said()


async def test_handoff_puts_the_conversation_in_the_staff_queue(store: Store) -> None:
    person = Conversation(store)
    await person.run(
        ActionHumanHandoff(),
        person.user_turn({"text": "cho toi noi chuyen voi nguoi that", "intent": "human_handoff"}),
    )

    with store.begin() as session:
        intake = session.scalars(select(Intake)).one()
        assert intake.triage == "help" and intake.reference_code in person.said()
        # The console shows it as waiting for a human; asking here lets staff answer here.
        hold = conversation_hold(session, conversation_id=person.conversation_id or 0)
        assert hold is not None and hold.waiting_for_human
        assert (intake.consent_contact, intake.safe_to_contact) == (True, True)
    assert "111" in person.said()


async def test_handoff_never_overrides_an_earlier_not_safe(store: Store) -> None:
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
    person.slots["requested_slot"] = "urgent_safe_contact"
    await person.run(
        ValidateUrgentFollowupForm(),
        person.user_turn({"text": "ko an toàn"}),
        {"urgent_safe_contact": "ko an toàn"},
    )
    await person.run(
        ActionHumanHandoff(),
        person.user_turn({"text": "gap nguoi that", "intent": "human_handoff"}),
    )
    with store.begin() as session:
        intake = session.scalars(select(Intake)).one()
        assert intake.safe_to_contact is False
        hold = conversation_hold(session, conversation_id=person.conversation_id or 0)
        assert hold is not None and hold.waiting_for_human


async def test_a_greeting_in_the_same_conversation_carries_on_with_the_open_case(
    store: Store,
) -> None:
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
    code = person.slots["reference_code"]
    person.slots.clear()  # the assistant restarted and forgot; the store did not

    await person.run(ActionHandleOther(), person.user_turn({"text": "alo", "intent": "greet"}))

    assert person.slots["reference_code"] == code
    assert code in person.replies[-1]["text"]


@pytest.mark.parametrize(
    ("text", "language", "own"),
    [
        ("你好", "zh", "免费"),
        ("สวัสดีครับ", "th", "ฟรี"),
        ("ជំរាបសួរ", "km", "ឥតគិតថ្លៃ"),
        ("မင်္ဂလာပါ", "my", "အခမဲ့"),
    ],
)
async def test_a_greeting_in_another_script_gets_the_numbers_in_it_then_english(
    store: Store, text: str, language: str, own: str
) -> None:
    person = Conversation(store)
    greeting = {"text": text, "intent": "greet", "language": language}
    await person.run(ActionHandleOther(), person.user_turn(greeting))
    numbers, reply = (message["text"] for message in person.replies)
    assert own in numbers and "113" in numbers and "111" in numbers
    assert reply == messages.OTHER_REPLIES["greet"]["en"]


async def test_a_detail_the_classifier_took_for_erasure_joins_the_case_and_erases_nothing(
    store: Store,
) -> None:
    """ "Lựu" folds to "luu" as in "đừng lưu": a name in a detail told after the case opened is
    not an erasure request; a real one, in any written form, still gets the question."""
    person = Conversation(store)
    await person.run(ActionHandleUrgent(), person.user_turn(URGENT))
    detail = {"text": "à, bà Lựu hay đi xe Vision màu đỏ", "intent": "delete_data"}
    await person.run(ActionExplainErasure(), person.user_turn(detail))
    assert "erasure_pending" not in person.slots
    assert person.slots["reference_code"] in person.replies[-1]["text"]
    assert messages.ERASE_EXPLAIN["vi"] not in person.said()
    for request in ("xóa hết thông tin của tôi", "e mún xoa het tn", "delete my data"):
        asked = Conversation(store)
        await asked.run(
            ActionExplainErasure(), asked.user_turn({"text": request, "intent": "delete_data"})
        )
        assert asked.slots["erasure_pending"] is True, request
