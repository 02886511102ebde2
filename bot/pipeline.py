"""The gateway's one path for every channel: store first, then Rasa, then the channel's reply.

The urgency net runs on every message before Rasa: when it fires, an urgent intake is opened (or
raised) at once, which queues the staff alert, and the assistant's own filing of the message
later adds what it understood to the same case. If Rasa or the action server fails, the message
stays stored as ``queued``, the person gets a short reply with 111 (and 113 when urgent), and
``RetryLoop`` forwards the message again later.

While an operator holds the conversation (console "Tiếp nhận hội thoại"), a message is stored as
``held`` for them and never forwarded to Rasa; only the same urgency net may answer (the safety
reply, and the intake raised to urgent with its staff alert). After the operator releases it, the
next message first gives Rasa the case's context back; a hold with no operator activity for
``handoff_idle`` is released by the system when the next message comes. A held message asking
for erasure is flagged for the operator (Rasa, which would erase, does not see it). When a turn
erased the conversation ("xóa dữ liệu"), Rasa's own copy of it is dropped as well.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import unicodedata
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

import intake_store.conversations as conversations
import intake_store.handoff as handoff
import intake_store.intakes as intakes
import intake_store.message_delivery as message_delivery
import intake_store.messages as messages
import intake_store.privacy as privacy
import intake_store.sources as sources
import intake_store.turns as turns
from bot.erasure_request import asks_for_erasure
from bot.flood import FloodGuard
from bot.messages import BotReply, InboundMessage
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.rasa_forget import forget_erased_now
from bot.rasa_tracker import SqlTrackerEvents, forget_conversation
from bot.ratelimit import RateLimiter
from bot.safety_text import (
    BLOCKED_REPLY,
    DELETE_HINT,
    RATE_LIMITED_URGENT_REPLY,
    UNSUPPORTED_MEDIA_REPLY,
    fallback_reply,
)
from bot.staff_label import staff_left_notice, staff_reply
from chungtay import metrics
from intake_store.bursts import DEFAULT_WINDOW as DEFAULT_BURST_WINDOW
from intake_store.store import Store

log = logging.getLogger(__name__)

DeliveryStatus = Literal["sent", "held", "failed"]


class ReplySender(Protocol):
    """A channel that can send replies on its own (not inside the webhook's HTTP answer)."""

    channel: str
    # How long after the person's last message the channel lets us answer; None: no limit.
    reply_window: timedelta | None

    async def deliver(self, sender_id: str, replies: Sequence[BotReply]) -> DeliveryStatus: ...


Deliver = Callable[[Sequence[BotReply]], Awaitable[DeliveryStatus]]
UrgencyNet = Callable[[str], list[str]]


def _default_urgency_net(text: str) -> list[str]:
    from nlu.urgency import detect_urgency  # imported late: nlu is a sibling package

    return detect_urgency(text)


@dataclass(frozen=True)
class Accepted:
    message: InboundMessage
    message_id: int
    conversation_id: int
    rasa_sender_id: str
    first_in_conversation: bool = False
    # Who held the conversation when the message was stored (None: not read, e.g. a retry).
    hold: handoff.HoldState | None = None
    # The sender or the address is blocked by staff: stored, answered with 111/113, no more.
    blocked: bool = False


@dataclass(frozen=True)
class Outcome:
    replies: list[BotReply]
    duplicate: bool = False
    rate_limited: bool = False
    queued: bool = False  # Rasa failed; a fallback reply was given
    urgent_intake: str | None = None  # reference code when the urgency net opened an intake
    held: bool = False  # an operator holds the conversation; the message waits for them
    blocked: bool = False  # a blocked source: only the safety reply
    erased: bool = False  # this turn erased the conversation ("xóa dữ liệu")


@dataclass(frozen=True)
class StaffPickup:
    replies: list[BotReply]
    erased: bool = False  # erased while the page was open: it clears itself


class Gateway:
    def __init__(
        self,
        *,
        store: Store,
        rasa: RasaClient,
        limiter: RateLimiter,
        urgency_net: UrgencyNet = _default_urgency_net,
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
        self.urgency_net = urgency_net
        # Rasa's SQL tracker store (production): where an erased conversation's events live.
        self.rasa_events = rasa_events
        # A hold without operator activity this long is released (None: never).
        self.handoff_idle = handoff_idle
        self.clock = clock or utcnow
        # Per-address limits of the web chat (messages carrying a ``source``).
        self.flood = flood
        # Urgent chats from one source within this window page staff once (intake_store/bursts).
        self.burst_window = burst_window
        # This gateway among several (intake_store/turns.py): it takes a conversation's turn in
        # the store for ``turn_lease`` before sending it to Rasa, waiting up to ``turn_wait``
        # seconds while another gateway has it (retrying what was queued there).
        self.instance = instance or default_instance()
        self.turn_lease = turn_lease
        self.turn_wait = turn_wait
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- storing ---------------------------------------------------------------------------
    async def accept(self, message: InboundMessage) -> Accepted | None:
        """Store the message (the first thing done with it). None when it is a duplicate."""

        def work() -> tuple[messages.InboundRecord, handoff.HoldState | None, bool]:
            with self.store.begin() as session:
                record = messages.record_inbound(
                    session,
                    cipher=self.store.cipher,
                    hasher=self.store.hasher,
                    channel=message.channel,
                    sender_id=message.sender_id,
                    external_id=message.external_id,
                    text=message.text,
                    received_at=message.received_at,
                    attachments=[a.as_dict() for a in message.attachments] or None,
                )
                if record.duplicate:
                    return record, None, False
                if record.conversation_created and message.source:
                    sources.record_conversation_source(
                        session, conversation_id=record.conversation_id, source_hash=message.source
                    )
                blocked = sources.is_blocked(
                    session,
                    sender_hash=self.store.hasher.hash(
                        channel=message.channel, sender_id=message.sender_id
                    ),
                    source_hash=message.source,
                )
                # The conversation is in the session already: its hold state costs no query.
                return (
                    record,
                    handoff.conversation_hold(session, conversation_id=record.conversation_id),
                    blocked,
                )

        record, hold, blocked = await asyncio.to_thread(work)
        if record.duplicate:
            log.info("duplicate %s message %s ignored", message.channel, record.message_id)
            return None
        metrics.INBOUND_MESSAGES.labels(_channel(message.channel)).inc()
        return Accepted(
            message=message,
            message_id=record.message_id,
            conversation_id=record.conversation_id,
            rasa_sender_id=record.rasa_sender_id,
            first_in_conversation=record.conversation_created,
            hold=hold,
            blocked=blocked,
        )

    async def pick_up_staff_replies(self, *, channel: str, sender_id: str) -> StaffPickup:
        """Operator replies waiting for a channel that cannot be pushed to (the open web chat),
        or, once, that the conversation was erased meanwhile (from the console)."""

        def work() -> tuple[list[message_delivery.PickedUpReply], bool]:
            sender_hash = self.store.hasher.hash(channel=channel, sender_id=sender_id)
            with self.store.begin() as session:
                conversation_id = conversations.latest_for_sender(
                    session, channel=channel, sender_hash=sender_hash
                )
                if conversation_id is None:
                    return [], privacy.take_erased_page(session, sender_hash=sender_hash)
                replies = message_delivery.pick_up_staff_replies(
                    session, cipher=self.store.cipher, conversation_id=conversation_id
                )
                return replies, False

        replies, erased = await asyncio.to_thread(work)
        return StaffPickup(
            replies=[staff_reply(reply.text, language=reply.language) for reply in replies],
            erased=erased,
        )

    # -- the whole path ----------------------------------------------------------------------
    async def handle(self, message: InboundMessage, *, deliver: Deliver | None = None) -> Outcome:
        """Rate-limit, store, process. Without ``deliver`` the caller sends the replies itself."""
        flood = self.flood if message.source is not None else None
        if flood is not None and not await self._flood_allows(message, flood):
            return self._refused(message)
        if not await self.limiter.allow(message.channel, message.sender_id):
            log.warning(
                "rate limit: %s sender %s",
                message.channel,
                self.limiter.key(message.channel, message.sender_id)[:12],
            )
            return self._refused(message)
        accepted = await self.accept(message)
        if accepted is None:
            return Outcome(replies=[], duplicate=True)
        if message.source is not None and self.flood is not None:
            self.flood.remember(message.channel, message.sender_id)
        return await self.complete(accepted, deliver=deliver)

    async def _flood_allows(self, message: InboundMessage, flood: FloodGuard) -> bool:
        """The address's message budget, and for a conversation not seen yet its new-conversation
        budget and the overall one. Only a sender's first message here costs a store lookup."""
        assert message.source is not None
        if not await flood.allow_message(message.source):
            log.warning("flood limit: messages from address %s", message.source[:12])
            return False
        if flood.known(message.channel, message.sender_id):
            return True

        def exists() -> bool:
            sender_hash = self.store.hasher.hash(
                channel=message.channel, sender_id=message.sender_id
            )
            with self.store.begin() as session:
                return sources.conversation_exists(
                    session, channel=message.channel, sender_hash=sender_hash
                )

        if await asyncio.to_thread(exists):
            flood.remember(message.channel, message.sender_id)
            return True
        if not await flood.allow_new_conversation(message.source):
            log.warning("flood limit: new conversations from address %s", message.source[:12])
            return False
        return True

    def _refused(self, message: InboundMessage) -> Outcome:
        """A refused message is not stored, so nobody will read it: when it speaks of danger the
        person is told at once to call 113/111 (the urgency net is in-process and cheap)."""
        urgent = False
        try:
            text = unicodedata.normalize("NFC", message.text)
            urgent = bool(text.strip() and self.urgency_net(text))
        except Exception:
            log.exception("urgency net failed on a refused message")
            urgent = True  # in doubt, the numbers
        replies = [BotReply(text=RATE_LIMITED_URGENT_REPLY)] if urgent else []
        metrics.REFUSED_MESSAGES.labels(_channel(message.channel)).inc()
        return Outcome(replies=replies, rate_limited=True)

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
        if accepted.blocked:
            return await self._blocked(accepted, deliver)
        if turn_held:
            hold = await self._hold(accepted.conversation_id)
            return await self._complete(accepted, hold, deliver=deliver, fallback=fallback)
        # The sender's turn first, before any await: messages accepted in order are answered in
        # order (a later one must not overtake an earlier one while its hold lookup runs).
        async with self.rasa.turn(accepted.rasa_sender_id, accepted.message_id) as waited:
            # Then the conversation's turn among the gateways (another may be retrying it).
            if not await self._take_store_turn(accepted.conversation_id):
                busy = RasaUnavailable("conversation busy on another gateway")
                if not fallback:
                    await self.set_status(accepted.message_id, "queued", error=_describe(busy))
                    return Outcome(replies=[], queued=True)
                return await self._fall_back(accepted, busy, deliver)
            try:
                # The hold state read when the message was stored is still current unless the
                # message waited behind an earlier one (an operator may have taken over
                # meanwhile); a hold is read again anyway, for the idle release.
                hold = accepted.hold
                if hold is None or hold.held or waited:
                    hold = await self._hold(accepted.conversation_id)
                return await self._complete(accepted, hold, deliver=deliver, fallback=fallback)
            finally:
                await self._end_store_turn(accepted.conversation_id)

    async def _take_store_turn(self, conversation_id: int) -> bool:
        """The conversation's turn in the store for this gateway, waiting up to ``turn_wait``."""

        def take() -> bool:
            with self.store.begin() as session:
                return turns.take_turn(
                    session,
                    conversation_id=conversation_id,
                    holder=self.instance,
                    now=self.clock(),
                    lease_seconds=self.turn_lease.total_seconds(),
                )

        deadline = time.monotonic() + self.turn_wait
        while not await asyncio.to_thread(take):
            if time.monotonic() >= deadline:
                log.warning("conversation %s: another gateway kept its turn", conversation_id)
                return False
            await asyncio.sleep(0.2)
        return True

    async def _end_store_turn(self, conversation_id: int) -> None:
        def work() -> None:
            with self.store.begin() as session:
                turns.end_turn(session, conversation_ids=[conversation_id], holder=self.instance)

        try:
            await asyncio.to_thread(work)
        except Exception:  # the lease runs out by itself
            log.exception("conversation %s: giving its turn back failed", conversation_id)

    async def _complete(
        self,
        accepted: Accepted,
        hold: handoff.HoldState | None,
        *,
        deliver: Deliver | None,
        fallback: bool,
    ) -> Outcome:
        if hold is not None and hold.held:
            if not fallback:  # a retry: the safety net already ran on it the first time
                await self.set_status(accepted.message_id, handoff.UNREAD)
                await self._flag_erasure_request(accepted)
                return Outcome(replies=[], held=True)
            return await self._for_operator(accepted, deliver)
        if not accepted.message.text.strip():
            # A photo, voice note or location alone: stored for staff, acknowledged, not classified.
            replies = [BotReply(text=UNSUPPORTED_MEDIA_REPLY)]
            status = await deliver(replies) if deliver else "sent"
            _count_replies(accepted, status)
            await self._record_replies(
                accepted.conversation_id, replies, status, processed=accepted.message_id
            )
            return Outcome(replies=replies)
        notices: list[BotReply] = []
        if hold is not None and hold.handed_back_at is not None:
            notices = await self._hand_back(accepted)
        # Danger is acted on before Rasa answers: the staff alert is queued now, not after a
        # classifier and an action server that may be slow or down. The assistant later files
        # the same message into the same case (open_intake is idempotent per message).
        net: tuple[bool, str | None] | None = await self._safety_net(accepted) if fallback else None
        asked = time.perf_counter()
        try:
            replies = await self.rasa.send(
                sender=accepted.rasa_sender_id,
                text=accepted.message.text,
                channel=accepted.message.channel,
                message_id=accepted.message_id,
                conversation_id=accepted.conversation_id,
                take_turn=False,  # complete() holds it
            )
            if not replies:
                # Rasa's REST channel answers 200 with nothing when an action failed.
                raise RasaUnavailable("no reply")
        except Exception as error:  # any failure: answer safely now, retry later
            metrics.RASA_SECONDS.labels("error").observe(time.perf_counter() - asked)
            if not fallback:
                await self.set_status(accepted.message_id, "queued", error=_describe(error))
                return Outcome(replies=[], queued=True)
            return await self._fall_back(accepted, error, deliver, net=net)
        metrics.RASA_SECONDS.labels("ok").observe(time.perf_counter() - asked)
        if accepted.first_in_conversation and accepted.message.channel != "webchat":
            # Every channel offers deletion; the web chat page says it on screen already.
            replies = [*replies, BotReply(text=DELETE_HINT)]
        replies = [*notices, *replies]
        status = await deliver(replies) if deliver else "sent"
        _count_replies(accepted, status)
        erased = await self._record_replies(
            accepted.conversation_id, replies, status, processed=accepted.message_id
        )
        if erased:  # this turn was "xóa dữ liệu": Rasa's copy of the conversation goes too
            await self._forget_in_rasa(accepted)
        return Outcome(replies=replies, erased=erased)

    async def _fall_back(
        self,
        accepted: Accepted,
        error: Exception,
        deliver: Deliver | None,
        *,
        net: tuple[bool, str | None] | None = None,
    ) -> Outcome:
        log.warning(
            "message %s queued, Rasa unavailable: %s",
            accepted.message_id,
            _describe(error),
        )
        await self.set_status(accepted.message_id, "queued", error=_describe(error))
        urgent, reference = net if net is not None else await self._safety_net(accepted)
        metrics.RASA_FALLBACKS.labels(_channel(accepted.message.channel)).inc()
        replies = [BotReply(text=fallback_reply(urgent=urgent, reference=reference))]
        status = await deliver(replies) if deliver else "sent"
        _count_replies(accepted, status)
        await self._record_replies(accepted.conversation_id, replies, status)
        return Outcome(replies=replies, queued=True, urgent_intake=reference)

    async def _blocked(self, accepted: Accepted, deliver: Deliver | None) -> Outcome:
        """A source staff blocked: kept for them, answered with 111/113 (a genuine victim is
        never cut off from help), but no case, no alert, nothing forwarded to Rasa."""
        await self.set_status(accepted.message_id, "blocked")
        replies = [BotReply(text=BLOCKED_REPLY)]
        status = await deliver(replies) if deliver else "sent"
        _count_replies(accepted, status)
        await self._record_replies(accepted.conversation_id, replies, status)
        log.info("message %s from a blocked source: safety reply only", accepted.message_id)
        return Outcome(replies=replies, blocked=True)

    async def _safety_net(self, accepted: Accepted) -> tuple[bool, str | None]:
        """The urgency net on a message Rasa will not see: (urgent?, the urgent intake's code).

        When it fires, the conversation's intake is opened or raised to urgent, which queues the
        staff alert in the same transaction.
        """
        reference: str | None = None
        reasons: list[str] = []
        try:
            text = unicodedata.normalize("NFC", accepted.message.text)
            reasons = self.urgency_net(text) if text.strip() else []
            if reasons:
                reference = await self._open_urgent_intake(accepted, reasons)
        except Exception:
            # The person still gets the reply with 113/111.
            log.exception("urgency net failed on message %s", accepted.message_id)
        return bool(reasons), reference

    async def _for_operator(self, accepted: Accepted, deliver: Deliver | None) -> Outcome:
        """An operator holds the conversation: keep the message for them; answer danger only."""
        await self.set_status(accepted.message_id, handoff.UNREAD)
        await self._flag_erasure_request(accepted)
        urgent, reference = await self._safety_net(accepted)
        if not urgent:
            log.info("message %s kept for the operator holding it", accepted.message_id)
            return Outcome(replies=[], held=True)
        # "xóa" would reach the operator, not the assistant: no deletion hint here.
        text = fallback_reply(urgent=True, reference=reference, delete_hint=False)
        replies = [BotReply(text=text)]
        status = await deliver(replies) if deliver else "sent"
        _count_replies(accepted, status)
        await self._record_replies(accepted.conversation_id, replies, status)
        return Outcome(replies=replies, held=True, urgent_intake=reference)

    async def _flag_erasure_request(self, accepted: Accepted) -> None:
        """Flag "xóa dữ liệu" sent while held: it reaches the operator only, not the assistant."""
        try:
            if not asks_for_erasure(accepted.message.text):
                return

            def work() -> None:
                with self.store.begin() as session:
                    handoff.flag_erasure_request(
                        session,
                        conversation_id=accepted.conversation_id,
                        message_id=accepted.message_id,
                        now=self.clock(),
                    )

            await asyncio.to_thread(work)
            log.info("message %s asks for erasure: flagged for the operator", accepted.message_id)
        except Exception:  # the message itself is stored and shown to the operator anyway
            log.exception("erasure flag on message %s failed", accepted.message_id)

    async def _hold(self, conversation_id: int) -> handoff.HoldState | None:
        """Who holds the conversation now; a forgotten hold is released first (audited)."""

        def work() -> handoff.HoldState | None:
            with self.store.begin() as session:
                state = handoff.conversation_hold(session, conversation_id=conversation_id)
                if state is None or not state.held or self.handoff_idle is None:
                    return state
                if handoff.release_if_idle(
                    session,
                    conversation_id=conversation_id,
                    idle=self.handoff_idle,
                    now=self.clock(),
                ):
                    log.info("conversation %s: idle hold released", conversation_id)
                    return handoff.conversation_hold(session, conversation_id=conversation_id)
                return state

        return await asyncio.to_thread(work)

    async def _hand_back(self, accepted: Accepted) -> list[BotReply]:
        """The first message after an operator released the conversation: Rasa gets the case back.

        A form that was running when the operator took over is closed (its question is long
        gone), and the open case and its language are set, so the person is not treated as new
        and their next answers go to the same intake. Returns what to say before the assistant's
        answer: a person an operator wrote to is told that the operator has left.
        """

        def context() -> tuple[list[dict[str, Any]], list[BotReply]]:
            with self.store.begin() as session:
                intake = conversations.latest_open_case(
                    session, conversation_id=accepted.conversation_id
                )
                events: list[dict[str, Any]] = [
                    {"event": "active_loop", "name": None},
                    {"event": "slot", "name": "requested_slot", "value": None},
                    {"event": "slot", "name": "erasure_pending", "value": False},
                ]
                if intake is not None:
                    events += [
                        {"event": "slot", "name": "intake_id", "value": str(intake.id)},
                        {
                            "event": "slot",
                            "name": "reference_code",
                            "value": intake.reference_code,
                        },
                    ]
                    if intake.language in ("vi", "en"):
                        events.append(
                            {"event": "slot", "name": "language", "value": intake.language}
                        )
                notices = []
                if handoff.staff_wrote_in_last_hold(
                    session, conversation_id=accepted.conversation_id
                ):
                    language = conversations.conversation_language(
                        session, conversation_id=accepted.conversation_id
                    )
                    notices.append(staff_left_notice(language))
                return events, notices

        def done() -> None:
            with self.store.begin() as session:
                handoff.handback_done(session, conversation_id=accepted.conversation_id)

        events, notices = await asyncio.to_thread(context)
        try:
            await self.rasa.append_events(sender=accepted.rasa_sender_id, events=events)
        except RasaUnavailable as error:
            # Tried again with the next message (the notice too); this one still goes to Rasa.
            log.warning("hand-back context for message %s: %s", accepted.message_id, error)
            return []
        await asyncio.to_thread(done)
        log.info("conversation %s handed back to the assistant", accepted.conversation_id)
        return notices

    async def _forget_in_rasa(self, accepted: Accepted) -> None:
        """Drop Rasa's events of an erased conversation (they hold the person's messages).

        Runs after Rasa answered, so after it saved the turn: deleting earlier, from inside the
        erasure action, would have Rasa write the whole tracker back. The same call as the
        console's erasure (bot/rasa_forget.py); what fails stays marked for the routing worker.
        """

        async def forget(sender: str, keep_from: datetime | None) -> str:
            return await forget_conversation(
                sender=sender, rasa=self.rasa, events=self.rasa_events, keep_from=keep_from
            )

        try:
            report = await forget_erased_now(
                self.store.session_factory,
                conversation_id=accepted.conversation_id,
                forget=forget,
            )
            failed = report.still_pending > 0
            what = f"{report.forgotten} Rasa copies removed"
        except Exception as error:
            failed, what = True, _describe(error)
        if failed:
            # The store's data is gone already; say loudly that Rasa's copy is not.
            log.error(
                "erasure of conversation %s: Rasa's copy not removed (%s)",
                accepted.conversation_id,
                what,
            )
        else:
            log.info("erasure of conversation %s: %s", accepted.conversation_id, what)

    async def _open_urgent_intake(self, accepted: Accepted, reasons: list[str]) -> str:
        def work() -> str:
            with self.store.begin() as session:
                ref = intakes.open_intake(
                    session,
                    cipher=self.store.cipher,
                    conversation_id=accepted.conversation_id,
                    triage="urgent",
                    urgent_reasons=reasons,
                    source_message_id=accepted.message_id,
                    language="vi",
                    burst_window=self.burst_window,
                )
                if ref.created:
                    metrics.INTAKES_OPENED.labels("urgent", "gateway").inc()
                return ref.reference_code

        reference = await asyncio.to_thread(work)
        log.warning("urgency net opened intake %s from message %s", reference, accepted.message_id)
        return reference

    async def _record_replies(
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

        def work() -> bool:
            with self.store.begin() as session:
                return messages.record_replies(
                    session,
                    cipher=self.store.cipher,
                    conversation_id=conversation_id,
                    replies=[messages.Reply(r.text, r.buttons_json()) for r in replies],
                    status=status,
                    answered=processed,
                )

        return await asyncio.to_thread(work)

    async def set_status(self, message_id: int, status: str, *, error: str | None = None) -> None:
        def work() -> None:
            with self.store.begin() as session:
                messages.set_inbound_status(
                    session, message_id=message_id, status=status, error=error
                )

        await asyncio.to_thread(work)

    # -- background work ---------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any], *, what: str) -> asyncio.Task[Any]:
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


def _channel(channel: str) -> str:
    return metrics.label(channel, metrics.PERSON_CHANNELS)


def _count_replies(accepted: Accepted, status: str) -> None:
    channel = _channel(accepted.message.channel)
    metrics.REPLIES.labels(channel, metrics.label(status, metrics.DELIVERY_STATUSES)).inc()


def _describe(error: Exception) -> str:
    # Exception text can echo a request body; keep only the type and our own short reason.
    if isinstance(error, RasaUnavailable):
        return f"RasaUnavailable: {error}"[:200]
    return error.__class__.__name__


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_instance() -> str:
    """This gateway process among several: host, process id and a random tag."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
