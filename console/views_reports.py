"""Statistics (with CSV export) and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from console import xlsx
from console.permissions import Action
from console.timefmt import local
from console.web import Staff, guard, render
from intake_store import audit, statistics
from intake_store.store import Store

router = APIRouter()


def _day(value: str | None, timezone: str) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _report(request: Request) -> tuple[statistics.Report, str, str]:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    since = request.query_params.get("since", "")
    until = request.query_params.get("until", "")
    with store.begin() as session:
        report = statistics.intake_counts(
            session,
            since=_day(since, settings.timezone),
            until=_day(until, settings.timezone),
            timezone=settings.timezone,
        )
    return report, since, until


@router.get("/statistics")
def statistics_page(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.VIEW_STATISTICS))]
) -> Response:
    report, since, until = _report(request)
    peaks = {name: max((c for _, c in pairs), default=0) for name, pairs in report.counts.items()}
    return render(
        request,
        "statistics.html",
        staff=staff,
        report=report,
        dimensions=statistics.DIMENSIONS,
        peaks=peaks,
        since=since,
        until=until,
        query=request.url.query,
    )


@router.get("/statistics/export.csv")
def statistics_csv(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.EXPORT_STATISTICS))]
) -> Response:
    report, _, _ = _report(request)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(
        # BOM so that Excel opens the Vietnamese text as UTF-8.
        "\ufeff" + statistics.report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="chungtay-thongke-{stamp}.csv"'},
    )


@router.get("/statistics/export.xlsx")
def statistics_xlsx(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.EXPORT_STATISTICS))]
) -> Response:
    report, _, _ = _report(request)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    rows: list[list[str | int]] = [["dimension", "value", "count"]]
    rows += [[d, v, c] for d, v, c in statistics.report_rows(report)]
    return Response(
        xlsx.workbook(rows, sheet="Thống kê"),
        media_type=xlsx.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="chungtay-thongke-{stamp}.xlsx"'},
    )


@router.get("/audit")
def audit_log(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.VIEW_AUDIT))]
) -> Response:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    actor = request.query_params.get("actor", "").strip() or None
    subject = request.query_params.get("intake", "").strip()
    with store.begin() as session:
        entries = audit.list_audit(
            session,
            actor=actor,
            subject_type="intake" if subject.isdigit() else None,
            subject_id=int(subject) if subject.isdigit() else None,
            limit=300,
        )
    return render(
        request,
        "audit.html",
        staff=staff,
        entries=entries,
        actor=actor or "",
        subject=subject,
        local=lambda moment: local(moment, settings.timezone),
    )
