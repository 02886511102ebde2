"""Security suite fixtures: a throwaway PostgreSQL database per module, row counters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from intake_store.models import Message
from intake_store.store import Store
from tests.conftest import throwaway_postgres


@pytest.fixture(scope="module")
def module_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test module: stricter than SQLite (NUL, encodings)
    and what production runs, so hostile input is tried there."""
    yield from throwaway_postgres("chungtay_s")


def inbound_count(store: Store) -> int:
    with store.begin() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Message).where(Message.direction == "inbound")
            )
            or 0
        )
