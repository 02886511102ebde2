"""Intakes (cases): opening from the assistant, merging what follows into the open case.

The status workflow and classification are in intake_store/workflow.py; the read views (the
queue, one case, its personal fields) in intake_store/intake_views.py.

Urgent intakes get their ``staff_alert`` outbox row in the caller's transaction, so an intake is
never committed without the alert that must follow it. Likewise, what the person adds afterwards
(form answers, later messages) to a case staff were alerted to or took gets an ``intake_update``
row in the same transaction as the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.bursts import DEFAULT_WINDOW, fold_into_burst
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import Conversation, Intake, Message, OutboxRow, StatusChange, utcnow
from intake_store.not_found import NotFound
from intake_store.outbox import enqueue, enqueue_intake_update
from intake_store.safe_window import parse_safe_window
from intake_store.search_keys import add_keys, forget_keys
from intake_store.statistics import (
    STATISTICS_FIELDS,
    Discovery,
    ReturnMode,
    Route,
    check_statistics_value,
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

CATEGORIES = (
    "sexual_exploitation",
    "forced_labour",
    "forced_marriage",
    "organ_removal",
    "surrogacy_baby_selling",
    "forced_criminality",
    "other",
)
REFERENCE_ALPHABET = ALPHABET  # nlu.case_code parses what this issues
# Pseudo-field of an ``intake_update``: a new message from the person joined the case.
NEW_MESSAGE = "message"
# Pseudo-field of an ``intake_update``: the person came back in another conversation.
RETURNED = "conversation"
# Pseudo-field: the case code was typed in another conversation; staff have to confirm the link.
CLAIMED = "conversation_claimed"
# Changes within these seconds of each other reach staff as one notice.
UPDATE_NOTICE_DELAY_SECONDS = 5.0  # no 0/O, 1/I/L: read out over the phone

# Non-personal fields (plain columns) and personal ones (encrypted) accepted in ``details``.
PLAIN_DETAILS = (
    "category",
    "destination_country",
    "province",
    "at_risk",
    "age_band",
    "is_minor",
    "people_count",
    "consent_contact",
    "contact_method",
    "safe_to_contact",
    "return_mode",
    "discovery",
    "route",
)
PERSONAL_DETAILS = (
    "location_detail",
    "contact_name",
    "contact_phone",
    "safe_contact_time",
    "summary",
)


class IntakeDetails(TypedDict, total=False):
    category: str
    destination_country: str
    province: str
    at_risk: str  # self | relative | other
    age_band: str
    is_minor: bool
    people_count: int
    consent_contact: bool
    contact_method: str  # call | sms | zalo | telegram | none
    safe_to_contact: bool
    return_mode: ReturnMode  # statistics.RETURN_MODES (checked at run time too)
    discovery: Discovery
    route: Route
    location_detail: str
    contact_name: str
    contact_phone: str
    safe_contact_time: str
    summary: str


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


def _new_reference(session: Session) -> str:
    while True:
        code = CODE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalars(select(Intake.id).where(Intake.reference_code == code)).first() is None:
            return code


def check_details(details: IntakeDetails | dict[str, Any]) -> None:
    """Raise ``ValueError`` (with the field named) for unknown fields or values."""
    unknown = set(details) - set(PLAIN_DETAILS) - set(PERSONAL_DETAILS)
    if unknown:
        raise ValueError(f"unknown intake details: {sorted(unknown)}")
    if details.get("category") not in (None, *CATEGORIES):
        raise ValueError(f"unknown category {details.get('category')!r}")
    for name in STATISTICS_FIELDS:
        check_statistics_value(name, details.get(name))


def _same_secret(cipher: FieldCipher, token: str | None, value: str) -> bool:
    if token is None:
        return False
    try:
        return cipher.decrypt(token) == value
    except Exception:  # a retired key: treat as changed and re-encrypt with the current one
        return False


def _apply_details(intake: Intake, cipher: FieldCipher, details: IntakeDetails | None) -> list[str]:
    """Set the given fields; returns the names of those whose value actually changed."""
    if not details:
        return []
    check_details(details)
    values: dict[str, Any] = dict(details)
    changed: list[str] = []
    for name in PLAIN_DETAILS:
        value = values.get(name)
        if value is not None and getattr(intake, name) != value:
            setattr(intake, name, value)
            changed.append(name)
    for name in PERSONAL_DETAILS:
        value = values.get(name)
        # Compared in memory only (nothing is shown), so no audit row: this is not a read by anyone.
        if value is not None and not _same_secret(
            cipher, getattr(intake, f"{name}_enc"), str(value)
        ):
            setattr(intake, f"{name}_enc", cipher.encrypt(str(value)))
            changed.append(name)
            if name == "safe_contact_time":
                # The hours in the words, for the reply box; words it cannot read leave the
                # window staff may have set.
                window = parse_safe_window(str(value))
                if window is not None:
                    intake.safe_from, intake.safe_until = window.start, window.end
    return changed


def _index_person(
    session: Session,
    hasher: SenderHasher | None,
    intake: Intake,
    details: IntakeDetails | None,
    changed: list[str],
) -> None:
    """A contact phone or name the person gave: its keyed hash, so an operator taking a call
    from them finds this case before filing another (intake_store/search_keys.py)."""
    if hasher is None or not details:
        return
    values: dict[str, Any] = dict(details)
    phones = [str(values["contact_phone"])] if "contact_phone" in changed else []
    names = [str(values["contact_name"])] if "contact_name" in changed else []
    if phones or names:
        add_keys(session, hasher=hasher, intake_id=intake.id, phones=phones, names=names)


def _staff_know_of(session: Session, intake: Intake) -> bool:
    """Someone took the case, or an alert about it is (or was) on its way."""
    if intake.assigned_staff_id is not None or intake.acknowledged_at is not None:
        return True
    alert = select(OutboxRow.id).where(
        OutboxRow.intake_id == intake.id, OutboxRow.kind == "staff_alert"
    )
    return session.scalars(alert.limit(1)).first() is not None


def _alert_still_waiting(session: Session, intake: Intake) -> bool:
    """The first alert is queued and untouched: the worker reads the case's fields when it sends
    it, so a change now is in the alert and needs no notice of its own. Locked, so a worker's
    claim of the row waits for this transaction and then reads what it wrote."""
    waiting = select(OutboxRow.id).where(
        OutboxRow.intake_id == intake.id,
        OutboxRow.kind == "staff_alert",
        OutboxRow.status == "pending",
        OutboxRow.attempts == 0,
        OutboxRow.claimed_by.is_(None),
    )
    return session.scalars(waiting.limit(1).with_for_update()).first() is not None


def queue_staff_notice(
    session: Session, *, intake_id: int, fields: list[str], now: datetime | None = None
) -> bool:
    """Tell the staff who know of the case (an ``intake_update``); False if nobody does yet."""
    return _queue_update(session, get_row(session, intake_id), fields, now or utcnow())


def _queue_update(session: Session, intake: Intake, fields: list[str], now: datetime) -> bool:
    if not fields or intake.status == "closed" or not _staff_know_of(session, intake):
        return False
    enqueue_intake_update(
        session,
        intake_id=intake.id,
        reference_code=intake.reference_code,
        fields=fields,
        now=now,
        delay_seconds=UPDATE_NOTICE_DELAY_SECONDS,
    )
    return True


def _alert_payload(intake: Intake) -> dict[str, Any]:
    # Identifiers only: the worker reads the current non-personal fields at delivery time.
    return {"intake_id": intake.id, "reference_code": intake.reference_code, "level": 0}


def _queue_alert(
    session: Session, intake: Intake, now: datetime, burst_window: timedelta = DEFAULT_WINDOW
) -> bool:
    """Queue the staff alert of a case that became urgent, unless it joins its source's burst."""
    if fold_into_burst(session, intake=intake, now=now, window=burst_window):
        return False
    return (
        enqueue(
            session,
            kind="staff_alert",
            dedupe_key=f"staff_alert:{intake.id}",
            payload=_alert_payload(intake),
            intake_id=intake.id,
            now=now,
        )
        is not None
    )


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
            raise LookupError(f"message {source_message_id} does not exist")
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
            reference_code=_new_reference(session),
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
        changed = _apply_details(intake, cipher, details)
        session.add(intake)
        session.flush()
        _index_person(session, hasher, intake, details, changed)
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
        alert_queued = triage == "urgent" and _queue_alert(session, intake, now, burst_window)
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
    changed = _apply_details(intake, cipher, details)
    _index_person(session, hasher, intake, details, changed)
    if language is not None:
        intake.language = language
    intake.updated_at = now
    alert_queued = False
    if intake.triage == "urgent" and not was_urgent:
        alert_queued = _queue_alert(session, intake, now, burst_window)
    # A fresh alert says it all; otherwise tell who already knows. What the assistant adds to
    # the message the gateway's urgency net filed first is in the alert if that still waits.
    if not alert_queued:
        new_reasons = ["urgent_reasons"] if intake.urgent_reasons != merged else []
        fields = [*([NEW_MESSAGE] if new_message else []), *new_reasons, *changed]
        if fields and (new_message or not _alert_still_waiting(session, intake)):
            _queue_update(session, intake, fields, now)
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
    changed = _apply_details(intake, cipher, details)
    _index_person(session, hasher, intake, details, changed)
    intake.updated_at = now
    _queue_update(session, intake, changed, now)
    return changed


# The person's own yes or no to the summary of their answers (the timeline shows it).
CONFIRMATIONS = {True: "person_confirmed", False: "person_not_confirmed"}
CONTACT_DETAILS = ("contact_name", "contact_phone", "safe_contact_time")


def record_confirmation(
    session: Session, *, intake_id: int, confirmed: bool, actor: str = "system:assistant"
) -> None:
    """The person said their answers are right (or not yet): an audit row on the intake, shown in
    the console's timeline. The answers themselves are saved as they come (``update_details``)."""
    get_row(session, intake_id)
    record_audit(
        session,
        actor=actor,
        action=CONFIRMATIONS[confirmed],
        subject_type="intake",
        subject_id=intake_id,
        reason="the person's answer to the summary of their report",
    )


def clear_contact(
    session: Session, *, cipher: FieldCipher, intake_id: int, summary: str | None = None
) -> None:
    """Forget the reporter's contact details (they chose to stay anonymous after giving them);
    ``summary``, when given, replaces the stored staff summary (without the contact line)."""
    intake = get_row(session, intake_id)
    for name in CONTACT_DETAILS:
        setattr(intake, f"{name}_enc", None)
    forget_keys(session, intake_ids=[intake_id])  # the phone or name would still find the case
    intake.safe_from = intake.safe_until = None  # read from the safe time just forgotten
    intake.consent_contact = False
    intake.contact_method = "none"
    if summary is not None:
        intake.summary_enc = cipher.encrypt(summary) if summary else None
    intake.updated_at = utcnow()


def raise_priority(session: Session, *, intake_id: int, priority: int, actor: str) -> int:
    """Set a higher priority (a lower one is ignored); returns the priority now in force."""
    intake = get_row(session, intake_id)
    if priority > intake.priority:
        intake.priority = priority
        intake.updated_at = utcnow()
    return intake.priority


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


# For intake_store.filing, which opens cases without a conversation the same way.
new_reference = _new_reference
apply_details = _apply_details
queue_alert = _queue_alert
