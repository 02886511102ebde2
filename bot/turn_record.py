"""Writing down a turn: the inbound message's status and what the person was sent."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy.orm import Session

import intake_store.messages as messages
from bot.messages import BotReply
from bot.outcomes import Accepted, Deliver
from bot.rasa_client import RasaUnavailable
from chungtay import metrics
from intake_store.store import Store


class TurnRecord:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def send(
        self,
        accepted: Accepted,
        replies: Sequence[BotReply],
        deliver: Deliver | None,
        *,
        processed: bool = False,
    ) -> bool:
        """Deliver the replies (without ``deliver`` the caller sends them) and store them.

        ``processed``: they answer the message, marked processed in the same transaction.
        True when the conversation is erased by now (this turn was "xóa dữ liệu").
        """
        status = await deliver(replies) if deliver else "sent"
        channel = channel_label(accepted.message.channel)
        metrics.REPLIES.labels(channel, metrics.label(status, metrics.DELIVERY_STATUSES)).inc()
        return await self.record_replies(
            accepted.conversation_id,
            replies,
            status,
            processed=accepted.message_id if processed else None,
        )

    async def record_replies(
        self,
        conversation_id: int,
        replies: Sequence[BotReply],
        status: str,
        *,
        processed: int | None = None,
    ) -> bool:
        """Store what the person was sent; True when the conversation is erased by now.

        ``processed``: the inbound message these replies answer, marked processed in the same
        transaction (one write fewer per message; both or neither).
        """

        def work(session: Session) -> bool:
            return messages.record_replies(
                session,
                cipher=self.store.cipher,
                conversation_id=conversation_id,
                replies=[messages.Reply(r.text, r.buttons_json()) for r in replies],
                status=status,
                answered=processed,
            )

        return await asyncio.to_thread(self.store.transaction, work)

    async def set_status(self, message_id: int, status: str, *, error: str | None = None) -> None:
        def work(session: Session) -> None:
            messages.set_inbound_status(session, message_id=message_id, status=status, error=error)

        await asyncio.to_thread(self.store.transaction, work)


def channel_label(channel: str) -> str:
    return metrics.label(channel, metrics.PERSON_CHANNELS)


def describe(error: Exception) -> str:
    # Exception text can echo a request body; keep only the type and our own short reason.
    if isinstance(error, RasaUnavailable):
        return f"RasaUnavailable: {error}"[:200]
    return error.__class__.__name__
