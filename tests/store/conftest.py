"""A migrated store on SQLite and on PostgreSQL for every store test, and the message and case
every other test starts from."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake_store import intakes, messages
from intake_store.db import make_engine, make_session_factory, upgrade_database
from intake_store.intake_details import IntakeDetails
from intake_store.intakes import IntakeRef
from intake_store.messages import InboundRecord
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


def record_message(
    session: Session,
    store: Store,
    *,
    text: str,
    channel: str = "telegram",
    sender: str = "tg-42",
    external_id: str | None = None,
    **extra: Any,
) -> InboundRecord:
    """One message from a person, stored as the gateway stores it (``extra``: received_at...)."""
    return messages.record_inbound(
        session,
        cipher=store.cipher,
        hasher=store.hasher,
        channel=channel,
        sender_id=sender,
        external_id=external_id or f"{sender}:{text}",
        text=text,
        **extra,
    )


def open_chat_case(
    session: Session,
    store: Store,
    *,
    triage: str = "report",
    urgent_reasons: Sequence[str] = (),
    details: IntakeDetails | None = None,
    from_message: bool = True,
    **message: Any,
) -> tuple[InboundRecord, IntakeRef]:
    """A person's message (``message``: ``record_message``'s words) and the case the assistant
    opens for it; ``from_message=False``: the case names no source message."""
    record = record_message(session, store, **message)
    case = intakes.open_intake(
        session,
        cipher=store.cipher,
        conversation_id=record.conversation_id,
        triage=triage,
        urgent_reasons=list(urgent_reasons),
        source_message_id=record.message_id if from_message else None,
        language="vi",
        details=details,
    )
    return record, case
