"""Letting a message in: the rate and flood limits, then storing it (the first thing done with it).

A refused message is not stored, so nobody will read it: the person gets 113/111 at once when it
speaks of danger. A replay of a stored message (same external id) is stored nothing and answered
as a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

import intake_store.handoff as handoff
import intake_store.messages as messages
import intake_store.sources as sources
from bot.flood import FloodGuard
from bot.messages import BotReply, InboundMessage
from bot.outcomes import Accepted, Outcome
from bot.ratelimit import RateLimiter
from bot.safety_net import SafetyNet
from bot.safety_text import RATE_LIMITED_URGENT_REPLY
from bot.turn_record import channel_label
from chungtay import metrics
from intake_store.store import Store

log = logging.getLogger(__name__)


@dataclass
class Inbox:
    store: Store
    limiter: RateLimiter
    flood: FloodGuard | None  # per-address limits of the web chat (messages with a ``source``)
    safety: SafetyNet

    async def admit(self, message: InboundMessage) -> Accepted | Outcome:
        """Limit, then store: the stored message, or the outcome of a refusal or a replay."""
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
        if flood is not None:
            flood.remember(message.channel, message.sender_id)
        return accepted

    async def accept(self, message: InboundMessage) -> Accepted | None:
        """Store the message. None when it is a duplicate."""

        def work(session: Session) -> tuple[messages.InboundRecord, handoff.HoldState | None, bool]:
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

        record, hold, blocked = await asyncio.to_thread(self.store.transaction, work)
        if record.duplicate:
            log.info("duplicate %s message %s ignored", message.channel, record.message_id)
            return None
        metrics.INBOUND_MESSAGES.labels(channel_label(message.channel)).inc()
        return Accepted(
            message=message,
            message_id=record.message_id,
            conversation_id=record.conversation_id,
            rasa_sender_id=record.rasa_sender_id,
            first_in_conversation=record.conversation_created,
            hold=hold,
            blocked=blocked,
        )

    async def _flood_allows(self, message: InboundMessage, flood: FloodGuard) -> bool:
        """The address's message budget, and for a conversation not seen yet its new-conversation
        budget and the overall one. Only a sender's first message here costs a store lookup."""
        assert message.source is not None
        if not await flood.allow_message(message.source):
            log.warning("flood limit: messages from address %s", message.source[:12])
            return False
        if flood.known(message.channel, message.sender_id):
            return True

        sender_hash = self.store.hasher.hash(channel=message.channel, sender_id=message.sender_id)

        def exists(session: Session) -> bool:
            return sources.conversation_exists(
                session, channel=message.channel, sender_hash=sender_hash
            )

        if await asyncio.to_thread(self.store.transaction, exists):
            flood.remember(message.channel, message.sender_id)
            return True
        if not await flood.allow_new_conversation(message.source):
            log.warning("flood limit: new conversations from address %s", message.source[:12])
            return False
        return True

    def _refused(self, message: InboundMessage) -> Outcome:
        urgent = self.safety.speaks_of_danger(message)
        replies = [BotReply(text=RATE_LIMITED_URGENT_REPLY)] if urgent else []
        metrics.REFUSED_MESSAGES.labels(channel_label(message.channel)).inc()
        return Outcome(replies=replies, rate_limited=True)
