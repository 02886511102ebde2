"""Telegram through python-telegram-bot 22, inside our ASGI app.

Webhook mode (``telegram_webhook_secret`` set): ``POST /webhooks/telegram`` checks
``X-Telegram-Bot-Api-Secret-Token`` on every request (403 otherwise), stores the message before
answering 200 and processes it in the background. Polling mode (no webhook secret) is for local
use: the PTB updater fetches updates and the same code handles them. Only private chats are served.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence
from datetime import UTC, timedelta

from fastapi import APIRouter, Request, Response
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from bot.messages import Attachment, BotReply, InboundMessage
from bot.pipeline import DeliveryStatus, Gateway
from bot.text import split_text

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64  # bytes
ALLOWED_UPDATES = ["message", "callback_query"]
# Telegram's own commands, said in words Rasa understands.
COMMANDS = {"/start": "xin chào", "/help": "tôi cần giúp đỡ", "/xoa": "xóa", "/delete": "xóa"}


def inbound_from_update(update: Update) -> InboundMessage | None:
    """The one inbound message an update carries, or None (edits, groups, channel posts...)."""
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message else None
        if chat is None or chat.type != "private" or not query.data:
            return None
        return InboundMessage(
            channel="telegram",
            sender_id=str(chat.id),
            external_id=f"cb:{query.id}",
            text=query.data,
        )
    message = update.message
    if message is None or message.chat.type != "private":
        return None
    text = message.text or message.caption or ""
    command = text.split("@", 1)[0].strip().lower() if text.startswith("/") else ""
    if command in COMMANDS:
        text = COMMANDS[command]
    return InboundMessage(
        channel="telegram",
        sender_id=str(message.chat.id),
        external_id=f"{message.chat.id}:{message.message_id}",
        text=text,
        attachments=tuple(_attachments(update)),
        received_at=message.date.astimezone(UTC),
    )


def _attachments(update: Update) -> list[Attachment]:
    message = update.message
    if message is None:
        return []
    found: list[Attachment] = []
    if message.photo:
        found.append(Attachment(kind="image", payload={"file_id": message.photo[-1].file_id}))
    for kind in ("voice", "audio", "video", "document", "sticker", "video_note"):
        item = getattr(message, kind)
        if item is not None:
            found.append(Attachment(kind=kind, payload={"file_id": item.file_id}))
    if message.location is not None:
        found.append(
            Attachment(
                kind="location",
                payload={
                    "latitude": message.location.latitude,
                    "longitude": message.location.longitude,
                },
            )
        )
    if message.contact is not None:
        found.append(Attachment(kind="contact", payload={"phone": message.contact.phone_number}))
    return found


def keyboard(reply: BotReply) -> InlineKeyboardMarkup | None:
    rows = []
    for button in reply.buttons:
        data = button.payload
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            data = button.title  # Rasa understands the title as text too
        if len(data.encode()) <= CALLBACK_DATA_LIMIT:
            rows.append([InlineKeyboardButton(button.title, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


class TelegramChannel:
    channel = "telegram"
    reply_window: timedelta | None = None  # a bot may answer any chat that started it

    def __init__(
        self,
        *,
        gateway: Gateway,
        token: str,
        webhook_secret: str,
        public_base_url: str = "",
        request: BaseRequest | None = None,
    ) -> None:
        self.gateway = gateway
        self.webhook_secret = webhook_secret
        self.webhook_url = f"{public_base_url.rstrip('/')}/webhooks/telegram"
        self.polling = not webhook_secret
        builder = ApplicationBuilder().token(token)
        if request is not None:
            builder = builder.request(request).get_updates_request(request)
        if not self.polling:
            builder = builder.updater(None)
        self.application = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_polled_update))

    async def start(self) -> None:
        await self.application.initialize()
        if self.polling and self.application.updater is not None:
            await self.application.updater.start_polling(
                drop_pending_updates=False, allowed_updates=ALLOWED_UPDATES
            )
        elif self.webhook_url.startswith("https://"):
            # Telegram only calls HTTPS webhooks; the secret makes forged calls a 403.
            try:
                await self.application.bot.set_webhook(
                    url=self.webhook_url,
                    secret_token=self.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            except TelegramError as error:
                log.error("telegram set_webhook failed: %s", error.__class__.__name__)
        else:
            log.warning("telegram webhook not registered: CHUNGTAY_PUBLIC_BASE_URL is not https")
        await self.application.start()
        log.info("telegram channel started (%s)", "polling" if self.polling else "webhook")

    async def stop(self) -> None:
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def _on_polled_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await self.handle_update(update, background=False)

    async def handle_update(self, update: Update, *, background: bool) -> None:
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()  # stops the button's spinner
            except TelegramError:
                log.info("could not answer telegram callback query")
        message = inbound_from_update(update)
        if message is None:
            return

        async def deliver(replies: Sequence[BotReply]) -> DeliveryStatus:
            return await self.deliver(message.sender_id, replies)

        # Stored before Telegram gets its 200; a polled update is answered before the next one.
        receipt = await self.gateway.receive(message, deliver, wait=not background)
        if receipt.outcome is not None and receipt.outcome.rate_limited:
            log.warning("rate limit on telegram update %s", update.update_id)

    async def deliver(self, sender_id: str, replies: Sequence[BotReply]) -> DeliveryStatus:
        bot = self.application.bot
        try:
            for reply in replies:
                pieces = split_text(reply.text, TEXT_LIMIT)
                for index, piece in enumerate(pieces):
                    markup = keyboard(reply) if index == len(pieces) - 1 else None
                    await self._send(bot, int(sender_id), piece, markup)
        except Forbidden:
            log.info("telegram chat blocked the bot; reply held")
            return "held"
        except TelegramError as error:
            log.warning("telegram delivery failed: %s", error.__class__.__name__)
            return "failed"
        return "sent"

    @staticmethod
    async def _send(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await asyncio.sleep(min(seconds, 30.0))
            await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)

    def router(self) -> APIRouter:
        api = APIRouter()

        @api.post("/webhooks/telegram", include_in_schema=False)
        async def webhook(request: Request) -> Response:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if self.polling or not hmac.compare_digest(
                given.encode(), self.webhook_secret.encode()
            ):
                return Response(status_code=403)
            try:
                data = json.loads(await request.body())
                update = Update.de_json(data, self.application.bot)
            except Exception:  # not JSON, or not an Update: PTB raises various errors
                return Response(status_code=400)
            if update is None:
                return Response(status_code=400)
            await self.handle_update(update, background=True)
            return Response(status_code=200)

        return api
