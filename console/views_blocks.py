"""Blocking a case's sender or client address (supervisors, admins), and lifting a block.

What a blocked source sends is still stored and answered with 111/113 by the gateway; it opens
no case and pages nobody (intake_store/sources.py). Who and why are audited both ways.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from console.permissions import Action
from console.web import Staff, StoreDep, guard, render
from intake_store import sources

router = APIRouter()


def blocks_context(session: Session, *, intake_id: int, staff: Staff) -> dict[str, Any]:
    """What the intake page's block panel shows (nothing for those who may not block)."""
    if not staff.can(Action.BLOCK_SOURCE):
        return {"blockable": {}, "blocks": []}
    return {
        "blockable": sources.case_blockable(session, intake_id=intake_id),
        "blocks": sources.list_blocks(session),
    }


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def _error(request: Request, staff: Staff, message: str, status: int = 400) -> Response:
    return render(request, "error.html", staff=staff, status_code=status, message=message)


@router.post("/intakes/{intake_id}/block")
async def block(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.BLOCK_SOURCE))],
) -> Response:
    form = await _form(request)
    kind, reason = form.get("kind", ""), form.get("reason", "")
    if kind not in sources.BLOCK_KINDS or not reason:
        return _error(request, staff, "block_needs_reason")
    with store.begin() as session:  # a case without that source: NotFound, a 404 (console/app.py)
        sources.block_case_source(
            session,
            intake_id=intake_id,
            kind="sender" if kind == "sender" else "address",
            actor=staff.username,
            reason=reason,
        )
    return RedirectResponse(f"/intakes/{intake_id}", status_code=303)


@router.post("/blocks/{block_id}/unblock")
async def unblock(
    block_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.BLOCK_SOURCE))],
) -> Response:
    form = await _form(request)
    reason = form.get("reason", "")
    if not reason:
        return _error(request, staff, "block_needs_reason")
    with store.begin() as session:
        sources.unblock(session, block_id=block_id, actor=staff.username, reason=reason)
    back = form.get("back", "")
    # Only back to an intake page of this console, never to a URL from the form.
    target = f"/intakes/{int(back)}" if back.isdigit() else "/queue"
    return RedirectResponse(target, status_code=303)
