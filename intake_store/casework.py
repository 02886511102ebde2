"""Casework on an intake: notes, referrals to agencies, assignment, the timeline, replies.

Keyword-only repository functions; callers own the transaction. Note and referral texts are
personal data: they are stored encrypted and reading them writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.models import (
    AuditEntry,
    Intake,
    Note,
    OutboxRow,
    Referral,
    StatusChange,
    utcnow,
)
from intake_store.not_found import NotFound
from intake_store.outbox import enqueue
from intake_store.safe_window import SafeWindow

# Agencies named by the seed plans and the 2024 law (Điều 27), in the order staff think of them;
# what people read for each code is in console/labels.py (AGENCY).
AGENCIES: tuple[str, ...] = (
    "cong_an",
    "bien_phong",
    "canh_sat_bien",
    "ubnd_xa",
    "ttctxh",
    "so_y_te",
    "tro_giup_phap_ly",
    "hoi_lhpn",
    "ngo_shelter",
)
REFERRAL_STATUSES = ("proposed", "sent", "accepted", "in_progress", "completed", "declined")
# Audit actions that describe casework (no personal data in their detail): shown in the timeline.
TIMELINE_ACTIONS = (
    "assign",
    "add_note",
    "add_referral",
    "referral_status",
    "queue_reply",
    "hold_reply",
    "set_safe_window",
    "hold_conversation",
    "release_conversation",
    "erasure_requested",
    "file_intake",  # intake_store/filing.py
    "attach_call",
    "transfer",  # intake_store/transfer.py
    "person_confirmed",  # person_choices.record_confirmation
    "person_not_confirmed",
)


class CaseworkError(ValueError):
    """A casework request that cannot be carried out (unknown agency, unsafe reply, ...)."""


@dataclass(frozen=True)
class NoteView:
    id: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ReferralView:
    id: int
    agency: str
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str  # status | assign | add_note | add_referral | referral_status | queue_reply
    detail: dict[str, Any]
    reason: str | None


def _intake(session: Session, intake_id: int) -> Intake:
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    return intake


def _audit(
    session: Session,
    *,
    actor: str,
    action: str,
    intake_id: int,
    reason: str,
    detail: dict[str, Any] | None = None,
) -> None:
    record_audit(
        session,
        actor=actor,
        action=action,
        subject_type="intake",
        subject_id=intake_id,
        reason=reason,
        detail=detail,
    )


def _touch(intake: Intake) -> None:
    now = utcnow()
    intake.updated_at = now
    if intake.first_action_at is None:
        intake.first_action_at = now


def add_note(
    session: Session, *, cipher: FieldCipher, intake_id: int, author: str, text: str
) -> int:
    text = text.strip()
    if not text:
        raise CaseworkError("empty note")
    intake = _intake(session, intake_id)
    note = Note(intake_id=intake_id, author=author, text_enc=cipher.encrypt(text))
    session.add(note)
    _touch(intake)
    session.flush()
    _audit(
        session,
        actor=author,
        action="add_note",
        intake_id=intake_id,
        reason="casework",
        detail={"note_id": note.id},
    )
    return note.id


def read_notes(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    actor: str,
    reason: str,
    audited: bool = True,
) -> list[NoteView]:
    """Decrypted notes of an intake; audited like every read of personal data."""
    if not reason.strip():
        raise CaseworkError("a reason is required to read notes")
    rows = session.scalars(select(Note).where(Note.intake_id == intake_id).order_by(Note.id)).all()
    # audited=False: only to show again, minutes later, what this actor revealed and was
    # audited for (the console's reveal grant, console/reveal_grant.py).
    if audited:
        _audit(
            session,
            actor=actor,
            action="read_notes",
            intake_id=intake_id,
            reason=reason,
            detail={"count": len(rows)},
        )
    return [
        NoteView(
            id=row.id,
            author=row.author,
            text=cipher.decrypt(row.text_enc) if row.text_enc else "",
            created_at=row.created_at,
        )
        for row in rows
    ]


def count_notes(session: Session, *, intake_id: int) -> int:
    return len(session.scalars(select(Note.id).where(Note.intake_id == intake_id)).all())


def add_referral(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    agency: str,
    actor: str,
    note: str | None = None,
) -> int:
    if agency not in AGENCIES:
        raise CaseworkError(f"unknown agency {agency!r}")
    intake = _intake(session, intake_id)
    referral = Referral(
        intake_id=intake_id,
        agency=agency,
        status="proposed",
        note_enc=cipher.encrypt(note) if note and note.strip() else None,
        created_by=actor,
    )
    session.add(referral)
    _touch(intake)
    session.flush()
    _audit(
        session,
        actor=actor,
        action="add_referral",
        intake_id=intake_id,
        reason="casework",
        detail={"referral_id": referral.id, "agency": agency},
    )
    return referral.id


def set_referral_status(
    session: Session, *, referral_id: int, status: str, actor: str, reason: str = ""
) -> None:
    if status not in REFERRAL_STATUSES:
        raise CaseworkError(f"unknown referral status {status!r}")
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(f"referral {referral_id} does not exist")
    previous = referral.status
    referral.status = status
    referral.updated_at = utcnow()
    _audit(
        session,
        actor=actor,
        action="referral_status",
        intake_id=referral.intake_id,
        reason=reason or "casework",
        detail={
            "referral_id": referral_id,
            "agency": referral.agency,
            "from": previous,
            "to": status,
        },
    )


def list_referrals(session: Session, *, intake_id: int) -> list[ReferralView]:
    rows = session.scalars(
        select(Referral).where(Referral.intake_id == intake_id).order_by(Referral.id)
    ).all()
    return [
        ReferralView(
            id=row.id,
            agency=row.agency,
            status=row.status,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in rows
    ]


def assign(session: Session, *, intake_id: int, assignee: str, actor: str, reason: str) -> None:
    """Give the intake to a console user (the queue's "holder")."""
    if not reason.strip():
        raise CaseworkError("a reason is required to assign")
    intake = _intake(session, intake_id)
    previous = intake.assigned_to
    intake.assigned_to = assignee
    _touch(intake)
    _audit(
        session,
        actor=actor,
        action="assign",
        intake_id=intake_id,
        reason=reason,
        detail={"from": previous, "to": assignee},
    )


def timeline(session: Session, *, intake_id: int) -> list[TimelineEntry]:
    """Status changes and casework events of one intake, oldest first (no personal data)."""
    entries = [
        TimelineEntry(
            at=row.at,
            actor=row.actor,
            kind="status",
            detail={"from": row.from_status, "to": row.to_status},
            reason=row.reason,
        )
        for row in session.scalars(
            select(StatusChange).where(StatusChange.intake_id == intake_id)
        ).all()
    ]
    entries += [
        TimelineEntry(
            at=row.at,
            actor=row.actor,
            kind=row.action,
            detail=dict(row.detail or {}),
            reason=None if row.reason == "casework" else row.reason,
        )
        for row in session.scalars(
            select(AuditEntry).where(
                AuditEntry.subject_type == "intake",
                AuditEntry.subject_id == intake_id,
                AuditEntry.action.in_(TIMELINE_ACTIONS),
            )
        ).all()
    ]
    return sorted(entries, key=lambda entry: entry.at)


def can_reply(session: Session, *, intake_id: int) -> bool:
    """Only a person who said it is safe to contact them may get a message from staff."""
    intake = _intake(session, intake_id)
    return bool(intake.safe_to_contact) and intake.conversation_id is not None


def held_replies(session: Session, *, intake_id: int, now: datetime) -> list[datetime]:
    """When each reply held for the person's safe window goes out (pending, due later)."""
    rows = session.scalars(
        select(OutboxRow.next_attempt_at).where(
            OutboxRow.intake_id == intake_id,
            OutboxRow.kind == "person_reply",
            OutboxRow.status == "pending",
            OutboxRow.next_attempt_at > now,
        )
    ).all()
    return sorted(rows)


def safe_window(session: Session, *, intake_id: int) -> SafeWindow | None:
    """The daily hours the person said staff may contact them in, if known (no personal data)."""
    intake = _intake(session, intake_id)
    if intake.safe_from is None or intake.safe_until is None:
        return None
    return SafeWindow(intake.safe_from, intake.safe_until)


def set_safe_window(
    session: Session, *, intake_id: int, window: SafeWindow | None, actor: str
) -> None:
    """Staff set (or clear) the window after reading the person's own words; audited."""
    intake = _intake(session, intake_id)
    intake.safe_from = window.start if window else None
    intake.safe_until = window.end if window else None
    _audit(
        session,
        actor=actor,
        action="set_safe_window",
        intake_id=intake_id,
        reason="safe window",
        detail={"window": window.text() if window else None},
    )


def queue_reply(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    actor: str,
    text: str,
    not_before: datetime | None = None,
) -> int:
    """Store a staff reply (encrypted) and put it in the outbox for the gateway to deliver.

    Returns the outbox row id. Refuses unless the person said it is safe to contact them.
    ``not_before``: held in the outbox until then (the person's safe window opens); the web chat
    page picks it up only once the gateway has taken it, so not earlier either.
    """
    from intake_store.messages import record_outbound  # the store's own writer of outbound text

    text = text.strip()
    if not text:
        raise CaseworkError("empty reply")
    if not can_reply(session, intake_id=intake_id):
        raise CaseworkError("the person has not said it is safe to contact them")
    intake = _intake(session, intake_id)
    assert intake.conversation_id is not None
    message_id = record_outbound(
        session, cipher=cipher, conversation_id=intake.conversation_id, text=text, status="queued"
    )
    outbox_id = enqueue(
        session,
        kind="person_reply",
        intake_id=intake_id,
        payload={"message_id": message_id, "conversation_id": intake.conversation_id},
        dedupe_key=f"person_reply:{message_id}",
        not_before=not_before,
    )
    if outbox_id is None:  # a new message id cannot have been queued before
        raise CaseworkError("reply already queued")
    _touch(intake)
    _audit(
        session,
        actor=actor,
        action="hold_reply" if not_before is not None else "queue_reply",
        intake_id=intake_id,
        reason="casework",
        detail={"message_id": message_id}
        | ({"until": not_before.isoformat()} if not_before is not None else {}),
    )
    return outbox_id
