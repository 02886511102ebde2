"""Canned replies (kept by supervisors) and handing a case to another console user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console.permissions import Action
from console.views_intake import _page as intake_page
from console.web import Staff, StoreDep, guard, render, store_of
from intake_store import canned, transfer

router = APIRouter()


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def _canned_page(
    request: Request, staff: Staff, status_code: int = 200, form_error: str | None = None
) -> Response:
    with store_of(request).begin() as session:
        replies = canned.list_replies(session, active_only=False)
    return render(
        request,
        "canned.html",
        staff=staff,
        replies=replies,
        languages=canned.LANGUAGES,
        status_code=status_code,
        form_error=form_error,
    )


@router.get("/canned")
def canned_list(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.MANAGE_CANNED_REPLIES))]
) -> Response:
    return _canned_page(request, staff)


@router.post("/canned")
async def canned_add(
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.MANAGE_CANNED_REPLIES))],
) -> Response:
    form = await _form(request)
    try:
        with store.begin() as session:
            canned.add_reply(
                session,
                language=form.get("language", ""),
                title=form.get("title", ""),
                text=form.get("text", ""),
                actor=staff.username,
            )
    except canned.CannedReplyError:
        return _canned_page(request, staff, status_code=400, form_error="canned_invalid")
    return RedirectResponse("/canned", status_code=303)


@router.post("/canned/{reply_id}")
async def canned_edit(
    reply_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.MANAGE_CANNED_REPLIES))],
) -> Response:
    form = await _form(request)
    try:
        with store.begin() as session:
            canned.update_reply(
                session,
                reply_id=reply_id,
                actor=staff.username,
                title=form.get("title") or None,
                text=form.get("text") or None,
                active=form.get("active") == "1",
            )
    except canned.CannedReplyError:
        return _canned_page(request, staff, status_code=400, form_error="canned_invalid")
    return RedirectResponse("/canned", status_code=303)


@router.post("/intakes/{intake_id}/transfer")
async def transfer_case(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.TRANSFER))],
) -> Response:
    """The holder hands the case (and the conversation they hold) on, with a note."""
    form = await _form(request)
    to_user = form.get("to", "")
    account = request.app.state.accounts.find(username=to_user) if to_user else None
    if account is None or to_user == staff.username:
        return intake_page(request, staff, intake_id, form_error="transfer_invalid")
    try:
        with store.begin() as session:
            transfer.transfer_case(
                session,
                cipher=store.cipher,
                intake_id=intake_id,
                to_user=account.username,
                actor=staff.username,
                note=form.get("note") or None,
                force=staff.can(Action.ASSIGN),
            )
    except transfer.TransferRefused:
        return intake_page(request, staff, intake_id, form_error="transfer_not_holder")
    return RedirectResponse(f"/intakes/{intake_id}", status_code=303)
