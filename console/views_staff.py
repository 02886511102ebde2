"""Staff-facing pages: alerts the notifiers sent, the roster with its gaps, console users."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from console.passwords import hash_password, password_problem
from console.permissions import Action, Role
from console.timefmt import local
from console.web import Staff, StoreDep, guard, render, store_of
from intake_store import audit, intake_views, roster, users
from intake_store.not_found import NotFound

router = APIRouter()
WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")  # Monday first, as the roster stores them


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


@router.get("/notifications")
def notifications(
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.VIEW_NOTIFICATIONS))],
) -> Response:
    settings = request.app.state.settings
    with store.begin() as session:
        alerts = intake_views.recent_alerts(session, limit=200)
    return render(
        request,
        "notifications.html",
        staff=staff,
        alerts=alerts,
        local=lambda moment: local(moment, settings.timezone),
    )


def week_coverage(request: Request, now: datetime) -> list[list[int]]:
    """Staff answering alerts for each hour of the current week (7 x 24), Monday first, local
    time; supervisors are not counted, as routing does not count them (roster.first_line)."""
    settings = request.app.state.settings
    zone = ZoneInfo(settings.timezone)
    today = now.astimezone(zone).date()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time(0, 30), tzinfo=zone)
    with store_of(request).begin() as session:
        return [
            [
                len(
                    roster.first_line(
                        roster.on_duty(
                            session,
                            at=monday + timedelta(days=day, hours=hour),
                            tz=settings.timezone,
                        )
                    )
                )
                for hour in range(24)
            ]
            for day in range(7)
        ]


ROSTER_ERRORS = ("roster_staff_invalid", "roster_shift_invalid")


def _codes(text: str) -> list[str]:
    """ "vi, en" -> ["vi", "en"]; empty entries dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _roster_audit(
    session: Session, staff: Staff, *, action: str, subject_id: int, **detail: Any
) -> None:
    # Who changed the roster and when: it decides who is woken at night.
    audit.record_audit(
        session,
        actor=staff.username,
        action=action,
        subject_type="staff",
        subject_id=subject_id,
        reason="roster",
        detail=detail,
    )


def _to_roster(error: str | None = None) -> Response:
    return RedirectResponse(f"/roster?error={error}" if error else "/roster", status_code=303)


@router.get("/roster")
def roster_page(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.VIEW_ROSTER))]
) -> Response:
    settings = request.app.state.settings
    now = datetime.now(UTC)
    with store.begin() as session:
        members = roster.list_staff(session)
        shifts = roster.list_shifts(session)
        duty = roster.on_duty(session, at=now, tz=settings.timezone)
    coverage = week_coverage(request, now)
    names = {member.id: member.name for member in members}
    error = request.query_params.get("error")
    return render(
        request,
        "roster.html",
        staff=staff,
        members=members,
        shifts=shifts,
        names=names,
        duty=duty,
        nobody=not roster.first_line(duty),
        coverage=coverage,
        weekdays=WEEKDAYS,
        gaps=sum(1 for day in coverage for count in day if count == 0),
        roles=roster.ROLES,
        shift_kinds=roster.SHIFT_KINDS,
        error=error if error in ROSTER_ERRORS else None,
    )


@router.post("/roster/staff")
async def add_staff(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.MANAGE_ROSTER))]
) -> Response:
    form = await _form(request)
    if not form.get("name") or form.get("role") not in roster.ROLES:
        return _to_roster("roster_staff_invalid")
    with store.begin() as session:
        staff_id = roster.add_staff(
            session,
            name=form["name"][:128],
            role=form["role"],
            phone=form.get("phone") or None,
            telegram_chat_id=form.get("telegram_chat_id") or None,
            languages=_codes(form.get("languages", "")) or ["vi"],
            provinces=_codes(form.get("provinces", "")),
        )
        _roster_audit(session, staff, action="roster_add_staff", subject_id=staff_id)
    return _to_roster()


@router.post("/roster/staff/{staff_id}/active")
async def set_staff_active(
    staff_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.MANAGE_ROSTER))],
) -> Response:
    """Deactivate (or bring back) a staff member: inactive staff are never alerted."""
    form = await _form(request)
    active = form.get("active") == "1"
    with store.begin() as session:  # an unknown staff id: NotFound, a 404 (console/app.py)
        roster.set_staff_active(session, staff_id=staff_id, active=active)
        _roster_audit(
            session, staff, action="roster_set_active", subject_id=staff_id, active=active
        )
    return _to_roster()


@router.post("/roster/shifts")
async def add_shift(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.MANAGE_ROSTER))]
) -> Response:
    """A weekly shift in local time; an end at or before the start runs past midnight."""
    form = await _form(request)
    # Day checkboxes (one "weekday" per ticked day); a "weekdays" string ("01234") still works.
    ticked = [day for day in (await request.form()).getlist("weekday") if isinstance(day, str)]
    try:
        start = time.fromisoformat(form.get("start", ""))
        end = time.fromisoformat(form.get("end", ""))
        staff_id = int(form.get("staff_id", ""))
        days = "".join(ticked) if ticked else form.get("weekdays", "")
        if not days or set(days) - set("0123456"):
            raise ValueError("weekdays are digits 0 (Monday) to 6 (Sunday)")
        with store.begin() as session:
            shift_id = roster.add_shift(
                session,
                staff_id=staff_id,
                start=start,
                end=end,
                weekdays=days,
                kind=form.get("kind", "primary"),
            )
            _roster_audit(
                session, staff, action="roster_add_shift", subject_id=staff_id, shift_id=shift_id
            )
    except (ValueError, NotFound, IntegrityError):  # a staff member chosen but gone since
        return _to_roster("roster_shift_invalid")
    return _to_roster()


@router.post("/roster/shifts/{shift_id}/delete")
async def remove_shift(
    shift_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.MANAGE_ROSTER))],
) -> Response:
    with store.begin() as session:  # an unknown shift: NotFound, a 404 (console/app.py)
        removed = roster.remove_shift(session, shift_id=shift_id)
        _roster_audit(
            session,
            staff,
            action="roster_remove_shift",
            subject_id=removed.staff_id,
            shift_id=shift_id,
            weekdays=removed.weekdays,
            hours=f"{removed.start:%H:%M}-{removed.end:%H:%M}",
            kind=removed.kind,
        )
    return _to_roster()


@router.get("/users")
def users_page(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.MANAGE_USERS))]
) -> Response:
    return _users(request, staff)


def _users(request: Request, staff: Staff, **extra: Any) -> Response:
    with store_of(request).begin() as session:
        accounts = users.list_users(session)
        people = roster.list_staff(session, include_inactive=False)
    return render(
        request,
        "users.html",
        staff=staff,
        accounts=accounts,
        people=people,
        roles=[r.value for r in Role],
        **extra,
    )


def _staff_choice(value: str) -> int | None:
    """The roster entry picked in a form; "" is none. ValueError on anything else."""
    return int(value) if value else None


@router.post("/users")
async def create_user(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.MANAGE_USERS))]
) -> Response:
    form = await _form(request)
    username = form.get("username", "").lower()
    role = form.get("role", "")
    password = form.get("password", "")
    problem = password_problem(password, username=username)
    if not username or role not in {r.value for r in Role}:
        return _users(request, staff, error="users")
    if problem:
        return _users(request, staff, error="weak_password", detail=problem)
    try:
        request.app.state.accounts.create(
            username=username,
            # argon2 takes tens of milliseconds of CPU: not on the event loop.
            password_hash=await run_in_threadpool(hash_password, password),
            role=role,
            actor=staff.username,
            staff_id=_staff_choice(form.get("staff_id", "")),
        )
    except (IntegrityError, ValueError):  # taken name, or a staff id that is not on the roster
        return _users(request, staff, error="users")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/staff")
async def link_staff(
    user_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.MANAGE_USERS))],
) -> Response:
    """Tie an account to a roster entry, so updates on cases this user takes reach their phone."""
    form = await _form(request)
    try:
        staff_id = _staff_choice(form.get("staff_id", ""))
        with store.begin() as session:
            users.link_staff(session, user_id=user_id, staff_id=staff_id)
            audit.record_audit(
                session,
                actor=staff.username,
                action="user_link_staff",
                subject_type="console_user",
                subject_id=user_id,
                reason="roster",
                detail={"staff_id": staff_id},
            )
    except (NotFound, ValueError):
        return _users(request, staff, error="users")
    return RedirectResponse("/users", status_code=303)


def _other_user(request: Request, staff: Staff, user_id: int) -> users.UserRecord | None:
    """The account to change, or None when it is the admin's own: nobody disables themselves,
    demotes themselves or resets their own second factor (it could lock the last admin out)."""
    with store_of(request).begin() as session:
        target = users.get_user_by_id(session, user_id=user_id)
    if target is None:
        raise NotFound(f"user {user_id} does not exist")
    return None if target.username == staff.username else target


@router.post("/users/{user_id}/active")
async def set_active(
    user_id: int, request: Request, staff: Annotated[Staff, Depends(guard(Action.MANAGE_USERS))]
) -> Response:
    """Disable (its sessions end at once) or enable an account."""
    form = await _form(request)
    if _other_user(request, staff, user_id) is not None:
        request.app.state.accounts.set_active(
            user_id=user_id, active=form.get("active") == "1", actor=staff.username
        )
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/role")
async def set_role(
    user_id: int, request: Request, staff: Annotated[Staff, Depends(guard(Action.MANAGE_USERS))]
) -> Response:
    form = await _form(request)
    role = form.get("role", "")
    if role not in {r.value for r in Role}:
        return _users(request, staff, error="users")
    if _other_user(request, staff, user_id) is not None:
        request.app.state.accounts.set_role(user_id=user_id, role=role, actor=staff.username)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/totp/reset")
async def reset_totp(
    user_id: int, request: Request, staff: Annotated[Staff, Depends(guard(Action.MANAGE_USERS))]
) -> Response:
    """Remove a user's second factor (a lost phone): they sign in with the password and enrol
    again; their open sessions end."""
    if _other_user(request, staff, user_id) is not None:
        request.app.state.accounts.reset_totp(user_id=user_id, actor=staff.username)
    return RedirectResponse("/users", status_code=303)
