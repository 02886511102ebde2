"""The embedded stack (SQLite, in-memory tracker store), started once for the e2e modules that
talk to it: the blind conversations, the real path and the phone in Chromium. Starting Rasa with
the model takes some forty seconds; each person has a web chat session of their own, so the
modules share one stack without meeting each other. The production profiles (PostgreSQL, Redis,
replicas, restarts) start their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.training import project_root
from intake_store.store import Store
from tests.e2e.helpers import current_model, running, stack_settings, store_with_staff_on_duty


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    model = current_model()
    tmp = tmp_path_factory.mktemp("e2e")
    # The blind sets start some 600 web chats within a minute or two, each a different person:
    # over the gateway's limit on new chats for the whole site (600 a minute), which answers 429
    # to a real flood. Here it would cut scripted people off, so this stack's site-wide limit is
    # higher; the per-address limits stay as in production.
    settings = stack_settings(tmp, webchat_new_sessions_per_minute=10_000)
    store = store_with_staff_on_duty(settings)
    specs = process_specs(settings, root=project_root(), model=model)
    with running(specs, settings, tmp / "processes.log"):
        yield settings, store
    store.dispose()
