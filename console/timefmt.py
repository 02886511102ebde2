"""Small display helpers for times and waiting durations."""

from __future__ import annotations

from datetime import UTC, datetime
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
