"""Intakes (cases): opening from the assistant, merging what follows into the open case.

What a case's fields are and how they are set is in intake_store/intake_details.py; its staff
alert and the notices of what the person adds in intake_store/staff_notices.py; the person's own
confirmation and choice to stay anonymous in intake_store/person_choices.py. The status workflow
and classification are in intake_store/workflow.py; the read views (one case, its personal
fields) in intake_store/intake_views.py, the queue in intake_store/case_queue.py.

Urgent intakes get their ``staff_alert`` outbox row in the caller's transaction, so an intake is
never committed without the alert that must follow it. Likewise, what the person adds afterwards
(form answers, later messages) to a case staff were alerted to or took gets an ``intake_update``
row in the same transaction as the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_store.bursts import DEFAULT_WINDOW
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.intake_details import IntakeDetails, apply_details, index_person
from intake_store.models import Conversation, Intake, Message, StatusChange, utcnow
from intake_store.not_found import NotFound
from intake_store.staff_notices import (
    NEW_MESSAGE,
    alert_still_waiting,
    queue_alert,
    queue_update,
)
from nlu.case_code import ALPHABET
from nlu.case_code import LENGTH as CODE_LENGTH
from nlu.case_code import PREFIX as CODE_PREFIX
from nlu.triage_levels import LEVELS as TRIAGE_LEVELS
from nlu.triage_levels import RANK as TRIAGE_RANK

PRIORITY_URGENT, PRIORITY_HIGH, PRIORITY_NORMAL, PRIORITY_LOW = 3, 2, 1, 0
PRIORITY_FOR_TRIAGE = {
    "urgent": PRIORITY_URGENT,
    "report": PRIORITY_NORMAL,
    "help": PRIORITY_NORMAL,
    "question": PRIORITY_LOW,
    "other": PRIORITY_LOW,
}

# No 0/O, 1/I/L: read out over the phone; nlu.case_code parses what this issues.
REFERENCE_ALPHABET = ALPHABET


class NotTheConversationsIntake(LookupError):
    """A write for one conversation named a case that is neither its own nor linked to it."""


@dataclass(frozen=True)
class IntakeRef:
    id: int
    reference_code: str
    priority: int
    created: bool
    triage: str = "other"
    status: str = "new"
    alert_queued: bool = False


def new_reference(session: Session) -> str:
    while True:
        code = CODE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalars(select(Intake.id).where(Intake.reference_code == code)).first() is None:
            return code


def queue_staff_notice(
    session: Session, *, intake_id: int, fields: list[str], now: datetime | None = None
) -> bool:
    """Tell the staff who know of the case (an ``intake_update``); False if nobody does yet."""
    return queue_update(session, get_row(session, intake_id), fields, now or utcnow())


def _ref(intake: Intake, *, created: bool, alert_queued: bool = False) -> IntakeRef:
    return IntakeRef(
        id=intake.id,
        reference_code=intake.reference_code,
        priority=intake.priority,
        created=created,
        triage=intake.triage,
        status=intake.status,
        alert_queued=alert_queued,
    )


def open_intake(
    session: Session,
    *,
    cipher: FieldCipher,
    conversation_id: int,
    triage: str,
    urgent_reasons: list[str] | tuple[str, ...],
    source_message_id: int | None,
    language: str,
    details: IntakeDetails | None = None,
    window_hours: float = 72,
    now: datetime | None = None,
    burst_window: timedelta = DEFAULT_WINDOW,
    hasher: SenderHasher | None = None,
) -> IntakeRef:
    """Open a case for a message, or attach it to the conversation's open case.

    Idempotent per source message: a second call for it (a redelivered action, or the assistant
    after the gateway's urgency net opened the case) only adds what it knows more. Within
    ``window_hours`` of the open case's last activity, the message joins it and can only raise
    its triage/priority; an urgent case gets one staff alert, unless an urgent case from the
    same source opened within ``burst_window`` (intake_store/bursts.py): its alert carries this one.
    """
    if triage not in TRIAGE_LEVELS:
        raise ValueError(f"unknown triage level {triage!r}")
    now = now or utcnow()
    reasons = [str(r) for r in urgent_reasons]
    # Lock the conversation first: two messages from one person at once must not open two cases.
    # A no-op UPDATE is a row lock on PostgreSQL and takes SQLite's write lock (FOR UPDATE there
    # is ignored), so the reads below see what a concurrent call committed.
    locked = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_message_at=Conversation.last_message_at)
        .execution_options(synchronize_session=False)
    )
    if not locked.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"conversation {conversation_id} does not exist")
    message: Message | None = None
    if source_message_id is not None:
        # Lock the message so two deliveries of one action cannot both open a case.
        message = session.scalars(
            select(Message).where(Message.id == source_message_id).with_for_update()
        ).first()
        if message is None:
            raise NotFound(f"message {source_message_id} does not exist")
        if message.conversation_id != conversation_id:
            raise ValueError("the source message belongs to another conversation")
        if message.intake_id is not None:
            existing = session.get(Intake, message.intake_id)
            assert existing is not None
            if existing.status == "closed" or existing.anonymised_at is not None:
                return _ref(existing, created=False)
            # The same message again: a redelivered action, or the assistant filing a message
            # the gateway's urgency net already opened a case for (so the alert did not wait for
            # Rasa). What the assistant understood still counts: triage, reasons, details.
            return _merge_into(
                session,
                existing,
                cipher=cipher,
                triage=triage,
                reasons=reasons,
                details=details,
                language=language if existing.source_message_id == source_message_id else None,
                new_message=False,
                now=now,
                burst_window=burst_window,
                hasher=hasher,
            )

    conversation = session.get(Conversation, conversation_id)
    assert conversation is not None  # locked above

    intake = _linked_open_intake(session, conversation)
    if intake is None:
        intake = session.scalars(
            select(Intake)
            .where(
                Intake.conversation_id == conversation_id,
                Intake.status != "closed",
                Intake.updated_at >= now - timedelta(hours=window_hours),
            )
            .order_by(Intake.id.desc())
            .limit(1)
            .with_for_update()
        ).first()
    if intake is None:
        intake = Intake(
            reference_code=new_reference(session),
            conversation_id=conversation_id,
            source_message_id=source_message_id,
            triage=triage,
            priority=PRIORITY_FOR_TRIAGE[triage],
            status="new",
            urgent_reasons=reasons,
            language=language,
            channel=conversation.channel,
            escalation_level=0,
            received_at=message.created_at if message is not None else now,
            created_at=now,
            updated_at=now,
        )
        changed = apply_details(intake, cipher, details)
        session.add(intake)
        session.flush()
        index_person(session, hasher, intake, details, changed)
        session.add(
            StatusChange(
                intake_id=intake.id,
                from_status=None,
                to_status="new",
                actor="system:assistant",
                reason=f"opened by the assistant ({triage})",
                at=now,
            )
        )
        alert_queued = triage == "urgent" and queue_alert(session, intake, now, burst_window)
        if message is not None:
            message.intake_id = intake.id
        session.flush()
        return _ref(intake, created=True, alert_queued=alert_queued)
    if message is not None:
        message.intake_id = intake.id
    return _merge_into(
        session,
        intake,
        cipher=cipher,
        triage=triage,
        reasons=reasons,
        details=details,
        language=None,
        new_message=message is not None,
        now=now,
        burst_window=burst_window,
        hasher=hasher,
    )


def _merge_into(
    session: Session,
    intake: Intake,
    *,
    cipher: FieldCipher,
    triage: str,
    reasons: list[str],
    details: IntakeDetails | None,
    language: str | None,
    new_message: bool,
    now: datetime,
    burst_window: timedelta = DEFAULT_WINDOW,
    hasher: SenderHasher | None = None,
) -> IntakeRef:
    """Fold a message's findings into an open case: triage and priority only go up."""
    was_urgent = intake.triage == "urgent"
    if TRIAGE_RANK[triage] > TRIAGE_RANK[intake.triage]:
        intake.triage = triage
    intake.priority = max(intake.priority, PRIORITY_FOR_TRIAGE[triage])
    merged = list(intake.urgent_reasons or [])
    intake.urgent_reasons = merged + [r for r in reasons if r not in merged]
    changed = apply_details(intake, cipher, details)
    index_person(session, hasher, intake, details, changed)
    if language is not None:
        intake.language = language
    intake.updated_at = now
    alert_queued = False
    if intake.triage == "urgent" and not was_urgent:
        alert_queued = queue_alert(session, intake, now, burst_window)
    # A fresh alert says it all; otherwise tell who already knows. What the assistant adds to
    # the message the gateway's urgency net filed first is in the alert if that still waits.
    if not alert_queued:
        new_reasons = ["urgent_reasons"] if intake.urgent_reasons != merged else []
        fields = [*([NEW_MESSAGE] if new_message else []), *new_reasons, *changed]
        if fields and (new_message or not alert_still_waiting(session, intake)):
            queue_update(session, intake, fields, now)
    session.flush()
    return _ref(intake, created=False, alert_queued=alert_queued)


def _linked_open_intake(session: Session, conversation: Conversation) -> Intake | None:
    """The case the person named by its code in this conversation, while it is open."""
    if conversation.linked_intake_id is None:
        return None
    return session.scalars(
        select(Intake)
        .where(
            Intake.id == conversation.linked_intake_id,
            Intake.status != "closed",
            Intake.anonymised_at.is_(None),
        )
        .with_for_update()
    ).first()


def update_details(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    details: IntakeDetails,
    now: datetime | None = None,
    hasher: SenderHasher | None = None,
    conversation_id: int | None = None,
) -> list[str]:
    """Fill in form answers (only the given keys change); returns the fields that changed.

    Changes to a case staff were alerted to or took queue an ``intake_update`` notice for them.
    With ``hasher``, a contact phone or name given is indexed for the operators' search.
    ``conversation_id``: the writer speaks for this conversation (the assistant's turn), so the
    case must be its own or the one staff linked it to (``NotTheConversationsIntake``): an id
    from a slot must never put one person's answers into another person's case.
    """
    now = now or utcnow()
    intake = get_row(session, intake_id)
    if conversation_id is not None and intake.conversation_id != conversation_id:
        linked = session.scalar(
            select(Conversation.linked_intake_id).where(Conversation.id == conversation_id)
        )
        if linked != intake.id:
            raise NotTheConversationsIntake(
                f"intake {intake_id} is not conversation {conversation_id}'s"
            )
    changed = apply_details(intake, cipher, details)
    index_person(session, hasher, intake, details, changed)
    intake.updated_at = now
    queue_update(session, intake, changed, now)
    return changed


def get_row(session: Session, intake_id: int) -> Intake:
    """The intake row (for the store's own modules); NotFound when there is none."""
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    return intake


def find_by_reference(session: Session, *, reference_code: str) -> IntakeRef | None:
    code = reference_code.strip().upper()
    intake = session.scalars(select(Intake).where(Intake.reference_code == code)).first()
    return None if intake is None else _ref(intake, created=False)


def raise_triage(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    triage: str,
    reasons: list[str],
    now: datetime | None = None,
) -> IntakeRef:
    """What an operator learnt on a call about an existing case, folded in as a message's
    findings are: triage and reasons only rise, a case becoming urgent gets its staff alert."""
    if triage not in TRIAGE_LEVELS:
        raise ValueError(f"unknown triage level {triage!r}")
    return _merge_into(
        session,
        get_row(session, intake_id),
        cipher=cipher,
        triage=triage,
        reasons=list(reasons),
        details=None,
        language=None,
        new_message=False,
        now=now or utcnow(),
    )
