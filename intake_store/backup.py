"""`chungtay db backup` / `chungtay db restore`: the intake store and Rasa's tracker store.

A backup is one directory (``chungtay-backup-<local time>``, mode 0700) holding:

- the intake store: SQLite through the online backup API (consistent while the processes run),
  PostgreSQL through ``pg_dump --format=custom``;
- Rasa's tracker store (``CHUNGTAY_RASA_TRACKER_STORE_URL``, PostgreSQL) through ``pg_dump``;
- ``manifest.json``: which files, the schema revision, and the *ids* of the encryption keys the
  data needs (never a key).

The personal fields in it are ciphertext; the keys (``CHUNGTAY_ENCRYPTION_KEYS`` and
``CHUNGTAY_SENDER_HASH_KEY``) are backed up separately and never next to it (deploy/README.md,
"Backup"). Restore refuses when the configured keys lack one the backup needs, refuses a
non-empty target unless ``replace``, and afterwards reads one encrypted field back to prove the
keys fit. Passwords reach pg_dump/pg_restore through ``PGPASSWORD``, never the command line.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import URL, inspect, select
from sqlalchemy.engine import make_url

from intake_store.crypto import FieldCipher, parse_keys
from intake_store.db import make_engine, upgrade_database
from intake_store.models import Intake, Message

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says what to do (no secrets in it)."""


@dataclass(frozen=True)
class Database:
    role: str  # intake_store | rasa_tracker
    url: str

    @property
    def parsed(self) -> URL:
        return make_url(self.url)

    @property
    def kind(self) -> str:
        backend = self.parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise BackupError(f"{self.role}: only SQLite and PostgreSQL are supported")
        return backend

    @property
    def file_name(self) -> str:
        return f"{self.role.replace('_', '-')}.{'sqlite' if self.kind == 'sqlite' else 'pgdump'}"


def databases(*, database_url: str, rasa_tracker_store_url: str) -> list[Database]:
    found = [Database("intake_store", database_url)]
    if rasa_tracker_store_url:
        tracker = Database("rasa_tracker", rasa_tracker_store_url)
        if tracker.kind != "postgresql":
            raise BackupError("rasa_tracker: CHUNGTAY_RASA_TRACKER_STORE_URL must be PostgreSQL")
        found.append(tracker)
    return found


def backup(
    *,
    database_url: str,
    rasa_tracker_store_url: str,
    encryption_keys: str,
    destination: Path,
    timezone: str = "Asia/Ho_Chi_Minh",
    now: datetime | None = None,
) -> Path:
    """Write a new backup directory under ``destination``; returns its path."""
    moment = (now or datetime.now(ZoneInfo(timezone))).astimezone(ZoneInfo(timezone))
    target = destination / f"chungtay-backup-{moment:%Y-%m-%d_%H%M%S}"
    target.mkdir(parents=True, mode=0o700)
    entries: dict[str, Any] = {}
    for database in databases(
        database_url=database_url, rasa_tracker_store_url=rasa_tracker_store_url
    ):
        path = target / database.file_name
        if database.kind == "sqlite":
            _sqlite_backup(_sqlite_path(database), path)
        else:
            _run("pg_dump", database, ["--format=custom", "--no-owner", "--no-privileges"], path)
        path.chmod(0o600)
        entries[database.role] = {"kind": database.kind, "file": database.file_name}
    entries["intake_store"]["revision"] = _revision(database_url)
    manifest = {
        "format": FORMAT,
        "created": moment.isoformat(timespec="seconds"),
        "databases": entries,
        # Which keys decrypt the data (ids only): restore refuses without them.
        "encryption_key_ids": [kid for kid, _ in parse_keys(encryption_keys)],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    (target / MANIFEST).chmod(0o600)
    return target


@dataclass(frozen=True)
class Restored:
    revision: str | None
    databases: list[str]
    checked_field: bool  # an encrypted field was found and decrypted with the configured keys


def restore(
    *,
    source: Path,
    database_url: str,
    rasa_tracker_store_url: str,
    encryption_keys: str,
    replace: bool = False,
) -> Restored:
    """Restore ``source`` (a backup directory) into the configured databases, then migrate."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a Chung Tay backup (no readable {MANIFEST})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    configured = {kid for kid, _ in parse_keys(encryption_keys)}
    missing = [kid for kid in manifest.get("encryption_key_ids", []) if kid not in configured]
    if missing:
        raise BackupError(
            "CHUNGTAY_ENCRYPTION_KEYS lacks the key(s) "
            + ", ".join(missing)
            + " this backup was encrypted with: restore the keys first (deploy/README.md, Backup)"
        )
    entries: dict[str, Any] = manifest["databases"]
    urls = {"intake_store": database_url, "rasa_tracker": rasa_tracker_store_url}
    plan: list[tuple[Database, Path]] = []
    for role, entry in entries.items():
        if not urls.get(role):
            raise BackupError(f"the backup holds {role} but its URL is not configured")
        database = Database(role, urls[role])
        if database.kind != entry["kind"]:
            raise BackupError(f"{role}: the backup is {entry['kind']}, the target {database.kind}")
        if not replace and not _empty(database):
            raise BackupError(f"{role}: the target database is not empty (--replace to overwrite)")
        plan.append((database, source / entry["file"]))
    for database, path in plan:
        if database.kind == "sqlite":
            _sqlite_backup(path, _sqlite_path(database))
        else:
            _run(
                "pg_restore",
                database,
                ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error"],
                path,
            )
    # A backup of an older version is brought to this version's schema.
    upgrade_database(database_url)
    return Restored(
        revision=_revision(database_url),
        databases=[database.role for database, _ in plan],
        checked_field=_read_one_encrypted_field(
            database_url, FieldCipher(parse_keys(encryption_keys))
        ),
    )


def _sqlite_path(database: Database) -> Path:
    name = database.parsed.database
    if not name or name == ":memory:":
        raise BackupError(f"{database.role}: an in-memory SQLite database cannot be backed up")
    return Path(name)


def _sqlite_backup(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while writers go on (WAL included)."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)
    src.close()
    dst.close()


def _run(tool: str, database: Database, options: list[str], path: Path) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} not found: install the PostgreSQL client tools (postgresql-client), "
            "of at least the server's major version"
        )
    url = database.parsed
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    file_option = "--file" if tool == "pg_dump" else None
    command = [executable, *options, f"--dbname={dsn}"]
    command += [file_option, str(path)] if file_option else [str(path)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # pg_* errors name objects and the server, not data; the last lines say enough.
        tail = " ".join(result.stderr.strip().splitlines()[-3:])
        raise BackupError(f"{database.role}: {tool} failed: {tail}")


def _empty(database: Database) -> bool:
    if database.kind == "sqlite":
        path = _sqlite_path(database)
        if not path.exists():
            return True
    engine = make_engine(database.url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _revision(database_url: str) -> str | None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()


def _read_one_encrypted_field(database_url: str, cipher: FieldCipher) -> bool:
    """Decrypt one stored personal field with the configured keys (False: none stored).

    Raises when it does not decrypt: the keys do not fit the data.
    """
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            token = connection.scalar(
                select(Message.text_enc).where(Message.text_enc.is_not(None)).limit(1)
            ) or connection.scalar(
                select(Intake.contact_phone_enc)
                .where(Intake.contact_phone_enc.is_not(None))
                .limit(1)
            )
    finally:
        engine.dispose()
    if token is None:
        return False
    try:
        cipher.decrypt(token)
    except Exception as error:
        raise BackupError(
            "restored, but the configured encryption keys do not decrypt the data"
        ) from error
    return True
