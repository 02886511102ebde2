"""PostgreSQL drops the gateway's connection in the middle of a turn (a failover, a restart,
``pg_terminate_backend``): the person is answered all the same, and nothing is lost or doubled.

The cuts are real: a second connection terminates the backend of the connection a statement is
about to run on, so psycopg sees the server go away exactly where a failover would hit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy import Engine, event

from bot.app import create_app
from chungtay.settings import Settings
from intake_store.db import upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.gateway.conftest import FakeRasa, rows, running

URGENT = "cứu tôi với, tôi đang bị nhốt ở Campuchia"
CALM = "cho tôi hỏi về xuất khẩu lao động"


class ConnectionCutter:
    """Terminates the connection under the first statement of every other transaction
    (``every_other``), or under every statement (``always``)."""

    def __init__(self, engine: Engine, database_url: str) -> None:
        self.admin = sqlalchemy.create_engine(database_url, isolation_level="AUTOCOMMIT")
        self.every_other = False
        self.always = False
        self.transactions = 0
        self.cuts = 0
        self._cut_next = False
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "before_cursor_execute", self._before)

    def _begin(self, conn: sqlalchemy.Connection) -> None:
        self.transactions += 1
        self._cut_next = self.every_other and self.transactions % 2 == 1

    def _before(self, conn: sqlalchemy.Connection, *args: Any) -> None:
        if not (self._cut_next or self.always):
            return
        self._cut_next = False
        pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        with self.admin.connect() as admin:
            admin.exec_driver_sql("SELECT pg_terminate_backend(%s)", (pid,))
            deadline = time.monotonic() + 10
            while admin.exec_driver_sql(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)
            ).first():
                assert time.monotonic() < deadline, "the backend outlived pg_terminate_backend"
                time.sleep(0.01)
        self.cuts += 1


@pytest.fixture
def cut_store(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Store, ConnectionCutter]]:
    admin = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # a fresh schema
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    admin.dispose()
    settings = make_test_settings(tmp_path, database_url=postgres_url)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    cutter = ConnectionCutter(store.session_factory.kw["bind"], postgres_url)
    yield store, cutter
    store.dispose()
    cutter.admin.dispose()


def post(text: str, message_id: str) -> dict[str, str]:
    return {"session": "c" * 8 + "0123456789abcdef", "message_id": message_id, "text": text}


async def test_a_dropped_connection_mid_turn_costs_the_person_nothing(
    gateway_settings: Callable[..., Settings],
    cut_store: tuple[Store, ConnectionCutter],
    rasa: FakeRasa,
) -> None:
    store, cutter = cut_store
    app = create_app(
        gateway_settings(), store=store, rasa_transport=rasa.transport, retry_loop=False
    )
    async with running(app) as client:
        cutter.every_other = True
        urgent = await client.post("/webchat/messages", json=post(URGENT, "m-00000001"))
        calm = await client.post("/webchat/messages", json=post(CALM, "m-00000002"))
        cutter.every_other = False

    # Storing the message, the turn's lease, the safety net's case and alert, the replies: each
    # transaction whose connection was cut ran again on a new one.
    assert cutter.cuts >= 5
    for answer in (urgent, calm):
        assert answer.status_code == 200
        assert [r["text"] for r in answer.json()["replies"]] == [r["text"] for r in rasa.replies]
    stored = rows(store)
    assert [status for _, _, status, _ in stored["inbound"]] == ["processed", "processed"]
    assert [triage for triage, _, _ in stored["intakes"]] == ["urgent"]
    assert stored["outbox"] == ["staff_alert"]
    assert len(stored["outbound"]) == 2 * len(rasa.replies)
    assert [call["message"] for call in rasa.calls] == [URGENT, CALM]


async def test_a_store_gone_after_rasa_answered_still_gets_the_person_111_and_113(
    gateway_settings: Callable[..., Settings],
    cut_store: tuple[Store, ConnectionCutter],
    rasa: FakeRasa,
) -> None:
    store, cutter = cut_store

    def store_goes_away(body: dict[str, Any]) -> None:
        cutter.always = True

    rasa.on_message = store_goes_away
    app = create_app(
        # The turn's lease is short here: giving it back failed too, so it runs out by itself.
        gateway_settings(retry_stale_received_seconds=0, turn_lease_seconds=1),
        store=store,
        rasa_transport=rasa.transport,
        retry_loop=False,
    )
    async with running(app) as client:
        answer = await client.post("/webchat/messages", json=post(URGENT, "m-00000001"))
        assert answer.status_code == 200
        [reply] = answer.json()["replies"]
        assert "113" in reply["text"] and "111" in reply["text"]

        # The message was stored before the turn and is still waiting: once the store is back,
        # the retry loop gives it to Rasa again.
        cutter.always = False
        rasa.on_message = None
        [(_, _, status, _)] = rows(store)["inbound"]
        assert status == "received"
        await asyncio.sleep(1.2)
        assert await app.state.retry.run_once() == 1
    assert [status for _, _, status, _ in rows(store)["inbound"]] == ["processed"]
    assert [call["message"] for call in rasa.calls] == [URGENT, URGENT]
