"""The input channel our gateway talks to: Rasa's REST channel, handing Rasa NFC text.

Rasa 3.6 does no Unicode normalisation and its regex and count features only see composed words,
so NFD text from some keyboards would lose its features. The channel composes the text (the
gateway does too; either alone is enough), keeps the metadata the gateway sends, and, unlike
RestInput, never writes the message text into the log when handling fails.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from nlu.normalize import nfc

logger = logging.getLogger(__name__)


class ChungTayInput(RestInput):
    """``POST /webhooks/chungtay/webhook`` with ``{"sender", "message", "metadata"}``."""

    @classmethod
    def name(cls) -> str:
        return "chungtay"

    def _extract_message(self, req: Request) -> str | None:
        text = req.json.get("message")
        return nfc(text) if isinstance(text, str) else None

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = request.json.get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not isinstance(request.json, dict):
                return response.json({"error": "expected a JSON object"}, status=400)
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            if not sender_id or text is None:
                return response.json({"error": "sender and message are required"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except CancelledError:
                logger.error("chungtay channel: message handling timed out")
            except Exception:  # the gateway retries; keep the text out of the log
                logger.exception("chungtay channel: message handling failed")
            return response.json(collector.messages)

        return webhook
