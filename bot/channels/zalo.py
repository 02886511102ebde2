"""Zalo Official Account (API v3): webhook events in, consultation ("cs") messages out.

Webhook: ``X-ZEvent-Signature`` is "mac=" + SHA-256 hex of app_id + raw body + timestamp + the
OA secret key (not the app secret), compared in constant time. The message is stored before the
200 goes back, and processed in the background: Zalo retries slow webhooks and disables them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, Request, Response

from bot.channels.zalo_tokens import ZaloAuthError, ZaloTokenStore
from bot.messages import Attachment, BotReply, InboundMessage
from bot.pipeline import DeliveryStatus, Gateway
from bot.text import split_text

log = logging.getLogger(__name__)

SEND_URL = "https://openapi.zalo.me/v3.0/oa/message/cs"
TEXT_LIMIT = 2000
# Consultation messages may only answer a person who wrote to the OA recently (7 days).
REPLY_WINDOW = timedelta(days=7)
# The signed timestamp must be this close to now: an old signed event replayed later is refused.
# Zalo retries a slow webhook within seconds; a replay inside the window is deduplicated by msg_id.
SIGNED_TIMESTAMP_WINDOW = timedelta(minutes=15)

# Zalo OA error codes the gateway treats specially (all others: delivery failed).
TOKEN_ERRORS = frozenset({-216, -124})  # access token invalid / expired -> refresh once
RATE_LIMIT_ERRORS = frozenset({-32})  # too many calls -> wait and retry
WINDOW_ERRORS = frozenset({-213, -230})  # not a follower / no interaction in the window -> hold

MEDIA_EVENTS = {
    "user_send_image": "image",
    "user_send_gif": "gif",
    "user_send_audio": "audio",
    "user_send_video": "video",
    "user_send_file": "file",
    "user_send_sticker": "sticker",
    "user_send_link": "link",
    "user_send_location": "location",
    "user_send_business_card": "business_card",
}


def signature_for(*, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    digest = hashlib.sha256(
        app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    ).hexdigest()
    return f"mac={digest}"


def verify_signature(
    *, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str, header: str
) -> bool:
    expected = signature_for(
        app_id=app_id, raw_body=raw_body, timestamp=timestamp, oa_secret_key=oa_secret_key
    )
    return hmac.compare_digest(expected.encode(), header.strip().encode())


# The signed timestamp is a field of the body; it is found without parsing the body, and every
# candidate is tried (a nested "timestamp" cannot help a forger: the MAC needs the secret).
_TIMESTAMP_FIELD = re.compile(rb'"timestamp"\s*:\s*"?(\d{1,20})"?')
MAX_TIMESTAMP_CANDIDATES = 4


def signed_timestamp(
    *, app_id: str, raw_body: bytes, oa_secret_key: str, header: str
) -> str | None:
    """The timestamp the event was signed with, or None when the signature does not verify."""
    if not header:
        return None
    # A real event has one; a few at most bound the hashing a stranger can make us do.
    for match in itertools.islice(_TIMESTAMP_FIELD.finditer(raw_body), MAX_TIMESTAMP_CANDIDATES):
        timestamp = match.group(1).decode()
        if verify_signature(
            app_id=app_id,
            raw_body=raw_body,
            timestamp=timestamp,
            oa_secret_key=oa_secret_key,
            header=header,
        ):
            return timestamp
    return None


def inbound_from_event(event: dict[str, Any]) -> InboundMessage | None:
    """A person's message from a webhook event; None for follow/unfollow, echoes, receipts."""
    name = str(event.get("event_name", ""))
    if name != "user_send_text" and name not in MEDIA_EVENTS:
        return None
    sender = event.get("sender") or {}
    message = event.get("message") or {}
    sender_id, msg_id = sender.get("id"), message.get("msg_id")
    if not isinstance(sender_id, str) or not sender_id or not isinstance(msg_id, str) or not msg_id:
        raise ValueError("event without sender id or msg_id")
    raw_text = message.get("text")
    text = raw_text if isinstance(raw_text, str) else ""
    attachments = tuple(
        _attachment(MEDIA_EVENTS.get(name, "file"), item)
        for item in message.get("attachments") or []
        if isinstance(item, dict)
    )
    return InboundMessage(
        channel="zalo",
        sender_id=sender_id,
        external_id=msg_id,
        text=text.strip(),
        attachments=attachments,
        received_at=_timestamp(event.get("timestamp")),
    )


def _attachment(default_kind: str, item: dict[str, Any]) -> Attachment:
    raw_payload = item.get("payload")
    payload: dict[str, Any] = raw_payload if isinstance(raw_payload, dict) else {}
    kind = str(item.get("type") or default_kind)
    url = payload.get("url") if isinstance(payload.get("url"), str) else None
    extra = {}
    if isinstance(payload.get("coordinates"), dict):
        extra["coordinates"] = payload["coordinates"]
    return Attachment(kind=kind, url=url, payload=extra)


def _timestamp(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(UTC)


def _recent(timestamp: str, window: timedelta = SIGNED_TIMESTAMP_WINDOW) -> bool:
    try:
        at = datetime.fromtimestamp(int(timestamp) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return False
    return abs(datetime.now(UTC) - at) <= window


def render(reply: BotReply) -> str:
    """Zalo cs text has no quick replies that map back to payloads; list the choices instead."""
    if not reply.buttons:
        return reply.text
    choices = " · ".join(b.title for b in reply.buttons)
    return f"{reply.text}\n\nBạn có thể trả lời: {choices}"


class ZaloClient:
    def __init__(self, *, http: httpx.AsyncClient, tokens: ZaloTokenStore) -> None:
        self.http = http
        self.tokens = tokens

    async def send_text(self, user_id: str, text: str) -> int:
        """Send one message; returns Zalo's error code (0 = sent) after one token refresh."""
        token = await self.tokens.access_token()
        code = await self._post(token, user_id, text)
        if code in TOKEN_ERRORS:
            token = await self.tokens.refresh(stale=token)
            code = await self._post(token, user_id, text)
        return code

    async def _post(self, token: str, user_id: str, text: str) -> int:
        response = await self.http.post(
            SEND_URL,
            headers={"access_token": token},
            json={"recipient": {"user_id": user_id}, "message": {"text": text}},
        )
        try:
            data = response.json()
        except ValueError:
            return -1 if response.status_code != 200 else 0
        code = data.get("error", -1) if isinstance(data, dict) else -1
        return int(code) if isinstance(code, int | str) and str(code).lstrip("-").isdigit() else -1


class ZaloChannel:
    channel = "zalo"
    reply_window: timedelta | None = REPLY_WINDOW

    def __init__(
        self,
        *,
        gateway: Gateway,
        app_id: str,
        oa_secret_key: str,
        client: ZaloClient,
        retry_delays: Sequence[float] = (2.0, 10.0, 30.0),
    ) -> None:
        self.gateway = gateway
        self.app_id = app_id
        self.oa_secret_key = oa_secret_key
        self.client = client
        self.retry_delays = tuple(retry_delays)

    async def deliver(self, sender_id: str, replies: Sequence[BotReply]) -> DeliveryStatus:
        try:
            for reply in replies:
                for piece in split_text(render(reply), TEXT_LIMIT):
                    status = await self._send_with_retry(sender_id, piece)
                    if status != "sent":
                        return status
        except ZaloAuthError as error:
            log.error("zalo delivery impossible: %s", error)
            return "failed"
        except httpx.HTTPError as error:
            log.warning("zalo delivery failed: %s", error.__class__.__name__)
            return "failed"
        return "sent"

    async def _send_with_retry(self, sender_id: str, text: str) -> DeliveryStatus:
        for delay in (*self.retry_delays, None):
            code = await self.client.send_text(sender_id, text)
            if code == 0:
                return "sent"
            if code in WINDOW_ERRORS:
                log.info("zalo reply outside the interaction window (error %s): held", code)
                return "held"
            if code not in RATE_LIMIT_ERRORS or delay is None:
                log.warning("zalo send refused with error %s", code)
                return "failed"
            await asyncio.sleep(delay)
        return "failed"

    def router(self) -> APIRouter:
        api = APIRouter()

        @api.post("/webhooks/zalo", include_in_schema=False)
        async def webhook(request: Request) -> Response:
            raw = await request.body()
            header = request.headers.get("X-ZEvent-Signature", "")
            # The signature first, on the raw bytes: nothing a stranger sends is parsed.
            timestamp = signed_timestamp(
                app_id=self.app_id, raw_body=raw, oa_secret_key=self.oa_secret_key, header=header
            )
            if timestamp is None:
                return Response(status_code=401)
            try:
                event = json.loads(raw)
                if not isinstance(event, dict):
                    raise ValueError("not an object")
            except (ValueError, RecursionError):  # malformed, or nested deeper than json can go
                return Response(status_code=400)
            if (
                str(event.get("timestamp")) != timestamp
                or str(event.get("app_id", self.app_id)) != self.app_id
            ):
                return Response(status_code=401)
            try:
                message = inbound_from_event(event)
            except ValueError:
                return Response(status_code=400)
            if not _recent(timestamp):
                log.warning("zalo event refused: signed timestamp outside the replay window")
                return Response(status_code=403)
            if message is None:
                # follow/unfollow, the OA's own echoes, receipts: never a reason to write first.
                log.info("zalo event %s acknowledged", str(event.get("event_name", "?"))[:40])
                return Response(status_code=200)
            sender_id = message.sender_id

            async def deliver(replies: Sequence[BotReply]) -> DeliveryStatus:
                return await self.deliver(sender_id, replies)

            await self.gateway.receive(message, deliver)
            return Response(status_code=200)

        return api
