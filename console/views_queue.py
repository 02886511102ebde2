"""The queue: open intakes, most urgent and longest waiting first, with filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console.i18n import language_of
from console.permissions import Action
from console.timefmt import day_text, parse_day, start_of_day, waiting
from console.web import Staff, StoreDep, guard, render
from intake_store import audit, case_queue

router = APIRouter()
PAGE_SIZE = 100  # rows per queue page


@router.get("/")
def home(staff: Annotated[Staff, Depends(guard(Action.VIEW_QUEUE))]) -> Response:
    return RedirectResponse("/queue", status_code=303)


def _since(value: str, timezone: str) -> datetime | None:
    day = parse_day(value)
    return None if day is None else start_of_day(day, timezone)


@router.get("/queue")
def queue(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.VIEW_QUEUE))]
) -> Response:
    settings = request.app.state.settings
    params = request.query_params
    search = params.get("q", "").strip()
    filters = {
        key: params.get(key, "").strip() for key in ("status", "province", "category", "triage")
    }
    since_text = params.get("since", "").strip()
    with store.begin() as session:
        hashes: list[str] | None = None
        reference: str | None = None
        if search:
            # A phone number is matched through the keyed hash; anything else as a reference code.
            if sum(ch.isdigit() for ch in search) >= 6:
                hashes = case_queue.phone_hashes(store.hasher, search)
            else:
                reference = search
        wanted: dict[str, Any] = {
            "sender_hashes": hashes,
            "reference": reference,
            "since": _since(since_text, settings.timezone) if since_text else None,
            "status": filters["status"] or None,
            "province": filters["province"] or None,
            "category": filters["category"] or None,
            "triage": filters["triage"] or None,
        }
        total = case_queue.count_open_intakes(session, **wanted)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, int(params["page"]) if params.get("page", "").isdigit() else 1), pages)
        rows = case_queue.search_open_intakes(
            session, **wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        if hashes is not None:
            # Looking a person up by phone number is a use of personal data: audited, without
            # the number (not even its hash, which would link searches to the person).
            audit.record_audit(
                session,
                actor=staff.username,
                action="queue_phone_search",
                subject_type="intake",
                subject_id=None,
                reason="phone search",
                detail={"results": len(rows)},
            )
        choices = case_queue.open_filter_values(session)
    now = datetime.now(UTC)
    template = "queue_rows.html" if params.get("partial") == "1" else "queue.html"
    return render(
        request,
        template,
        staff=staff,
        rows=rows,
        waited={row.id: waiting(row.received_at, now, language_of(request)) for row in rows},
        choices=choices,
        filters=filters,
        search=search,
        page=page,
        pages=pages,
        total=total,
        first=(page - 1) * PAGE_SIZE + 1 if rows else 0,
        last=(page - 1) * PAGE_SIZE + len(rows),
        page_link=lambda number: (
            "/queue?"
            + urlencode(
                [(k, v) for k, v in params.multi_items() if k not in ("page", "partial")]
                + [("page", str(number))]
            )
        ),
        since=day_text(parse_day(since_text)) if since_text else "",
    )
