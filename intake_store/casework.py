"""Casework on an intake: notes, referrals to agencies, assignment, the timeline, replies.

Keyword-only repository functions; callers own the transaction. Note and referral texts are
personal data: they are stored encrypted and reading them writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import Session

from intake_store import handoff
from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import (
    Alert,
    AuditEntry,
    Conversation,
    Intake,
    IntakeSearchKey,
    Note,
    OutboxRow,
    Referral,
    StatusChange,
    utcnow,
)
from intake_store.not_found import NotFound
from intake_store.outbox import enqueue
from intake_store.safe_window import SafeWindow

# Agencies named by the seed plans and the 2024 law (Điều 27), in the order staff think of them.
AGENCIES: dict[str, str] = {
    "cong_an": "Công an",
    "bien_phong": "Bộ đội Biên phòng",
    "canh_sat_bien": "Cảnh sát biển",
    "ubnd_xa": "UBND xã",
    "ttctxh": "Trung tâm Công tác xã hội",
    "so_y_te": "Sở Y tế",
    "tro_giup_phap_ly": "Trợ giúp pháp lý",
    "hoi_lhpn": "Hội LHPN",
    "ngo_shelter": "Nhà tạm lánh (NGO)",
}
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
    "person_confirmed",  # intakes.record_confirmation
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
    agency_label: str
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
            agency_label=AGENCIES.get(row.agency, row.agency),
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


@dataclass(frozen=True)
class QueueRow:
    """One open intake as the console queue shows it (no personal data)."""

    id: int
    reference_code: str
    triage: str
    urgent_reasons: list[str]
    channel: str | None
    province: str | None
    category: str | None
    status: str
    received_at: datetime
    assigned_to: str | None
    acknowledged_at: datetime | None
    escalation_level: int
    is_minor: bool = False  # a child (CHILD_REASONS too): flagged, first within its triage level
    # Human handoff: the operator holding the conversation, the person waiting for a human,
    # and how many of their messages only the operator has (unread).
    held_by: str | None = None
    waiting_for_human: bool = False
    unread: int = 0
    source: str | None = None  # filed by an operator: how it came (filing.SOURCES)


def phone_hashes(hasher: SenderHasher, phone: str) -> list[str]:
    """Keyed hashes a phone number may have been stored under (SMS senders, as typed or E.164)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return []
    forms = {phone.strip(), digits, "+" + digits}
    if digits.startswith("0"):
        forms.add("+84" + digits[1:])
    if digits.startswith("84"):
        forms.add("0" + digits[2:])
    return sorted(hasher.hash(channel="sms", sender_id=form) for form in forms)


# Urgent reasons (nlu/urgency.py) that say the person in danger is a child, whatever the "is a
# minor" field holds: such a case is a child's in the queue too.
CHILD_REASONS = frozenset({"child_taken", "child_missing_recent"})


def _is_child() -> Any:
    # The reasons are a JSON list of codes; its text holds each code in quotes on SQLite and
    # PostgreSQL alike, so a LIKE finds one without a dialect's JSON functions.
    reasons = cast(Intake.urgent_reasons, String)
    return or_(
        Intake.is_minor.is_(True),
        *(reasons.like(f'%"{reason}"%') for reason in sorted(CHILD_REASONS)),
    )


def _open_intakes(
    query: Any,
    *,
    sender_hashes: list[str] | None,
    reference: str | None,
    status: str | None,
    province: str | None,
    category: str | None,
    triage: str | None,
    since: datetime | None,
) -> Any:
    query = query.where(Intake.status != "closed")
    if sender_hashes is not None:
        # An SMS sender, or a caller or contact an operator filed (intake_store/filing.py).
        by_sender = (
            select(Intake.id)
            .join(Conversation, Conversation.id == Intake.conversation_id)
            .where(Conversation.sender_hash.in_(sender_hashes))
        )
        by_key = select(IntakeSearchKey.intake_id).where(
            IntakeSearchKey.kind == "phone", IntakeSearchKey.key_hash.in_(sender_hashes)
        )
        query = query.where(or_(Intake.id.in_(by_sender), Intake.id.in_(by_key)))
    if reference:
        query = query.where(Intake.reference_code == reference.strip().upper())
    if status:
        query = query.where(Intake.status == status)
    if province:
        query = query.where(Intake.province == province)
    if category:
        query = query.where(Intake.category == category)
    if triage:
        query = query.where(Intake.triage == triage)
    if since is not None:
        query = query.where(Intake.received_at >= since)
    return query


def count_open_intakes(
    session: Session,
    *,
    sender_hashes: list[str] | None = None,
    reference: str | None = None,
    status: str | None = None,
    province: str | None = None,
    category: str | None = None,
    triage: str | None = None,
    since: datetime | None = None,
) -> int:
    """How many open intakes match: the queue's pages."""
    query = _open_intakes(
        select(func.count(Intake.id)).select_from(Intake),
        sender_hashes=sender_hashes,
        reference=reference,
        status=status,
        province=province,
        category=category,
        triage=triage,
        since=since,
    )
    return int(session.scalar(query) or 0)


def search_open_intakes(
    session: Session,
    *,
    sender_hashes: list[str] | None = None,
    reference: str | None = None,
    status: str | None = None,
    province: str | None = None,
    category: str | None = None,
    triage: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[QueueRow]:
    """Open (not closed) intakes matching every given filter, most urgent and oldest first;
    ``offset``/``limit`` page through them."""
    query = _open_intakes(
        select(Intake),
        sender_hashes=sender_hashes,
        reference=reference,
        status=status,
        province=province,
        category=category,
        triage=triage,
        since=since,
    )
    # The store's queue order: priority (urgent highest), children first within it, untouched
    # first, then longest waiting. (CASE, not the nullable column: NULLs sort differently on
    # SQLite and PostgreSQL.)
    child_first = case((_is_child(), 0), else_=1)
    query = query.order_by(
        Intake.priority.desc(),
        child_first,
        (Intake.status == "new").desc(),
        Intake.received_at,
        Intake.id,
    )
    query = query.offset(max(0, offset)).limit(limit)
    intakes = list(session.scalars(query))
    conversation_ids = [row.conversation_id for row in intakes if row.conversation_id is not None]
    holds = handoff.hold_states(session, conversation_ids=conversation_ids)
    unread = handoff.unread_counts(session, conversation_ids=conversation_ids)
    return [
        QueueRow(
            id=row.id,
            reference_code=row.reference_code,
            triage=row.triage,
            urgent_reasons=list(row.urgent_reasons or []),
            channel=row.channel,
            province=row.province,
            category=row.category,
            status=row.status,
            received_at=row.received_at,
            assigned_to=row.assigned_to,
            acknowledged_at=row.acknowledged_at,
            escalation_level=row.escalation_level,
            is_minor=bool(row.is_minor) or bool(CHILD_REASONS & set(row.urgent_reasons or [])),
            held_by=hold.held_by if hold else None,
            waiting_for_human=bool(hold and hold.waiting_for_human),
            unread=unread.get(row.conversation_id or 0, 0),
            source=row.source,
        )
        for row in intakes
        for hold in [holds.get(row.conversation_id or 0)]
    ]


def open_filter_values(session: Session) -> dict[str, list[str]]:
    """Distinct provinces, categories and statuses of open intakes, for the filter menus."""
    values: dict[str, list[str]] = {}
    for name, column in (
        ("province", Intake.province),
        ("category", Intake.category),
        ("status", Intake.status),
    ):
        rows = session.scalars(
            select(column).where(Intake.status != "closed", column.is_not(None)).distinct()
        ).all()
        values[name] = sorted(str(value) for value in rows)
    return values


@dataclass(frozen=True)
class CaseSummary:
    """The non-identifying facts of one intake (shown without a reveal)."""

    id: int
    reference_code: str
    conversation_id: int | None
    triage: str
    status: str
    urgent_reasons: list[str]
    language: str
    channel: str | None
    category: str | None
    destination_country: str | None
    province: str | None
    at_risk: str | None
    age_band: str | None
    is_minor: bool | None
    people_count: int | None
    consent_contact: bool | None
    safe_to_contact: bool | None
    contact_method: str | None
    has_safe_contact_time: bool  # the person's own words about when (encrypted, not shown here)
    return_mode: str | None
    discovery: str | None
    route: str | None
    assigned_to: str | None
    escalation_level: int
    received_at: datetime
    alerted_at: datetime | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    has_personal_data: bool
    source: str | None = None  # filed by an operator: how it came (filing.SOURCES)
    filed_by: str | None = None


PERSONAL_FIELDS = (
    "contact_name",
    "contact_phone",
    "location_detail",
    "safe_contact_time",
    "summary",
)


def case_summary(session: Session, *, intake_id: int) -> CaseSummary:
    row = _intake(session, intake_id)
    return CaseSummary(
        id=row.id,
        reference_code=row.reference_code,
        conversation_id=row.conversation_id,
        triage=row.triage,
        status=row.status,
        urgent_reasons=list(row.urgent_reasons or []),
        language=row.language,
        channel=row.channel,
        category=row.category,
        destination_country=row.destination_country,
        province=row.province,
        at_risk=row.at_risk,
        age_band=row.age_band,
        is_minor=row.is_minor,
        people_count=row.people_count,
        consent_contact=row.consent_contact,
        safe_to_contact=row.safe_to_contact,
        contact_method=row.contact_method,
        has_safe_contact_time=row.safe_contact_time_enc is not None,
        return_mode=row.return_mode,
        discovery=row.discovery,
        route=row.route,
        assigned_to=row.assigned_to,
        escalation_level=row.escalation_level,
        received_at=row.received_at,
        alerted_at=row.alerted_at,
        acknowledged_at=row.acknowledged_at,
        closed_at=row.closed_at,
        has_personal_data=any(getattr(row, f"{name}_enc") is not None for name in PERSONAL_FIELDS),
        source=row.source,
        filed_by=row.filed_by,
    )


@dataclass(frozen=True)
class AlertView:
    """A staff alert as the notifier recorded it (text has no personal data by contract)."""

    id: int
    intake_id: int | None
    reference_code: str | None
    channel: str
    status: str
    text: str
    error: str | None
    created_at: datetime
    sent_at: datetime | None


def recent_alerts(session: Session, *, limit: int = 100) -> list[AlertView]:
    """Newest staff alerts first: what the Telegram, SMS or logging notifier delivered."""
    rows = session.execute(
        select(Alert, Intake.reference_code)
        .outerjoin(Intake, Intake.id == Alert.intake_id)
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(limit)
    ).all()
    return [
        AlertView(
            id=alert.id,
            intake_id=alert.intake_id,
            reference_code=reference,
            channel=alert.channel,
            status=alert.status,
            text=alert.text,
            error=alert.error,
            created_at=alert.created_at,
            sent_at=alert.sent_at,
        )
        for alert, reference in rows
    ]


def reference_codes(session: Session, *, intake_ids: list[int]) -> dict[int, str]:
    """The CT- codes of these intakes: what people read instead of internal ids."""
    if not intake_ids:
        return {}
    rows = session.execute(
        select(Intake.id, Intake.reference_code).where(Intake.id.in_(set(intake_ids)))
    ).all()
    return {int(row_id): str(code) for row_id, code in rows}


def intake_id_for_reference(session: Session, *, reference: str) -> int | None:
    found = session.scalars(
        select(Intake.id).where(Intake.reference_code == reference.strip().upper())
    ).first()
    return None if found is None else int(found)
