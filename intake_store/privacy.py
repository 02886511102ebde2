"""Erasure ("xóa dữ liệu của tôi") and the retention job.

Both keep the non-identifying skeleton of a case (triage, status, statistics categories, timeline)
so the hotline's statistics stay true, and destroy every encrypted personal value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from intake_store import call_drafts, case_links, operator_calls
from intake_store.audit import record_audit
from intake_store.models import (
    Conversation,
    ErasedPage,
    Intake,
    Message,
    Note,
    Referral,
    utcnow,
)
from intake_store.narrative import forget_narrative
from intake_store.not_found import NotFound

PERSONAL_INTAKE_COLUMNS = (
    "location_detail_enc",
    "contact_name_enc",
    "contact_phone_enc",
    "safe_contact_time_enc",
    "summary_enc",
)


@dataclass(frozen=True)
class ErasureResult:
    conversation_id: int
    messages: int
    intakes: int


@dataclass(frozen=True)
class RetentionResult:
    conversations_erased: int
    intakes_anonymised: int


def _anonymise_intakes(session: Session, intake_ids: list[int], now: datetime) -> int:
    if not intake_ids:
        return 0
    session.execute(
        update(Intake)
        .where(Intake.id.in_(intake_ids))
        .values(
            **dict.fromkeys(PERSONAL_INTAKE_COLUMNS),
            # read from the person's words: goes with them
            safe_from=None,
            safe_until=None,
            anonymised_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    # Staff notes and referral notes describe the person too.
    session.execute(
        update(Note)
        .where(Note.intake_id.in_(intake_ids))
        .values(text_enc=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Referral)
        .where(Referral.intake_id.in_(intake_ids))
        .values(note_enc=None)
        .execution_options(synchronize_session=False)
    )
    # Calls an operator filed or attached: caller, notes, and the hashes to find them by.
    operator_calls.forget_calls(session, intake_ids=intake_ids)
    # The person's own words kept in the case.
    forget_narrative(session, intake_ids=intake_ids)
    return len(intake_ids)


def _erase(
    session: Session, conversation_id: int, now: datetime, *, mark_page: bool = True
) -> ErasureResult:
    messages = session.execute(
        update(Message)
        .where(Message.conversation_id == conversation_id)
        # The message ids' hashes go too: with the key, a Telegram one names the chat.
        .values(text_enc=None, extra_enc=None, external_id=None, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    rasa_sender, channel, sender_hash = session.execute(
        select(Conversation.rasa_sender_id, Conversation.channel, Conversation.sender_hash).where(
            Conversation.id == conversation_id
        )
    ).one()
    if mark_page and channel == "webchat" and sender_hash is not None:
        _mark_erased_page(session, sender_hash, now)
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        # A new message from the same person starts a fresh conversation.
        .values(
            sender_hash=None,
            sender_id_enc=None,
            # The keyed hash of the web chat's client address names the person's connection.
            source_hash=None,
            rasa_sender_id=f"erased-{conversation_id}",
            # Rasa's copy is removed after this commits; until then (or if Rasa is down) the
            # old sender id is the only way to find it again.
            rasa_forget_sender=(
                rasa_sender
                if rasa_sender and not rasa_sender.startswith("erased-")
                else Conversation.rasa_forget_sender
            ),
            erased_at=now,
            # Nothing left to take over: a new message starts a new conversation.
            held_by=None,
            held_at=None,
            handoff_requested_at=None,
            handed_back_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    intake_ids = list(
        session.scalars(select(Intake.id).where(Intake.conversation_id == conversation_id))
    )
    _anonymise_intakes(session, intake_ids, now)
    session.expire_all()
    result = ErasureResult(conversation_id, int(messages or 0), len(intake_ids))
    # The case's other conversations (its code typed there, confirmed by staff) go with it.
    for linked in case_links.conversations_erased_with(session, conversation_id=conversation_id):
        more = _erase(session, linked, now, mark_page=mark_page)
        result = ErasureResult(
            conversation_id, result.messages + more.messages, result.intakes + more.intakes
        )
    return result


# Long enough for a tab left open overnight; a browser keeps the session only while it is open.
ERASED_PAGE_KEPT = timedelta(days=1)


def page_marker(sender_hash: str) -> str:
    """What is kept of an erased web chat session: a hash of its keyed sender hash, apart from
    every other stored hash, so nothing but the page's own session id leads to it."""
    return hashlib.sha256(f"erased-page:{sender_hash}".encode()).hexdigest()


def _mark_erased_page(session: Session, sender_hash: str, now: datetime) -> None:
    session.execute(delete(ErasedPage).where(ErasedPage.expires_at <= now))
    # Kept to the hour: the expiry must not date the erasure it came from.
    expires = (now + ERASED_PAGE_KEPT).replace(minute=0, second=0, microsecond=0)
    marker = page_marker(sender_hash)
    if session.get(ErasedPage, marker) is None:
        session.add(ErasedPage(marker=marker, expires_at=expires + timedelta(hours=1)))


def take_erased_page(session: Session, *, sender_hash: str, now: datetime | None = None) -> bool:
    """True (once) when this web chat session's conversation was erased while its page was open."""
    row = session.get(ErasedPage, page_marker(sender_hash))
    if row is None:
        return False
    session.delete(row)
    return row.expires_at > (now or utcnow())


def erase_conversation(
    session: Session,
    *,
    conversation_id: int,
    actor: str,
    reason: str,
    now: datetime | None = None,
) -> ErasureResult:
    """Destroy the personal data of one conversation and of the cases opened from it."""
    now = now or utcnow()
    if session.get(Conversation, conversation_id) is None:
        raise NotFound(f"conversation {conversation_id} does not exist")
    result = _erase(session, conversation_id, now)
    record_audit(
        session,
        actor=actor,
        action="erase_conversation",
        subject_type="conversation",
        subject_id=conversation_id,
        reason=reason,
        detail={"messages": result.messages, "intakes": result.intakes},
        at=now,
    )
    return result


def erase_filed_intake(
    session: Session,
    *,
    intake_id: int,
    actor: str,
    reason: str,
    now: datetime | None = None,
) -> bool:
    """Destroy the personal data of a case an operator filed (no conversation to erase): its
    fields, notes, calls and search keys. False when there was nothing left to erase."""
    now = now or utcnow()
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    if intake.conversation_id is not None:
        raise ValueError("a chat's case is erased with its conversation")
    if intake.anonymised_at is not None:
        return False
    _anonymise_intakes(session, [intake_id], now)
    record_audit(
        session,
        actor=actor,
        action="erase_intake",
        subject_type="intake",
        subject_id=intake_id,
        reason=reason,
        at=now,
    )
    session.expire_all()
    return True


def run_retention(
    session: Session,
    *,
    retention_days: int,
    now: datetime | None = None,
    actor: str = "system:retention",
) -> RetentionResult:
    """Erase conversations idle for ``retention_days`` whose cases are all closed that long."""
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    still_needed = exists().where(
        or_(Intake.conversation_id == Conversation.id, Intake.id == Conversation.linked_intake_id),
        or_(Intake.status != "closed", Intake.closed_at >= cutoff),
    )
    stale = list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.erased_at.is_(None),
                Conversation.last_message_at < cutoff,
                ~still_needed,
            )
        )
    )
    intakes = 0
    for conversation_id in stale:
        # Idle for months: no page of it is open, so none is marked (``ErasedPage``).
        intakes += _erase(session, conversation_id, now, mark_page=False).intakes
    # Closed cases without a conversation (e.g. entered by an operator).
    orphans = list(
        session.scalars(
            select(Intake.id).where(
                and_(
                    Intake.conversation_id.is_(None),
                    Intake.status == "closed",
                    Intake.closed_at < cutoff,
                    Intake.anonymised_at.is_(None),
                )
            )
        )
    )
    intakes += _anonymise_intakes(session, orphans, now)
    # Call drafts an operator never filed nor discarded.
    call_drafts.drop_stale_drafts(session, older_than=cutoff)
    if stale or orphans:
        record_audit(
            session,
            actor=actor,
            action="retention",
            subject_type="conversation",
            subject_id=None,
            reason=f"retention period of {retention_days} days",
            detail={"conversations": stale, "intakes": intakes},
            at=now,
        )
    return RetentionResult(len(stale), intakes)


@dataclass(frozen=True)
class RasaCopy:
    """An erased conversation whose events Rasa may still hold."""

    conversation_id: int
    rasa_sender_id: str
    # The same person wrote again under the same sender id (it derives from the sender hash):
    # Rasa's events from then on belong to the new conversation and must stay.
    keep_from: datetime | None


def rasa_copies_to_forget(
    session: Session, *, limit: int = 100, erased_with: int | None = None
) -> list[RasaCopy]:
    """Erased conversations whose Rasa copy has not been confirmed deleted, oldest first.

    ``erased_with``: only that conversation and those erased in the same erasure (its linked
    ones, which ``_erase`` stamps with the same time), for forgetting right after it.
    """
    live = aliased(Conversation)
    query = (
        select(
            Conversation.id,
            Conversation.rasa_forget_sender,
            Conversation.erased_at,
            live.created_at,
        )
        .outerjoin(live, live.rasa_sender_id == Conversation.rasa_forget_sender)
        .where(Conversation.rasa_forget_sender.is_not(None))
    )
    if erased_with is not None:
        erased_at = session.scalar(
            select(Conversation.erased_at).where(Conversation.id == erased_with)
        )
        if erased_at is None:
            return []
        query = query.where(Conversation.erased_at == erased_at)
    rows = session.execute(
        query.order_by(Conversation.erased_at, Conversation.id).limit(limit)
    ).all()
    # A new conversation's start comes from the channel (Telegram's is in whole seconds), so it
    # may precede the erased one's last events: everything before the erasure is old in any case.
    return [
        RasaCopy(id_, sender, None if started is None else max(started, erased_at or started))
        for id_, sender, erased_at, started in rows
        if sender is not None
    ]


def rasa_copy_forgotten(session: Session, *, conversation_id: int, rasa_sender_id: str) -> None:
    """Rasa's copy is gone: the old sender id need not be kept any longer."""
    session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.rasa_forget_sender == rasa_sender_id,
        )
        .values(rasa_forget_sender=None)
        .execution_options(synchronize_session=False)
    )
