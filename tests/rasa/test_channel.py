"""ChungTayInput hands Rasa NFC text and keeps the gateway's metadata (driven through ASGI)."""

from __future__ import annotations

import asyncio
import json
import unicodedata
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from nlu.rasa_channel import ChungTayInput


def _asgi_posts(app: Sanic, path: str, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
        responses = [await _post(app, path, payload) for payload in payloads]
        await lifespan.put({"type": "lifespan.shutdown"})
        # Sanic 21.12 raises AttributeError after a completed lifespan (no request): harmless.
        await asyncio.wait([task], timeout=5)
        return responses

    return asyncio.run(run())


async def _post(app: Sanic, path: str, payload: dict[str, Any]) -> dict[str, Any]:
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
        "headers": [(b"content-type", b"application/json"), (b"host", b"test")],
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

    app = Sanic(f"chungtay_channel_test_{len(Sanic._app_registry)}")
    channel = ChungTayInput()
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
