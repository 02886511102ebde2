"""Human handoff: an operator holds a conversation, the assistant stays silent, then gets it back.

While a conversation is held the gateway stores every inbound message as ``held`` (waiting for
the operator, unread) instead of forwarding it to Rasa; reading the transcript marks them
``seen``. Releasing sets ``handed_back_at`` so the gateway can give Rasa the context of the case
with the next message. None of these functions reads personal data; taking and releasing are
audited on the intake so they show on its timeline.

A hold nobody works on any more (``release_if_idle``: no audited step of the holder on the case
for the idle period) is released by the system, so a forgotten hold cannot silence the assistant
for good. A held message that asks for erasure is flagged on the intake (``flag_erasure_request``)
because the assistant, which would carry it out, does not see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.models import AuditEntry, Conversation, Intake, Message, utcnow
from intake_store.not_found import NotFound

# Inbound statuses of messages the assistant did not see because a human held the conversation.
UNREAD = "held"
SEEN = "seen"
IDLE_ACTOR = "system:handoff-idle"
ERASURE_REQUESTED = "erasure_requested"


class HandoffError(ValueError):
    """A hold or release that cannot be done: the intake has no live conversation."""


class HeldByOther(HandoffError):
    """Another console user holds the conversation."""


@dataclass(frozen=True)
class HoldState:
    conversation_id: int
    held_by: str | None
    held_at: datetime | None
    handoff_requested_at: datetime | None
    handed_back_at: datetime | None
    erased_at: datetime | None = None

    @property
    def held(self) -> bool:
        return self.held_by is not None

    @property
    def waiting_for_human(self) -> bool:
        """The person asked for a human and no operator has taken the conversation yet."""
        return self.handoff_requested_at is not None and self.held_by is None


def _state(conversation: Conversation) -> HoldState:
    return HoldState(
        conversation_id=conversation.id,
        held_by=conversation.held_by,
        held_at=conversation.held_at,
        handoff_requested_at=conversation.handoff_requested_at,
        handed_back_at=conversation.handed_back_at,
        erased_at=conversation.erased_at,
    )


def _conversation_of(session: Session, intake_id: int) -> Conversation:
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    conversation = (
        session.get(Conversation, intake.conversation_id, with_for_update=True)
        if intake.conversation_id is not None
        else None
    )
    if conversation is None or conversation.erased_at is not None:
        raise HandoffError("this intake has no live conversation to take over")
    return conversation


def hold_conversation(
    session: Session, *, intake_id: int, actor: str, now: datetime | None = None
) -> HoldState:
    """``actor`` takes the intake's conversation over; refused while someone else holds it."""
    conversation = _conversation_of(session, intake_id)
    if conversation.held_by == actor:
        return _state(conversation)
    if conversation.held_by is not None:
        raise HeldByOther(f"already held by {conversation.held_by}")
    now = now or utcnow()
    waited = conversation.handoff_requested_at
    conversation.held_by, conversation.held_at = actor, now
    conversation.handoff_requested_at = conversation.handed_back_at = None
    record_audit(
        session,
        actor=actor,
        action="hold_conversation",
        subject_type="intake",
        subject_id=intake_id,
        reason="casework",
        detail={
            "conversation_id": conversation.id,
            "asked_for_human": waited is not None,
        },
        at=now,
    )
    return _state(conversation)


def release_conversation(
    session: Session,
    *,
    intake_id: int,
    actor: str,
    force: bool = False,
    now: datetime | None = None,
) -> bool:
    """Give the conversation back to the assistant; False when it was not held.

    Only the holder releases, unless ``force`` (a supervisor freeing a conversation left held).
    """
    conversation = _conversation_of(session, intake_id)
    holder = conversation.held_by
    if holder is None:
        return False
    if holder != actor and not force:
        raise HeldByOther(f"held by {holder}")
    now = now or utcnow()
    conversation.held_by = conversation.held_at = None
    conversation.handed_back_at = now
    record_audit(
        session,
        actor=actor,
        action="release_conversation",
        subject_type="intake",
        subject_id=intake_id,
        reason="casework",
        detail={"conversation_id": conversation.id, "held_by": holder},
        at=now,
    )
    return True


def _intake_ids(session: Session, conversation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Intake.id).where(Intake.conversation_id == conversation_id).order_by(Intake.id)
        )
    )


def last_operator_activity(session: Session, *, conversation_id: int) -> datetime | None:
    """When the holder last did something recorded on the case (took it, read, replied, noted)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.held_by is None or conversation.held_at is None:
        return None
    on_case = or_(
        and_(
            AuditEntry.subject_type == "intake",
            AuditEntry.subject_id.in_(_intake_ids(session, conversation_id)),
        ),
        and_(AuditEntry.subject_type == "conversation", AuditEntry.subject_id == conversation_id),
    )
    latest = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.actor == conversation.held_by,
            AuditEntry.at >= conversation.held_at,
            on_case,
        )
    )
    return max(conversation.held_at, latest) if latest is not None else conversation.held_at


def release_if_idle(
    session: Session, *, conversation_id: int, idle: timedelta, now: datetime | None = None
) -> bool:
    """Release a hold whose holder did nothing on the case for ``idle``; True when released.

    Audited as released by the system (on the timeline), with ``handed_back_at`` set like any
    release, so the person's next message goes to the assistant with the case's context.
    """
    now = now or utcnow()
    conversation = session.get(Conversation, conversation_id, with_for_update=True)
    if conversation is None or conversation.held_by is None or conversation.erased_at is not None:
        return False
    last = last_operator_activity(session, conversation_id=conversation_id)
    if last is None or now - last < idle:
        return False
    holder = conversation.held_by
    conversation.held_by = conversation.held_at = None
    conversation.handed_back_at = now
    for intake_id in _intake_ids(session, conversation_id)[-1:]:
        record_audit(
            session,
            actor=IDLE_ACTOR,
            action="release_conversation",
            subject_type="intake",
            subject_id=intake_id,
            reason=f"no activity of {holder} for {int(idle.total_seconds() // 60)} minutes",
            detail={"conversation_id": conversation_id, "held_by": holder, "idle_since": str(last)},
            at=now,
        )
    return True


def staff_wrote_in_last_hold(session: Session, *, conversation_id: int) -> bool:
    """Whether an operator's reply reached the person during the conversation's latest hold:
    they knew a human was there, so they are told when it is handed back to the assistant."""
    intake_ids = _intake_ids(session, conversation_id)
    if not intake_ids:
        return False
    on_case = and_(AuditEntry.subject_type == "intake", AuditEntry.subject_id.in_(intake_ids))
    held_at = session.scalar(
        select(func.max(AuditEntry.at)).where(AuditEntry.action == "hold_conversation", on_case)
    )
    if held_at is None:
        return False
    details = session.scalars(
        select(AuditEntry.detail).where(
            AuditEntry.action == "queue_reply", AuditEntry.at >= held_at, on_case
        )
    ).all()
    reply_ids = [
        int(detail["message_id"]) for detail in details if detail and "message_id" in detail
    ]
    if not reply_ids:
        return False
    delivered = session.scalar(
        select(func.count()).where(
            Message.id.in_(reply_ids),
            Message.conversation_id == conversation_id,
            Message.status == "sent",
        )
    )
    return bool(delivered)


def flag_erasure_request(
    session: Session, *, conversation_id: int, message_id: int, now: datetime | None = None
) -> int | None:
    """A held message asks to erase the person's data: flag it on the conversation's latest
    intake, for the operator to carry out. Returns the flagged intake id (None: no intake)."""
    intake_ids = _intake_ids(session, conversation_id)
    if not intake_ids:
        return None
    record_audit(
        session,
        actor="system:gateway",
        action=ERASURE_REQUESTED,
        subject_type="intake",
        subject_id=intake_ids[-1],
        reason="the person asked to erase their data while an operator held the conversation",
        detail={"conversation_id": conversation_id, "message_id": message_id},
        at=now,
    )
    return intake_ids[-1]


def erasure_requested_at(session: Session, *, conversation_id: int) -> datetime | None:
    """When the person last asked (in a held message) to erase; None once erased or never."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.erased_at is not None:
        return None
    return session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.action == ERASURE_REQUESTED,
            AuditEntry.subject_type == "intake",
            AuditEntry.subject_id.in_(_intake_ids(session, conversation_id)),
        )
    )


def conversation_hold(session: Session, *, conversation_id: int) -> HoldState | None:
    """Who holds the conversation, if anyone (the gateway asks this for every message)."""
    conversation = session.get(Conversation, conversation_id)
    return None if conversation is None else _state(conversation)


def request_handoff(session: Session, *, conversation_id: int, now: datetime | None = None) -> None:
    """The person asked for a human: the console shows the intake as waiting for one."""
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.held_by.is_(None))
        .values(handoff_requested_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def handback_done(session: Session, *, conversation_id: int) -> None:
    """The assistant has the context back; later messages need nothing more."""
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(handed_back_at=None)
        .execution_options(synchronize_session=False)
    )


def mark_seen(session: Session, *, conversation_id: int) -> int:
    """The operator has read the transcript: the held messages are no longer unread."""
    result = session.execute(
        update(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == "inbound",
            Message.status == UNREAD,
        )
        .values(status=SEEN, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def hold_states(session: Session, *, conversation_ids: Iterable[int]) -> dict[int, HoldState]:
    ids = sorted(set(conversation_ids))
    if not ids:
        return {}
    rows = session.scalars(select(Conversation).where(Conversation.id.in_(ids)))
    return {row.id: _state(row) for row in rows}


def unread_counts(session: Session, *, conversation_ids: Iterable[int]) -> dict[int, int]:
    """Messages kept for the operator and not read yet, per conversation (0s left out)."""
    ids = sorted(set(conversation_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Message.conversation_id, func.count())
        .where(
            Message.conversation_id.in_(ids),
            Message.direction == "inbound",
            Message.status == UNREAD,
        )
        .group_by(Message.conversation_id)
    ).all()
    return {int(conversation_id): int(count) for conversation_id, count in rows}
