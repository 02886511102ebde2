"""The hours a person said staff may contact them ("chỉ sau 11 giờ tối"), as a daily window.

The words stay encrypted (``safe_contact_time_enc``); the window read from them is two plain local
times, which identify nobody, so the console can show it next to the reply box and hold a reply
until it opens without revealing anything else. A window runs past midnight when it ends at or
before its start; an end of 00:00 is midnight ("24:00"). Words this reader cannot place give no
window: staff read them (an audited reveal) and set it by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class SafeWindow:
    start: time
    end: time  # 00:00 is midnight at the end of the day

    def is_open(self, moment: datetime, timezone: str) -> bool:
        now = moment.astimezone(ZoneInfo(timezone)).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # runs past midnight

    def next_opening(self, moment: datetime, timezone: str) -> datetime:
        """The next moment the window opens (``moment`` itself when it is open now)."""
        if self.is_open(moment, timezone):
            return moment
        local = moment.astimezone(ZoneInfo(timezone))
        opening = datetime.combine(local.date(), self.start, tzinfo=local.tzinfo)
        if opening <= local:
            opening += timedelta(days=1)
        return opening.astimezone(moment.tzinfo)

    def text(self) -> str:
        end = "24:00" if self.end == time(0) else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}–{end}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


_PERIOD = (
    r"(?:\s*(?:gio|h|g)\s*(?P<m{n}>\d{{2}})?|\s*:\s*(?P<c{n}>\d{{2}}))?"
    r"\s*(?P<p{n}>sang|trua|chieu|toi|dem|am|pm)?"
)
_HOUR = r"(?P<h{n}>\d{{1,2}})" + _PERIOD
_RANGE = re.compile(
    r"(?:tu|from|between)?\s*"
    + _HOUR.format(n=1)
    + r"\s*(?:den|toi|-|–|to|until|and)\s*"
    + _HOUR.format(n=2)
)
_AFTER = re.compile(r"(?:sau|after|tu|from)\s*" + _HOUR.format(n=1))


def _hour(found: re.Match[str], n: int, period: str | None) -> time | None:
    hour = int(found.group(f"h{n}"))
    minute = int(found.group(f"m{n}") or found.group(f"c{n}") or 0)
    if hour > 24 or minute > 59:
        return None
    if (period in ("chieu", "toi", "pm") and hour < 12) or (period == "dem" and 7 <= hour < 12):
        hour += 12
    elif period in ("dem", "sang", "am") and hour == 12:
        hour = 0
    return time(hour % 24, minute)


def parse_safe_window(words: str) -> SafeWindow | None:
    """ "từ 8 đến 10 giờ tối" -> 20:00–22:00; "chỉ sau 11 giờ tối" -> 23:00–24:00 (after an hour:
    until midnight, the narrowest reading); anything else -> None."""
    folded = _fold(words)
    found = _RANGE.search(folded)
    if found:
        second = found.group("p2")
        first = found.group("p1") or second
        start, end = _hour(found, 1, first), _hour(found, 2, second)
        if start is not None and end is not None and start != end:
            return SafeWindow(start, end)
    found = _AFTER.search(folded)
    if found:
        start = _hour(found, 1, found.group("p1"))
        if start is not None and start != time(0):
            return SafeWindow(start, time(0) if start >= time(12) else time(12))
    return None
