"""Removing Rasa's copies of erased conversations that erasure or retention could not reach yet.

Every erasure (chat, console, retention) marks the conversation with its old Rasa sender id
(``conversations.rasa_forget_sender``); the mark goes only once Rasa's events are confirmed
deleted. The retention job erases in the store first and forgets here afterwards, and a Rasa or
tracker-database outage leaves the marks for the next run instead of losing them.

Right after an erasure (the person's "xóa" in the gateway, an operator's in the console) both
call ``forget_after_erasure``: the same marks, only that erasure's, tried at once; what fails stays
marked for the worker and is logged as an error here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from bot.rasa_tracker import forget_with_settings
from intake_store.privacy import rasa_copies_to_forget, rasa_copy_forgotten

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from chungtay.settings import Settings

log = logging.getLogger(__name__)

# (Rasa sender id, keep the events from this time on) -> what was done, for the log
ForgetCopy = Callable[[str, datetime | None], Awaitable[str]]


@dataclass(frozen=True)
class ForgetReport:
    forgotten: int
    still_pending: int  # Rasa or its database could not be reached: tried again next time


def forgetter_from_settings(
    settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
) -> ForgetCopy:
    """Forgets through the same clients as the console's erasure (SQL store or Rasa's API)."""

    async def forget(sender: str, keep_from: datetime | None) -> str:
        return await forget_with_settings(
            settings, sender=sender, keep_from=keep_from, transport=transport
        )

    return forget


async def forget_erased_now(
    session_factory: sessionmaker[Session], *, conversation_id: int, forget: ForgetCopy
) -> ForgetReport:
    """Rasa's copies of a conversation just erased and of those erased with it (linked)."""
    return await forget_pending_copies(session_factory, forget=forget, erased_with=conversation_id)


async def forget_after_erasure(
    session_factory: sessionmaker[Session],
    *,
    conversation_id: int,
    forget: ForgetCopy,
    erasure: str,
) -> bool:
    """``forget_erased_now`` right after an erasure (``erasure`` names it in the log).

    True when every copy is gone. Otherwise the store's data is gone already: say loudly that
    Rasa's copy is not (the marks stay for the routing worker).
    """
    try:
        report = await forget_erased_now(
            session_factory, conversation_id=conversation_id, forget=forget
        )
    except Exception as error:  # the store could not be read back: the marks are still there
        log.error("%s: Rasa's copy not removed (%s)", erasure, error.__class__.__name__)
        return False
    if report.still_pending:
        log.error(
            "%s: Rasa's copy not removed (%d removed, %d left to the worker)",
            erasure,
            report.forgotten,
            report.still_pending,
        )
        return False
    log.info("%s: %d Rasa copies removed", erasure, report.forgotten)
    return True


async def forget_pending_copies(
    session_factory: sessionmaker[Session],
    *,
    forget: ForgetCopy,
    limit: int = 200,
    erased_with: int | None = None,
) -> ForgetReport:
    """Remove Rasa's copy of each marked conversation, oldest erasure first."""
    with session_factory.begin() as session:
        pending = rasa_copies_to_forget(session, limit=limit, erased_with=erased_with)
    forgotten = 0
    for copy in pending:
        try:
            await forget(copy.rasa_sender_id, copy.keep_from)
        except Exception as error:  # any failure: the mark stays, the next run tries again
            log.warning(
                "Rasa's copy of erased conversation %s not removed yet (%s)",
                copy.conversation_id,
                error.__class__.__name__,
            )
            continue
        with session_factory.begin() as session:
            rasa_copy_forgotten(
                session, conversation_id=copy.conversation_id, rasa_sender_id=copy.rasa_sender_id
            )
        forgotten += 1
    if pending:
        log.info(
            "Rasa copies of erased conversations: %d removed, %d still pending",
            forgotten,
            len(pending) - forgotten,
        )
    return ForgetReport(forgotten, len(pending) - forgotten)
