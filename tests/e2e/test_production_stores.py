"""Rasa on the production endpoints: conversation state in PostgreSQL, locks in Redis.

A form started before a Rasa restart must continue after it: with the in-memory tracker store the
restarted Rasa would have forgotten the person mid-conversation. Then, on the same stores, an
operator holds the conversation and hands it back (Rasa gets the case back, not a stale form
question), and "xóa dữ liệu" deletes Rasa's own events of the conversation from PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import select, text

from actions.forms.questions import QUESTIONS
from actions.messages import ERASED
from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.supervisor import Supervisor
from chungtay.training import project_root
from intake_store.db import upgrade_database
from intake_store.handoff import hold_conversation, release_conversation
from intake_store.models import Conversation, Intake, Message
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
        trusted_proxies="127.0.0.1",  # each person's own address (helpers.address_of)
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
                    case, handed_back, erased, rasa_events = _hold_hand_back_and_erase(
                        settings, store, person
                    )
        except BaseException:
            log.flush()
            print(log_path.read_text()[-6000:])
            raise

    assert QUESTIONS["urgent_location"]["vi"] in before
    assert after[0] == QUESTIONS["urgent_people"]["vi"], after  # the form went on, not over
    assert _lock_store_writes(redis_url) > writes_before
    intake_id, reference = case
    with store.begin() as session:
        intake = session.get(Intake, intake_id)
        assert intake is not None and intake.triage == "urgent"
        assert intake.anonymised_at is not None  # erased at the person's request
    # Back from the operator, a greeting is a greeting (not an answer to the old form question)
    # and the person's case is carried on.
    assert reference in handed_back[0], handed_back
    assert erased == [ERASED["vi"]]
    # Rasa's tracker events sit next to our tables in the production database, until erasure.
    before_erasure, after_erasure = rasa_events
    assert before_erasure > 0 and after_erasure == 0
    store.dispose()


def _rasa_events(store: Store, sender: str) -> int:
    with store.begin() as session:
        return int(
            session.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
            ).scalar_one()
        )


def _hold_hand_back_and_erase(
    settings: Settings, store: Store, person: str
) -> tuple[tuple[int, str], list[str], list[str], tuple[int, int]]:
    with store.begin() as session:
        conversation = session.scalars(
            select(Conversation).where(
                Conversation.sender_hash == store.hasher.hash(channel="webchat", sender_id=person)
            )
        ).one()
        [(intake_id, reference)] = session.execute(
            select(Intake.id, Intake.reference_code).where(
                Intake.conversation_id == conversation.id
            )
        ).all()
        sender = conversation.rasa_sender_id
        hold_conversation(session, intake_id=intake_id, actor="operator1")
    # Held: the message waits for the operator; Rasa does not see it and nothing is answered.
    held = httpx.post(
        f"{settings.public_base_url}/webchat/messages",
        json={"session": person, "message_id": "held-0001", "text": "chi oi em so lam"},
        timeout=60,
    )
    assert held.status_code == 200 and held.json()["replies"] == []
    with store.begin() as session:
        status = session.scalars(
            select(Message.status).where(
                Message.external_id
                == store.hasher.message_key(channel="webchat", external_id=f"{person}:held-0001")
            )
        ).one()
        assert status == "held"
        release_conversation(session, intake_id=intake_id, actor="operator1")
    handed_back = say(settings, store, person, "xin chào")
    say(settings, store, person, "xóa dữ liệu của tôi")
    before = _rasa_events(store, sender)
    erased = say(settings, store, person, "có")
    return (intake_id, reference), handed_back, erased, (before, _rasa_events(store, sender))
