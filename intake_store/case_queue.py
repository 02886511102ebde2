"""The queue staff work from: open cases filtered (reference, phone, status, province,
category, triage, since), counted, and the values the filters offer. No personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import Session

from intake_store import handoff
from intake_store.crypto import SenderHasher
from intake_store.models import (
    Conversation,
    Intake,
    IntakeSearchKey,
)


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
