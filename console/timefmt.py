"""Small display helpers for times and waiting durations."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def waiting(since: datetime, now: datetime | None = None) -> str:
    """'12 min', '3 h 05', '2 d 4 h': compact enough for a phone screen."""
    seconds = max(0, int(((now or datetime.now(UTC)) - since).total_seconds()))
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def local(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y %H:%M")
