"""The status workflow of a case (taking it, moving it along the provincial plans' steps, the
first action) and its statistics classification: what staff do to a case, each change recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.intakes import get_row
from intake_store.models import Intake, StatusChange, utcnow
from intake_store.not_found import NotFound
from intake_store.statistics import STATISTICS_FIELDS, check_statistics_value

STATUSES = (
    "new",
    "acknowledged",
    "verifying",
    "identified",
    "not_identified",
    "supporting",
    "referred",
    "reintegrating",
    "closed",
)
# Workflow from the provincial plans; "closed" can be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"acknowledged", "verifying", "closed"}),
    "acknowledged": frozenset({"verifying", "closed"}),
    "verifying": frozenset({"identified", "not_identified", "closed"}),
    "identified": frozenset({"supporting", "referred", "closed"}),
    "not_identified": frozenset({"referred", "supporting", "closed"}),
    "supporting": frozenset({"referred", "reintegrating", "closed"}),
    "referred": frozenset({"supporting", "reintegrating", "closed"}),
    "reintegrating": frozenset({"supporting", "closed"}),
    "closed": frozenset({"acknowledged", "verifying"}),
}


class InvalidTransition(ValueError):
    pass


def classify(
    session: Session,
    *,
    intake_id: int,
    actor: str,
    values: dict[str, str | None],
    now: datetime | None = None,
) -> list[str]:
    """Staff set (or clear, with None) the statistics fields; returns those that changed.

    Only ``STATISTICS_FIELDS``, each from its closed vocabulary (``UnknownCategoryValue``
    otherwise). The change is audited: these fields feed the official counts.
    """
    unknown = set(values) - set(STATISTICS_FIELDS)
    if unknown:
        raise ValueError(f"not a statistics field: {sorted(unknown)}")
    for name, value in values.items():
        check_statistics_value(name, value)
    intake = get_row(session, intake_id)
    changed = {n: v for n, v in values.items() if getattr(intake, n) != v}
    for name, value in changed.items():
        setattr(intake, name, value)
    if changed:
        intake.updated_at = now or utcnow()
        record_audit(
            session,
            actor=actor,
            action="classify_intake",
            subject_type="intake",
            subject_id=intake_id,
            reason="statistics categories",
            detail=dict(changed),
        )
    return sorted(changed)


def _record_change(
    session: Session,
    intake: Intake,
    *,
    to_status: str,
    actor: str,
    reason: str | None,
    now: datetime,
) -> None:
    session.add(
        StatusChange(
            intake_id=intake.id,
            from_status=intake.status,
            to_status=to_status,
            actor=actor,
            reason=reason,
            at=now,
        )
    )
    intake.status = to_status
    intake.updated_at = now


def acknowledge(
    session: Session,
    *,
    intake_id: int,
    actor: str,
    staff_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Staff takes the case ("Nhận xử lý"); True if this call did it, repeat calls are no-ops."""
    now = now or utcnow()
    # Compare-and-set: of two people pressing at once, exactly one wins (SQLite included).
    won = session.execute(
        update(Intake)
        .where(Intake.id == intake_id, Intake.acknowledged_at.is_(None))
        .values(acknowledged_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    intake = session.get(Intake, intake_id, populate_existing=True)
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    if not won:
        return False
    if intake.assigned_to is None:
        intake.assigned_to = actor[:64]
        intake.assigned_staff_id = staff_id
    if intake.status == "new":
        _record_change(
            session, intake, to_status="acknowledged", actor=actor, reason="nhận xử lý", now=now
        )
    return True


def change_status(
    session: Session,
    *,
    intake_id: int,
    to_status: str,
    actor: str,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Move a case along the workflow; stores who, when and why."""
    now = now or utcnow()
    intake = session.scalars(select(Intake).where(Intake.id == intake_id).with_for_update()).first()
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    if to_status not in STATUSES:
        raise InvalidTransition(f"unknown status {to_status!r}")
    if to_status not in TRANSITIONS[intake.status]:
        raise InvalidTransition(f"{intake.status} -> {to_status} is not allowed")
    if not reason.strip():
        raise ValueError("a status change needs a reason")
    reopening = intake.status == "closed"
    _record_change(session, intake, to_status=to_status, actor=actor, reason=reason, now=now)
    if to_status == "acknowledged" and intake.acknowledged_at is None:
        intake.acknowledged_at = now
    if to_status not in ("new", "acknowledged") and intake.first_action_at is None:
        intake.first_action_at = now
    if to_status == "closed":
        intake.closed_at = now
    elif reopening:
        intake.closed_at = None


def mark_first_action(session: Session, *, intake_id: int, now: datetime | None = None) -> None:
    """For casework (notes, referrals): the first thing staff did on the case."""
    intake = get_row(session, intake_id)
    if intake.first_action_at is None:
        intake.first_action_at = now or utcnow()
