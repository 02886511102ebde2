"""Engines, sessions and migrations. Nothing here connects until a session is used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _normalise_url(url: str) -> str:
    # One driver for PostgreSQL everywhere: psycopg 3.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    url = _normalise_url(url)
    parsed = make_url(url)
    # A failed statement's error (logged with its traceback) names no values: they are ciphertext,
    # keyed hashes and a person's pseudonymous ids.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)

    database = parsed.database
    kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "do_connect")
    def _make_parent(dialect: Any, conn_rec: Any, cargs: Any, cparams: Any) -> None:
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: repository results are plain dataclasses anyway.
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", _normalise_url(url).replace("%", "%%"))
    return config


def upgrade_database(url: str, *, sender_hash_key: str | None = None) -> None:
    """Apply every Alembic migration (``alembic upgrade head``).

    ``sender_hash_key``: for data migrations that hash stored ids (default: the settings' key).
    """
    config = alembic_config(url)
    if sender_hash_key:
        config.attributes["sender_hash_key"] = sender_hash_key
    command.upgrade(config, "head")
