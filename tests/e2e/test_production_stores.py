"""Rasa on the production endpoints: conversation state in PostgreSQL, locks in Redis.

A form started before a Rasa restart must continue after it: with the in-memory tracker store the
restarted Rasa would have forgotten the person mid-conversation.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from actions.forms.questions import QUESTIONS
from chungtay.commands import process_specs
from chungtay.supervisor import Supervisor
from chungtay.training import project_root
from intake_store.db import upgrade_database
from intake_store.models import Conversation, Intake
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import current_model, free_port, say

pytestmark = pytest.mark.e2e
ROOT = project_root()


def _lock_store_writes(url: str) -> int:
    """How many SETs Redis has served; Rasa's lock store writes a lock for every message."""
    client = redis.Redis.from_url(url)
    try:
        stats = client.info("commandstats")
        return int(stats.get("cmdstat_set", {}).get("calls", 0))
    finally:
        client.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_form_survives_a_rasa_restart_on_postgres_tracker_and_redis_locks(
    tmp_path: Path, database_url: str, redis_url: str
) -> None:
    model = current_model()
    ports = {name: free_port() for name in ("rasa", "actions", "gateway")}
    settings = make_test_settings(
        tmp_path,
        database_url=database_url,
        rasa_tracker_store_url=database_url,
        rasa_lock_store_url=redis_url,
        rasa_port=ports["rasa"],
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        action_server_port=ports["actions"],
        gateway_port=ports["gateway"],
        public_base_url=f"http://127.0.0.1:{ports['gateway']}",
    )
    upgrade_database(database_url)
    store = Store.from_settings(settings)
    specs = {s.name: s for s in process_specs(settings, root=ROOT, model=model)}
    assert "deploy/endpoints.production.yml" in specs["rasa"].command
    env = {**os.environ, **settings.as_env()}
    person = secrets.token_hex(12)
    writes_before = _lock_store_writes(redis_url)

    log_path = tmp_path / "processes.log"
    with log_path.open("w") as log:
        try:
            with Supervisor(
                [specs["actions"], specs["gateway"]], cwd=ROOT, env=env, output=log
            ) as services:
                with Supervisor([specs["rasa"]], cwd=ROOT, env=env, output=log) as first_rasa:
                    first_rasa.wait_ready(timeout=300)
                    services.wait_ready(timeout=120)
                    before = say(settings, store, person, "cứu tôi với, họ nhốt tôi ở Campuchia")
                # That Rasa process is gone; a new one must pick the conversation up from the DB.
                with Supervisor([specs["rasa"]], cwd=ROOT, env=env, output=log) as second_rasa:
                    second_rasa.wait_ready(timeout=300)
                    after = say(settings, store, person, "o Bavet, gan cho")
        except BaseException:
            log.flush()
            print(log_path.read_text()[-6000:])
            raise

    assert QUESTIONS["urgent_location"]["vi"] in before
    assert after[0] == QUESTIONS["urgent_people"]["vi"], after  # the form went on, not over
    assert _lock_store_writes(redis_url) > writes_before
    with store.begin() as session:
        [intake] = session.scalars(
            select(Intake)
            .join(Conversation, Conversation.id == Intake.conversation_id)
            .where(
                Conversation.sender_hash == store.hasher.hash(channel="webchat", sender_id=person)
            )
        ).all()
        assert intake.triage == "urgent"
        # Rasa's tracker events sit next to our tables in the production database.
        events = session.connection().exec_driver_sql("SELECT count(*) FROM events").scalar()
        assert events and events > 0
    store.dispose()
