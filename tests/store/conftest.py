"""A migrated store on SQLite and on PostgreSQL for every store test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_store.db import upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    upgrade_database(database_url)
    settings = make_test_settings(tmp_path, database_url=database_url)
    store = Store.from_settings(settings)
    yield store
    store.dispose()
