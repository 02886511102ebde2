"""Small display helpers for times and waiting durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

# (minute, hour, day) words: short enough for a phone screen.
_UNITS = {"vi": ("phút", "giờ", "ngày"), "en": ("min", "h", "d")}


def waiting(since: datetime, now: datetime | None = None, lang: str = "vi") -> str:
    """'12 phút', '3 giờ 05', '2 ngày 4 giờ' (English: '12 min', '3 h 05', '2 d 4 h')."""
    minute, hour, day = _UNITS.get(lang, _UNITS["vi"])
    seconds = max(0, int(((now or datetime.now(UTC)) - since).total_seconds()))
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} {minute}"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} {hour} {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} {day} {hours} {hour}"


def local(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y %H:%M")


def parse_day(value: str) -> date | None:
    """A day typed as dd/mm/yyyy (how people here write it; 5/12/2026 too), or yyyy-mm-dd (older
    links); None for anything else."""
    text = value.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_text(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def start_of_day(day: date, timezone: str) -> datetime:
    """Local midnight of ``day``, in UTC (what the store compares with)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def file_stamp(timezone: str, now: datetime | None = None) -> str:
    """Today's local date for an export's file name: 05-12-2026."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).strftime("%d-%m-%Y")
