"""The intake page and everything staff do on one intake."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from bot.rasa_forget import forget_after_erasure, forgetter_from_settings
from console.i18n import language_of
from console.permissions import Action
from console.reveal_grant import RevealGrants
from console.timefmt import local, waiting
from console.views_blocks import blocks_context
from console.web import Forbidden, Staff, StoreDep, guard, render, store_of
from intake_store import (
    canned,
    case_links,
    casework,
    conversations,
    handoff,
    intake_views,
    narrative,
    operator_calls,
    privacy,
    roster,
    statistics,
    users,
    workflow,
)
from intake_store.safe_window import SafeWindow

log = logging.getLogger(__name__)
router = APIRouter()

CLOSED = "closed"  # moving here needs the separate `close` permission


@dataclass(frozen=True)
class Assignee:
    username: str
    name: str  # the roster name of a linked account, else the username
    role: str
    on_duty: bool


def _assignees(session: Session, now: datetime, timezone: str) -> list[Assignee]:
    """Active accounts, those on duty now first: a case goes to someone who can take it."""
    duty = {member.id for member in roster.on_duty(session, at=now, tz=timezone)}
    names = {member.id: member.name for member in roster.list_staff(session)}
    people = [
        Assignee(
            username=user.username,
            name=names.get(user.staff_id or 0, user.username),
            role=user.role,
            on_duty=user.staff_id in duty,
        )
        for user in users.list_users(session)
        if user.active
    ]
    return sorted(people, key=lambda person: (not person.on_duty, person.name))


def _page(request: Request, staff: Staff, intake_id: int, **extra: Any) -> Response:
    store = store_of(request)
    settings = request.app.state.settings
    now = datetime.now(UTC)
    if "revealed" not in extra and staff.can(Action.VIEW_PERSONAL_DATA):
        # Revealed minutes ago by this operator: shown again, covered by that reveal's audit.
        kept = RevealGrants(settings).reason_for(request, intake_id=intake_id)
        if kept is not None:
            extra |= {
                "revealed": _read_personal(request, staff, intake_id, kept, audited=False),
                "reveal_reason": kept,
                "reveal_kept": True,
            }
    with store.begin() as session:
        case = intake_views.case_summary(session, intake_id=intake_id)
        window = casework.safe_window(session, intake_id=intake_id)
        context: dict[str, Any] = {
            "case": case,
            "referrals": casework.list_referrals(session, intake_id=intake_id),
            "timeline": casework.timeline(session, intake_id=intake_id),
            "note_count": casework.count_notes(session, intake_id=intake_id),
            "can_reply": casework.can_reply(session, intake_id=intake_id),
            "revealed": None,
            "hold": None,
            "unread": 0,
            "erasure_requested_at": None,
            "rasa_copy_failed": request.query_params.get("rasa_copy") == "failed",
            "pending_links": case_links.pending_links(session, intake_id=intake_id),
            # The person's safe hours, shown by the reply box (no personal data, no reveal).
            "window": window,
            "window_open": window is not None and window.is_open(now, settings.timezone),
            "held_replies": casework.held_replies(session, intake_id=intake_id, now=now),
            # Operator filing (console/views_filing.py, views_canned.py): snippets for the reply
            # box in the person's language.
            "canned": canned.list_replies(
                session, language=case.language if case.language in canned.LANGUAGES else "vi"
            ),
            # Telegram acknowledgements are recorded as "staff:<roster id>": shown by name.
            "staff_names": {member.id: member.name for member in roster.list_staff(session)},
            # Who a case can be assigned or handed to (the assign and transfer menus).
            "assignees": _assignees(session, now, settings.timezone),
            **blocks_context(session, intake_id=intake_id, staff=staff),
        }
        if case.conversation_id is not None:
            context["hold"] = handoff.conversation_hold(
                session, conversation_id=case.conversation_id
            )
            context["erasure_requested_at"] = handoff.erasure_requested_at(
                session, conversation_id=case.conversation_id
            )
            context["unread"] = handoff.unread_counts(
                session, conversation_ids=[case.conversation_id]
            ).get(case.conversation_id, 0)
    return render(
        request,
        "intake.html",
        staff=staff,
        agencies=casework.AGENCIES,
        referral_statuses=casework.REFERRAL_STATUSES,
        statuses=sorted(workflow.TRANSITIONS.get(case.status, ())),
        statistics_fields=statistics.STATISTICS_FIELDS,
        waited=waiting(case.received_at, lang=language_of(request)),
        local=lambda moment: local(moment, settings.timezone),
        **(context | extra),
    )


def _back(intake_id: int) -> Response:
    return RedirectResponse(f"/intakes/{intake_id}", status_code=303)


async def _field(request: Request, name: str) -> str:
    form = await request.form()
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


@router.get("/intakes/{intake_id}")
def intake_page(
    intake_id: int, request: Request, staff: Annotated[Staff, Depends(guard(Action.VIEW_INTAKE))]
) -> Response:
    return _page(request, staff, intake_id)


@router.post("/intakes/{intake_id}/reveal")
async def reveal(
    intake_id: int,
    request: Request,
    staff: Annotated[Staff, Depends(guard(Action.VIEW_PERSONAL_DATA))],
) -> Response:
    """Shows the transcript, personal fields and notes; every part of it is an audited read.
    The case then stays revealed for this operator for a few minutes (console/reveal_grant.py)."""
    reason = await _field(request, "reason")
    if len(reason) < 5:
        return _page(request, staff, intake_id, reveal_error=True)
    revealed = _read_personal(request, staff, intake_id, reason, audited=True)
    response = _page(request, staff, intake_id, reveal_reason=reason, revealed=revealed)
    RevealGrants(request.app.state.settings).give(
        response, session_token=request.state.session_token, intake_id=intake_id, reason=reason
    )
    return response


def _read_personal(
    request: Request, staff: Staff, intake_id: int, reason: str, *, audited: bool
) -> dict[str, Any]:
    store = store_of(request)
    with store.begin() as session:
        case = intake_views.case_summary(session, intake_id=intake_id)
        # With the conversations staff linked to the case (its code typed there, confirmed).
        transcript = case_links.case_transcript(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor=staff.username,
            reason=reason,
            audited=audited,
        )
        if case.conversation_id is not None:  # read by a human now: no longer unread
            handoff.mark_seen(session, conversation_id=case.conversation_id)
        personal = intake_views.reveal_intake(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor=staff.username,
            reason=reason,
            audited=audited,
        )
        if personal.get("summary") and personal.get(narrative.FIELD):
            # Cases from before the person's words were kept apart list later messages twice.
            personal["summary"] = narrative.summary_without_repeats(
                str(personal["summary"]), str(personal[narrative.FIELD]).splitlines()
            )
        details = {name: value for name, value in personal.items() if value}
        notes = casework.read_notes(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor=staff.username,
            reason=reason,
            audited=audited,
        )
        calls = operator_calls.read_calls(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor=staff.username,
            reason=reason,
            audited=audited,
        )
    return {"transcript": transcript, "details": details, "notes": notes, "calls": calls}


@router.post("/intakes/{intake_id}/acknowledge")
async def acknowledge(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.EDIT))],
) -> Response:
    with store.begin() as session:
        workflow.acknowledge(session, intake_id=intake_id, actor=staff.username)
    return _back(intake_id)


@router.post("/intakes/{intake_id}/status")
async def change_status(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.CHANGE_STATUS))],
) -> Response:
    to_status = await _field(request, "to_status")
    reason = await _field(request, "reason")
    with store.begin() as session:
        if to_status == intake_views.case_summary(session, intake_id=intake_id).status:
            return _back(intake_id)  # the menu opens on the current status: nothing to change
    if to_status not in workflow.STATUSES or not reason:
        return _page(request, staff, intake_id, form_error="change_status")
    if to_status == CLOSED and not staff.can(Action.CLOSE):
        raise Forbidden
    try:
        with store.begin() as session:
            workflow.change_status(
                session,
                intake_id=intake_id,
                to_status=to_status,
                actor=staff.username,
                reason=reason,
            )
    except workflow.InvalidTransition:
        return _page(request, staff, intake_id, form_error="change_status")
    return _back(intake_id)


@router.post("/intakes/{intake_id}/statistics")
async def classify(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.CHANGE_STATUS))],
) -> Response:
    """The seed plans' categories (return mode, discovery, route); empty clears one."""
    form = await request.form()
    values: dict[str, str | None] = {}
    for name in statistics.STATISTICS_FIELDS:
        value = form.get(name)
        if isinstance(value, str):
            values[name] = value.strip() or None
    try:
        with store.begin() as session:
            workflow.classify(session, intake_id=intake_id, actor=staff.username, values=values)
    except statistics.UnknownCategoryValue:
        response = _page(request, staff, intake_id, form_error="classify_invalid")
        response.status_code = 400
        return response
    return _back(intake_id)


@router.post("/intakes/{intake_id}/assign")
async def assign(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.ASSIGN))],
) -> Response:
    assignee = await _field(request, "assignee")
    reason = await _field(request, "reason")
    if not reason or request.app.state.accounts.find(username=assignee) is None:
        return _page(request, staff, intake_id, form_error="assign")
    with store.begin() as session:
        casework.assign(
            session, intake_id=intake_id, assignee=assignee, actor=staff.username, reason=reason
        )
    return _back(intake_id)


@router.post("/intakes/{intake_id}/notes")
async def add_note(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.EDIT))],
) -> Response:
    text = await _field(request, "text")
    if not text:
        return _page(request, staff, intake_id, form_error="add_note")
    with store.begin() as session:
        casework.add_note(
            session, cipher=store.cipher, intake_id=intake_id, author=staff.username, text=text
        )
    return _back(intake_id)


@router.post("/intakes/{intake_id}/referrals")
async def add_referral(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.REFER))],
) -> Response:
    agency = await _field(request, "agency")
    note = await _field(request, "note")
    if agency not in casework.AGENCIES:
        return _page(request, staff, intake_id, form_error="add_referral")
    with store.begin() as session:
        casework.add_referral(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            agency=agency,
            actor=staff.username,
            note=note or None,
        )
    return _back(intake_id)


@router.post("/intakes/{intake_id}/referrals/{referral_id}")
async def referral_status(
    intake_id: int,
    referral_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.REFER))],
) -> Response:
    status = await _field(request, "status")
    if status not in casework.REFERRAL_STATUSES:
        return _page(request, staff, intake_id, form_error="add_referral")
    with store.begin() as session:
        if referral_id not in {r.id for r in casework.list_referrals(session, intake_id=intake_id)}:
            return render(request, "error.html", staff=staff, status_code=404, message="not_found")
        casework.set_referral_status(
            session, referral_id=referral_id, status=status, actor=staff.username
        )
    return _back(intake_id)


@router.post("/intakes/{intake_id}/reply")
async def reply(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.REPLY))],
) -> Response:
    """Outside the person's safe window a reply asks first: hold it until the window opens
    (``when=hold``, the default offered) or send it now anyway (``when=now``)."""
    text = await _field(request, "text")
    when = await _field(request, "when")
    timezone = request.app.state.settings.timezone
    now = datetime.now(UTC)
    with store.begin() as session:
        if not text or not casework.can_reply(session, intake_id=intake_id):
            return _page(request, staff, intake_id, form_error="reply_not_safe")
        window = casework.safe_window(session, intake_id=intake_id)
        outside = window is not None and not window.is_open(now, timezone)
        if outside and when not in ("hold", "now"):
            assert window is not None
            return _page(
                request,
                staff,
                intake_id,
                reply_confirm={"text": text, "opening": window.next_opening(now, timezone)},
            )
        hold = outside and window is not None and when == "hold"
        casework.queue_reply(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor=staff.username,
            text=text,
            not_before=window.next_opening(now, timezone) if hold and window else None,
        )
    return _back(intake_id)


@router.post("/intakes/{intake_id}/safe-window")
async def set_safe_window(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.REPLY))],
) -> Response:
    """Staff set the window from the person's own words (read in a reveal); empty clears it."""
    start, end = await _field(request, "start"), await _field(request, "end")
    try:
        window = (
            SafeWindow(time.fromisoformat(start), time.fromisoformat(end)) if start or end else None
        )
    except ValueError:
        return _page(request, staff, intake_id, form_error="safe_window_invalid")
    if window is not None and window.start == window.end:
        return _page(request, staff, intake_id, form_error="safe_window_invalid")
    with store.begin() as session:
        casework.set_safe_window(session, intake_id=intake_id, window=window, actor=staff.username)
    return _back(intake_id)


@router.post("/intakes/{intake_id}/hold")
async def hold(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.HOLD))],
) -> Response:
    """The operator takes the conversation over: the assistant stays silent until released."""
    try:
        with store.begin() as session:
            handoff.hold_conversation(session, intake_id=intake_id, actor=staff.username)
    except handoff.HeldByOther:
        return _page(request, staff, intake_id, form_error="hold_taken")
    except handoff.HandoffError:
        return _page(request, staff, intake_id, form_error="no_conversation")
    return _back(intake_id)


@router.post("/intakes/{intake_id}/release")
async def release(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.HOLD))],
) -> Response:
    """Hand the conversation back; someone else's hold only with the right to assign work."""
    try:
        with store.begin() as session:
            handoff.release_conversation(
                session,
                intake_id=intake_id,
                actor=staff.username,
                force=staff.can(Action.ASSIGN),
            )
    except handoff.HeldByOther as error:
        raise Forbidden from error
    except handoff.HandoffError:
        return _page(request, staff, intake_id, form_error="no_conversation")
    return _back(intake_id)


def _may_erase(staff: Staff, hold: handoff.HoldState | None, *, requested: bool) -> bool:
    """Supervisors erase any conversation; others only the one they hold, and only when the
    person asked for it there (flagged by the gateway): taking a case over is not a licence to
    destroy it."""
    return staff.can(Action.ERASE) or (
        requested and hold is not None and hold.held_by == staff.username
    )


@router.post("/intakes/{intake_id}/erase")
async def erase(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.ERASE_HELD))],
) -> Response:
    """Erase the person's data on their request (e.g. "xóa" sent while an operator held it).

    First post: the confirmation; the second (``confirm=yes``) releases the hold, erases the
    store's copy (audited, with the reason) and then Rasa's, as the gateway does after "xóa".
    """
    reason = await _field(request, "reason")
    confirmed = await _field(request, "confirm") == "yes"
    with store.begin() as session:
        case = intake_views.case_summary(session, intake_id=intake_id)
        conversation_id = case.conversation_id
        live = conversation_id is not None and conversations.is_live(
            session, conversation_id=conversation_id
        )
        if case.conversation_id is None and case.source is not None:
            # A case an operator filed: nothing but the store's copy, erased by supervisors.
            if not staff.can(Action.ERASE):
                raise Forbidden
            if len(reason) < 5:
                return _page(request, staff, intake_id, erase_error=True)
            if not confirmed:
                return _page(request, staff, intake_id, erase_confirm=reason)
            privacy.erase_filed_intake(
                session, intake_id=intake_id, actor=staff.username, reason=reason
            )
            return _back(intake_id)
        if conversation_id is None or not live:
            return _page(request, staff, intake_id, form_error="no_conversation")
        hold = handoff.conversation_hold(session, conversation_id=conversation_id)
        requested = (
            handoff.erasure_requested_at(session, conversation_id=conversation_id) is not None
        )
        if not _may_erase(staff, hold, requested=requested):
            raise Forbidden
        if len(reason) < 5:
            return _page(request, staff, intake_id, erase_error=True)
        if not confirmed:
            return _page(request, staff, intake_id, erase_confirm=reason)
        if hold is not None and hold.held:
            handoff.release_conversation(
                session, intake_id=intake_id, actor=staff.username, force=True
            )
        privacy.erase_conversation(
            session, conversation_id=conversation_id, actor=staff.username, reason=reason
        )
    # After the commit: the store's copy is gone whatever happens to Rasa's. What Rasa cannot
    # drop now stays marked for the routing worker (bot/rasa_forget.py).
    if not await forget_after_erasure(
        store.session_factory,
        conversation_id=conversation_id,
        forget=forgetter_from_settings(
            request.app.state.settings, transport=request.app.state.rasa_transport
        ),
        erasure=f"console erasure of intake {intake_id}",
    ):
        return RedirectResponse(f"/intakes/{intake_id}?rasa_copy=failed", status_code=303)
    return _back(intake_id)
