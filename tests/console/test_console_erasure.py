"""Erasing a person's data from the intake page: who may, the confirmation, and Rasa's copy.

The console runs on the real store; Rasa is the fake HTTP API (in-memory tracker store) or a table
shaped like Rasa 3.6's SQL ``events`` table (CHUNGTAY_RASA_TRACKER_STORE_URL). The erasure asked
for in a held conversation, through the gateway, is in tests/gateway/test_handoff.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from bot.rasa_forget import forget_pending_copies, forgetter_from_settings
from intake_store import handoff, messages
from intake_store.models import AuditEntry, Conversation, Intake, Message
from tests.conftest import make_test_settings
from tests.console.conftest import Console, add_intake, make_console
from tests.gateway.conftest import RASA_URL, FakeRasa
from tests.gateway.test_erasure import EVENTS_DDL

REASON = "người báo tin gọi 111 yêu cầu xóa"
TEXT = "em bị lừa sang Campuchia, số em 0977 111 222"


def _conversation(console: Console, intake_id: int) -> Conversation:
    with console.store.begin() as session:
        intake = session.get(Intake, intake_id)
        assert intake is not None and intake.conversation_id is not None
        conversation = session.get(Conversation, intake.conversation_id)
        assert conversation is not None
        session.expunge(conversation)
        return conversation


def _erased(console: Console, intake_id: int) -> bool:
    conversation = _conversation(console, intake_id)
    with console.store.begin() as session:
        texts = session.scalars(
            select(Message.text_enc).where(Message.conversation_id == conversation.id)
        ).all()
    return conversation.erased_at is not None and set(texts) == {None}


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def events_url(tmp_path: Path) -> str:
    """Rasa's SQL tracker table with this person's turn and another person's."""
    url = f"sqlite:///{tmp_path / 'rasa-tracker.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(EVENTS_DDL))
    engine.dispose()
    return url


@pytest.fixture
def sql_console(tmp_path: Path, rasa: FakeRasa, events_url: str) -> Iterator[Console]:
    settings = make_test_settings(tmp_path, rasa_url=RASA_URL, rasa_tracker_store_url=events_url)
    yield from make_console(settings, rasa_transport=rasa.transport)


@pytest.fixture
def memory_console(tmp_path: Path, rasa: FakeRasa) -> Iterator[Console]:
    settings = make_test_settings(tmp_path, rasa_url=RASA_URL)
    yield from make_console(settings, rasa_transport=rasa.transport)


def test_a_supervisor_erases_with_a_reason_after_confirming(
    sql_console: Console, rasa: FakeRasa, events_url: str
) -> None:
    console = sql_console
    intake_id = add_intake(console.store, text=TEXT, triage="urgent", reasons=("confinement",))
    sender = _conversation(console, intake_id).rasa_sender_id
    engine = create_engine(events_url)
    with engine.begin() as connection:
        for who in (sender, sender, "ct-someone-else"):
            connection.execute(
                text("INSERT INTO events (sender_id, type_name) VALUES (:s, 'user')"), {"s": who}
            )

    # An operator who does not hold the conversation may not erase it.
    assert console.login("operator") == 303
    assert 'id="erase"' not in console.client.get(f"/intakes/{intake_id}").text
    form = {"reason": REASON, "confirm": "yes"}
    assert console.post(f"/intakes/{intake_id}/erase", form) == 403

    assert console.login("supervisor") == 303
    assert 'id="erase"' in console.client.get(f"/intakes/{intake_id}").text
    # No reason: nothing happens.
    page = console.client.post(
        f"/intakes/{intake_id}/erase", data={"csrf_token": console.csrf(), "reason": "xóa"}
    )
    assert page.status_code == 200 and "Cần nêu lý do" in page.text
    # A reason first shows the confirmation, still without erasing.
    page = console.client.post(
        f"/intakes/{intake_id}/erase", data={"csrf_token": console.csrf(), "reason": REASON}
    )
    assert 'id="erase-confirm"' in page.text and REASON in page.text
    assert not _erased(console, intake_id)

    assert console.post(f"/intakes/{intake_id}/erase", form) == 303
    assert _erased(console, intake_id)
    with console.store.begin() as session:
        intake = session.get(Intake, intake_id)
        assert intake is not None and intake.anonymised_at is not None
        [audit] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "erase_conversation")
        ).all()
        assert (audit.actor, audit.reason) == ("supervisor", REASON)
    with engine.connect() as connection:
        left = connection.execute(text("SELECT sender_id FROM events")).scalars().all()
    engine.dispose()
    assert left == ["ct-someone-else"]
    assert rasa.tracker_calls == []  # the SQL store is deleted from, not Rasa's API

    page = console.client.get(f"/intakes/{intake_id}").text
    assert 'id="erased"' in page and 'id="erase"' not in page and 'id="take-over"' not in page
    # A second erasure of the same conversation is refused, not recorded twice.
    assert console.post(f"/intakes/{intake_id}/erase", form) == 200
    with console.store.begin() as session:
        erasures = session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "erase_conversation")
        ).all()
    assert len(erasures) == 1


def test_rasa_down_the_store_is_erased_and_the_operator_is_told(
    memory_console: Console, rasa: FakeRasa
) -> None:
    console = memory_console
    intake_id = add_intake(console.store, text=TEXT, triage="help")
    sender = _conversation(console, intake_id).rasa_sender_id
    rasa.mode = "down"
    assert console.login("admin") == 303
    response = console.client.post(
        f"/intakes/{intake_id}/erase",
        data={"csrf_token": console.csrf(), "reason": REASON, "confirm": "yes"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/intakes/{intake_id}?rasa_copy=failed"
    assert _erased(console, intake_id)
    assert rasa.tracker_calls == [("PUT", sender, [])]
    page = console.client.get(response.headers["location"]).text
    assert 'id="rasa-copy-failed"' in page and 'id="erased"' in page


def test_a_holder_erases_only_when_the_person_asked(
    memory_console: Console, rasa: FakeRasa
) -> None:
    """Taking a conversation over is not a licence to destroy it: the holder's erase waits for
    the person's own request (the gateway's flag), supervisors and admins erase any case."""
    console = memory_console
    intake_id = add_intake(console.store, text=TEXT, triage="help")
    conversation = _conversation(console, intake_id)
    assert console.login("operator") == 303
    assert console.post(f"/intakes/{intake_id}/hold") == 303
    page = console.client.get(f"/intakes/{intake_id}").text
    assert 'id="erase"' not in page
    form = {"reason": REASON, "confirm": "yes"}
    assert console.post(f"/intakes/{intake_id}/erase", form) == 403
    assert not _erased(console, intake_id)
    assert rasa.tracker_calls == []

    # The person writes "xóa" while held: the gateway flags the request on the case.
    with console.store.begin() as session:
        message_id = session.scalars(
            select(Message.id).where(Message.conversation_id == conversation.id)
        ).first()
        assert message_id is not None
        handoff.flag_erasure_request(
            session, conversation_id=conversation.id, message_id=message_id
        )
    page = console.client.get(f"/intakes/{intake_id}").text
    assert 'id="erasure-requested"' in page and 'id="erase"' in page
    assert console.post(f"/intakes/{intake_id}/erase", form) == 303
    assert _erased(console, intake_id)
    assert rasa.tracker_calls == [("PUT", conversation.rasa_sender_id, [])]


def test_rasa_copies_go_at_once_with_the_linked_conversation_and_the_worker_keeps_the_rest(
    tmp_path: Path, database_url: str, rasa: FakeRasa
) -> None:
    """The console forgets Rasa's copies as the gateway does (bot/rasa_forget.py), with the
    auth token, for the case's conversation and the one staff linked to it; when Rasa is down
    the marks stay for the routing worker, which removes them once Rasa is back."""
    settings = make_test_settings(tmp_path, rasa_url=RASA_URL, database_url=database_url)
    rasa.token = settings.rasa_auth_token  # checked as Rasa checks it
    for console in make_console(settings, rasa_transport=rasa.transport):
        assert console.login("supervisor") == 303
        for rasa_up in (True, False):
            rasa.mode = "ok" if rasa_up else "down"
            rasa.tracker_calls.clear()
            sender = f"+8490{rasa_up:d}111222"
            intake_id = add_intake(console.store, text=TEXT, triage="help", sender=sender)
            own = _conversation(console, intake_id)
            with console.store.begin() as session:
                other = messages.record_inbound(
                    session,
                    cipher=console.store.cipher,
                    hasher=console.store.hasher,
                    channel="webchat",
                    sender_id=f"linked-page-{rasa_up:d}" + "z" * 16,
                    external_id=f"linked-{rasa_up:d}",
                    text="mã hồ sơ của em",
                )
                linked = session.get(Conversation, other.conversation_id)
                assert linked is not None
                linked.linked_intake_id = intake_id  # confirmed by staff
            senders = {own.rasa_sender_id, other.rasa_sender_id}

            response = console.client.post(
                f"/intakes/{intake_id}/erase",
                data={"csrf_token": console.csrf(), "reason": REASON, "confirm": "yes"},
                follow_redirects=False,
            )
            assert response.status_code == 303
            assert {sender for _, sender, _ in rasa.tracker_calls} == senders
            with console.store.begin() as session:
                marks = {
                    c.rasa_forget_sender
                    for c in session.scalars(
                        select(Conversation).where(
                            Conversation.id.in_([own.id, other.conversation_id])
                        )
                    )
                }
            if rasa_up:
                assert response.headers["location"] == f"/intakes/{intake_id}"
                assert marks == {None}  # nothing left for the worker to redo
            else:
                assert response.headers["location"] == f"/intakes/{intake_id}?rasa_copy=failed"
                assert marks == senders

        # Rasa is back: the worker's retry removes what the console could not.
        rasa.mode = "ok"
        report = asyncio.run(
            forget_pending_copies(
                console.store.session_factory,
                forget=forgetter_from_settings(settings, transport=rasa.transport),
            )
        )
        assert (report.forgotten, report.still_pending) == (2, 0)
