"""Human handoff end to end: the person asks for a human, an operator takes the conversation over
in the console, the assistant stays silent (except to danger), the operator answers on the
person's channel, and hands the conversation back to the assistant with its context.

The gateway app and the console app share one real store (SQLite and PostgreSQL); Rasa is the
fake REST channel, Telegram the fake Bot API.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bot.app import create_app
from chungtay.settings import Settings
from intake_store import casework, handoff
from intake_store.intakes import open_intake, update_details
from intake_store.models import AuditEntry, Conversation, ErasedPage, Intake, Message, OutboxRow
from intake_store.store import Store
from tests.console.conftest import Console, make_console
from tests.gateway.conftest import FakeRasa, open_help_case, running
from tests.gateway.test_telegram import CHAT, SECRET, FakeBotApi, text_update
from tests.gateway.test_webchat import SESSION, post

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
HANDOFF_REPLY = "Mình đã chuyển cuộc trò chuyện cho cán bộ. Nếu cần ngay, gọi 111."


def _handoff_action(console: Console) -> Callable[[dict[str, Any]], None]:
    """What action_human_handoff does in the store for "gặp người thật" (see tests/actions)."""

    def act(body: dict[str, Any]) -> None:
        if "người thật" not in body["message"]:
            return
        store = console.store
        metadata = body["metadata"]
        with store.begin() as session:
            ref = open_intake(
                session,
                cipher=store.cipher,
                conversation_id=metadata["conversation_id"],
                triage="help",
                urgent_reasons=[],
                source_message_id=metadata["message_id"],
                language="vi",
            )
            handoff.request_handoff(session, conversation_id=metadata["conversation_id"])
            update_details(
                session,
                cipher=store.cipher,
                intake_id=ref.id,
                details={"consent_contact": True, "safe_to_contact": True},
            )

    return act


def _operator_takes_over(store: Store, *, actor: str) -> int:
    """A help case on the conversation of the first message, held by ``actor`` (the console's
    "Tiếp nhận hội thoại"); returns the conversation's id."""
    with store.begin() as session:
        intake_id, conversation_id = open_help_case(session, cipher=store.cipher)
        handoff.hold_conversation(session, intake_id=intake_id, actor=actor)
        return conversation_id


def _queue_row(console: Console, reference: str) -> str:
    html = console.client.get("/queue").text
    found = re.search(rf"<tr[^>]*>\s*<td><a[^>]*>{reference}</a>.*?</tr>", html, re.S)
    assert found, f"{reference} is not in the queue"
    return found.group(0)


def _inbound(console: Console) -> list[str]:
    with console.store.begin() as session:
        return list(
            session.scalars(
                select(Message.status).where(Message.direction == "inbound").order_by(Message.id)
            )
        )


async def test_operator_holds_answers_and_hands_back_a_conversation(
    gateway_settings: Callable[..., Settings], database_url: str, tmp_path: Path
) -> None:
    settings = gateway_settings(
        database_url=database_url, telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET
    )
    api, rasa = FakeBotApi(), FakeRasa()
    with contextlib.contextmanager(make_console)(settings) as console:
        rasa.on_message = _handoff_action(console)
        rasa.replies = [{"text": HANDOFF_REPLY}]
        app = create_app(
            settings,
            store=console.store,
            rasa_transport=rasa.transport,
            telegram_request=api,
            retry_loop=False,
        )
        updates = iter(range(1, 100))

        async def person_says(text: str) -> None:
            number = next(updates)
            await client.post(
                "/webhooks/telegram", json=text_update(number, number, text), headers=HEADERS
            )
            await app.state.gateway.drain()

        async with running(app) as client:
            await person_says("cho em gặp người thật")
            with console.store.begin() as session:
                intake = session.scalars(select(Intake)).one()
                intake_id, reference = intake.id, intake.reference_code
            assert console.login("operator") == 303
            waiting = _queue_row(console, reference)
            assert "Chờ người thật" in waiting and f'action="/intakes/{intake_id}/hold"' in waiting

            # The operator takes it over; the queue says who holds it.
            assert console.post(f"/intakes/{intake_id}/hold") == 303
            row = _queue_row(console, reference)
            assert "Đang tiếp nhận: operator" in row and "Chờ người thật" not in row
            rasa_calls, sent = len(rasa.calls), len(api.sent())

            # Held: stored for the operator, not sent to Rasa, no bot reply.
            await person_says("chị ơi em sợ lắm, em không biết làm sao")
            assert len(rasa.calls) == rasa_calls and len(api.sent()) == sent
            assert _inbound(console)[-1] == "held"
            assert "1 tin mới" in _queue_row(console, reference)

            # Danger while held: the safety reply and an urgent case with its staff alert.
            await person_says("cứu em, họ đang đánh em và nhốt em trong phòng")
            assert len(rasa.calls) == rasa_calls
            [safety] = api.sent()[sent:]
            assert "113" in safety["text"] and "111" in safety["text"]
            assert reference in safety["text"]
            with console.store.begin() as session:
                raised = session.get(Intake, intake_id)
                assert raised is not None and raised.triage == "urgent"
                kinds = session.scalars(
                    select(OutboxRow.kind).where(OutboxRow.intake_id == intake_id)
                )
                assert list(kinds) == ["staff_alert"]
            assert "2 tin mới" in _queue_row(console, reference)

            # The operator reads the messages (an audited read) and they are no longer unread.
            page = console.client.post(
                f"/intakes/{intake_id}/reveal",
                data={"csrf_token": console.csrf(), "reason": "trả lời người đang tiếp nhận"},
            ).text
            assert "chị ơi em sợ lắm" in page and "tin mới" in page
            assert _inbound(console)[-2:] == ["seen", "seen"]
            assert "tin mới" not in _queue_row(console, reference)

            # The operator answers through the person_reply outbox; the gateway delivers it.
            answer = "Chào em, chị là cán bộ tổng đài 111. Em có gọi được 113 không?"
            assert console.post(f"/intakes/{intake_id}/reply", {"text": answer}) == 303
            assert await app.state.staff_replies.run_once() == 1
            # Marked as a person's, not the assistant's.
            assert api.sent()[-1]["chat_id"] == CHAT
            assert api.sent()[-1]["text"] == f"Cán bộ: {answer}"

            # Another operator cannot hand it back; the holder can.
            assert console.login("social_worker") == 303
            assert console.post(f"/intakes/{intake_id}/release") == 403
            assert console.login("operator") == 303
            assert console.post(f"/intakes/{intake_id}/release") == 303

            # Back with the assistant: Rasa first gets the case's context, then the message.
            await person_says("dạ em cảm ơn chị")
            assert len(rasa.calls) == rasa_calls + 1
            [(method, sender, events)] = rasa.tracker_calls
            assert method == "POST" and sender == rasa.calls[-1]["sender"]
            assert {"event": "active_loop", "name": None} in events
            slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
            assert slots["intake_id"] == str(intake_id) and slots["reference_code"] == reference
            # The person who was written to is told the operator has left, then the assistant.
            told, assistant = api.sent()[-2:]
            assert told["text"].startswith("Cán bộ đã rời cuộc trò chuyện")
            assert assistant["text"] == HANDOFF_REPLY
            sent = len(api.sent())
            await person_says("em muốn hỏi thêm")
            assert len(rasa.tracker_calls) == 1  # the context is given once, the notice too
            assert [m["text"] for m in api.sent()[sent:]] == [HANDOFF_REPLY]

        timeline = console.client.get(f"/intakes/{intake_id}").text
        assert "Tiếp nhận hội thoại" in timeline and "Trả lại cho trợ lý" in timeline


async def test_a_queued_reply_is_not_sent_once_the_person_says_it_is_unsafe(
    gateway_settings: Callable[..., Settings], database_url: str
) -> None:
    settings = gateway_settings(
        database_url=database_url, telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET
    )
    api, rasa = FakeBotApi(), FakeRasa()
    with contextlib.contextmanager(make_console)(settings) as console:
        app = create_app(
            settings,
            store=console.store,
            rasa_transport=rasa.transport,
            telegram_request=api,
            retry_loop=False,
        )
        async with running(app) as client:
            await client.post(
                "/webhooks/telegram", json=text_update(1, 1, "em cần hỗ trợ"), headers=HEADERS
            )
            await app.state.gateway.drain()
            store = console.store
            with store.begin() as session:
                intake_id, _ = open_help_case(
                    session, cipher=store.cipher, details={"safe_to_contact": True}
                )
                casework.queue_reply(
                    session,
                    cipher=store.cipher,
                    intake_id=intake_id,
                    actor="operator",
                    text="Chào em",
                )
                # Before delivery the person said it is no longer safe.
                update_details(
                    session,
                    cipher=store.cipher,
                    intake_id=intake_id,
                    details={"safe_to_contact": False},
                )
            sent = len(api.sent())
            assert await app.state.staff_replies.run_once() == 0
        assert len(api.sent()) == sent
        with store.begin() as session:
            status = session.scalars(
                select(Message.status).where(Message.direction == "outbound").order_by(Message.id)
            ).all()[-1]
        assert status == "held"


async def test_messages_queued_while_rasa_was_down_wait_for_the_operator_once_held(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    rasa.mode = "down"
    app = create_app(
        gateway_settings(), store=store, rasa_transport=rasa.transport, retry_loop=False
    )
    async with running(app) as client:
        await client.post("/webchat/messages", json=post("em cần người giúp", "m-00000001"))
        conversation_id = _operator_takes_over(store, actor="operator")
        rasa.mode, calls = "ok", len(rasa.calls)
        # Rasa is back, but the operator holds the conversation: the retry hands it to them
        # (and it leaves the retry list).
        assert await app.state.retry.run_once() == 1
        assert await app.state.retry.run_once() == 0
    assert len(rasa.calls) == calls
    with store.begin() as session:
        assert handoff.unread_counts(session, conversation_ids=[conversation_id]) == {
            conversation_id: 1
        }


async def test_the_open_web_chat_page_fetches_the_operators_replies(
    gateway_settings: Callable[..., Settings], database_url: str
) -> None:
    settings = gateway_settings(database_url=database_url)
    rasa = FakeRasa()
    with contextlib.contextmanager(make_console)(settings) as console:
        rasa.on_message = _handoff_action(console)
        app = create_app(
            settings, store=console.store, rasa_transport=rasa.transport, retry_loop=False
        )
        async with running(app) as client:
            await client.post("/webchat/messages", json=post("cho em gặp người thật"))
            with console.store.begin() as session:
                intake_id = session.scalars(select(Intake.id)).one()
            assert console.login("operator") == 303
            assert console.post(f"/intakes/{intake_id}/hold") == 303
            answer = "Chào em, chị ở tổng đài 111 đây. Em đang ở đâu?"
            assert console.post(f"/intakes/{intake_id}/reply", {"text": answer}) == 303
            assert await app.state.staff_replies.run_once() == 0  # web chat cannot be pushed to

            fetched = await client.post("/webchat/replies", json={"session": SESSION})
            again = await client.post("/webchat/replies", json={"session": SESSION})
            stranger = await client.post("/webchat/replies", json={"session": "x" * 24})
            bad = await client.post("/webchat/replies", json={"session": "short"})

    assert fetched.json()["replies"] == [{"text": answer, "buttons": [], "staff": "Cán bộ"}]
    assert again.json()["replies"] == [] and stranger.json()["replies"] == []
    assert bad.status_code == 422
    with console.store.begin() as session:
        status = session.scalars(
            select(Message.status).where(Message.direction == "outbound").order_by(Message.id)
        ).all()[-1]
    assert status == "sent"


async def test_a_page_open_while_the_console_erases_learns_it_once_and_nothing_more(
    gateway_settings: Callable[..., Settings], database_url: str
) -> None:
    """Once erased, no stored hash links the page's session to the conversation; only a marker
    derived from it (no conversation id, gone within a day or on the poll that reads it) lets
    the open page clear itself. Another session id learns nothing from it."""
    settings = gateway_settings(database_url=database_url)
    rasa = FakeRasa()
    with contextlib.contextmanager(make_console)(settings) as console:
        rasa.on_message = _handoff_action(console)
        app = create_app(
            settings, store=console.store, rasa_transport=rasa.transport, retry_loop=False
        )
        async with running(app) as client:
            await client.post("/webchat/messages", json=post("cho em gặp người thật"))
            with console.store.begin() as session:
                intake_id = session.scalars(select(Intake.id)).one()
            before = await client.post("/webchat/replies", json={"session": SESSION})
            assert console.login("supervisor") == 303
            form = {"reason": "người này gọi 111 xin xóa", "confirm": "yes"}
            assert console.post(f"/intakes/{intake_id}/erase", form) == 303

            stranger = await client.post("/webchat/replies", json={"session": "x" * 24})
            page = await client.post("/webchat/replies", json={"session": SESSION})
            again = await client.post("/webchat/replies", json={"session": SESSION})

    assert "erased" not in before.json()
    assert page.json() == {"replies": [], "duplicate": False, "erased": True}
    assert "erased" not in again.json() and "erased" not in stranger.json()
    with console.store.begin() as session:
        assert session.scalars(select(ErasedPage)).all() == []  # read once, then gone


async def test_xoa_while_held_reaches_the_operator_who_erases_from_the_console(
    gateway_settings: Callable[..., Settings], database_url: str
) -> None:
    settings = gateway_settings(database_url=database_url)
    rasa = FakeRasa()
    with contextlib.contextmanager(make_console)(
        settings, rasa_transport=rasa.transport
    ) as console:
        rasa.on_message = _handoff_action(console)
        app = create_app(
            settings, store=console.store, rasa_transport=rasa.transport, retry_loop=False
        )
        async with running(app) as client:
            await client.post("/webchat/messages", json=post("cho em gặp người thật", "m-00000001"))
            with console.store.begin() as session:
                intake_id, conversation_id = session.execute(
                    select(Intake.id, Intake.conversation_id)
                ).one()
            sender = rasa.calls[-1]["sender"]
            assert console.login("operator") == 303
            assert console.post(f"/intakes/{intake_id}/hold") == 303
            page = console.client.get(f"/intakes/{intake_id}").text
            # Holding alone is not a request to erase: the holder is not offered the action yet.
            assert 'id="erasure-requested"' not in page and 'id="erase"' not in page

            held = ("em bị lừa sang Campuchia", "chị ơi xóa hết dữ liệu của em đi")
            for number, said in enumerate(held, start=2):
                await client.post("/webchat/messages", json=post(said, f"m-0000000{number}"))
            assert len(rasa.calls) == 1  # "xóa" reached the operator, not the assistant
            page = console.client.get(f"/intakes/{intake_id}").text
            assert "Người này yêu cầu xóa dữ liệu" in page and 'id="erasure-requested"' in page
            assert "Yêu cầu xóa dữ liệu" in page  # on the timeline too

            # Another operator (no hold, no erase right) cannot; the holder confirms, then erases.
            form = {"reason": "người này nhắn yêu cầu xóa dữ liệu", "confirm": "yes"}
            assert console.login("social_worker") == 303
            assert 'id="erase"' not in console.client.get(f"/intakes/{intake_id}").text
            assert console.post(f"/intakes/{intake_id}/erase", form) == 403
            assert console.login("operator") == 303
            assert console.post(f"/intakes/{intake_id}/erase", form) == 303

            with console.store.begin() as session:
                conversation = session.get(Conversation, conversation_id)
                assert conversation is not None and conversation.erased_at is not None
                assert conversation.held_by is None
                texts = session.scalars(
                    select(Message.text_enc).where(Message.conversation_id == conversation_id)
                ).all()
                assert len(texts) >= 3 and set(texts) == {None}
                audits = session.execute(
                    select(AuditEntry.actor, AuditEntry.action).order_by(AuditEntry.id)
                ).all()
            assert audits[-2:] == [
                ("operator", "release_conversation"),
                ("operator", "erase_conversation"),
            ]
            assert rasa.tracker_calls == [("PUT", sender, [])]  # Rasa's copy is gone too
            page = console.client.get(f"/intakes/{intake_id}").text
            assert 'id="erased"' in page and 'id="erasure-requested"' not in page

            # The person writes again: a fresh conversation, answered by the assistant.
            await client.post("/webchat/messages", json=post("xin chào", "m-00000004"))
            assert len(rasa.calls) == 2 and rasa.calls[-1]["sender"] == sender
            assert rasa.calls[-1]["metadata"]["conversation_id"] != conversation_id


async def test_a_forgotten_hold_goes_back_to_the_assistant(
    gateway_settings: Callable[..., Settings], database_url: str
) -> None:
    settings = gateway_settings(database_url=database_url, handoff_idle_minutes=30)
    rasa = FakeRasa()
    with contextlib.contextmanager(make_console)(settings) as console:
        rasa.on_message = _handoff_action(console)
        app = create_app(
            settings, store=console.store, rasa_transport=rasa.transport, retry_loop=False
        )
        gateway = app.state.gateway
        start = datetime.now(UTC)
        offset = timedelta()
        gateway.clock = lambda: datetime.now(UTC) + offset
        async with running(app) as client:
            await client.post("/webchat/messages", json=post("cho em gặp người thật", "m-00000001"))
            with console.store.begin() as session:
                intake_id = session.scalars(select(Intake.id)).one()
                # Taken over 40 minutes ago...
                handoff.hold_conversation(
                    session,
                    intake_id=intake_id,
                    actor="operator",
                    now=start - timedelta(minutes=40),
                )
            # ...but the operator answered just now: the hold is in use.
            assert console.login("operator") == 303
            answer = "Chị đây, em cứ nhắn nhé."
            assert console.post(f"/intakes/{intake_id}/reply", {"text": answer}) == 303
            offset = timedelta(minutes=29)
            await client.post("/webchat/messages", json=post("em đang ở Phnom Penh", "m-00000002"))
            assert len(rasa.calls) == 1 and rasa.tracker_calls == []

            # 31 minutes without anything from the operator: the system hands it back.
            offset = timedelta(minutes=31)
            await client.post(
                "/webchat/messages", json=post("chị ơi, chị còn đó không", "m-00000003")
            )
            assert len(rasa.calls) == 2
            assert rasa.calls[-1]["message"] == "chị ơi, chị còn đó không"
            [(method, sender, events)] = rasa.tracker_calls  # with the case's context first
            assert method == "POST" and sender == rasa.calls[-1]["sender"]
            slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
            assert slots["intake_id"] == str(intake_id)

        with console.store.begin() as session:
            state = handoff.conversation_hold(
                session, conversation_id=rasa.calls[-1]["metadata"]["conversation_id"]
            )
            assert state is not None and not state.held
            release = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "release_conversation")
            ).one()
        assert release.actor == handoff.IDLE_ACTOR and release.detail["held_by"] == "operator"
        assert release.at >= start + timedelta(minutes=31)  # the gateway's clock
        timeline = console.client.get(f"/intakes/{intake_id}").text
        # The operator reads who handed it back in Vietnamese, never the actor code.
        assert "Tự trả lại khi không hoạt động" in timeline and "Trả lại cho trợ lý" in timeline
        assert "system:handoff-idle" not in timeline


async def test_a_message_waiting_behind_the_persons_last_one_sees_an_operator_take_over(
    gateway_settings: Callable[..., Settings], store: Store
) -> None:
    """The hold state read when a message is stored is reused only if it went straight to Rasa."""
    settings = gateway_settings(telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET)
    rasa, api = FakeRasa(), FakeBotApi()
    at_rasa, answer = asyncio.Event(), asyncio.Event()

    async def slow_rasa(request: httpx.Request) -> httpx.Response:
        at_rasa.set()
        await answer.wait()  # the first message is at Rasa while the second one arrives
        return rasa.handler(request)

    app = create_app(
        settings,
        store=store,
        rasa_transport=httpx.MockTransport(slow_rasa),
        telegram_request=api,
        retry_loop=False,
    )
    async with running(app) as client:
        first = await client.post(
            "/webhooks/telegram", json=text_update(1, 1, "em cần giúp"), headers=HEADERS
        )
        await asyncio.wait_for(at_rasa.wait(), 10)
        second = await client.post(
            "/webhooks/telegram", json=text_update(2, 2, "chị ơi"), headers=HEADERS
        )
        assert (first.status_code, second.status_code) == (200, 200)
        _operator_takes_over(store, actor="staff:lan")  # meanwhile, the second one waits
        answer.set()
        await app.state.gateway.drain()
    assert [call["message"] for call in rasa.calls] == ["em cần giúp"]
    with store.begin() as session:
        statuses = session.scalars(
            select(Message.status).where(Message.direction == "inbound").order_by(Message.id)
        )
        assert list(statuses) == ["processed", "held"]
