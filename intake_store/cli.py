"""`chungtay db upgrade|retention|backup|restore` and `chungtay roster add|list|shift-add`."""

from __future__ import annotations

import argparse
import asyncio
from datetime import time
from pathlib import Path
from typing import Any

from chungtay.settings import Settings, get_settings
from intake_store import backup
from intake_store.db import make_engine, make_session_factory, upgrade_database
from intake_store.privacy import run_retention
from intake_store.roster import ROLES, SHIFT_KINDS, add_shift, add_staff, list_shifts, list_staff


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="database: migrations and retention")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply Alembic migrations").set_defaults(handler=_db_upgrade)
    retention = db_sub.add_parser(
        "retention", help="erase personal data of cases closed longer than the retention period"
    )
    retention.add_argument("--days", type=int, help="override CHUNGTAY_RETENTION_DAYS")
    retention.set_defaults(handler=_db_retention)
    backup_cmd = db_sub.add_parser(
        "backup",
        help="back up the intake store and Rasa's tracker store into a new directory "
        "(the encryption keys are backed up separately: deploy/README.md)",
    )
    backup_cmd.add_argument("destination", type=Path, help="where the backup directory is created")
    backup_cmd.set_defaults(handler=_db_backup)
    restore_cmd = db_sub.add_parser(
        "restore", help="restore a backup directory into the configured databases (processes off)"
    )
    restore_cmd.add_argument("source", type=Path, help="a chungtay-backup-... directory")
    restore_cmd.add_argument(
        "--replace", action="store_true", help="overwrite databases that are not empty"
    )
    restore_cmd.set_defaults(handler=_db_restore)

    roster = subparsers.add_parser("roster", help="on-duty staff and shifts")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    add = roster_sub.add_parser("add", help="add a staff member")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="social_worker")
    add.add_argument("--phone", help="E.164 number for SMS alerts")
    add.add_argument("--telegram-chat-id")
    add.add_argument("--languages", default="vi", help="comma-separated, e.g. vi,en")
    add.add_argument("--provinces", default="", help="comma-separated; empty = all provinces")
    add.add_argument(
        "--shift", help="add a daily shift too, HH:MM-HH:MM local time (22:00-06:00 = overnight)"
    )
    add.set_defaults(handler=_roster_add)
    roster_sub.add_parser("list", help="list staff and shifts").set_defaults(handler=_roster_list)
    shift = roster_sub.add_parser("shift-add", help="add a weekly shift for a staff member")
    shift.add_argument("staff_id", type=int)
    shift.add_argument(
        "hours", help="HH:MM-HH:MM in Asia/Ho_Chi_Minh time; end <= start = overnight"
    )
    shift.add_argument("--days", default="0123456", help="weekdays, 0=Monday .. 6=Sunday")
    shift.add_argument("--kind", choices=SHIFT_KINDS, default="primary")
    shift.set_defaults(handler=_roster_shift_add)


def parse_hours(value: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in value.split("-", 1))
    except ValueError as error:
        raise SystemExit(f"shift hours must look like 08:00-16:00, not {value!r}") from error
    return start, end


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _session_factory() -> Any:
    return make_session_factory(make_engine(get_settings().database_url))


def before_run(settings: Settings) -> None:
    """`chungtay run` calls this before it starts any process: the schema the code expects."""
    upgrade_database(settings.database_url)


def _db_upgrade(args: argparse.Namespace) -> int:
    upgrade_database(get_settings().database_url)
    print("database is up to date")
    return 0


def _db_backup(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        path = backup.backup(
            database_url=settings.database_url,
            rasa_tracker_store_url=settings.rasa_tracker_store_url,
            encryption_keys=settings.encryption_keys,
            destination=args.destination,
            timezone=settings.timezone,
        )
    except backup.BackupError as error:
        raise SystemExit(f"backup failed: {error}") from error
    print(f"backup written to {path}")
    print("it holds no keys: keep CHUNGTAY_ENCRYPTION_KEYS and CHUNGTAY_SENDER_HASH_KEY elsewhere")
    return 0


def _db_restore(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        restored = backup.restore(
            source=args.source,
            database_url=settings.database_url,
            rasa_tracker_store_url=settings.rasa_tracker_store_url,
            encryption_keys=settings.encryption_keys,
            replace=args.replace,
        )
    except backup.BackupError as error:
        raise SystemExit(f"restore failed: {error}") from error
    print(f"restored {', '.join(restored.databases)}; schema at {restored.revision}")
    print(
        "encrypted fields read back with the configured keys"
        if restored.checked_field
        else "no encrypted field stored yet: nothing to read back"
    )
    return 0


def _db_retention(args: argparse.Namespace) -> int:
    settings = get_settings()
    days = args.days if args.days is not None else settings.retention_days
    sessions = _session_factory()
    with sessions.begin() as session:
        result = run_retention(session, retention_days=days)
    print(
        f"retention ({days} days): {result.conversations_erased} conversations erased, "
        f"{result.intakes_anonymised} intakes anonymised"
    )
    # Rasa's copies of what was erased (imported late: the store does not depend on the gateway).
    from bot.rasa_forget import forget_pending_copies, forgetter_from_settings

    report = asyncio.run(forget_pending_copies(sessions, forget=forgetter_from_settings(settings)))
    print(f"Rasa copies removed: {report.forgotten}")
    if report.still_pending:
        print(
            f"{report.still_pending} Rasa copies could not be removed (Rasa unreachable): "
            "the routing worker and the next run try again"
        )
    return 0


def _roster_add(args: argparse.Namespace) -> int:
    with _session_factory().begin() as session:
        staff_id = add_staff(
            session,
            name=args.name,
            role=args.role,
            phone=args.phone,
            telegram_chat_id=args.telegram_chat_id,
            languages=_split(args.languages),
            provinces=_split(args.provinces),
        )
        if args.shift:
            start, end = parse_hours(args.shift)
            add_shift(session, staff_id=staff_id, start=start, end=end)
    print(f"staff {staff_id} added")
    return 0


def _roster_shift_add(args: argparse.Namespace) -> int:
    start, end = parse_hours(args.hours)
    with _session_factory().begin() as session:
        shift_id = add_shift(
            session,
            staff_id=args.staff_id,
            start=start,
            end=end,
            weekdays=args.days,
            kind=args.kind,
        )
    print(f"shift {shift_id} added")
    return 0


def _roster_list(args: argparse.Namespace) -> int:
    with _session_factory().begin() as session:
        staff = list_staff(session)
        shifts = list_shifts(session)
    if not staff:
        print("no staff yet: chungtay roster add NAME --role ... --shift 08:00-16:00")
    for member in staff:
        contact = ", ".join(c for c in (member.phone, member.telegram_chat_id and "telegram") if c)
        print(
            f"{member.id:>4}  {member.name}  [{member.role}]"
            f"{'' if member.active else ' (inactive)'}  {contact or 'no contact'}"
            f"  lang={','.join(member.languages) or '-'}"
            f"  provinces={','.join(member.provinces) or 'all'}"
        )
        for s in shifts:
            if s.staff_id == member.id:
                print(f"        {s.kind:<7} {s.start:%H:%M}-{s.end:%H:%M} days={s.weekdays}")
    return 0
