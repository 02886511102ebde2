"""Tiếp nhận mới: an operator files a call, walk-in or handover, or adds it to an existing case.

Keyboard-first: the search box has the focus, Enter saves the draft and searches (it never files),
Ctrl+Enter files. The whole form is autosaved as the operator types (console/static/filing.js),
so a closed tab loses nothing: reopening the form brings the draft back (an audited read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import JSONResponse, RedirectResponse, Response

from console.permissions import Action
from console.timefmt import local
from console.web import Staff, StoreDep, guard, render, store_of
from intake_store import (
    call_drafts,
    case_search,
    filing,
    intake_details,
    operator_calls,
    statistics,
)
from intake_store.filing import Caller
from intake_store.intake_details import IntakeDetails

router = APIRouter()

AT_RISK = ("self", "relative", "other")
CONTACT_METHODS = ("call", "sms", "zalo", "telegram", "none")
TRIAGES = ("urgent", "report", "help", "question", "other")
PERSONAL = ("location_detail", "summary", "contact_name", "contact_phone", "safe_contact_time")
SHORT = 64  # plain columns (province, country) are 64 characters
LONG = 4000  # a personal text field or the call notes


@dataclass
class Parsed:
    source: str
    caller: Caller
    triage: str
    reasons: list[str]
    details: IntakeDetails
    notes: str | None
    received_at: datetime | None
    errors: list[str] = field(default_factory=list)


def _values(form: FormData) -> dict[str, str]:
    """The form as a draft keeps it: one string per field (reasons comma-joined)."""
    values = call_drafts.form_fields(dict(form))
    values["urgent_reasons"] = ",".join(str(v) for v in form.getlist("urgent_reasons"))
    return values


def _call_id(values: dict[str, str]) -> int | None:
    text = values.get("call_id", "")
    return int(text) if text.isdecimal() and len(text) < 12 else None


def _opened_at(values: dict[str, str]) -> datetime | None:
    try:
        return datetime.fromisoformat(values.get("opened_at", "")).astimezone(UTC)
    except ValueError:
        return None


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _int(value: str, low: int, high: int, errors: list[str], name: str) -> int | None:
    if not value:
        return None
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not value.isdecimal() or not low <= int(value) <= high:
        errors.append(name)
        return None
    return int(value)


def _received(value: str, timezone: str, errors: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.strptime(value.strip(), "%d/%m/%Y %H:%M")
    except ValueError:
        errors.append("received_at")
        return None
    return moment.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def parse(values: dict[str, str], timezone: str) -> Parsed:
    """The posted form as the store takes it; ``errors`` names the fields that are not valid."""
    errors: list[str] = []
    text = {k: " ".join(v.split()) if k not in ("summary", "notes") else v.strip()
            for k, v in values.items()}  # fmt: skip
    source = text.get("source", "")
    if source not in filing.SOURCES:
        errors.append("source")
    triage = text.get("triage", "")
    if triage not in TRIAGES:
        errors.append("triage")
    reasons = [r for r in text.get("urgent_reasons", "").split(",") if r]
    if any(r not in filing.FILING_REASONS for r in reasons):
        errors.append("urgent_reasons")
    relation = text.get("caller_relation") or None
    if relation is not None and relation not in filing.CALLER_RELATIONS:
        errors.append("caller_relation")
    details: dict[str, Any] = {}
    for name, allowed in (
        ("at_risk", AT_RISK),
        ("contact_method", CONTACT_METHODS),
        ("category", intake_details.CATEGORIES),
        *statistics.STATISTICS_FIELDS.items(),
    ):
        value = text.get(name, "")
        if value and value not in allowed:
            errors.append(name)
        elif value:
            details[name] = value
    for name in ("province", "destination_country"):
        if value := text.get(name, "")[:SHORT]:
            details[name] = value
    for name in ("consent_contact", "safe_to_contact", "is_minor"):
        if (flag := _tri(text.get(name, ""))) is not None:
            details[name] = flag
    age = _int(text.get("age", ""), 0, 120, errors, "age")
    if age is not None:
        details.update(age_band=filing.age_band(age), is_minor=age < 18)
    people = _int(text.get("people_count", ""), 1, 10000, errors, "people_count")
    if people is not None:
        details["people_count"] = people
    for name in PERSONAL:
        if value := text.get(name, "")[:LONG]:
            details[name] = value
    caller = Caller(
        name=text.get("caller_name", "")[:200] or None,
        relation=relation,
        phone=text.get("caller_phone", "")[:40] or None,
    )
    if text.get("anonymous") == "1":
        # Anonymous: nothing that names or reaches the person or the caller is kept.
        caller = Caller(relation=relation)
        for name in ("contact_name", "contact_phone", "safe_contact_time"):
            details.pop(name, None)
        details.update(consent_contact=False, contact_method="none", safe_to_contact=False)
    return Parsed(
        source=source,
        caller=caller,
        triage=triage,
        reasons=reasons,
        details=IntakeDetails(**details),  # type: ignore[typeddict-item]
        notes=text.get("notes", "")[:LONG] or None,
        received_at=_received(text.get("received_at", ""), timezone, errors),
        errors=errors,
    )


def _page(
    request: Request,
    staff: Staff,
    *,
    values: dict[str, str],
    started_at: datetime | None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    settings = request.app.state.settings
    now = datetime.now(UTC)
    values.setdefault("received_at", local(now, settings.timezone))
    values.setdefault("source", "call_111")
    values.setdefault("triage", "report")
    return render(
        request,
        "filing.html",
        staff=staff,
        status_code=status_code,
        v=values,
        reasons=set(values.get("urgent_reasons", "").split(",")),
        opened_at=(started_at or now).isoformat(),
        started_ms=int((started_at or now).timestamp() * 1000),
        sources=filing.SOURCES,
        relations=filing.CALLER_RELATIONS,
        filing_reasons=filing.FILING_REASONS,
        triages=TRIAGES,
        at_risk=AT_RISK,
        contact_methods=CONTACT_METHODS,
        categories=intake_details.CATEGORIES,
        statistics_fields=statistics.STATISTICS_FIELDS,
        local=lambda moment: local(moment, settings.timezone),
        **extra,
    )


@router.get("/filing/new")
def new_intake(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))]
) -> Response:
    """The form, with the operator's unfinished call if there is one."""
    with store.begin() as session:
        draft = call_drafts.open_draft(session, cipher=store.cipher, operator=staff.username)
    if draft is None:
        return _page(request, staff, values={}, started_at=None)
    values = {**draft.fields, "call_id": str(draft.call_id)}
    return _page(request, staff, values=values, started_at=draft.started_at)


def _save(request: Request, staff: Staff, values: dict[str, str]) -> call_drafts.Draft:
    store = store_of(request)
    kept = {k: v for k, v in values.items() if k not in ("call_id", "opened_at")}
    with store.begin() as session:
        return call_drafts.save_draft(
            session,
            cipher=store.cipher,
            operator=staff.username,
            call_id=_call_id(values),
            fields=kept,
            started_at=_opened_at(values),
        )


@router.post("/filing/draft")
async def autosave(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))]
) -> Response:
    """Called by the page as the operator types: answers the draft's id."""
    draft = _save(request, staff, _values(await request.form()))
    return JSONResponse({"call_id": draft.call_id})


@router.post("/filing/search")
async def search(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))]
) -> Response:
    """Enter on the form: save the draft, and look the person up when a search is typed."""
    values = _values(await request.form())
    draft = _save(request, staff, values)
    values["call_id"] = str(draft.call_id)
    matches = None
    if query := values.get("q", "").strip():
        with store.begin() as session:
            matches = case_search.search_cases(
                session, hasher=store.hasher, query=query, actor=staff.username
            )
    return _page(request, staff, values=values, started_at=draft.started_at, matches=matches)


@router.post("/filing")
async def file_case(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))]
) -> Response:
    values = _values(await request.form())
    parsed = parse(values, request.app.state.settings.timezone)
    if parsed.errors:
        draft = _save(request, staff, values)
        values["call_id"] = str(draft.call_id)
        return _page(
            request,
            staff,
            values=values,
            started_at=draft.started_at,
            status_code=400,
            form_error="filing_invalid",
            bad=set(parsed.errors),
        )
    with store.begin() as session:
        filed = filing.file_intake(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            operator=staff.username,
            source=parsed.source,
            caller=parsed.caller,
            triage=parsed.triage,
            urgent_reasons=parsed.reasons,
            details=parsed.details,
            notes=parsed.notes,
            received_at=parsed.received_at,
            call_id=_call_id(values),
        )
    return RedirectResponse(f"/intakes/{filed.intake_id}", status_code=303)


@router.post("/intakes/{intake_id}/calls")
async def attach(
    intake_id: int,
    request: Request,
    store: StoreDep,
    staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))],
) -> Response:
    """Search result chosen: the call joins that case (a timeline entry, no new case)."""
    values = _values(await request.form())
    parsed = parse(values, request.app.state.settings.timezone)
    wrong = set(parsed.errors) - {"triage"}  # no triage given: the case keeps its own
    if wrong:
        draft = _save(request, staff, values)
        values["call_id"] = str(draft.call_id)
        return _page(
            request,
            staff,
            values=values,
            started_at=draft.started_at,
            status_code=400,
            form_error="filing_invalid",
            bad=wrong,
        )
    with store.begin() as session:
        filing.attach_call(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            intake_id=intake_id,
            operator=staff.username,
            source=parsed.source,
            caller=parsed.caller,
            # Only "urgent" raises the case from here: the form's default level is no finding.
            triage="urgent" if parsed.triage == "urgent" else None,
            urgent_reasons=parsed.reasons,
            notes=parsed.notes,
            received_at=parsed.received_at,
            call_id=_call_id(values),
        )
    return RedirectResponse(f"/intakes/{intake_id}", status_code=303)


@router.post("/filing/discard")
async def discard(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))]
) -> Response:
    values = _values(await request.form())
    call_id = _call_id(values)
    if call_id is not None:
        with store.begin() as session:
            call_drafts.discard_draft(session, operator=staff.username, call_id=call_id)
    return RedirectResponse("/queue", status_code=303)


@router.get("/calls")
def calls(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.FILE_INTAKE))]
) -> Response:
    """An operator's own calls; supervisors see everyone's. No personal data."""
    settings = request.app.state.settings
    everyone = staff.can(Action.VIEW_ALL_CALLS)
    with store.begin() as session:
        rows = operator_calls.list_calls(session, operator=None if everyone else staff.username)
    return render(
        request,
        "calls.html",
        staff=staff,
        rows=rows,
        everyone=everyone,
        local=lambda moment: local(moment, settings.timezone),
    )
