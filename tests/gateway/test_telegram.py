"""Telegram webhook mode with real Update JSON; the Bot API is faked with a BaseRequest subclass."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from telegram.request import BaseRequest, RequestData

from bot.app import create_app
from chungtay.settings import Settings
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, rows, running

SECRET = "s3cr3t-token_for-webhook"
CHAT = 4242


class FakeBotApi(BaseRequest):
    """Answers the Bot API methods the gateway uses, and records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append((name, params))
        result: Any = True
        if name == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Chung Tay", "username": "ct_bot"}
        elif name == "sendMessage":
            result = {
                "message_id": len(self.calls),
                "date": 1763900000,
                "chat": {"id": params["chat_id"], "type": "private"},
                "text": params["text"],
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == "sendMessage"]


def text_update(update_id: int, message_id: int, text: str, chat_type: str = "private") -> dict:
    person = {"id": CHAT, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "from": person,
            "chat": {"id": CHAT, "first_name": "Lan", "type": chat_type},
            "date": 1763900000,
            "text": text,
        },
    }


def make_app(settings: Settings, store: Store, rasa: FakeRasa, api: FakeBotApi) -> FastAPI:
    return create_app(
        settings,
        store=store,
        rasa_transport=rasa.transport,
        telegram_request=api,
        retry_loop=False,
    )


async def test_webhook_checks_secret_stores_once_and_answers_with_inline_keyboard(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    api = FakeBotApi()
    settings = gateway_settings(
        telegram_bot_token="123:ABC",
        telegram_webhook_secret=SECRET,
        public_base_url="https://chungtay.example.vn",
    )
    app = make_app(settings, store, rasa, api)
    update = text_update(100, 5, "Tôi cần hỗ trợ")
    async with running(app) as client:
        forged = await client.post("/webhooks/telegram", json=update)
        wrong = await client.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "no"}
        )
        assert (forged.status_code, wrong.status_code) == (403, 403)
        assert rows(store)["inbound"] == []

        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        first = await client.post("/webhooks/telegram", json=update, headers=headers)
        retry = await client.post("/webhooks/telegram", json=update, headers=headers)
        assert (first.status_code, retry.status_code) == (200, 200)
        assert len(rows(store)["inbound"]) == 1  # stored before the 200
        await app.state.gateway.drain()

        garbage = await client.post("/webhooks/telegram", content=b"\x00not json", headers=headers)
        assert garbage.status_code == 400

    [(_, webhook)] = [call for call in api.calls if call[0] == "setWebhook"]
    assert webhook["url"] == "https://chungtay.example.vn/webhooks/telegram"
    assert webhook["secret_token"] == SECRET
    assert len(rasa.calls) == 1 and rasa.calls[0]["metadata"]["channel"] == "telegram"
    assert str(CHAT) not in rasa.calls[0]["sender"]
    sent = api.sent()
    assert [m["chat_id"] for m in sent] == [CHAT, CHAT, CHAT]
    assert sent[0]["text"].startswith("Chúng tôi đã nhận") and "reply_markup" not in sent[0]
    keyboard = sent[1]["reply_markup"]["inline_keyboard"]
    assert [[b["text"], b["callback_data"]] for row in keyboard for b in row] == [
        ["Có", "/affirm"],
        ["Không", "/deny"],
    ]
    stored = rows(store)
    assert [s for _, _, s, _ in stored["inbound"]] == ["processed"]
    assert '"xóa"' in sent[2]["text"]  # a new conversation is told how to delete it
    assert [s for s, _ in stored["outbound"]] == ["sent", "sent", "sent"]


async def test_button_press_and_start_command_reach_rasa_groups_are_ignored(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    api = FakeBotApi()
    settings = gateway_settings(telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET)
    app = make_app(settings, store, rasa, api)
    person = {"id": CHAT, "is_bot": False, "first_name": "Lan"}
    press = {
        "update_id": 201,
        "callback_query": {
            "id": "8800001",
            "from": person,
            "chat_instance": "-77",
            "data": "/affirm",
            "message": {
                "message_id": 9,
                "from": {"id": 1, "is_bot": True, "first_name": "Chung Tay"},
                "chat": {"id": CHAT, "type": "private"},
                "date": 1763900000,
                "text": "Bạn có an toàn không?",
            },
        },
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with running(app) as client:
        for body in (text_update(200, 8, "/start"), press, text_update(202, 3, "hi", "group")):
            assert (await client.post("/webhooks/telegram", json=body, headers=headers)).is_success
        await app.state.gateway.drain()
    assert [c["message"] for c in rasa.calls] == ["xin chào", "/affirm"]
    assert ("answerCallbackQuery", {"callback_query_id": "8800001"}) in api.calls


class PollingBotApi(FakeBotApi):
    """getUpdates hands out one real update, then long-polls with nothing."""

    def __init__(self, update: dict[str, Any]) -> None:
        super().__init__()
        self.pending = [update]

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        if url.endswith("/getUpdates"):
            updates, self.pending = self.pending, []
            if not updates:
                await asyncio.sleep(0.05)
            return 200, json.dumps({"ok": True, "result": updates}).encode()
        return await super().do_request(url, method, request_data, *args, **kw)


async def test_polling_mode_without_webhook_secret(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    api = PollingBotApi(text_update(300, 1, "xin chào"))
    app = make_app(gateway_settings(telegram_bot_token="123:ABC"), store, rasa, api)
    async with running(app) as client:
        # No webhook secret: the webhook route refuses everything, polling does the work.
        refused = await client.post(
            "/webhooks/telegram",
            json=text_update(301, 2, "x"),
            headers={"X-Telegram-Bot-Api-Secret-Token": ""},
        )
        assert refused.status_code == 403
        for _ in range(100):
            if len(api.sent()) >= 3:
                break
            await asyncio.sleep(0.05)
    assert [c["message"] for c in rasa.calls] == ["xin chào"]
    assert [m["chat_id"] for m in api.sent()] == [CHAT, CHAT, CHAT]


async def test_rasa_down_safety_reply_now_real_answer_after_retry(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    api = FakeBotApi()
    settings = gateway_settings(telegram_bot_token="123:ABC", telegram_webhook_secret=SECRET)
    app = make_app(settings, store, rasa, api)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    rasa.mode = "down"
    async with running(app) as client:
        update = text_update(400, 7, "Tôi muốn báo tin về một vụ lừa đi làm")
        assert (await client.post("/webhooks/telegram", json=update, headers=headers)).is_success
        await app.state.gateway.drain()
        [safety] = api.sent()
        assert "111" in safety["text"] and "113" not in safety["text"]

        rasa.mode = "ok"
        assert await app.state.retry.run_once() == 1  # the chat id comes back from the store
        assert await app.state.retry.run_once() == 0  # and only once
    later = api.sent()[1:]
    assert [m["chat_id"] for m in later] == [CHAT, CHAT]
    assert later[0]["text"].startswith("Chúng tôi đã nhận")
    assert [s for _, _, s, _ in rows(store)["inbound"]] == ["processed"]
