"""The urgency net in the gateway: danger is acted on before, or without, Rasa.

On a message Rasa will not see (Rasa down, an operator holds the conversation) or before Rasa
answers it, a firing net opens the conversation's intake as urgent (or raises it), which queues
the staff alert in the same transaction. A refused message is not stored at all: when it speaks
of danger the person is told at once to call 113/111.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

import intake_store.intakes as intakes
from bot.messages import InboundMessage
from bot.outcomes import Accepted, UrgencyNet
from chungtay import metrics
from intake_store.store import Store

log = logging.getLogger(__name__)


def default_urgency_net(text: str) -> list[str]:
    from nlu.urgency import detect_urgency  # imported late: nlu is a sibling package

    return detect_urgency(text)


@dataclass
class SafetyNet:
    store: Store
    urgency_net: UrgencyNet
    # Urgent chats from one source within this window page staff once (intake_store/bursts).
    burst_window: timedelta

    def speaks_of_danger(self, message: InboundMessage) -> bool:
        """The net on the words alone, opening nothing: for a refused message (not stored) and a
        turn that failed; in doubt, yes."""
        try:
            text = unicodedata.normalize("NFC", message.text)
            return bool(text.strip() and self.urgency_net(text))
        except Exception:
            log.exception("urgency net failed on a refused message")
            return True  # in doubt, the numbers

    async def check(self, accepted: Accepted) -> tuple[bool, str | None]:
        """The urgency net on a stored message: (urgent?, the urgent intake's code)."""
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

    async def _open_urgent_intake(self, accepted: Accepted, reasons: list[str]) -> str:
        def work(session: Session) -> str:
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

        reference = await asyncio.to_thread(self.store.transaction, work)
        log.warning("urgency net opened intake %s from message %s", reference, accepted.message_id)
        return reference
