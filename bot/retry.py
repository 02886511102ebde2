"""The retry loop: messages stored while Rasa was down are forwarded again later.

Replies to a retried message go out only through a channel that can send on its own and only
inside its reply window; otherwise they are stored as ``held`` for a human (web chat cannot be
reached after its HTTP answer, an old SMS may now be read by someone else).

A pass groups the pending messages by conversation (``rasa_sender_id``): each group goes in
message-id order, one message at a time, and stops at the first message that is still waiting, so
a later message never overtakes an earlier one; up to ``concurrency`` groups run at once. Once a
retry finds Rasa unavailable the pass starts nothing new: a hanging Rasa costs a pass about one
Rasa timeout, not one per pending message.

With several gateways each pass first takes the turn of the conversations it retries
(``intake_store.turns.claim_pending``: a lease in the store, ``SKIP LOCKED`` on PostgreSQL), so
each queued message is retried by one gateway, in order; the lease is renewed before each
message and given back at the end of the pass, and runs out by itself if this gateway dies. The
retry counts and backoff are stored with the message, shared by every gateway.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Literal

import intake_store.message_delivery as message_delivery
import intake_store.turns as turns
from bot.messages import BotReply, InboundMessage
from bot.pipeline import Accepted, DeliveryStatus, Gateway, Outcome, ReplySender
from bot.turn_lease import TurnLease
from chungtay import metrics

log = logging.getLogger(__name__)

# answered: Rasa answered (or the message went to the operator holding the conversation);
# queued: Rasa unavailable, the message waits; crashed: something else broke, logged.
_Result = Literal["answered", "queued", "crashed"]


class RetryLoop:
    def __init__(
        self,
        *,
        gateway: Gateway,
        senders: Mapping[str, ReplySender],
        interval: float,
        max_attempts: int,
        stale_received: timedelta,
        concurrency: int = 8,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lease: timedelta = timedelta(seconds=60),
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.gateway = gateway
        self.senders = senders
        self.interval = interval
        self.max_attempts = max_attempts
        self.stale_received = stale_received
        # Conversations retried at once; one conversation's messages still go one at a time.
        self.concurrency = concurrency
        self.clock = clock
        # The store turns this loop takes are its own, apart from the gateway's live messages: a
        # new message that arrives mid-group waits for the group like one at another gateway.
        self.holder = f"{gateway.instance}:retry"
        self.lease = lease
        self.turns = TurnLease(
            store=gateway.store,
            instance=self.holder,
            lease=lease,
            wait=0.0,
            clock=self._now,  # self.clock may be replaced later (tests)
        )

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
        now = self.clock()

        def claim() -> list[message_delivery.PendingInbound]:
            with store.begin() as session:
                return turns.claim_pending(
                    session,
                    holder=self.holder,
                    now=now,
                    lease_seconds=self.lease.total_seconds(),
                    stale_received=self.stale_received,
                    cipher=store.cipher,
                )

        pending = await asyncio.to_thread(claim)
        groups = deque(self._groups(pending, now))
        stop = asyncio.Event()  # set when Rasa was found unavailable: start nothing new

        async def worker() -> int:
            answered = 0
            while groups and not stop.is_set():
                answered += await self._retry_group(groups.popleft(), now, stop)
            return answered

        try:
            workers = min(self.concurrency, len(groups))
            return sum(await asyncio.gather(*(worker() for _ in range(workers))))
        finally:
            claimed = sorted({p.conversation_id for p in pending})
            await asyncio.to_thread(self.turns.end, claimed)

    def _now(self) -> datetime:
        return self.clock()

    def _groups(
        self, pending: Sequence[message_delivery.PendingInbound], now: datetime
    ) -> list[list[message_delivery.PendingInbound]]:
        """The due messages by conversation, each group in message-id order, oldest group first.

        A message that is not due (backing off, or fresh and still with its webhook) holds back
        its conversation's later messages. Messages given up on (``failed``) are not pending any
        more (``turns.claim_pending`` leaves them out), so they hold back nothing.
        """
        groups: dict[str, list[message_delivery.PendingInbound]] = {}
        blocked: set[str] = set()
        for item in sorted(pending, key=lambda p: p.message_id):
            sender = item.rasa_sender_id
            if item.text is None or sender in blocked:  # no text: nothing to send Rasa
                continue
            if self._due(item, now):
                groups.setdefault(sender, []).append(item)
            else:
                blocked.add(sender)
        return list(groups.values())

    async def _retry_group(
        self, group: Sequence[message_delivery.PendingInbound], now: datetime, stop: asyncio.Event
    ) -> int:
        """One conversation's messages in order, until one is not answered or the pass stops.

        The sender's turn in this gateway is held for the whole group (a live message of the
        person waits for it, after the queued ones); if a live message has it now, the group
        waits for the next pass. The store turn is given back when the group ends, so the
        person's next message waits for this group only.
        """
        answered = 0
        conversation_id = group[0].conversation_id
        async with self.gateway.rasa.turn_if_free(group[0].rasa_sender_id) as free:
            try:
                for pending in group if free else ():
                    if stop.is_set():
                        break
                    if not await asyncio.to_thread(self.turns.try_take, conversation_id):
                        log.warning("conversation %s: retry lease lost", conversation_id)
                        break
                    result = await self._attempt(pending, now)
                    if result == "queued":
                        stop.set()
                    if result != "answered":
                        break  # the rest wait for a later pass, in order
                    answered += 1
            finally:
                await asyncio.to_thread(self.turns.end, [conversation_id])
        return answered

    async def _attempt(self, pending: message_delivery.PendingInbound, now: datetime) -> _Result:
        """Retry one message; a failure or crash is counted against it (backoff, then failed)."""
        result: _Result
        try:
            outcome = await self._retry(pending, now)
        except Exception:
            log.exception("retry of message %s crashed", pending.message_id)
            result = "crashed"
        else:
            if not outcome.queued:
                metrics.MESSAGE_RETRIES.labels(_channel(pending.channel), "answered").inc()
                log.info("message %s answered on retry", pending.message_id)
                return "answered"
            result = "queued"
        metrics.MESSAGE_RETRIES.labels(_channel(pending.channel), result).inc()
        # A crash counts too: a message that always crashes must end up failed rather than
        # hold its conversation's later messages back for ever.
        try:
            await self._back_off(pending, now)
        except Exception:
            log.exception("recording the retry of message %s failed", pending.message_id)
        return result

    def _due(self, pending: message_delivery.PendingInbound, now: datetime) -> bool:
        # A fresh "received" message is being processed by its webhook right now.
        if pending.status == "received" and now - pending.received_at < self.stale_received:
            return False
        return pending.retry_at is None or pending.retry_at <= now

    async def _retry(self, pending: message_delivery.PendingInbound, now: datetime) -> Outcome:
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

        return await self.gateway.complete(
            accepted, deliver=deliver, fallback=False, turn_held=True
        )

    async def _back_off(self, pending: message_delivery.PendingInbound, now: datetime) -> None:
        """Count a failed retry: wait longer before the next, or give up after ``max_attempts``."""
        count = pending.retry_attempts + 1
        give_up = count >= self.max_attempts
        retry_at = (
            None
            if give_up
            else now + timedelta(seconds=min(self.interval * 2 ** (count - 1), 3600.0))
        )

        def work() -> None:
            with self.gateway.store.begin() as session:
                turns.record_retry_failure(
                    session, message_id=pending.message_id, retry_at=retry_at
                )

        await asyncio.to_thread(work)
        if give_up:
            metrics.MESSAGE_FAILURES.labels(_channel(pending.channel)).inc()
            log.error("message %s failed after %s retries", pending.message_id, count)


def _channel(channel: str) -> str:
    return metrics.label(channel, metrics.PERSON_CHANNELS)
