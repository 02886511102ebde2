"""Counts of intakes for periodic reports (no personal data: only plain intake columns).

Dimensions follow the issue and the seed plans (seed 004): month, origin (chat or operator) and
source (a filed case's source, a chat's channel), province, channel, triage,
exploitation category, and the plans' own categories — return mode (official handover /
self-return), discovery (rescued / self-reported) and the route of suspected victims
(labour export / tourism / marriage).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, case, func, literal, select
from sqlalchemy.orm import Session

from intake_store.models import Intake

UNKNOWN = "unknown"

# The plans' own categories (seed 004), closed so the counts add up: the store refuses others.
ReturnMode = Literal["official_handover", "self_return"]  # returned from abroad: trao trả / tự về
Discovery = Literal["rescued", "self_reported"]  # in the country: được giải cứu / tự đến trình báo
Route = Literal["labour_export", "tourism", "marriage", "other"]  # XKLĐ / du lịch / kết hôn với NNN
RETURN_MODES: tuple[str, ...] = get_args(ReturnMode)
DISCOVERIES: tuple[str, ...] = get_args(Discovery)
ROUTES: tuple[str, ...] = get_args(Route)
STATISTICS_FIELDS: dict[str, tuple[str, ...]] = {
    "return_mode": RETURN_MODES,
    "discovery": DISCOVERIES,
    "route": ROUTES,
}


class UnknownCategoryValue(ValueError):
    """A statistics field was given a value outside its vocabulary."""


def check_statistics_value(field: str, value: object) -> None:
    """Raise ``UnknownCategoryValue`` unless ``value`` is None or in ``field``'s vocabulary."""
    allowed = STATISTICS_FIELDS[field]
    if value is not None and value not in allowed:
        raise UnknownCategoryValue(f"{field} must be one of {', '.join(allowed)} (got {value!r})")


DIMENSIONS = (
    "month",
    "origin",
    "source",
    "province",
    "channel",
    "triage",
    "category",
    "return_mode",
    "discovery",
    "route",
)
# Chat-born and operator-filed cases side by side: a filed case's source (call, walk-in,
# handover...; intake_store/filing.SOURCES), a chat's channel as "chat_<channel>".
ORIGINS: tuple[str, ...] = ("chat", "operator")
_COLUMNS: dict[str, Any] = {
    "origin": case((Intake.source.is_(None), "chat"), else_="operator"),
    "source": func.coalesce(Intake.source, literal("chat_", String) + Intake.channel),
    "province": Intake.province,
    "channel": Intake.channel,
    "triage": Intake.triage,
    "category": Intake.category,
    "return_mode": Intake.return_mode,
    "discovery": Intake.discovery,
    "route": Intake.route,
}


@dataclass(frozen=True)
class Report:
    total: int
    # dimension -> [(value, count)], largest first (month: chronological)
    counts: dict[str, list[tuple[str, int]]]


def _period(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(Intake.received_at >= since)
    if until is not None:
        conditions.append(Intake.received_at < until)
    return conditions


def intake_counts(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    timezone: str = "Asia/Ho_Chi_Minh",
) -> Report:
    """Intake counts per dimension for intakes received in [since, until)."""
    conditions = _period(since, until)
    total = session.scalar(select(func.count(Intake.id)).where(*conditions)) or 0
    counts: dict[str, list[tuple[str, int]]] = {}
    # Months in the hotline's local time; bucketed here so SQLite and PostgreSQL agree.
    zone = ZoneInfo(timezone)
    months = Counter(
        received.astimezone(zone).strftime("%Y-%m")
        for received in session.scalars(select(Intake.received_at).where(*conditions))
    )
    counts["month"] = sorted(months.items())
    for name, column in _COLUMNS.items():
        rows = session.execute(
            select(column, func.count(Intake.id)).where(*conditions).group_by(column)
        ).all()
        pairs = [(value if value else UNKNOWN, int(count)) for value, count in rows]
        merged: Counter[str] = Counter()
        for value in STATISTICS_FIELDS.get(name, ORIGINS if name == "origin" else ()):
            merged[value] = 0  # both halves of each pair are reported, even at zero
        for value, count in pairs:
            merged[value] += count
        counts[name] = sorted(merged.items(), key=lambda pair: (-pair[1], pair[0]))
    return Report(total=int(total), counts=counts)


def report_rows(report: Report) -> list[tuple[str, str, int]]:
    """One row per (dimension, value, count), starting with the total."""
    rows = [("total", "all", report.total)]
    for dimension in DIMENSIONS:
        rows += [(dimension, value, count) for value, count in report.counts.get(dimension, [])]
    return rows


def report_csv(report: Report) -> str:
    """The rows as CSV with a header; opens in a spreadsheet as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["dimension", "value", "count"])
    writer.writerows(report_rows(report))
    return buffer.getvalue()
