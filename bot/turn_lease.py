"""A conversation's turn among several gateways (intake_store/turns.py).

A gateway (``instance``; its retry loop is a holder of its own) takes the conversation's turn in
the store for ``lease`` before sending it to Rasa, waiting up to ``wait`` seconds while another
gateway has it (retrying what was queued there), and gives it back afterwards; a gateway that
died frees it when the lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import intake_store.turns as turns
from intake_store.store import Store

log = logging.getLogger(__name__)


@dataclass
class TurnLease:
    store: Store
    instance: str
    lease: timedelta
    wait: float
    clock: Callable[[], datetime]

    def try_take(self, conversation_id: int) -> bool:
        """One try (blocking): the turn is this holder's now, or still another's."""
        now = self.clock()
        return self.store.transaction(
            lambda session: turns.take_turn(
                session,
                conversation_id=conversation_id,
                holder=self.instance,
                now=now,
                lease_seconds=self.lease.total_seconds(),
            )
        )

    def end(self, conversation_ids: Sequence[int]) -> None:
        """Give the turns back (blocking)."""
        self.store.transaction(
            lambda session: turns.end_turn(
                session, conversation_ids=conversation_ids, holder=self.instance
            )
        )

    async def take(self, conversation_id: int) -> bool:
        """The conversation's turn in the store for this gateway, waiting up to ``wait``."""
        deadline = time.monotonic() + self.wait
        while not await asyncio.to_thread(self.try_take, conversation_id):
            if time.monotonic() >= deadline:
                log.warning("conversation %s: another gateway kept its turn", conversation_id)
                return False
            await asyncio.sleep(0.2)
        return True

    async def give_back(self, conversation_id: int) -> None:
        try:
            await asyncio.to_thread(self.end, [conversation_id])
        except Exception:  # the lease runs out by itself
            log.exception("conversation %s: giving its turn back failed", conversation_id)


def default_instance() -> str:
    """This gateway process among several: host, process id and a random tag."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
