"""Delivers what an operator wrote in the console to the person, through their own channel.

The console queues a `person_reply` outbox row only when the person said it is safe to contact
them. The gateway owns every channel client, so it is the one that sends. A reply that a channel
can no longer carry (outside its reply window, web chat with the page closed) is held for a human:
it is never dropped and never pushed as a first message.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.pipeline import DeliveryStatus, ReplySender
from bot.staff_label import as_plain_text, staff_reply
from intake_store import casework, conversations, message_delivery, outbox
from intake_store.store import Store

log = logging.getLogger(__name__)

KINDS = ("person_reply",)
MAX_ATTEMPTS = 8


def _still_safe(session: Session, intake_id: int) -> bool:
    try:
        return casework.can_reply(session, intake_id=intake_id)
    except LookupError:
        return False


class StaffReplyDelivery:
    def __init__(
        self,
        *,
        store: Store,
        senders: Mapping[str, ReplySender],
        interval: float = 2.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.senders = senders
        self.interval = interval
        self.clock = clock
        self.worker_id = f"gateway:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a bad database moment must not end the loop
                log.exception("staff reply pass failed")
            await asyncio.sleep(self.interval)

    async def run_once(self) -> int:
        """One pass; returns how many replies reached their channel."""
        now = self.clock()

        def claim() -> list[outbox.OutboxItem]:
            with self.store.begin() as session:
                return outbox.claim(session, worker_id=self.worker_id, now=now, kinds=KINDS)

        sent = 0
        for item in await asyncio.to_thread(claim):
            status = await self._deliver(item, now)
            await asyncio.to_thread(self._finish, item, status, now)
            sent += status == "sent"
        return sent

    async def _deliver(self, item: outbox.OutboxItem, now: datetime) -> DeliveryStatus:
        message_id = int(item.payload.get("message_id", 0))

        def load() -> tuple[bool, message_delivery.OutboundToSend | None, str | None]:
            with self.store.begin() as session:
                if item.intake_id is not None and not _still_safe(session, item.intake_id):
                    return False, None, None
                reply = message_delivery.outbound_to_send(
                    session, cipher=self.store.cipher, message_id=message_id
                )
                if reply is None:
                    return True, None, None
                sender_id = conversations.sender_id_for(
                    session,
                    cipher=self.store.cipher,
                    conversation_id=reply.conversation_id,
                    actor="gateway",
                    reason="deliver staff reply",
                )
                return True, reply, sender_id

        safe, reply, sender_id = await asyncio.to_thread(load)
        if not safe:
            # The person said it is no longer safe after the reply was queued: never sent.
            log.warning("staff reply %s not sent: contact is no longer safe", message_id)
            return "held"
        if reply is None or not reply.text or not sender_id:
            return "failed"
        sender = self.senders.get(reply.channel)
        if sender is None:  # web chat, or a channel without credentials
            return "held"
        if sender.reply_window is not None and now - reply.last_inbound_at > sender.reply_window:
            return "held"
        try:
            # Channels that push carry text only: the operator's words go with a "Cán bộ:" prefix.
            marked = as_plain_text(staff_reply(reply.text, language=reply.language))
            return await sender.deliver(sender_id, [marked])
        except Exception as error:  # retried below; the message stays queued
            log.warning("staff reply %s: %s", message_id, error.__class__.__name__)
            return "failed"

    def _finish(self, item: outbox.OutboxItem, status: DeliveryStatus, now: datetime) -> None:
        message_id = int(item.payload.get("message_id", 0))
        with self.store.begin() as session:
            if status == "sent":
                outbox.mark_sent(session, outbox_id=item.id, worker_id=self.worker_id, now=now)
            elif status == "failed" and item.attempts < MAX_ATTEMPTS:
                retry_at = now + timedelta(seconds=min(30 * 2**item.attempts, 3600))
                outbox.mark_failed(
                    session,
                    outbox_id=item.id,
                    worker_id=self.worker_id,
                    error="delivery failed",
                    retry_at=retry_at,
                )
                return
            else:  # held, or retries exhausted: a human takes it from here
                outbox.mark_failed(
                    session,
                    outbox_id=item.id,
                    worker_id=self.worker_id,
                    error=f"held for a human ({status})",
                    retry_at=None,
                )
                status = "held"
            message_delivery.set_outbound_status(session, message_id=message_id, status=status)
        log.info("staff reply %s: %s", message_id, status)
