"""A case code typed in a conversation: neither an oracle nor a key.

Knowing a code proves nothing (it may be read over someone's shoulder, or guessed), so a code typed
in a conversation that is not the case's own only records a *pending* link: that conversation gets
nothing of the case — not its consent or contact details, not staff replies, not even whether the
code exists — until a staff member confirms on the intake page that it is the same person. Then
that conversation becomes the case's conversation (staff replies go there) and the earlier one
stays linked, so what the person writes in either joins the case and its transcript. Lookups are
counted per conversation and overall, so guessing codes is slow as well as hopeless.

Erasure treats a case and its confirmed conversations as one person's data: erasing any of them
erases all (``conversations_erased_with``); a pending link is simply dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.conversations import TranscriptLine, transcript
from intake_store.crypto import FieldCipher
from intake_store.intakes import IntakeRef, find_by_reference, queue_staff_notice
from intake_store.models import CaseLink, CodeLookup, Conversation, Intake, utcnow
from intake_store.not_found import NotFound
from intake_store.staff_notices import CLAIMED, RETURNED

PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"


class LinkDecided(ValueError):
    """The link was confirmed or rejected already (two staff at once, or a stale page)."""


@dataclass(frozen=True)
class CodeLookupResult:
    # Set only when the code is this conversation's own case (or one staff linked it to): only
    # then may the person hear anything about it.
    own_case: IntakeRef | None
    # Over the per-conversation or overall limit: nothing was looked up.
    limited: bool


@dataclass(frozen=True)
class PendingLink:
    id: int
    conversation_id: int
    channel: str
    requested_at: datetime


def _over_limit(
    session: Session, *, conversation_id: int, per_sender: int, overall: int, since: datetime
) -> bool:
    # Old rows go first: the table only ever holds one window of lookups.
    session.execute(delete(CodeLookup).where(CodeLookup.at < since))
    counts = session.execute(
        select(
            func.count(CodeLookup.id),
            func.count(CodeLookup.id).filter(CodeLookup.conversation_id == conversation_id),
        ).where(CodeLookup.at >= since)
    ).one()
    return int(counts[0]) >= overall or int(counts[1]) >= per_sender


def look_up_code(
    session: Session,
    *,
    conversation_id: int,
    reference_code: str,
    per_sender: int,
    overall: int,
    window: timedelta,
    now: datetime | None = None,
) -> CodeLookupResult:
    """A code typed in ``conversation_id``: its own case comes back; any other real code only
    becomes a pending link for staff (audited, the case's staff told), a made-up one nothing."""
    now = now or utcnow()
    if _over_limit(
        session,
        conversation_id=conversation_id,
        per_sender=per_sender,
        overall=overall,
        since=now - window,
    ):
        return CodeLookupResult(own_case=None, limited=True)
    session.add(CodeLookup(conversation_id=conversation_id, at=now))
    code = reference_code.strip().upper()
    intake = session.scalars(select(Intake).where(Intake.reference_code == code)).first()
    conversation = session.get(Conversation, conversation_id)
    if intake is None or intake.anonymised_at is not None or conversation is None:
        return CodeLookupResult(own_case=None, limited=False)
    if intake.conversation_id == conversation_id or conversation.linked_intake_id == intake.id:
        return CodeLookupResult(
            own_case=find_by_reference(session, reference_code=code), limited=False
        )
    known = session.scalars(
        select(CaseLink.id).where(
            CaseLink.intake_id == intake.id, CaseLink.conversation_id == conversation_id
        )
    ).first()
    if known is None:  # typed again, or rejected before: staff were asked once
        session.add(
            CaseLink(
                intake_id=intake.id,
                conversation_id=conversation_id,
                status=PENDING,
                requested_at=now,
            )
        )
        record_audit(
            session,
            actor="system:assistant",
            action="case_link_requested",
            subject_type="intake",
            subject_id=intake.id,
            reason="the case code was typed in another conversation",
            detail={"conversation_id": conversation_id, "channel": conversation.channel},
            at=now,
        )
        queue_staff_notice(session, intake_id=intake.id, fields=[CLAIMED], now=now)
    return CodeLookupResult(own_case=None, limited=False)


def pending_links(session: Session, *, intake_id: int) -> list[PendingLink]:
    """Conversations waiting for staff to say whether they are this case's person."""
    rows = session.execute(
        select(CaseLink, Conversation.channel)
        .join(Conversation, Conversation.id == CaseLink.conversation_id)
        .where(CaseLink.intake_id == intake_id, CaseLink.status == PENDING)
        .order_by(CaseLink.id)
    ).all()
    return [
        PendingLink(link.id, link.conversation_id, channel, link.requested_at)
        for link, channel in rows
    ]


def _pending(session: Session, *, intake_id: int, link_id: int) -> CaseLink:
    link = session.scalars(
        select(CaseLink)
        .where(CaseLink.id == link_id, CaseLink.intake_id == intake_id)
        .with_for_update()
    ).first()
    if link is None:
        raise NotFound(f"link {link_id} of intake {intake_id} does not exist")
    if link.status != PENDING:
        raise LinkDecided(f"link {link_id} is already {link.status}")
    return link


def confirm_link(
    session: Session, *, intake_id: int, link_id: int, actor: str, now: datetime | None = None
) -> None:
    """Staff checked it is the same person: the new conversation becomes the case's (staff replies
    go there); the earlier one stays linked. Audited."""
    now = now or utcnow()
    link = _pending(session, intake_id=intake_id, link_id=link_id)
    intake = session.get(Intake, intake_id)
    new = session.get(Conversation, link.conversation_id)
    if intake is None or intake.anonymised_at is not None:
        raise NotFound(f"intake {intake_id} was erased")
    if new is None or new.erased_at is not None:
        raise NotFound(f"conversation {link.conversation_id} was erased")
    previous = intake.conversation_id
    if previous is not None and previous != new.id:
        earlier = session.get(Conversation, previous)
        if earlier is not None and earlier.linked_intake_id is None:
            earlier.linked_intake_id = intake.id
    # Linked as well as own: the new conversation's own open cases must not take precedence.
    new.linked_intake_id = intake.id
    intake.conversation_id = new.id
    intake.updated_at = now
    link.status, link.decided_by, link.decided_at = CONFIRMED, actor, now
    record_audit(
        session,
        actor=actor,
        action="confirm_case_link",
        subject_type="intake",
        subject_id=intake_id,
        reason="staff confirmed the person who typed the case code is this case's person",
        detail={
            "conversation_id": new.id,
            "previous_conversation_id": previous,
            "link_id": link_id,
        },
        at=now,
    )
    queue_staff_notice(session, intake_id=intake_id, fields=[RETURNED], now=now)
    session.flush()


def reject_link(
    session: Session, *, intake_id: int, link_id: int, actor: str, now: datetime | None = None
) -> None:
    """Not this case's person: the conversation stays apart (and is not asked about again)."""
    now = now or utcnow()
    link = _pending(session, intake_id=intake_id, link_id=link_id)
    link.status, link.decided_by, link.decided_at = REJECTED, actor, now
    record_audit(
        session,
        actor=actor,
        action="reject_case_link",
        subject_type="intake",
        subject_id=intake_id,
        reason="staff found the person who typed the case code is not this case's person",
        detail={"conversation_id": link.conversation_id, "link_id": link_id},
        at=now,
    )


def case_conversation_ids(session: Session, *, intake_id: int) -> list[int]:
    """The case's conversation first, then those staff linked to it (its transcript's parts)."""
    own = session.scalar(select(Intake.conversation_id).where(Intake.id == intake_id))
    linked = session.scalars(
        select(Conversation.id)
        .where(Conversation.linked_intake_id == intake_id)
        .order_by(Conversation.id)
    ).all()
    return ([own] if own is not None else []) + [c for c in linked if c != own]


def case_transcript(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    actor: str,
    reason: str,
    audited: bool = True,
) -> list[TranscriptLine]:
    """Every conversation of the case, interleaved in time; one audited read per conversation.
    A pending link's conversation is not part of it."""
    lines = [
        line
        for conversation_id in case_conversation_ids(session, intake_id=intake_id)
        for line in transcript(
            session,
            cipher=cipher,
            conversation_id=conversation_id,
            actor=actor,
            reason=reason,
            audited=audited,
        )
    ]
    return sorted(lines, key=lambda line: (line.at, line.message_id))


def conversations_erased_with(session: Session, *, conversation_id: int) -> list[int]:
    """The not yet erased conversations that belong to the same cases as ``conversation_id``
    (its own and linked cases, their own and confirmed-linked conversations, and so on); pending
    links of any of them are dropped."""
    conversations = {conversation_id}
    intakes: set[int] = set()
    while True:
        found_intakes = set(
            session.scalars(
                select(Intake.id).where(
                    or_(
                        Intake.conversation_id.in_(conversations),
                        Intake.id.in_(
                            select(Conversation.linked_intake_id).where(
                                Conversation.id.in_(conversations)
                            )
                        ),
                    )
                )
            )
        )
        found_conversations = (
            set(
                session.scalars(
                    select(Conversation.id).where(
                        or_(
                            Conversation.linked_intake_id.in_(found_intakes),
                            Conversation.id.in_(
                                select(Intake.conversation_id).where(Intake.id.in_(found_intakes))
                            ),
                        )
                    )
                )
            )
            | conversations
        )
        if found_intakes == intakes and found_conversations == conversations:
            break
        intakes, conversations = found_intakes, found_conversations
    session.execute(
        delete(CaseLink)
        .where(
            CaseLink.status == PENDING,
            or_(CaseLink.conversation_id.in_(conversations), CaseLink.intake_id.in_(intakes)),
        )
        .execution_options(synchronize_session=False)
    )
    others = conversations - {conversation_id}
    if not others:
        return []
    return list(
        session.scalars(
            select(Conversation.id)
            .where(Conversation.id.in_(others), Conversation.erased_at.is_(None))
            .order_by(Conversation.id)
        )
    )
