"""The gateway's one path for every channel: store first, then Rasa, then the channel's reply.

``Gateway`` is the facade the channels, the retry loop and the tests use; the work is done by
parts named for their job:

- ``bot.inbound``: rate and flood limits, storing the message (the first thing done with it);
- ``bot.safety_net``: the urgency net before (or without) Rasa: an urgent intake and its staff
  alert at once, 111/113 to the person;
- ``bot.rasa_turn``: the turn with Rasa, one sender at a time, delivered and recorded
  (``bot.turn_record``), the safety reply when Rasa fails, Rasa's copy forgotten after "xóa";
- ``bot.handoff_turns``: a conversation an operator holds or has just given back;
- ``bot.turn_lease``: the conversation's turn among several gateways;
- ``bot.staff_replies``: operator replies a channel picks up or is sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.flood import FloodGuard
from bot.handoff_turns import HandoffTurns
from bot.inbound import Inbox
from bot.messages import InboundMessage
from bot.outcomes import (
    Accepted,
    Deliver,
    DeliveryStatus,
    Outcome,
    Receipt,
    ReplySender,
    StaffPickup,
    UrgencyNet,
)
from bot.rasa_client import RasaClient
from bot.rasa_tracker import SqlTrackerEvents
from bot.rasa_turn import RasaTurn
from bot.ratelimit import RateLimiter
from bot.safety_net import SafetyNet, default_urgency_net
from bot.staff_replies import pick_up_staff_replies
from bot.turn_lease import TurnLease, default_instance
from bot.turn_record import TurnRecord
from intake_store.bursts import DEFAULT_WINDOW as DEFAULT_BURST_WINDOW
from intake_store.store import Store

__all__ = [
    "Accepted",
    "Deliver",
    "DeliveryStatus",
    "Gateway",
    "Outcome",
    "Receipt",
    "ReplySender",
    "StaffPickup",
    "UrgencyNet",
]

log = logging.getLogger(__name__)


class Gateway:
    def __init__(
        self,
        *,
        store: Store,
        rasa: RasaClient,
        limiter: RateLimiter,
        urgency_net: UrgencyNet = default_urgency_net,
        rasa_events: SqlTrackerEvents | None = None,
        handoff_idle: timedelta | None = None,
        clock: Callable[[], datetime] | None = None,
        flood: FloodGuard | None = None,
        burst_window: timedelta = DEFAULT_BURST_WINDOW,
        instance: str | None = None,
        turn_lease: timedelta = timedelta(seconds=60),
        turn_wait: float = 20.0,
    ) -> None:
        self.store = store
        self.rasa = rasa
        self.limiter = limiter
        self.flood = flood
        # This gateway among several (bot/turn_lease.py).
        self.instance = instance or default_instance()
        self.clock = clock or utcnow

        def now() -> datetime:  # read at each call: the parts see a clock set later (tests)
            return self.clock()

        record = TurnRecord(store)
        safety = SafetyNet(store=store, urgency_net=urgency_net, burst_window=burst_window)
        self._inbox = Inbox(store=store, limiter=limiter, flood=flood, safety=safety)
        self._turn = RasaTurn(
            store=store,
            rasa=rasa,
            rasa_events=rasa_events,
            record=record,
            safety=safety,
            handoff=HandoffTurns(
                store=store, rasa=rasa, record=record, safety=safety, idle=handoff_idle, clock=now
            ),
            lease=TurnLease(
                store=store, instance=self.instance, lease=turn_lease, wait=turn_wait, clock=now
            ),
        )
        self._tasks: set[asyncio.Task[Any]] = set()

    async def receive(
        self, message: InboundMessage, deliver: Deliver | None = None, *, wait: bool = False
    ) -> Receipt:
        """Every channel's one entry: rate limit, store, then the turn.

        With ``deliver`` the turn runs after the webhook's answer and sends its replies through
        it (``wait``: the caller waits for it, e.g. a polled Telegram update). Without it the
        turn is awaited and the caller sends the replies itself (the web chat's JSON answer).
        """
        admitted = await self._inbox.admit(message)
        if isinstance(admitted, Outcome):
            return Receipt(outcome=admitted)
        work = self.complete(admitted, deliver=deliver)
        if deliver is None or wait:
            return Receipt(outcome=await work)
        what = f"{message.channel} message {admitted.message_id}"
        return Receipt(outcome=None, task=self.spawn(work, what=what))

    async def complete(
        self,
        accepted: Accepted,
        *,
        deliver: Deliver | None = None,
        fallback: bool = True,
        turn_held: bool = False,
    ) -> Outcome:
        """Forward a stored message to Rasa and record (and optionally deliver) the replies.

        ``fallback=False`` (the retry loop): on failure the message just stays queued; the person
        already had the safety reply the first time. ``turn_held``: the caller (the retry loop)
        holds the sender's turn here and the conversation's turn in the store already.
        """
        return await self._turn.run(accepted, deliver, fallback=fallback, turn_held=turn_held)

    async def pick_up_staff_replies(self, *, channel: str, sender_id: str) -> StaffPickup:
        """Operator replies waiting for a channel that cannot be pushed to (the open web chat),
        or, once, that the conversation was erased meanwhile (from the console)."""
        return await asyncio.to_thread(
            pick_up_staff_replies, self.store, channel=channel, sender_id=sender_id
        )

    # -- background work ---------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Outcome], *, what: str) -> asyncio.Task[Outcome]:
        """Run webhook processing after the HTTP answer; a crash is logged, never lost silently."""
        task = asyncio.create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("background %s failed", what, exc_info=t.exception())

        task.add_done_callback(done)
        return task

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for background work (shutdown, tests)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def utcnow() -> datetime:
    return datetime.now(UTC)
