"""An operator's reply reaches the person through their own channel, and only when it is safe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import create_app
from chungtay.settings import Settings
from intake_store import casework, intakes, outbox
from intake_store.intakes import open_intake
from intake_store.messages import record_inbound
from intake_store.models import Message, OutboxRow
from intake_store.store import Store
from routing.worker import WORKER_KINDS
from tests.gateway.conftest import FakeRasa, rows, running
from tests.gateway.test_sms import ACCOUNT, TOKEN, FakeTwilioApi
from tests.gateway.test_telegram import CHAT, SECRET, FakeBotApi, text_update
from tests.gateway.test_zalo import USER, FakeZalo, zalo_settings


def _open_case(
    store: Store, *, channel: str, sender_id: str, safe: bool, language: str = "vi"
) -> int:
    with store.begin() as session:
        inbound = record_inbound(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            channel=channel,
            sender_id=sender_id,
            external_id=f"{channel}-{sender_id}-1",
            text="em cần hỗ trợ",
        )
        return open_intake(
            session,
            cipher=store.cipher,
            conversation_id=inbound.conversation_id,
            triage="help",
            urgent_reasons=[],
            source_message_id=inbound.message_id,
            language=language,
            details={"consent_contact": True, "safe_to_contact": safe},
        ).id


def _reply(store: Store, intake_id: int, text: str) -> int:
    with store.begin() as session:
        return casework.queue_reply(
            session, cipher=store.cipher, intake_id=intake_id, actor="operator1", text=text
        )


def _state(store: Store, outbox_id: int) -> tuple[str, str]:
    with store.begin() as session:
        row = session.get(OutboxRow, outbox_id)
        assert row is not None
        message = session.get(Message, int(row.payload["message_id"]))
        assert message is not None
        return row.status, message.status


async def test_operator_reply_is_sent_on_telegram_and_held_on_web_chat(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    api = FakeBotApi()
    settings = gateway_settings(telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET)
    app = create_app(
        settings, store=store, rasa_transport=rasa.transport, telegram_request=api, retry_loop=False
    )
    async with running(app) as client:
        # The person writes first on Telegram; staff may answer because they said it is safe.
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        await client.post("/webhooks/telegram", json=text_update(1, 1, "xin chào"), headers=headers)
        await app.state.gateway.drain()
        telegram_case = _open_case(store, channel="telegram", sender_id=str(CHAT), safe=True)
        webchat_case = _open_case(store, channel="webchat", sender_id="w" * 20, safe=True)
        unsafe_case = _open_case(store, channel="telegram", sender_id="999", safe=False)

        to_telegram = _reply(store, telegram_case, "Chào bạn, cán bộ sẽ gọi lại lúc 9 giờ.")
        to_webchat = _reply(store, webchat_case, "Chào bạn, chúng tôi đã nhận.")
        with pytest.raises(casework.CaseworkError):  # never a message to a person not safe
            _reply(store, unsafe_case, "Chào bạn")

        # The routing worker never takes these rows: they are the gateway's to deliver.
        with store.begin() as session:
            now = datetime.now(UTC)
            assert outbox.claim(session, worker_id="w", now=now, kinds=WORKER_KINDS) == []

        delivered = await app.state.staff_replies.run_once()

    assert delivered == 1
    last = api.sent()[-1]
    assert (last["chat_id"], last["text"]) == (
        CHAT,
        "Cán bộ: Chào bạn, cán bộ sẽ gọi lại lúc 9 giờ.",
    )
    assert _state(store, to_telegram) == ("sent", "sent")
    assert _state(store, to_webchat) == ("failed", "held")  # no push channel: a human follows up
    with store.begin() as session:
        pending = session.scalars(select(OutboxRow).where(OutboxRow.status == "pending")).all()
        assert pending == []


async def test_a_reply_held_for_the_safe_time_goes_out_when_it_opens(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    """ "Chỉ sau 11 giờ tối": a reply written at 05:42 waits in the outbox and the gateway's
    delivery (on a fake clock) sends it at 23:00 local, not before."""
    api = FakeBotApi()
    settings = gateway_settings(telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET)
    app = create_app(
        settings, store=store, rasa_transport=rasa.transport, telegram_request=api, retry_loop=False
    )
    morning = datetime(2026, 12, 4, 22, 42, tzinfo=UTC)  # 05:42 on 5/12 in Hà Nội
    async with running(app) as client:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        await client.post("/webhooks/telegram", json=text_update(1, 1, "xin chào"), headers=headers)
        await app.state.gateway.drain()
        case = _open_case(store, channel="telegram", sender_id=str(CHAT), safe=True)
        with store.begin() as session:
            intakes.update_details(
                session,
                cipher=store.cipher,
                intake_id=case,
                details={"safe_contact_time": "chỉ sau 11 giờ tối"},
            )
            window = casework.safe_window(session, intake_id=case)
            assert window is not None and window.text() == "23:00–24:00"
            opening = window.next_opening(morning, settings.timezone)
            held = casework.queue_reply(
                session,
                cipher=store.cipher,
                intake_id=case,
                actor="operator1",
                text="Chào bạn, cán bộ 111 đây.",
                not_before=opening,
            )
        assert opening == datetime(2026, 12, 5, 16, 0, tzinfo=UTC)  # 23:00 the same local day
        delivery = app.state.staff_replies
        sent_before = len(api.sent())
        for moment in (morning, opening - timedelta(minutes=1)):
            delivery.clock = lambda moment=moment: moment
            assert await delivery.run_once() == 0
        assert _state(store, held) == ("pending", "queued") and len(api.sent()) == sent_before
        delivery.clock = lambda: opening + timedelta(seconds=30)
        assert await delivery.run_once() == 1
    assert _state(store, held) == ("sent", "sent")
    assert api.sent()[-1]["text"].endswith("Chào bạn, cán bộ 111 đây.")


async def test_a_staff_reply_is_marked_as_staff_on_telegram_zalo_and_sms(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    """Channels that show text only carry the mark as a prefix, in the case's language."""
    telegram, zalo, twilio = FakeBotApi(), FakeZalo(), FakeTwilioApi()
    settings = zalo_settings(
        lambda **zalo_keys: gateway_settings(
            telegram_bot_token="123:ABC",
            telegram_webhook_secret=SECRET,
            twilio_account_sid=ACCOUNT,
            twilio_auth_token=TOKEN,
            twilio_from_number="+84280000000",
            **zalo_keys,
        )
    )
    app = create_app(
        settings,
        store=store,
        rasa_transport=rasa.transport,
        telegram_request=telegram,
        http_transport=zalo.transport,
        twilio_http_client=twilio,
        retry_loop=False,
    )
    async with running(app):
        on_telegram = _open_case(store, channel="telegram", sender_id=str(CHAT), safe=True)
        on_zalo = _open_case(store, channel="zalo", sender_id=USER, safe=True, language="zh")
        on_sms = _open_case(
            store, channel="sms", sender_id="+84901234567", safe=True, language="en"
        )
        _reply(store, on_telegram, "Chiều nay 3 giờ chị gọi em nhé.")
        _reply(store, on_zalo, "你现在安全吗？")
        _reply(store, on_sms, "We will call you at 3 pm.")
        assert await app.state.staff_replies.run_once() == 3

    assert [m["text"] for m in telegram.sent()] == ["Cán bộ: Chiều nay 3 giờ chị gọi em nhé."]
    # The person's own language where the word is known (bot/staff_label.py), else English.
    assert [body["message"]["text"] for _, body in zalo.sent] == ["工作人员: 你现在安全吗？"]
    assert [m["Body"] for m in twilio.created] == ["Staff: We will call you at 3 pm."]
    # The transcript keeps what the operator wrote, without the mark.
    assert {text for _, text in rows(store)["outbound"]} == {
        "Chiều nay 3 giờ chị gọi em nhé.",
        "你现在安全吗？",
        "We will call you at 3 pm.",
    }
