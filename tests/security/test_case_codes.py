"""A case code is neither an oracle nor a key (issue 17).

The real actions (tests/actions/conversation.py) and the real console, on one store: a stranger
who types a code learns nothing and changes nothing until a staff member confirms the link.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from actions import intake_filing, returning, store_access
from actions.interruptions import ActionHumanHandoff
from actions.smalltalk import ActionHandleOther
from actions.urgent import ActionHandleUrgent
from chungtay.settings import Settings
from intake_store import audit
from intake_store.models import CaseLink, Intake, OutboxRow
from nlu.case_code import ALPHABET
from tests.actions.conversation import Conversation
from tests.conftest import make_test_settings
from tests.console.conftest import Console, make_console

URGENT = {"text": "cứu tôi, tôi bị nhốt ở Campuchia", "intent": "urgent_help", "triage": "urgent"}
HANDOFF = {
    "text": "gặp người thật, số tôi 0912345678",
    "intent": "human_handoff",
    "entities": [{"entity": "phone", "value": "0912345678"}],
}
PENDING_NOTICE = "Có người nhắn mã hồ sơ này từ một cuộc trò chuyện khác"
MIN_SECONDS = 0.3


def _console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **overrides: object
) -> Iterator[Console]:
    settings = make_test_settings(tmp_path, code_lookup_min_seconds=MIN_SECONDS, **overrides)
    for console in make_console(settings):  # one: make_console yields once
        monkeypatch.setattr(store_access, "get_store", lambda store=console.store: store)
        monkeypatch.setattr(intake_filing, "get_settings", lambda: settings)
        monkeypatch.setattr(returning, "get_settings", lambda: settings)
        yield console


@pytest.fixture
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    yield from _console(tmp_path, monkeypatch)


@pytest.fixture
def strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    """Two lookups per conversation, three for everyone together."""
    yield from _console(tmp_path, monkeypatch, code_lookups_per_sender=2, code_lookups_overall=3)


async def _reported_case(console: Console) -> tuple[Conversation, int, str]:
    """An anonymous urgent report on Telegram: no consent, no contact, nothing safe said."""
    owner = Conversation(console.store, channel="telegram")
    await owner.run(ActionHandleUrgent(), owner.user_turn(URGENT))
    return owner, int(owner.slots["intake_id"]), str(owner.slots["reference_code"])


def _made_up_code(settings: Settings) -> str:
    return "CT-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


async def _types(console: Console, person: Conversation, text: str) -> tuple[str, float]:
    """What the person is told after typing ``text`` (and how long the answer took)."""
    before = len(person.replies)
    started = time.monotonic()
    await person.run(ActionHandleOther(), person.user_turn({"text": text, "intent": "inform"}))
    took = time.monotonic() - started
    return "\n".join(str(r.get("text")) for r in person.replies[before:]), took


async def test_a_real_and_a_made_up_code_get_the_same_answer_in_the_same_time(
    console: Console,
) -> None:
    _, _, code = await _reported_case(console)
    real, fake = Conversation(console.store), Conversation(console.store)

    said_real, took_real = await _types(console, real, f"mã hồ sơ của tôi là {code}")
    said_fake, took_fake = await _types(
        console, fake, f"mã hồ sơ của tôi là {_made_up_code(console.settings)}"
    )

    assert said_real == said_fake
    assert "cán bộ sẽ kiểm tra mã này" in said_real and code not in said_real
    assert real.slots == fake.slots == {}  # no case to carry on with
    # Both wait out the same floor; the store work behind either is a few ms of it. (The upper
    # bound is loose: a loaded test machine stretches both.)
    assert MIN_SECONDS <= took_real < MIN_SECONDS + 1.5
    assert MIN_SECONDS <= took_fake < MIN_SECONDS + 1.5

    english = Conversation(console.store)
    turn = {"text": f"my case code is {code}", "intent": "inform", "language": "en"}
    await english.run(ActionHandleOther(), english.user_turn(turn))
    assert english.replies[0]["text"].startswith("Thank you, staff will check this code.")


async def test_a_stranger_with_a_real_code_gets_nothing_of_the_case_until_staff_confirm(
    console: Console,
) -> None:
    owner, case_id, code = await _reported_case(console)
    stranger = Conversation(console.store, channel="webchat")
    await _types(console, stranger, f"mã hồ sơ {code}")
    await stranger.run(ActionHumanHandoff(), stranger.user_turn(HANDOFF))

    with console.store.begin() as session:
        case = session.get(Intake, case_id)
        assert case is not None
        assert (case.consent_contact, case.safe_to_contact, case.contact_method) == (None,) * 3
        assert case.contact_phone_enc is None
        assert case.conversation_id == owner.conversation_id
        # The stranger's words are kept, in their own case.
        theirs = session.scalars(
            select(Intake).where(Intake.conversation_id == stranger.conversation_id)
        ).one()
        assert theirs.id != case_id and theirs.contact_phone_enc is not None
    assert stranger.slots["intake_id"] != str(case_id)

    # Staff see the pending link; only the right role may decide; no reply can go anywhere.
    assert console.login("operator") == 303
    page = console.client.get(f"/intakes/{case_id}").text
    assert PENDING_NOTICE in page and "/links/" not in page
    with console.store.begin() as session:
        [link] = session.scalars(select(CaseLink).where(CaseLink.intake_id == case_id)).all()
    assert console.post(f"/intakes/{case_id}/links/{link.id}/confirm") == 403
    console.post(f"/intakes/{case_id}/reply", {"text": "Chào bạn"})
    with console.store.begin() as session:
        assert (
            session.scalars(select(OutboxRow).where(OutboxRow.kind == "person_reply")).all() == []
        )

    console.client.post("/logout", data={"csrf_token": console.csrf()})
    assert console.login("social_worker") == 303
    assert (
        f"/intakes/{case_id}/links/{link.id}/confirm"
        in console.client.get(f"/intakes/{case_id}").text
    )
    assert console.post(f"/intakes/{case_id}/links/{link.id}/confirm") == 303

    # Confirmed: it is the case's conversation now; asking for a person there lets staff answer.
    await stranger.run(ActionHumanHandoff(), stranger.user_turn(HANDOFF))
    assert stranger.slots["intake_id"] == str(case_id)
    assert console.post(f"/intakes/{case_id}/reply", {"text": "Chào bạn"}) == 303
    with console.store.begin() as session:
        [reply] = session.scalars(select(OutboxRow).where(OutboxRow.kind == "person_reply")).all()
        assert reply.payload["conversation_id"] == stranger.conversation_id
        trail = audit.list_audit(session, subject_type="intake", subject_id=case_id)
        [confirmed] = [e for e in trail if e.action == "confirm_case_link"]
        assert confirmed.actor == "social_worker"
        assert confirmed.detail["previous_conversation_id"] == owner.conversation_id
    assert PENDING_NOTICE not in console.client.get(f"/intakes/{case_id}").text
    # Both conversations make up the transcript.
    revealed = console.client.post(
        f"/intakes/{case_id}/reveal",
        data={"reason": "kiểm tra hồ sơ", "csrf_token": console.csrf()},
    ).text
    assert "bị nhốt ở Campuchia" in revealed and f"mã hồ sơ {code}" in revealed


async def test_lookups_beyond_the_limits_are_refused_with_the_same_words(strict: Console) -> None:
    _, case_id, code = await _reported_case(strict)
    guesser = Conversation(strict.store)
    first, _ = await _types(strict, guesser, _made_up_code(strict.settings))
    await _types(strict, guesser, _made_up_code(strict.settings))
    refused, _ = await _types(strict, guesser, code)  # third from one conversation: refused
    assert refused == first

    other = Conversation(strict.store)
    await _types(strict, other, code)  # the overall third: looked up
    another = Conversation(strict.store)
    refused_overall, _ = await _types(strict, another, code)  # the overall fourth: refused
    assert refused_overall == first
    with strict.store.begin() as session:
        links = session.scalars(select(CaseLink).where(CaseLink.intake_id == case_id)).all()
    assert [link.conversation_id for link in links] == [other.conversation_id]


async def test_codes_are_long_and_an_old_short_code_still_works_in_its_own_conversation(
    console: Console,
) -> None:
    owner, case_id, code = await _reported_case(console)
    assert len(code) == 13 and code.startswith("CT-") and set(code[3:]) <= set(ALPHABET)
    said, _ = await _types(console, owner, f"mã hồ sơ của tôi là {code.lower()}")
    assert code in said

    with console.store.begin() as session:  # a case filed before codes grew longer
        case = session.get(Intake, case_id)
        assert case is not None
        case.reference_code = "CT-7K3M9Q"
    owner.slots.clear()
    said, _ = await _types(console, owner, "mã hồ sơ của tôi là ct-7k3m9q ạ")
    assert "CT-7K3M9Q" in said and owner.slots["intake_id"] == str(case_id)
