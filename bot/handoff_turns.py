"""A conversation an operator holds or has just given back ("Tiếp nhận hội thoại").

While held, a message is stored for the operator and never forwarded to Rasa; only the urgency
net may answer (the safety reply, the intake raised to urgent with its staff alert). A held
message asking for erasure is flagged for the operator (Rasa, which would erase, does not see
it). After the release, the next message first gives Rasa the case's context back; a hold with
no operator activity for ``idle`` is released by the system when the next message comes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

import intake_store.conversations as conversations
import intake_store.handoff as handoff
from bot.erasure_request import asks_for_erasure
from bot.messages import BotReply
from bot.outcomes import Accepted, Deliver, Outcome
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.safety_net import SafetyNet
from bot.safety_text import fallback_reply
from bot.staff_label import staff_left_notice
from bot.turn_record import TurnRecord
from intake_store.store import Store

log = logging.getLogger(__name__)


@dataclass
class HandoffTurns:
    store: Store
    rasa: RasaClient
    record: TurnRecord
    safety: SafetyNet
    idle: timedelta | None  # a hold without operator activity this long is released (None: never)
    clock: Callable[[], datetime]

    async def current_hold(self, conversation_id: int) -> handoff.HoldState | None:
        """Who holds the conversation now; a forgotten hold is released first (audited)."""

        def work(session: Session) -> handoff.HoldState | None:
            state = handoff.conversation_hold(session, conversation_id=conversation_id)
            if state is None or not state.held or self.idle is None:
                return state
            if handoff.release_if_idle(
                session, conversation_id=conversation_id, idle=self.idle, now=self.clock()
            ):
                log.info("conversation %s: idle hold released", conversation_id)
                return handoff.conversation_hold(session, conversation_id=conversation_id)
            return state

        return await asyncio.to_thread(self.store.transaction, work)

    async def for_operator(
        self, accepted: Accepted, deliver: Deliver | None, *, retry: bool
    ) -> Outcome:
        """Keep the message for the operator holding it; answer danger only.

        ``retry``: the safety net already ran on it the first time.
        """
        await self.record.set_status(accepted.message_id, handoff.UNREAD)
        await self._flag_erasure_request(accepted)
        if retry:
            return Outcome(replies=[], held=True)
        urgent, reference = await self.safety.check(accepted)
        if not urgent:
            log.info("message %s kept for the operator holding it", accepted.message_id)
            return Outcome(replies=[], held=True)
        # "xóa" would reach the operator, not the assistant: no deletion hint here.
        text = fallback_reply(urgent=True, reference=reference, delete_hint=False)
        replies = [BotReply(text=text)]
        await self.record.send(accepted, replies, deliver)
        return Outcome(replies=replies, held=True, urgent_intake=reference)

    async def _flag_erasure_request(self, accepted: Accepted) -> None:
        """Flag "xóa dữ liệu" sent while held: it reaches the operator only, not the assistant."""
        try:
            if not asks_for_erasure(accepted.message.text):
                return

            def work(session: Session) -> None:
                handoff.flag_erasure_request(
                    session,
                    conversation_id=accepted.conversation_id,
                    message_id=accepted.message_id,
                    now=self.clock(),
                )

            await asyncio.to_thread(self.store.transaction, work)
            log.info("message %s asks for erasure: flagged for the operator", accepted.message_id)
        except Exception:  # the message itself is stored and shown to the operator anyway
            log.exception("erasure flag on message %s failed", accepted.message_id)

    async def hand_back(self, accepted: Accepted) -> list[BotReply]:
        """The first message after an operator released the conversation: Rasa gets the case back.

        A form that was running when the operator took over is closed (its question is long
        gone), and the open case and its language are set, so the person is not treated as new
        and their next answers go to the same intake. Returns what to say before the assistant's
        answer: a person an operator wrote to is told that the operator has left.
        """

        def context(session: Session) -> tuple[list[dict[str, Any]], list[BotReply]]:
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
                    events.append({"event": "slot", "name": "language", "value": intake.language})
            notices = []
            if handoff.staff_wrote_in_last_hold(session, conversation_id=accepted.conversation_id):
                language = conversations.conversation_language(
                    session, conversation_id=accepted.conversation_id
                )
                notices.append(staff_left_notice(language))
            return events, notices

        def done(session: Session) -> None:
            handoff.handback_done(session, conversation_id=accepted.conversation_id)

        events, notices = await asyncio.to_thread(self.store.transaction, context)
        try:
            await self.rasa.append_events(sender=accepted.rasa_sender_id, events=events)
        except RasaUnavailable as error:
            # Tried again with the next message (the notice too); this one still goes to Rasa.
            log.warning("hand-back context for message %s: %s", accepted.message_id, error)
            return []
        await asyncio.to_thread(self.store.transaction, done)
        log.info("conversation %s handed back to the assistant", accepted.conversation_id)
        return notices
