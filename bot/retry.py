"""The retry loop: messages stored while Rasa was down are forwarded again later.

Replies to a retried message go out only through a channel that can send on its own and only
inside its reply window; otherwise they are stored as ``held`` for a human (web chat cannot be
reached after its HTTP answer, an old SMS may now be read by someone else).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import intake_store.messages as messages
from bot.messages import BotReply, InboundMessage
from bot.pipeline import Accepted, DeliveryStatus, Gateway, ReplySender

log = logging.getLogger(__name__)


@dataclass
class _Attempts:
    count: int = 0
    next_at: datetime | None = None


class RetryLoop:
    def __init__(
        self,
        *,
        gateway: Gateway,
        senders: Mapping[str, ReplySender],
        interval: float,
        max_attempts: int,
        stale_received: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.gateway = gateway
        self.senders = senders
        self.interval = interval
        self.max_attempts = max_attempts
        self.stale_received = stale_received
        self.clock = clock
        self._attempts: dict[int, _Attempts] = {}

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the loop must outlive a bad database moment
                log.exception("retry pass failed")
            await asyncio.sleep(self.interval)

    async def run_once(self) -> int:
        """One pass; returns how many messages were answered."""
        store = self.gateway.store

        def load() -> list[messages.PendingInbound]:
            with store.begin() as session:
                return messages.pending_inbound(session, limit=200, cipher=store.cipher)

        now = self.clock()
        answered = 0
        for pending in await asyncio.to_thread(load):
            if not self._due(pending, now):
                continue
            try:
                if await self._retry(pending, now):
                    answered += 1
            except Exception:
                log.exception("retry of message %s crashed", pending.message_id)
        return answered

    def _due(self, pending: messages.PendingInbound, now: datetime) -> bool:
        if pending.status == "failed" or pending.text is None:
            return False
        # A fresh "received" message is being processed by its webhook right now.
        if pending.status == "received" and now - pending.received_at < self.stale_received:
            return False
        attempts = self._attempts.get(pending.message_id)
        return attempts is None or attempts.next_at is None or attempts.next_at <= now

    async def _retry(self, pending: messages.PendingInbound, now: datetime) -> bool:
        accepted = Accepted(
            message=InboundMessage(
                channel=pending.channel,  # type: ignore[arg-type]
                sender_id=pending.sender_id or "",
                external_id="",
                text=pending.text or "",
                received_at=pending.received_at,
            ),
            message_id=pending.message_id,
            conversation_id=pending.conversation_id,
            rasa_sender_id=pending.rasa_sender_id,
        )
        sender = self.senders.get(pending.channel)

        async def deliver(replies: Sequence[BotReply]) -> DeliveryStatus:
            window = sender.reply_window if sender else None
            if sender is None or not pending.sender_id:
                return "held"
            if window is not None and now - pending.received_at > window:
                return "held"
            return await sender.deliver(pending.sender_id, replies)

        outcome = await self.gateway.complete(accepted, deliver=deliver, fallback=False)
        if not outcome.queued:
            self._attempts.pop(pending.message_id, None)
            log.info("message %s answered on retry", pending.message_id)
            return True
        attempts = self._attempts.setdefault(pending.message_id, _Attempts())
        attempts.count += 1
        if attempts.count >= self.max_attempts:
            await self.gateway.set_status(pending.message_id, "failed", error="retries exhausted")
            self._attempts.pop(pending.message_id, None)
            log.error("message %s failed after %s retries", pending.message_id, attempts.count)
        else:
            backoff = min(self.interval * 2 ** (attempts.count - 1), 3600.0)
            attempts.next_at = now + timedelta(seconds=backoff)
        return False
