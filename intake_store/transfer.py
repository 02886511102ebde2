"""Handing a case, and the conversation its holder took over, to another console user.

One step, audited on the case (its timeline shows who gave it to whom, and when); the note for
the next person is a case note (encrypted, read audited like every note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store import casework
from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.models import Conversation, Intake, utcnow
from intake_store.not_found import NotFound


class TransferRefused(ValueError):
    """Only the case's holder (or, with ``force``, a supervisor) hands it on."""


@dataclass(frozen=True)
class Transferred:
    from_user: str | None
    to_user: str
    conversation_moved: bool


def transfer_case(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    to_user: str,
    actor: str,
    note: str | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> Transferred:
    """Give the case to ``to_user``; a conversation ``actor`` holds moves with it.

    ``actor`` must hold the case (assigned to them, or holding its conversation) unless
    ``force`` (the right to assign work). The new holder's idle time starts now.
    """
    now = now or utcnow()
    intake = session.scalars(select(Intake).where(Intake.id == intake_id).with_for_update()).first()
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    conversation = (
        session.get(Conversation, intake.conversation_id, with_for_update=True)
        if intake.conversation_id is not None
        else None
    )
    held_by = conversation.held_by if conversation is not None else None
    if not force and actor not in (intake.assigned_to, held_by):
        raise TransferRefused("only the case's holder hands it on")
    if to_user == actor and not force:
        raise TransferRefused("the case is already yours")
    previous = intake.assigned_to
    intake.assigned_to, intake.assigned_staff_id, intake.updated_at = to_user[:64], None, now
    moved = conversation is not None and held_by is not None
    if conversation is not None and moved:
        conversation.held_by, conversation.held_at = to_user[:64], now
    if note and note.strip():
        casework.add_note(session, cipher=cipher, intake_id=intake_id, author=actor, text=note)
    record_audit(
        session,
        actor=actor,
        action="transfer",
        subject_type="intake",
        subject_id=intake_id,
        reason="casework",
        detail={"from": previous, "to": to_user, "held_from": held_by, "conversation": moved},
        at=now,
    )
    return Transferred(from_user=previous, to_user=to_user, conversation_moved=moved)
