"""An operator's call while it is being typed: a draft ``operator_calls`` row.

The whole form is autosaved, encrypted, so a dropped tab loses nothing; filing the call
(intake_store/filing.py) turns the draft into a filed or attached call. Retention drops the text
of drafts nobody filed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.models import OperatorCall, utcnow

DRAFT, FILED, ATTACHED = "draft", "filed", "attached"
# A duration longer than this is a draft left open, not a call.
LONGEST_CALL = timedelta(hours=12)


@dataclass(frozen=True)
class Draft:
    call_id: int
    started_at: datetime
    fields: dict[str, str]


def save_draft(
    session: Session,
    *,
    cipher: FieldCipher,
    operator: str,
    call_id: int | None,
    fields: dict[str, str],
    started_at: datetime | None = None,
    now: datetime | None = None,
) -> Draft:
    """Autosave the form of a call in progress (creates the draft on the first save).

    Only the operator's own open draft is written; another one's id starts a new draft, which
    starts at ``started_at`` (when the form was opened; within the longest call) or now.
    """
    now = now or utcnow()
    call = own_draft(session, operator=operator, call_id=call_id)
    if call is None:
        start = started_at if started_at and now - LONGEST_CALL <= started_at <= now else now
        call = OperatorCall(operator=operator[:64], status=DRAFT, started_at=start, created_at=now)
        session.add(call)
    call.draft_enc = cipher.encrypt(json.dumps(fields, ensure_ascii=False))
    call.updated_at = now
    session.flush()
    return Draft(call_id=call.id, started_at=call.started_at, fields=dict(fields))


def open_draft(session: Session, *, cipher: FieldCipher, operator: str) -> Draft | None:
    """The operator's latest unfinished call, to carry on after a closed tab (audited read)."""
    call = session.scalars(
        select(OperatorCall)
        .where(OperatorCall.operator == operator, OperatorCall.status == DRAFT)
        .order_by(OperatorCall.id.desc())
        .limit(1)
    ).first()
    if call is None:
        return None
    record_audit(
        session,
        actor=operator,
        action="read_call_draft",
        subject_type="call",
        subject_id=call.id,
        reason="resume own call",
    )
    fields = json.loads(cipher.decrypt(call.draft_enc)) if call.draft_enc else {}
    return Draft(call_id=call.id, started_at=call.started_at, fields=fields)


def discard_draft(session: Session, *, operator: str, call_id: int) -> bool:
    """Drop a draft (the call needed no case): its text goes, the row stays as a counted call."""
    call = own_draft(session, operator=operator, call_id=call_id)
    if call is None:
        return False
    now = utcnow()
    call.status, call.draft_enc, call.ended_at = "discarded", None, now
    call.duration_seconds = call_duration(call.started_at, now)
    call.updated_at = now
    return True


def own_draft(session: Session, *, operator: str, call_id: int | None) -> OperatorCall | None:
    if call_id is None:
        return None
    return session.scalars(
        select(OperatorCall).where(
            OperatorCall.id == call_id,
            OperatorCall.operator == operator,
            OperatorCall.status == DRAFT,
        )
    ).first()


def call_duration(started: datetime, ended: datetime) -> int | None:
    seconds = (ended - started).total_seconds()
    if seconds < 0 or seconds > LONGEST_CALL.total_seconds():
        return None
    return int(seconds)


def drop_stale_drafts(session: Session, *, older_than: datetime) -> int:
    """Drafts nobody filed or touched since ``older_than`` (retention): their text goes."""
    result = session.execute(
        update(OperatorCall)
        .where(OperatorCall.status == DRAFT, OperatorCall.updated_at < older_than)
        .values(status="discarded", draft_enc=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def form_fields(values: dict[str, Any]) -> dict[str, str]:
    """Only string fields of a posted form, as a draft keeps them."""
    return {k: v for k, v in values.items() if isinstance(v, str) and k != "csrf_token"}
