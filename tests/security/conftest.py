"""Security suite fixtures: a throwaway PostgreSQL database per module, row counters."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from intake_store.models import Message
from intake_store.store import Store
from tests.conftest import POSTGRES_ADMIN_URL, _unavailable


@pytest.fixture(scope="module")
def module_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test module: stricter than SQLite (NUL, encodings)
    and what production runs, so hostile input is tried there."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"chungtay_s_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as error:
        admin.dispose()
        _unavailable("PostgreSQL", error)
    yield (
        sqlalchemy.engine.make_url(POSTGRES_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def inbound_count(store: Store) -> int:
    with store.begin() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Message).where(Message.direction == "inbound")
            )
            or 0
        )
