"""Statistics (with CSV export) and the audit log."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from console import labels, xlsx
from console.i18n import language_of
from console.permissions import Action
from console.timefmt import day_text, file_stamp, local, parse_day, start_of_day
from console.web import Staff, StoreDep, guard, render, store_of
from intake_store import audit, intake_views, roster, statistics, users
from intake_store.store import Store

router = APIRouter()


def _day(value: str | None, timezone: str) -> datetime | None:
    day = parse_day(value) if value else None
    return None if day is None else start_of_day(day, timezone)


def _report(request: Request) -> tuple[statistics.Report, str, str]:
    store: Store = store_of(request)
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
    # Shown back as people write dates, whichever way the link had them.
    return report, day_text(parse_day(since)), day_text(parse_day(until))


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


# The exports: a labelled table for people first, then the same counts as codes for machines.
HEADERS = {"vi": ("Nhóm", "Giá trị", "Số lượng"), "en": ("Group", "Value", "Count")}
CODES_SECTION = "codes"  # the CSV section and XLSX sheet holding the store's codes


def _labelled_rows(report: statistics.Report, lang: str) -> list[list[str | int]]:
    rows: list[list[str | int]] = [list(HEADERS.get(lang, HEADERS["vi"]))]
    rows += [
        [labels.label("dimension", d, lang), labels.statistic_value(d, v, lang), c]
        for d, v, c in statistics.report_rows(report)
    ]
    return rows


def _csv(rows: list[list[str | int]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


@router.get("/statistics/export.csv")
def statistics_csv(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.EXPORT_STATISTICS))]
) -> Response:
    report, _, _ = _report(request)
    stamp = file_stamp(request.app.state.settings.timezone)
    people = _csv(_labelled_rows(report, language_of(request)))
    return Response(
        # BOM so that Excel opens the Vietnamese text as UTF-8.
        "\ufeff" + people + "\n" + CODES_SECTION + "\n" + statistics.report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="chungtay-thongke-{stamp}.csv"'},
    )


@router.get("/statistics/export.xlsx")
def statistics_xlsx(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.EXPORT_STATISTICS))]
) -> Response:
    report, _, _ = _report(request)
    stamp = file_stamp(request.app.state.settings.timezone)
    codes: list[list[str | int]] = [["dimension", "value", "count"]]
    codes += [[d, v, c] for d, v, c in statistics.report_rows(report)]
    lang = language_of(request)
    sheets = [("Thống kê" if lang == "vi" else "Statistics", _labelled_rows(report, lang))]
    return Response(
        xlsx.workbook_sheets([*sheets, (CODES_SECTION, codes)]),
        media_type=xlsx.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="chungtay-thongke-{stamp}.xlsx"'},
    )


@router.get("/audit")
def audit_log(
    request: Request, store: StoreDep, staff: Annotated[Staff, Depends(guard(Action.VIEW_AUDIT))]
) -> Response:
    settings = request.app.state.settings
    actor = request.query_params.get("actor", "").strip() or None
    subject = request.query_params.get("intake", "").strip()
    with store.begin() as session:
        # A case is named by its CT- code (the internal id still works, for old links).
        subject_id = (
            int(subject)
            if subject.isdigit()
            else intake_views.intake_id_for_reference(session, reference=subject)
            if subject
            else None
        )
        entries = audit.list_audit(
            session,
            actor=actor,
            subject_type="intake" if subject else None,
            subject_id=-1 if subject and subject_id is None else subject_id,
            limit=300,
        )
        codes = intake_views.reference_codes(
            session,
            intake_ids=[
                e.subject_id for e in entries if e.subject_type == "intake" and e.subject_id
            ],
        )
        usernames = {user.id: user.username for user in users.list_users(session)}
        staff_names = {member.id: member.name for member in roster.list_staff(session)}
    return render(
        request,
        "audit.html",
        staff=staff,
        entries=entries,
        actor_filter=actor or "",
        subject=subject,
        codes=codes,
        usernames=usernames,
        staff_names=staff_names,
        local=lambda moment: local(moment, settings.timezone),
    )
