"""Before filing a call: the cases the person may already have.

By phone number or name (keyed hashes only: ``intake_search_keys`` and the SMS sender hash chats
are stored under), case code or place. A search by phone or name is audited, without the
searched value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.case_queue import phone_hashes
from intake_store.crypto import SenderHasher
from intake_store.models import Conversation, Intake, IntakeSearchKey
from intake_store.search_keys import NAME, PHONE, folded_name, name_key


@dataclass(frozen=True)
class CaseMatch:
    """A case a search found (no personal data): what the operator picks to attach to."""

    id: int
    reference_code: str
    triage: str
    status: str
    province: str | None
    source: str | None
    channel: str | None
    received_at: datetime
    matched_by: tuple[str, ...]  # code | phone | name | place


def search_cases(
    session: Session,
    *,
    hasher: SenderHasher,
    query: str,
    actor: str,
    limit: int = 20,
) -> list[CaseMatch]:
    """Cases the person of a new call may already have: by case code, phone number (keyed
    hashes of filed callers and contacts, and of SMS senders), full name (keyed hash of the
    folded name) or place (province or destination country). Newest first.

    Searching by phone or name is a use of personal data: audited, without the value searched.
    """
    text = " ".join(query.split())
    if not text:
        return []
    found: dict[int, set[str]] = {}

    def hit(ids: list[int], how: str) -> None:
        for intake_id in ids:
            found.setdefault(intake_id, set()).add(how)

    code = text.upper()
    hit(list(session.scalars(select(Intake.id).where(Intake.reference_code == code))), "code")
    by_person = []
    # A case code found is the answer: a code with six digits is not also looked up as a phone
    # (that would be a needless, audited search of personal data).
    if not found and sum(ch.isdigit() for ch in text) >= 6:
        by_person.append(PHONE)
        hashes = phone_hashes(hasher, text)
        hit(
            list(
                session.scalars(
                    select(IntakeSearchKey.intake_id).where(
                        IntakeSearchKey.kind == PHONE, IntakeSearchKey.key_hash.in_(hashes)
                    )
                )
            ),
            PHONE,
        )
        hit(
            list(
                session.scalars(
                    select(Intake.id)
                    .join(Conversation, Conversation.id == Intake.conversation_id)
                    .where(Conversation.sender_hash.in_(hashes))
                )
            ),
            PHONE,
        )
    elif not found:
        by_person.append(NAME)
        key = name_key(hasher, text)
        hit(
            list(
                session.scalars(
                    select(IntakeSearchKey.intake_id).where(
                        IntakeSearchKey.kind == NAME, IntakeSearchKey.key_hash == key
                    )
                )
            ),
            NAME,
        )
        places = _matching_places(session, text)
        if places:
            hit(
                list(
                    session.scalars(
                        select(Intake.id).where(
                            or_(
                                Intake.province.in_(places),
                                Intake.destination_country.in_(places),
                            )
                        )
                    )
                ),
                "place",
            )
    rows = (
        session.scalars(
            select(Intake)
            .where(Intake.id.in_(list(found)), Intake.anonymised_at.is_(None))
            .order_by(Intake.received_at.desc(), Intake.id.desc())
            .limit(limit)
        ).all()
        if found
        else []
    )
    if by_person:
        record_audit(
            session,
            actor=actor,
            action="case_search",
            subject_type="intake",
            subject_id=None,
            reason="search before filing a call",
            detail={"by": by_person, "results": len(rows)},
        )
    return [
        CaseMatch(
            id=row.id,
            reference_code=row.reference_code,
            triage=row.triage,
            status=row.status,
            province=row.province,
            source=row.source,
            channel=row.channel,
            received_at=row.received_at,
            matched_by=tuple(sorted(found[row.id])),
        )
        for row in rows
    ]


def _matching_places(session: Session, text: str) -> list[str]:
    """Province and country names containing the query, compared without diacritics or case
    (SQLite's lower() leaves Vietnamese capitals alone, so the folding is done here)."""
    wanted = folded_name(text) or ""
    if len(wanted) < 3:
        return []
    names: set[str] = set()
    for column in (Intake.province, Intake.destination_country):
        names |= {str(v) for v in session.scalars(select(column).distinct()) if v}
    return sorted(name for name in names if wanted in (folded_name(name) or ""))
