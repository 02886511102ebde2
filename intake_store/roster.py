"""Staff and weekly shifts in local (Asia/Ho_Chi_Minh) time, incl. overnight and backup shifts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.models import Shift, Staff
from intake_store.not_found import NotFound

ROLES = ("operator", "social_worker", "supervisor")
SHIFT_KINDS = ("primary", "backup")
DEFAULT_TZ = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class StaffRef:
    id: int
    name: str
    role: str
    phone: str | None
    telegram_chat_id: str | None
    languages: tuple[str, ...]
    provinces: tuple[str, ...]  # empty: covers every province
    active: bool
    shift_kind: str | None = None  # set by on_duty: primary | backup


@dataclass(frozen=True)
class ShiftRef:
    id: int
    staff_id: int
    weekdays: str
    start: time
    end: time
    kind: str
    valid_from: date | None
    valid_until: date | None


def _staff_ref(s: Staff, kind: str | None = None) -> StaffRef:
    return StaffRef(
        id=s.id,
        name=s.name,
        role=s.role,
        phone=s.phone,
        telegram_chat_id=s.telegram_chat_id,
        languages=tuple(s.languages or ()),
        provinces=tuple(s.provinces or ()),
        active=s.active,
        shift_kind=kind,
    )


def add_staff(
    session: Session,
    *,
    name: str,
    role: str,
    phone: str | None = None,
    telegram_chat_id: str | None = None,
    languages: Sequence[str] = ("vi",),
    provinces: Sequence[str] = (),
    active: bool = True,
) -> int:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    staff = Staff(
        name=name,
        role=role,
        phone=phone or None,
        telegram_chat_id=telegram_chat_id or None,
        languages=list(languages),
        provinces=list(provinces),
        active=active,
    )
    session.add(staff)
    session.flush()
    return staff.id


def set_staff_active(session: Session, *, staff_id: int, active: bool) -> None:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"staff {staff_id} does not exist")
    staff.active = active


def remove_shift(session: Session, *, shift_id: int) -> ShiftRef:
    """Delete a shift (the roster keeps no history of shifts; the console audits the change)."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound(f"shift {shift_id} does not exist")
    removed = _shift_ref(shift)
    session.delete(shift)
    session.flush()
    return removed


def _weekdays(days: str | Sequence[int]) -> str:
    values = sorted({int(d) for d in days})
    if not values or any(d < 0 or d > 6 for d in values):
        raise ValueError("weekdays are 0 (Monday) .. 6 (Sunday)")
    return "".join(str(d) for d in values)


def add_shift(
    session: Session,
    *,
    staff_id: int,
    start: time,
    end: time,
    weekdays: str | Sequence[int] = "0123456",
    kind: str = "primary",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> int:
    """A weekly shift; ``end <= start`` runs past midnight into the next day."""
    if kind not in SHIFT_KINDS:
        raise ValueError(f"kind must be one of {SHIFT_KINDS}")
    if session.get(Staff, staff_id) is None:
        raise NotFound(f"staff {staff_id} does not exist")
    shift = Shift(
        staff_id=staff_id,
        weekdays=_weekdays(weekdays),
        start_time=start,
        end_time=end,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    session.add(shift)
    session.flush()
    return shift.id


def list_staff(session: Session, *, include_inactive: bool = True) -> list[StaffRef]:
    query = select(Staff).order_by(Staff.id)
    if not include_inactive:
        query = query.where(Staff.active.is_(True))
    return [_staff_ref(s) for s in session.scalars(query)]


def get_staff(session: Session, *, staff_id: int) -> StaffRef | None:
    staff = session.get(Staff, staff_id)
    return None if staff is None else _staff_ref(staff)


def list_shifts(session: Session, *, staff_id: int | None = None) -> list[ShiftRef]:
    query = select(Shift).order_by(Shift.staff_id, Shift.id)
    if staff_id is not None:
        query = query.where(Shift.staff_id == staff_id)
    return [_shift_ref(s) for s in session.scalars(query)]


def _shift_ref(s: Shift) -> ShiftRef:
    return ShiftRef(
        s.id, s.staff_id, s.weekdays, s.start_time, s.end_time, s.kind, s.valid_from, s.valid_until
    )


def _covers(shift: Shift, local: datetime) -> bool:
    """True if the shift is on at ``local``; an overnight shift belongs to the day it starts."""
    now_t = local.time().replace(tzinfo=None)
    today = local.date()
    if shift.start_time < shift.end_time:
        start_day: date | None = today if shift.start_time <= now_t < shift.end_time else None
    elif now_t >= shift.start_time:
        start_day = today
    elif now_t < shift.end_time:
        start_day = today - timedelta(days=1)
    else:
        start_day = None
    if start_day is None or str(start_day.weekday()) not in shift.weekdays:
        return False
    if shift.valid_from is not None and start_day < shift.valid_from:
        return False
    return not (shift.valid_until is not None and start_day > shift.valid_until)


def on_duty(session: Session, *, at: datetime, tz: str = DEFAULT_TZ) -> list[StaffRef]:
    """Active staff on shift at ``at`` (aware datetime); primary shifts before backup ones."""
    if at.tzinfo is None:
        raise ValueError("on_duty needs a timezone-aware datetime")
    local = at.astimezone(ZoneInfo(tz))
    rows = session.execute(
        select(Shift, Staff)
        .join(Staff, Staff.id == Shift.staff_id)
        .where(Staff.active.is_(True))
        .order_by(Staff.id, Shift.id)
    ).all()
    found: dict[int, StaffRef] = {}
    for shift, staff in rows:
        if not _covers(shift, local):
            continue
        previous = found.get(staff.id)
        if previous is None or (previous.shift_kind == "backup" and shift.kind == "primary"):
            found[staff.id] = _staff_ref(staff, shift.kind)
    return sorted(found.values(), key=lambda s: (s.shift_kind != "primary", s.id))


def first_line(on_duty: Sequence[StaffRef]) -> list[StaffRef]:
    """Who answers alerts: staff on shift who are not supervisors. A supervisor on shift is the
    last line (routing/recipients.py): with nobody else on, alerts say "nobody on duty" — the
    roster's grid counts by this same rule, so the two always agree."""
    return [member for member in on_duty if member.role != "supervisor"]


def supervisors(session: Session) -> list[StaffRef]:
    """Every active supervisor (the last line of escalation, on shift or not)."""
    query = (
        select(Staff).where(Staff.active.is_(True), Staff.role == "supervisor").order_by(Staff.id)
    )
    return [_staff_ref(s) for s in session.scalars(query)]
