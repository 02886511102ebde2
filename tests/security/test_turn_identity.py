"""The actions act on the sender's own conversation, whatever ids a turn's metadata names.

Rasa's sender id is the conversation's pseudonymous id and only the gateway (with the secret)
reaches Rasa's channel, so the sender is who the turn is from. A turn whose metadata names
another person's conversation and message (a crafted request, or a confused caller) must not
file into, add a phone number to, or erase that person's case. The real actions run on a real
store (tests/actions/conversation.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from actions import intake_filing, store_access
from actions.intake import ActionHandleHelp
from actions.intake_updates import save_details
from actions.interruptions import ActionEraseData, ActionExplainErasure
from actions.urgent import ActionHandleUrgent
from intake_store.db import upgrade_database
from intake_store.intake_views import reveal_intake
from intake_store.models import Conversation as StoredConversation
from intake_store.models import Intake
from intake_store.store import Store
from tests.actions.conversation import Conversation
from tests.conftest import make_test_settings

URGENT = {"text": "cứu tôi, tôi bị nhốt ở Campuchia", "intent": "urgent_help", "triage": "urgent"}
PHONE = "0987654321"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    settings = make_test_settings(tmp_path)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    monkeypatch.setattr(store_access, "get_store", lambda: store)
    monkeypatch.setattr(intake_filing, "get_settings", lambda: settings)
    return store


def _pointing_at(person: Conversation, victim: Conversation) -> None:
    """The latest user event of ``person`` carries the victim's ids in its metadata."""
    metadata = person.events[-1]["metadata"]
    victim_metadata = victim.events[0]["metadata"]
    metadata["conversation_id"] = victim_metadata["conversation_id"]
    metadata["message_id"] = victim_metadata["message_id"]


def _victims_case(store: Store, victim: Conversation) -> tuple[Intake, dict[str, str | None]]:
    with store.begin() as session:
        intake = session.scalars(
            select(Intake).where(Intake.conversation_id == victim.conversation_id)
        ).one()
        session.expunge(intake)
        personal = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="check"
        )
    return intake, personal


async def test_metadata_naming_another_conversation_changes_nothing_there(store: Store) -> None:
    victim = Conversation(store)
    await victim.run(ActionHandleUrgent(), victim.user_turn(URGENT))
    before, before_personal = _victims_case(store, victim)
    assert before_personal["contact_phone"] is None

    other = Conversation(store)
    parse = other.user_turn(
        {
            "text": f"em cần giúp, số em {PHONE}",
            "intent": "request_support",
            "triage": "help",
            "entities": [{"entity": "phone", "value": PHONE, "start": 15, "end": 25}],
        }
    )
    _pointing_at(other, victim)
    await other.run(ActionHandleHelp(), parse)

    after, after_personal = _victims_case(store, victim)
    assert after_personal == before_personal  # no phone number slipped into the victim's case
    assert (after.triage, after.source_message_id) == (before.triage, before.source_message_id)
    # The turn was filed where it came from: the sender's own conversation.
    with store.begin() as session:
        own = session.scalars(
            select(Intake).where(Intake.conversation_id == other.conversation_id)
        ).one()
        assert own.id != before.id and own.source_message_id != before.source_message_id
        own_personal = reveal_intake(
            session, cipher=store.cipher, intake_id=own.id, actor="test", reason="check"
        )
    assert own_personal["contact_phone"] == PHONE

    # "xóa dữ liệu của tôi", then yes, with the victim's ids: only the sender's own data goes.
    parse = other.user_turn({"text": "xóa dữ liệu của tôi", "intent": "delete_data"})
    _pointing_at(other, victim)
    await other.run(ActionExplainErasure(), parse)
    parse = other.user_turn({"text": "/affirm", "intent": "affirm"})
    _pointing_at(other, victim)
    await other.run(ActionEraseData(), parse)

    with store.begin() as session:
        victims = session.get(StoredConversation, victim.conversation_id)
        senders = session.get(StoredConversation, other.conversation_id)
        assert victims is not None and victims.erased_at is None
        assert senders is not None and senders.erased_at is not None
    after, after_personal = _victims_case(store, victim)
    assert after.anonymised_at is None and after_personal == before_personal


@pytest.fixture
def any_store(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    settings = make_test_settings(tmp_path, database_url=database_url)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    monkeypatch.setattr(store_access, "get_store", lambda: store)
    return store


async def test_an_intake_slot_naming_another_case_saves_nothing_there(
    any_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """``intake_id`` is a slot, not an identity: the store write checks the sender's own case
    (or the one staff linked the conversation to) before saving a form answer."""
    victim = Conversation(any_store)
    await victim.run(ActionHandleUrgent(), victim.user_turn(URGENT))
    before, before_personal = _victims_case(any_store, victim)

    other = Conversation(any_store)
    parse = other.user_turn({"text": f"số em {PHONE}", "intent": "inform"})
    other.slots["intake_id"] = str(before.id)
    saved = await save_details(other.tracker(parse), {"contact_phone": PHONE, "province": "x"})

    assert saved is False
    after, after_personal = _victims_case(any_store, victim)
    assert after_personal == before_personal and after.province == before.province
    refusal = [r.getMessage() for r in caplog.records if "not saved" in r.getMessage()]
    assert refusal and PHONE not in " ".join(r.getMessage() for r in caplog.records)
    assert str(before.id) in refusal[0] and str(other.conversation_id) in refusal[0]

    # Once staff link this conversation to the case (its code typed there), its answers join it.
    with any_store.begin() as session:
        linked = session.get(StoredConversation, other.conversation_id)
        assert linked is not None
        linked.linked_intake_id = before.id
    assert await save_details(other.tracker(parse), {"province": "an_giang"}) is True
    after, _ = _victims_case(any_store, victim)
    assert after.province == "an_giang"
