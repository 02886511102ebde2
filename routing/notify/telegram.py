"""Staff alerts over Telegram (python-telegram-bot 22) with a "Nhận xử lý" button.

Staff press the button; ``poll_acknowledgements`` reads those callback queries from the staff bot
(a separate bot from the citizens' one, so it can use getUpdates) and hands them to the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.request import BaseRequest

from intake_store.roster import StaffRef
from routing.notify.base import DeliveryError, StaffMessage

log = logging.getLogger(__name__)
ACK_PREFIX = "ack:"

# (intake_id, telegram chat id of whoever pressed) -> reply shown to them
AckHandler = Callable[[int, str], Awaitable[str]]


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramNotifier:
    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._initialized = False
        self._update_offset: int | None = None

    @classmethod
    def from_token(cls, token: str, *, request: BaseRequest | None = None) -> TelegramNotifier:
        return cls(Bot(token, request=request, get_updates_request=request))

    async def _ensure(self) -> None:
        if not self._initialized:
            await self.bot.initialize()
            self._initialized = True

    async def aclose(self) -> None:
        if self._initialized:
            await self.bot.shutdown()
            self._initialized = False

    def can_reach(self, recipient: StaffRef) -> bool:
        return bool(recipient.telegram_chat_id)

    @staticmethod
    def keyboard(alert: StaffMessage) -> InlineKeyboardMarkup | None:
        row: list[InlineKeyboardButton] = []
        if alert.ack_button:  # not under an update to a case someone already took
            row.append(
                InlineKeyboardButton("Nhận xử lý", callback_data=f"{ACK_PREFIX}{alert.intake_id}")
            )
        # Telegram refuses URL buttons to local addresses; the link is in the text anyway.
        if alert.console_url.startswith("https://"):
            row.append(InlineKeyboardButton("Mở hồ sơ", url=alert.console_url))
        return InlineKeyboardMarkup([row]) if row else None

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        if not recipient.telegram_chat_id:
            raise DeliveryError("no Telegram chat id")
        try:
            await self._ensure()
            message = await self.bot.send_message(
                chat_id=recipient.telegram_chat_id,
                text=alert.text(),
                reply_markup=self.keyboard(alert),
            )
        except RetryAfter as error:
            raise DeliveryError(
                "telegram rate limit", retry_after=_seconds(error.retry_after)
            ) from error
        except Forbidden as error:  # the staff member blocked the bot
            raise DeliveryError(f"telegram forbidden: {error.message}") from error
        except TelegramError as error:
            raise DeliveryError(f"telegram: {error.__class__.__name__}: {error.message}") from error
        return str(message.message_id)

    async def poll_acknowledgements(self, on_ack: AckHandler) -> int:
        """Process pending "Nhận xử lý" presses; returns how many were handled."""
        await self._ensure()
        updates = await self.bot.get_updates(
            offset=self._update_offset, timeout=0, allowed_updates=["callback_query"]
        )
        handled = 0
        for update in updates:
            self._update_offset = update.update_id + 1
            query = update.callback_query
            if query is None or not (query.data or "").startswith(ACK_PREFIX):
                continue
            try:
                intake_id = int((query.data or "")[len(ACK_PREFIX) :])
            except ValueError:
                continue
            chat_id = str(query.message.chat.id if query.message else query.from_user.id)
            reply = await on_ack(intake_id, chat_id)
            try:
                await query.answer(text=reply)
            except TelegramError as error:  # the press is recorded; the toast is cosmetic
                log.info("could not answer callback query: %s", error.__class__.__name__)
            handled += 1
        return handled
