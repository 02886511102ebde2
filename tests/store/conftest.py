"""A migrated store on SQLite and on PostgreSQL for every store test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from intake_store.db import make_engine, make_session_factory, upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    upgrade_database(database_url)
    settings = make_test_settings(tmp_path, database_url=database_url)
    store = Store.from_settings(settings)
    yield store
    store.dispose()


@pytest.fixture
def make_store(store: Store) -> Callable[[], Store]:
    """Another Store on the same database and keys (its own engine and connections)."""

    def factory() -> Store:
        url = store.session_factory.kw["bind"].url.render_as_string(hide_password=False)
        engine = make_engine(url)
        return Store(make_session_factory(engine), store.cipher, store.hasher)

    return factory
