"""The input channel our gateway talks to: Rasa's REST channel, handing Rasa NFC text.

Rasa 3.6 does no Unicode normalisation and its regex and count features only see composed words,
so NFD text from some keyboards would lose its features. The channel composes the text (the
gateway does too; either alone is enough), keeps the metadata the gateway sends, and, unlike
RestInput, never writes the message text into the log when handling fails.

Rasa's ``--auth-token`` guards only its HTTP API, not input channels, so the channel checks the
same secret itself (``Authorization: Bearer``): whoever can post here chooses the sender id, i.e.
speaks as any person. A turn that failed (an action failed, see nlu/rasa_server.py) answers 500,
never a partial 200, so the gateway keeps the message queued and sends it again.
"""

from __future__ import annotations

import hmac
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from nlu.normalize import nfc

logger = logging.getLogger(__name__)


class ChungTayInput(RestInput):
    """``POST /webhooks/chungtay/webhook`` with ``{"sender", "message", "metadata"}``."""

    def __init__(self, auth_token: str) -> None:
        if not auth_token:
            raise ValueError("the chungtay channel needs auth_token (CHUNGTAY_RASA_AUTH_TOKEN)")
        self._expected = f"Bearer {auth_token}".encode()

    @classmethod
    def name(cls) -> str:
        return "chungtay"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(auth_token=str((credentials or {}).get("auth_token") or ""))

    def authorized(self, request: Request) -> bool:
        presented = (request.headers.get("authorization") or "").encode()
        return hmac.compare_digest(presented, self._expected)

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
            if not self.authorized(request):
                return response.json({"error": "unauthorized"}, status=401)
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
                return response.json({"error": "turn failed"}, status=500)
            except Exception as error:  # the gateway retries; keep the text out of the log
                logger.error("chungtay channel: message handling failed (%s)", type(error).__name__)
                return response.json({"error": "turn failed"}, status=500)
            return response.json(collector.messages)

        return webhook
