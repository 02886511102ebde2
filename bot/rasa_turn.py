"""Completing a stored message's turn: Rasa's answer, delivered and recorded.

Messages of one sender go to Rasa one at a time, in order, and only while this gateway has the
conversation's turn in the store. If Rasa or the action server fails, the message stays stored
as ``queued``, the person gets a short reply with 111 (and 113 when urgent), and ``RetryLoop``
forwards the message again later. When a turn erased the conversation ("xóa dữ liệu"), Rasa's own
copy of it is dropped as well.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from bot.handoff_turns import HandoffTurns
from bot.messages import BotReply
from bot.outcomes import Accepted, Deliver, Outcome
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.rasa_forget import forget_after_erasure
from bot.rasa_tracker import SqlTrackerEvents, forget_conversation
from bot.safety_net import SafetyNet
from bot.safety_text import BLOCKED_REPLY, DELETE_HINT, UNSUPPORTED_MEDIA_REPLY, fallback_reply
from bot.turn_lease import TurnLease
from bot.turn_record import TurnRecord, channel_label, describe
from chungtay import metrics
from intake_store.handoff import HoldState
from intake_store.store import Store

log = logging.getLogger(__name__)


@dataclass
class RasaTurn:
    store: Store
    rasa: RasaClient
    # Rasa's SQL tracker store (production): where an erased conversation's events live.
    rasa_events: SqlTrackerEvents | None
    record: TurnRecord
    safety: SafetyNet
    handoff: HandoffTurns
    lease: TurnLease

    async def run(
        self, accepted: Accepted, deliver: Deliver | None, *, fallback: bool, turn_held: bool
    ) -> Outcome:
        """``Gateway.complete``: forward a stored message to Rasa, deliver and record."""
        try:
            return await self._run(accepted, deliver, fallback=fallback, turn_held=turn_held)
        except Exception as error:
            if not fallback:
                raise  # the retry loop counts the failure and tries again later
            return await self._crashed(accepted, error, deliver)

    async def _run(
        self, accepted: Accepted, deliver: Deliver | None, *, fallback: bool, turn_held: bool
    ) -> Outcome:
        if accepted.blocked:
            return await self._blocked(accepted, deliver)
        if turn_held:
            hold = await self.handoff.current_hold(accepted.conversation_id)
            return await self._complete(accepted, hold, deliver=deliver, fallback=fallback)
        # The sender's turn first, before any await: messages accepted in order are answered in
        # order (a later one must not overtake an earlier one while its hold lookup runs).
        async with self.rasa.turn(accepted.rasa_sender_id, accepted.message_id) as waited:
            # Then the conversation's turn among the gateways (another may be retrying it).
            if not await self.lease.take(accepted.conversation_id):
                busy = RasaUnavailable("conversation busy on another gateway")
                if not fallback:
                    await self.record.set_status(
                        accepted.message_id, "queued", error=describe(busy)
                    )
                    return Outcome(replies=[], queued=True)
                return await self._fall_back(accepted, busy, deliver)
            try:
                # The hold state read when the message was stored is still current unless the
                # message waited behind an earlier one (an operator may have taken over
                # meanwhile); a hold is read again anyway, for the idle release.
                hold = accepted.hold
                if hold is None or hold.held or waited:
                    hold = await self.handoff.current_hold(accepted.conversation_id)
                return await self._complete(accepted, hold, deliver=deliver, fallback=fallback)
            finally:
                await self.lease.give_back(accepted.conversation_id)

    async def _complete(
        self,
        accepted: Accepted,
        hold: HoldState | None,
        *,
        deliver: Deliver | None,
        fallback: bool,
    ) -> Outcome:
        if hold is not None and hold.held:
            return await self.handoff.for_operator(accepted, deliver, retry=not fallback)
        if not accepted.message.text.strip():
            # A photo, voice note or location alone: stored for staff, acknowledged, not classified.
            replies = [BotReply(text=UNSUPPORTED_MEDIA_REPLY)]
            await self.record.send(accepted, replies, deliver, processed=True)
            return Outcome(replies=replies)
        notices: list[BotReply] = []
        if hold is not None and hold.handed_back_at is not None:
            notices = await self.handoff.hand_back(accepted)
        # Danger is acted on before Rasa answers: the staff alert is queued now, not after a
        # classifier and an action server that may be slow or down. The assistant later files
        # the same message into the same case (open_intake is idempotent per message).
        net = await self.safety.check(accepted) if fallback else None
        asked = time.perf_counter()
        try:
            replies = await self.rasa.send(
                sender=accepted.rasa_sender_id,
                text=accepted.message.text,
                channel=accepted.message.channel,
                message_id=accepted.message_id,
                conversation_id=accepted.conversation_id,
                take_turn=False,  # run() holds it
            )
            if not replies:
                # Rasa's REST channel answers 200 with nothing when an action failed.
                raise RasaUnavailable("no reply")
        except Exception as error:  # any failure: answer safely now, retry later
            metrics.RASA_SECONDS.labels("error").observe(time.perf_counter() - asked)
            if not fallback:
                await self.record.set_status(accepted.message_id, "queued", error=describe(error))
                return Outcome(replies=[], queued=True)
            return await self._fall_back(accepted, error, deliver, net=net)
        metrics.RASA_SECONDS.labels("ok").observe(time.perf_counter() - asked)
        if accepted.first_in_conversation and accepted.message.channel != "webchat":
            # Every channel offers deletion; the web chat page says it on screen already.
            replies = [*replies, BotReply(text=DELETE_HINT)]
        replies = [*notices, *replies]
        erased = await self.record.send(accepted, replies, deliver, processed=True)
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
            describe(error),
        )
        await self.record.set_status(accepted.message_id, "queued", error=describe(error))
        urgent, reference = net if net is not None else await self.safety.check(accepted)
        metrics.RASA_FALLBACKS.labels(channel_label(accepted.message.channel)).inc()
        replies = [BotReply(text=fallback_reply(urgent=urgent, reference=reference))]
        await self.record.send(accepted, replies, deliver)
        return Outcome(replies=replies, queued=True, urgent_intake=reference)

    async def _crashed(
        self, accepted: Accepted, error: Exception, deliver: Deliver | None
    ) -> Outcome:
        """The turn failed outside Rasa (the store went away for longer than a retry, a bug):
        the person still gets 111, and 113 when the words speak of danger. The message is stored
        and not processed, so the retry loop takes it up once it is stale."""
        log.error(
            "message %s: turn failed (%s); left for the retry loop",
            accepted.message_id,
            describe(error),
            exc_info=error,
        )
        urgent = self.safety.speaks_of_danger(accepted.message)
        replies = [BotReply(text=fallback_reply(urgent=urgent))]
        try:
            await self.record.send(accepted, replies, deliver)
        except Exception:
            log.exception("message %s: the safety reply was not recorded", accepted.message_id)
        return Outcome(replies=replies, queued=True)

    async def _blocked(self, accepted: Accepted, deliver: Deliver | None) -> Outcome:
        """A source staff blocked: kept for them, answered with 111/113 (a genuine victim is
        never cut off from help), but no case, no alert, nothing forwarded to Rasa."""
        await self.record.set_status(accepted.message_id, "blocked")
        replies = [BotReply(text=BLOCKED_REPLY)]
        await self.record.send(accepted, replies, deliver)
        log.info("message %s from a blocked source: safety reply only", accepted.message_id)
        return Outcome(replies=replies, blocked=True)

    async def _forget_in_rasa(self, accepted: Accepted) -> None:
        """Drop Rasa's events of an erased conversation (they hold the person's messages).

        Runs after Rasa answered, so after it saved the turn: deleting earlier, from inside the
        erasure action, would have Rasa write the whole tracker back.
        """

        async def forget(sender: str, keep_from: datetime | None) -> str:
            return await forget_conversation(
                sender=sender, rasa=self.rasa, events=self.rasa_events, keep_from=keep_from
            )

        await forget_after_erasure(
            self.store.session_factory,
            conversation_id=accepted.conversation_id,
            forget=forget,
            erasure=f"erasure of conversation {accepted.conversation_id}",
        )
