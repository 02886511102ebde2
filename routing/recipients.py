"""Who gets an alert: pure rules over the on-duty roster (easy to test, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake_store.roster import StaffRef, first_line

LEVEL_PRIMARY, LEVEL_BACKUP, LEVEL_SUPERVISOR = 0, 1, 2


@dataclass(frozen=True)
class Routing:
    recipients: tuple[StaffRef, ...]
    level: int  # the level actually used (may be higher than asked)
    nobody_on_duty: bool


def _matching(staff: Sequence[StaffRef], province: str | None, language: str) -> list[StaffRef]:
    """Staff covering the province and language; everyone on the list if nobody matches."""

    def covers(s: StaffRef) -> bool:
        province_ok = not s.provinces or province is None or province in s.provinces
        language_ok = not s.languages or language in s.languages
        return province_ok and language_ok

    matches = [s for s in staff if covers(s)]
    return matches or list(staff)


def choose_recipients(
    *,
    level: int,
    on_duty: Sequence[StaffRef],
    supervisors: Sequence[StaffRef],
    province: str | None,
    language: str,
) -> Routing:
    """Level 0: primary shift; 1: backup on-call; 2: supervisor. Empty levels fall through."""
    workers = first_line(on_duty)
    primary = [s for s in workers if s.shift_kind == "primary"]
    backup = [s for s in workers if s.shift_kind == "backup"]
    nobody = not workers
    if level <= LEVEL_PRIMARY and primary:
        return Routing(tuple(_matching(primary, province, language)), LEVEL_PRIMARY, False)
    if level <= LEVEL_BACKUP and backup:
        return Routing(tuple(_matching(backup, province, language)), LEVEL_BACKUP, False)
    duty_supervisors = [s for s in on_duty if s.role == "supervisor"]
    chosen = duty_supervisors or list(supervisors)
    return Routing(tuple(chosen), LEVEL_SUPERVISOR, nobody)
