"""ChungTayInput hands Rasa NFC text and keeps the gateway's metadata (driven through ASGI).

It also refuses callers without the gateway's secret, and answers a failed turn with a 500 that
says nothing of the request, so the gateway keeps the message queued.
"""

from __future__ import annotations

import asyncio
import json
import unicodedata
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from nlu.rasa_channel import ChungTayInput
from nlu.rasa_server import ActionFailed

TOKEN = "rasa-token-for-the-channel-test"
GATEWAY = {"authorization": f"Bearer {TOKEN}"}


def _asgi_posts(
    app: Sanic,
    path: str,
    payloads: list[dict[str, Any]],
    headers: list[dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """POSTs through the app's ASGI interface, after a lifespan start-up (one event loop)."""

    async def run() -> list[dict[str, Any]]:
        lifespan: asyncio.Queue = asyncio.Queue()
        await lifespan.put({"type": "lifespan.startup"})
        sent: list[dict[str, Any]] = []

        async def lifespan_send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
        task = asyncio.ensure_future(app(scope, lifespan.get, lifespan_send))
        for _ in range(500):
            if sent:
                break
            await asyncio.sleep(0.01)
        responses = [
            await _post(app, path, payload, (headers or [GATEWAY] * len(payloads))[i])
            for i, payload in enumerate(payloads)
        ]
        await lifespan.put({"type": "lifespan.shutdown"})
        # Sanic 21.12 raises AttributeError after a completed lifespan (no request): harmless.
        await asyncio.wait([task], timeout=5)
        return responses

    return asyncio.run(run())


async def _post(
    app: Sanic, path: str, payload: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    body = json.dumps(payload).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"content-type", b"application/json"),
            (b"host", b"test"),
            *[(k.encode(), v.encode()) for k, v in headers.items()],
        ],
        "server": ("127.0.0.1", 5005),
        "client": ("127.0.0.1", 1234),
    }
    chunks = [{"type": "http.request", "body": body, "more_body": False}]
    response: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            response["status"] = message["status"]
        elif message["type"] == "http.response.body":
            response["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return response


def _app(received: list[UserMessage]) -> Sanic:
    async def on_new_message(message: UserMessage) -> None:
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "111")
        if message.text.startswith("fail"):  # what nlu.rasa_server raises for a failed action
            raise ActionFailed("custom action 'action_file_report' failed; turn abandoned")

    app = Sanic(f"chungtay_channel_test_{len(Sanic._app_registry)}")
    channel = ChungTayInput.from_credentials({"auth_token": TOKEN})
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/chungtay")
    return app


def test_channel_composes_nfd_text_keeps_metadata_and_rejects_bad_requests() -> None:
    received: list[UserMessage] = []
    text = unicodedata.normalize("NFD", "cứu tôi với, tôi đang bị nhốt ở Campuchia")
    metadata = {"channel": "zalo", "message_id": 7, "conversation_id": 3}
    good, no_sender = _asgi_posts(
        _app(received),
        "/webhooks/chungtay/webhook",
        [{"sender": "a1b2c3", "message": text, "metadata": metadata}, {"message": "alo"}],
    )

    assert good["status"] == 200
    assert json.loads(good["body"]) == [{"recipient_id": "a1b2c3", "text": "111"}]
    [message] = received  # the request without a sender never reached Rasa
    assert message.text == unicodedata.normalize("NFC", text)
    assert message.text != text
    assert message.metadata == metadata
    assert message.sender_id == "a1b2c3"
    assert message.input_channel == "chungtay"
    assert no_sender["status"] == 400


def test_channel_refuses_callers_without_the_secret_and_fails_failed_turns() -> None:
    received: list[UserMessage] = []
    text = "tôi bị nhốt, số tôi 0912345678"
    body = {"sender": "victim-sender", "message": text, "metadata": {"conversation_id": 3}}
    failing = {"sender": "a1b2c3", "message": "fail: số tôi 0912345678"}
    answers = _asgi_posts(
        _app(received),
        "/webhooks/chungtay/webhook",
        [body, body, body, failing],
        headers=[
            {},
            {"authorization": "Bearer wrong-token"},
            {"authorization": TOKEN},  # the bare token is not the header's format
            GATEWAY,
        ],
    )

    assert [a["status"] for a in answers] == [401, 401, 401, 500]
    # Nobody without the secret reached Rasa: they would have spoken as "victim-sender".
    assert [m.sender_id for m in received] == ["a1b2c3"]
    for answer in answers:
        assert b"0912345678" not in answer["body"] and b"victim" not in answer["body"]
    # A failed turn is not an empty success: the gateway must send the message again.
    assert json.loads(answers[3]["body"]) == {"error": "turn failed"}


def test_channel_will_not_start_without_a_secret() -> None:
    with pytest.raises(ValueError, match="auth_token"):
        ChungTayInput.from_credentials({})
    with pytest.raises(ValueError, match="auth_token"):
        ChungTayInput.from_credentials({"auth_token": ""})
