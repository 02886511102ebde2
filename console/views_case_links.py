"""Staff decide whether a conversation that typed a case's code is that case's person."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console.permissions import Action
from console.web import Staff, guard, store_of
from intake_store import case_links

router = APIRouter()


def _decide(
    request: Request, staff: Staff, intake_id: int, link_id: int, *, confirm: bool
) -> Response:
    store = store_of(request)
    decide = case_links.confirm_link if confirm else case_links.reject_link
    try:
        with store.begin() as session:
            decide(session, intake_id=intake_id, link_id=link_id, actor=staff.username)
    except case_links.LinkDecided:
        pass  # someone decided first: the page shows how
    return RedirectResponse(f"/intakes/{intake_id}", status_code=303)


@router.post("/intakes/{intake_id}/links/{link_id}/confirm")
async def confirm(
    intake_id: int,
    link_id: int,
    request: Request,
    staff: Annotated[Staff, Depends(guard(Action.LINK_CONVERSATION))],
) -> Response:
    """Same person: staff replies go to that conversation, its messages join the case."""
    return _decide(request, staff, intake_id, link_id, confirm=True)


@router.post("/intakes/{intake_id}/links/{link_id}/reject")
async def reject(
    intake_id: int,
    link_id: int,
    request: Request,
    staff: Annotated[Staff, Depends(guard(Action.LINK_CONVERSATION))],
) -> Response:
    """Not the same person: the conversation gets nothing of the case."""
    return _decide(request, staff, intake_id, link_id, confirm=False)
