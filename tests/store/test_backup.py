"""`chungtay db backup` / `chungtay db restore` through the real CLI, on SQLite and PostgreSQL.

Fill the store (an encrypted message and an encrypted contact phone) and, on PostgreSQL, Rasa's
tracker store; back up; wipe every database; restore; read the encrypted fields back. A restore
without the keys the backup needs is refused, and so is one over a database that is not empty.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from chungtay.cli import main
from chungtay.settings import get_settings
from intake_store.db import upgrade_database
from intake_store.intake_views import reveal_intake
from intake_store.models import Message
from intake_store.store import Store
from tests.conftest import make_test_settings, throwaway_postgres
from tests.store.conftest import open_chat_case

PHONE = "0987654321"
WORDS = "em bị giữ ở Bavet, số của em là 0987654321"


@pytest.fixture
def tracker_url(database_url: str) -> Iterator[str]:
    """Rasa's tracker store beside a PostgreSQL intake store (none beside SQLite: development)."""
    if database_url.startswith("sqlite"):
        yield ""
        return
    yield from throwaway_postgres("chungtay_rasa_t")


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _wipe(url: str, tmp_path: Path) -> None:
    if url.startswith("sqlite"):
        for path in tmp_path.glob("store.db*"):  # the database, its WAL and shared memory
            path.unlink()
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def test_backup_wipe_restore_reads_encrypted_fields_back(
    database_url: str,
    tracker_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env or var/dev-secrets.env
    keys = f"k2:{_key()},k1:{_key()}"  # rotated once: k1 may still decrypt older rows
    env = {
        "CHUNGTAY_DATABASE_URL": database_url,
        "CHUNGTAY_ENCRYPTION_KEYS": keys,
        "CHUNGTAY_SENDER_HASH_KEY": secrets.token_hex(32),
        "CHUNGTAY_RASA_TRACKER_STORE_URL": tracker_url,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    hash_key = env["CHUNGTAY_SENDER_HASH_KEY"]
    settings = make_test_settings(
        tmp_path, database_url=database_url, encryption_keys=keys, sender_hash_key=hash_key
    )
    upgrade_database(database_url)
    store = Store.from_settings(settings)
    with store.begin() as session:
        _, intake = open_chat_case(
            session,
            store,
            text=WORDS,
            channel="webchat",
            sender="backup-test-session",
            triage="help",
            details={"contact_phone": PHONE},
        )
    store.dispose()
    if tracker_url:  # what Rasa's SQL tracker store keeps: one row per event
        tracker = create_engine(tracker_url)
        with tracker.begin() as connection:
            connection.execute(text("CREATE TABLE events (id serial PRIMARY KEY, data text)"))
            connection.execute(text('INSERT INTO events (data) VALUES (\'{"event": "user"}\')'))
        tracker.dispose()

    try:
        assert main(["db", "backup", str(tmp_path / "backups")]) == 0
        [backup] = (tmp_path / "backups").iterdir()
        manifest = json.loads((backup / "manifest.json").read_text())
        assert manifest["encryption_key_ids"] == ["k2", "k1"]
        assert keys.split(",")[0].split(":")[1] not in (backup / "manifest.json").read_text()
        assert sorted(manifest["databases"]) == (
            ["intake_store", "rasa_tracker"] if tracker_url else ["intake_store"]
        )
        assert backup.stat().st_mode & 0o077 == 0  # only the owner reads a backup
        assert PHONE.encode() not in b"".join(p.read_bytes() for p in backup.iterdir())

        # Over a store that still holds data: refused unless --replace.
        with pytest.raises(SystemExit, match="not empty"):
            main(["db", "restore", str(backup)])

        _wipe(database_url, tmp_path)
        if tracker_url:
            _wipe(tracker_url, tmp_path)

        # Without the key k1 the backup needs: refused before anything is written.
        monkeypatch.setenv("CHUNGTAY_ENCRYPTION_KEYS", keys.split(",")[0])
        get_settings.cache_clear()
        with pytest.raises(SystemExit, match="lacks the key"):
            main(["db", "restore", str(backup)])

        monkeypatch.setenv("CHUNGTAY_ENCRYPTION_KEYS", keys)
        get_settings.cache_clear()
        capsys.readouterr()
        assert main(["db", "restore", str(backup)]) == 0
        assert "encrypted fields read back" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()

    store = Store.from_settings(settings)
    with store.begin() as session:
        revealed = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="backup test"
        )
        [stored] = session.scalars(select(Message.text_enc)).all()
    store.dispose()
    assert revealed["contact_phone"] == PHONE
    assert stored is not None and store.cipher.decrypt(stored) == WORDS
    if tracker_url:
        tracker = create_engine(tracker_url)
        with tracker.connect() as connection:
            assert connection.execute(text("SELECT data FROM events")).scalars().all() == [
                '{"event": "user"}'
            ]
        tracker.dispose()
