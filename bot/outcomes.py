"""What the gateway's parts hand each other: a stored message, a turn's outcome, a channel's sender.

The channels, the retry loop and the tests import these through ``bot.pipeline`` as well.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol

from bot.messages import BotReply, InboundMessage
from intake_store.handoff import HoldState

DeliveryStatus = Literal["sent", "held", "failed"]


class ReplySender(Protocol):
    """A channel that can send replies on its own (not inside the webhook's HTTP answer)."""

    channel: str
    # How long after the person's last message the channel lets us answer; None: no limit.
    reply_window: timedelta | None

    async def deliver(self, sender_id: str, replies: Sequence[BotReply]) -> DeliveryStatus: ...


Deliver = Callable[[Sequence[BotReply]], Awaitable[DeliveryStatus]]
UrgencyNet = Callable[[str], list[str]]


@dataclass(frozen=True)
class Accepted:
    message: InboundMessage
    message_id: int
    conversation_id: int
    rasa_sender_id: str
    first_in_conversation: bool = False
    # Who held the conversation when the message was stored (None: not read, e.g. a retry).
    hold: HoldState | None = None
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
class Receipt:
    """What a channel's webhook knows when it answers (``Gateway.receive``)."""

    # Refused, a replay, or the finished turn when the gateway waited for it; None while the
    # turn runs on after the webhook's answer.
    outcome: Outcome | None
    task: asyncio.Task[Outcome] | None = None  # that turn


@dataclass(frozen=True)
class StaffPickup:
    replies: list[BotReply]
    erased: bool = False  # erased while the page was open: it clears itself
