"""A migrated store, a fake clock (Monday 10:00 in Ha Noi) and fake Telegram/Twilio servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_channels import FakeTelegram, FakeTwilio
from routing_env import RoutingEnv

from intake_store.db import upgrade_database
from intake_store.store import Store
from routing.clock import FakeClock
from tests.conftest import make_test_settings


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> Iterator[RoutingEnv]:
    upgrade_database(database_url)
    store = Store.from_settings(make_test_settings(tmp_path, database_url=database_url))
    yield RoutingEnv(store, FakeClock(), FakeTelegram(), FakeTwilio(), database_url)
    store.dispose()


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[[str], Store]:
    def factory(url: str) -> Store:
        return Store.from_settings(make_test_settings(tmp_path, database_url=url))

    return factory
