"""Shared fixtures: settings with fresh keys, and real SQLite / PostgreSQL / Redis back ends.

PostgreSQL and Redis are what production uses, so their tests must run in CI: when CI=true and a
server is missing the fixture fails loudly instead of skipping.
"""

from __future__ import annotations

import base64
import os
import secrets
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chungtay.settings import Settings

POSTGRES_ADMIN_URL = os.environ.get(
    "CHUNGTAY_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("CHUNGTAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# tests/rasa runs in .venv-rasa (`make test-rasa`, with --confcutdir so this file is not loaded).
collect_ignore = ["rasa"]


def _unavailable(what: str, error: Exception) -> None:
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if IN_CI:
        pytest.fail(f"{message}; CI must test against it", pytrace=False)
    pytest.skip(message)


def make_test_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for one test: own SQLite file, own random keys, no channel credentials."""
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "database_url": f"sqlite:///{tmp_path / 'chungtay.db'}",
        "encryption_keys": f"k1:{key}",
        "sender_hash_key": secrets.token_hex(32),
        "console_secret_key": secrets.token_hex(32),
        "rasa_auth_token": secrets.token_hex(32),
        "action_server_token": secrets.token_hex(32),
        "worker_port": 0,  # a worker's /metrics port only where a test asks for one
    }
    values.update(overrides)
    # _env_file=None: a developer's .env or var/dev-secrets.env must not leak into tests.
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_test_settings(tmp_path)


def throwaway_postgres(prefix: str) -> Iterator[str]:
    """Create a PostgreSQL database, yield its URL, drop it afterwards (fixtures' body)."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as error:
        admin.dispose()
        _unavailable("PostgreSQL", error)
    url = sqlalchemy.engine.make_url(POSTGRES_ADMIN_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, dropped afterwards."""
    yield from throwaway_postgres("chungtay_t")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database for tests (db 15 by default); flushed before use."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
        client.flushdb()
    except Exception as error:
        _unavailable("Redis", error)
    finally:
        client.close()
    return REDIS_TEST_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs a test once on SQLite and once on PostgreSQL (a fresh schema each time)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    base: str = request.getfixturevalue("postgres_url")
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:  # every test starts from an empty database
            reset_schema(conn)
    finally:
        engine.dispose()
    return base


def reset_schema(conn: Any, *, lock_timeout: str = "15s") -> None:
    """Empty this run's throwaway database without ever waiting forever.

    A connection an earlier test left inside a transaction holds locks that DROP SCHEMA would wait
    on for good (a CI run stalled like that until its time ran out). The database belongs to this
    test session only, so any other connection to it is a leftover: it is named, ended, and the
    reset tried again.
    """
    conn.exec_driver_sql(f"SET lock_timeout = '{lock_timeout}'")
    try:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        return
    except Exception as error:
        if "lock timeout" not in str(error):
            raise
    leftovers = conn.exec_driver_sql(
        "SELECT pid, state, left(query, 120) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).all()
    warnings.warn(
        f"connections left open by earlier tests held the schema's locks: {leftovers}",
        stacklevel=2,
    )
    conn.exec_driver_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
