"""Erasure in chat also removes Rasa's copy of the conversation.

With the SQL tracker store (production) the gateway deletes the sender's rows from Rasa's
``events`` table once Rasa has answered the erasing turn; with the in-memory store it replaces the
conversation with an empty one through Rasa's HTTP API. Rasa's real tables are exercised in
tests/e2e/test_production_stores.py; here they are a table of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.app import create_app
from bot.erasure_request import asks_for_erasure
from chungtay.settings import Settings
from intake_store.privacy import erase_conversation
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, running
from tests.gateway.test_webchat import SESSION, post
from tests.nlu.training_examples import training_examples

# rasa.core.tracker_store.SQLTrackerStore.SQLEvent (Rasa 3.6)
EVENTS_DDL = """CREATE TABLE events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def _erasing_rasa(store: Store, rasa: FakeRasa, events_url: str | None) -> None:
    """Rasa saving every turn as events, and the erasure action erasing on the person's yes."""

    def act(body: dict[str, Any]) -> None:
        if events_url:
            engine = create_engine(events_url)
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', :d)"),
                    {"s": body["sender"], "d": f'{{"text": "{body["message"]}"}}'},
                )
            engine.dispose()
        if body["message"] == "có, xóa đi":
            with store.begin() as session:
                erase_conversation(
                    session,
                    conversation_id=body["metadata"]["conversation_id"],
                    actor="system:assistant",
                    reason="the person asked to erase their data",
                )

    rasa.on_message = act


@pytest.mark.parametrize("tracker_store", ["sql", "memory"])
async def test_erasing_in_chat_drops_rasas_copy_of_the_conversation(
    gateway_settings: Callable[..., Settings],
    store: Store,
    rasa: FakeRasa,
    tmp_path: Path,
    tracker_store: str,
) -> None:
    events_url = f"sqlite:///{tmp_path / 'rasa-tracker.db'}" if tracker_store == "sql" else None
    if events_url:
        engine = create_engine(events_url)
        with engine.begin() as connection:
            connection.execute(text(EVENTS_DDL))
            connection.execute(  # another person's conversation must stay
                text("INSERT INTO events (sender_id, type_name) VALUES ('ct-other', 'user')")
            )
        engine.dispose()
    _erasing_rasa(store, rasa, events_url)
    settings = gateway_settings(rasa_tracker_store_url=events_url or "")
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    async with running(app) as client:
        await client.post("/webchat/messages", json=post("em bị lừa sang Campuchia", "m-00000001"))
        await client.post("/webchat/messages", json=post("xóa dữ liệu", "m-00000002"))
        assert rasa.tracker_calls == [] and len(rasa.calls) == 2  # nothing erased yet
        await client.post("/webchat/messages", json=post("có, xóa đi", "m-00000003"))
        sender = rasa.calls[-1]["sender"]

    if events_url:
        engine = create_engine(events_url)
        with engine.connect() as connection:
            left = connection.execute(text("SELECT sender_id FROM events")).scalars().all()
        engine.dispose()
        assert left == ["ct-other"]
        assert rasa.tracker_calls == []
    else:
        assert rasa.tracker_calls == [("PUT", sender, [])]
    assert SESSION not in sender


def test_held_erasure_flag_matches_the_delete_data_intent() -> None:
    """While held, the gateway flags "xóa" itself: it must see what Rasa's intent would."""
    examples = training_examples()
    missed = [e for e in examples["delete_data"] if not asks_for_erasure(e)]
    others = [e for intent, lines in examples.items() if intent != "delete_data" for e in lines]
    flagged = [e for e in others if asks_for_erasure(e)]
    assert len(examples["delete_data"]) >= 10 and len(others) > 100
    assert missed == [] and flagged == []
    for said in ("XOÁ", "xóa đi!", "chị ơi xóa giúp em dữ liệu nhé", "pls erase all my messages"):
        assert asks_for_erasure(said), said
    for said in ("xóa đói giảm nghèo là gì", "họ giữ hộ chiếu của em", "em muốn về nhà"):
        assert not asks_for_erasure(said), said
    # What is held or kept from someone is no request to keep nothing of theirs.
    for said in ("đẻ xong chị ấy không được giữ con", "xin đừng giữ em lại", "đừng lưu gì về tôi"):
        assert asks_for_erasure(said) == said.startswith("đừng lưu"), said
