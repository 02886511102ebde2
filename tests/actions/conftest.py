"""The actions' store for one test: a fresh SQLite store that the actions reach as their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions import intake_filing, returning, store_access
from intake_store.db import upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    settings = make_test_settings(tmp_path)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    monkeypatch.setattr(store_access, "get_store", lambda: store)
    monkeypatch.setattr(intake_filing, "get_settings", lambda: settings)
    monkeypatch.setattr(returning, "get_settings", lambda: settings)
    return store
