"""SMS: one channel, two providers behind ``SmsProvider``.

Twilio (``POST /webhooks/twilio/sms``) is signed with ``X-Twilio-Signature`` over the public URL
Twilio called, which behind a proxy is not the URL we see; we accept the signature for the
configured public URL (``CHUNGTAY_PUBLIC_BASE_URL``) only, never one rebuilt from headers.
Twilio has no two-way SMS inside Vietnam, so a Vietnamese gateway modelled on eSMS
(``POST /webhooks/esms/sms`` callback + JSON send API) is the second provider.

Replies are cut into single-segment texts and, by default, folded to GSM-7 without diacritics.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol

import httpx
from fastapi import APIRouter, Request, Response
from twilio.base.exceptions import TwilioException
from twilio.http import HttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.messages import MAX_EXTERNAL_ID, Attachment, BotReply, InboundMessage
from bot.pipeline import DeliveryStatus, Gateway
from bot.text import split_sms

log = logging.getLogger(__name__)

ESMS_SEND_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"


def render_sms(replies: Sequence[BotReply], *, fold: bool, max_segments: int) -> list[str]:
    bodies: list[str] = []
    for reply in replies:
        text = reply.text
        if reply.buttons:
            text += " (" + " / ".join(b.title for b in reply.buttons) + ")"
        bodies.extend(split_sms(text, fold=fold, max_segments=max_segments))
    return bodies


class SmsProvider(Protocol):
    name: str

    async def send(self, phone: str, bodies: Sequence[str]) -> DeliveryStatus: ...

    def router(self, channel: SmsChannel) -> APIRouter: ...


class SmsChannel:
    channel = "sms"

    def __init__(
        self,
        *,
        gateway: Gateway,
        provider: SmsProvider,
        fold: bool,
        max_segments: int,
        reply_window: timedelta,
    ) -> None:
        self.gateway = gateway
        self.provider = provider
        self.fold = fold
        self.max_segments = max_segments
        self.reply_window: timedelta | None = reply_window

    def render(self, replies: Sequence[BotReply]) -> list[str]:
        return render_sms(replies, fold=self.fold, max_segments=self.max_segments)

    async def deliver(self, sender_id: str, replies: Sequence[BotReply]) -> DeliveryStatus:
        return await self.provider.send(sender_id, self.render(replies))

    def router(self) -> APIRouter:
        return self.provider.router(self)


async def answer_in_time(
    gateway: Gateway,
    message: InboundMessage,
    *,
    budget: float,
    push: Callable[[Sequence[BotReply]], Awaitable[DeliveryStatus]],
) -> list[BotReply] | None:
    """Process a message; replies ready within ``budget`` go back in the webhook's answer.

    Later replies are pushed through the provider's send API instead. None: nothing to answer
    (duplicate or rate-limited without a reply).
    """
    answer: asyncio.Future[list[BotReply]] = asyncio.get_running_loop().create_future()

    async def deliver(replies: Sequence[BotReply]) -> DeliveryStatus:
        if not answer.done():
            answer.set_result(list(replies))
            return "sent"
        return await push(replies)

    # Refused or a replay: no reply (each one would cost an SMS and feed the flood).
    task = (await gateway.receive(message, deliver)).task
    if task is None:
        return None

    def nothing_came(_: asyncio.Task[Any]) -> None:
        if not answer.done():
            answer.set_result([])

    task.add_done_callback(nothing_came)
    # Decided in one step, with no await between the check and the cancel: a reply handed over
    # as the budget runs out goes in this answer (wait_for could time out on an answer that was
    # already set, and that reply, marked sent, never went anywhere).
    try:
        await asyncio.wait({answer}, timeout=budget)
    except asyncio.CancelledError:
        answer.cancel()  # the webhook's answer is gone (client hung up): deliver() pushes
        raise
    if answer.done():
        return answer.result()
    answer.cancel()  # from now on, deliver() pushes
    return []


# -- Twilio ----------------------------------------------------------------------------------
class TwilioSms:
    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        public_base_url: str,
        twiml_budget: float,
        http_client: HttpClient | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.from_number = from_number
        self.public_base_url = public_base_url.rstrip("/")
        self.twiml_budget = twiml_budget
        self.validator = RequestValidator(auth_token)
        self.client = Client(account_sid, auth_token, http_client=http_client)

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the configured public one. Never rebuilt from request headers
        (X-Forwarded-Host is whatever the sender says, so a signature for a URL of the attacker's
        choosing, e.g. their own Twilio webhook, would pass)."""
        path_qs = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return self.public_base_url + path_qs

    def is_signed(self, request: Request, params: dict[str, str]) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            return False
        return bool(self.validator.validate(self.signed_url(request), params, signature))

    async def send(self, phone: str, bodies: Sequence[str]) -> DeliveryStatus:
        def work() -> None:
            for body in bodies:
                self.client.messages.create(to=phone, from_=self.from_number, body=body)

        try:
            await asyncio.to_thread(work)
        except TwilioException as error:
            log.warning("twilio send failed: %s", error.__class__.__name__)
            return "failed"
        return "sent"

    def router(self, channel: SmsChannel) -> APIRouter:
        api = APIRouter()

        @api.post("/webhooks/twilio/sms", include_in_schema=False)
        async def webhook(request: Request) -> Response:
            try:
                form = await request.form()
            except Exception:  # a broken multipart/urlencoded body
                return Response(status_code=400)
            params = {k: v for k, v in form.multi_items() if isinstance(v, str)}
            if not self.is_signed(request, params):
                return Response(status_code=403)
            if params.get("AccountSid") != self.account_sid:
                return Response(status_code=403)
            sid, phone = params.get("MessageSid") or params.get("SmsSid"), params.get("From")
            if not sid or not phone or len(sid) > MAX_EXTERNAL_ID:
                return Response(status_code=400)
            message = InboundMessage(
                channel="sms",
                sender_id=phone,
                external_id=sid,
                text=params.get("Body", "").strip(),
                attachments=tuple(_twilio_media(params)),
            )

            async def push(replies: Sequence[BotReply]) -> DeliveryStatus:
                return await channel.deliver(phone, replies)

            replies = await answer_in_time(
                channel.gateway, message, budget=self.twiml_budget, push=push
            )
            twiml = MessagingResponse()
            for body in channel.render(replies or []):
                twiml.message(body)
            return Response(content=str(twiml), media_type="application/xml")

        return api


def _twilio_media(params: dict[str, str]) -> list[Attachment]:
    try:
        count = int(params.get("NumMedia", "0"))
    except ValueError:
        count = 0
    return [
        Attachment(kind=params.get(f"MediaContentType{i}", "file"), url=params.get(f"MediaUrl{i}"))
        for i in range(min(count, 10))
    ]


# -- eSMS-style Vietnamese gateway -----------------------------------------------------------
class EsmsSms:
    """eSMS's JSON send API; inbound (MO) messages arrive on a callback URL we register.

    eSMS does not sign callbacks, so the registered URL carries a secret ``token`` query
    parameter, compared in constant time. The callback fields (Phone, Content, and a message id
    as SmsId/MessageId/RequestId) follow eSMS's naming; check them against the contract signed
    with the provider.
    """

    name = "esms"

    def __init__(
        self,
        *,
        api_key: str,
        secret_key: str,
        brandname: str,
        callback_token: str,
        sms_type: str,
        unicode: bool,
        http: httpx.AsyncClient,
    ) -> None:
        self.api_key = api_key
        self.secret_key = secret_key
        self.brandname = brandname
        self.callback_token = callback_token
        self.sms_type = sms_type
        self.unicode = unicode
        self.http = http

    async def send(self, phone: str, bodies: Sequence[str]) -> DeliveryStatus:
        for body in bodies:
            payload = {
                "ApiKey": self.api_key,
                "SecretKey": self.secret_key,
                "Phone": phone,
                "Content": body,
                "Brandname": self.brandname,
                "SmsType": self.sms_type,
                "IsUnicode": "1" if self.unicode else "0",
                "RequestId": uuid.uuid4().hex,  # eSMS rejects a repeated RequestId
            }
            try:
                response = await self.http.post(ESMS_SEND_URL, json=payload)
                code = str(response.json().get("CodeResult", ""))
            except (httpx.HTTPError, ValueError, AttributeError) as error:
                log.warning("esms send failed: %s", error.__class__.__name__)
                return "failed"
            if code != "100":  # eSMS: 100 = accepted
                log.warning("esms refused the message with CodeResult %s", code[:10])
                return "failed"
        return "sent"

    def router(self, channel: SmsChannel) -> APIRouter:
        api = APIRouter()

        @api.post("/webhooks/esms/sms", include_in_schema=False)
        async def callback(request: Request) -> Response:
            token = request.query_params.get("token", "")
            if not self.callback_token or not hmac.compare_digest(
                token.encode(), self.callback_token.encode()
            ):
                return Response(status_code=403)
            try:
                data = await _json_or_form(request)
            except ValueError:
                return Response(status_code=400)
            phone = str(data.get("Phone") or "").strip()
            sms_id = str(data.get("SmsId") or data.get("MessageId") or data.get("RequestId") or "")
            if not phone or not sms_id or len(sms_id) > MAX_EXTERNAL_ID:
                return Response(status_code=400)
            message = InboundMessage(
                channel="sms",
                sender_id=phone,
                external_id=f"esms:{sms_id}",
                text=str(data.get("Content") or "").strip(),
            )

            async def push(replies: Sequence[BotReply]) -> DeliveryStatus:
                return await channel.deliver(phone, replies)

            receipt = await channel.gateway.receive(message, push)
            if receipt.outcome is not None and receipt.outcome.rate_limited:
                return Response(status_code=200)
            return Response(
                content=json.dumps({"CodeResult": "100"}), media_type="application/json"
            )

        return api


async def _json_or_form(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(await request.body())
        except RecursionError as error:  # nested deeper than json can go: a bad body, not a 500
            raise ValueError("too deeply nested") from error
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data
    try:
        form = await request.form()
    except Exception as error:
        raise ValueError("bad form") from error
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}
