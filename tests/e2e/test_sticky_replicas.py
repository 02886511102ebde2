"""Two Rasa replicas on the shared PostgreSQL tracker store and Redis lock store.

Rasa's open-source Redis lock store does not make two replicas wait for each other, so the
gateways send every message of a conversation to the same replica (bot/rasa_client.py). Two
messages of one conversation sent at the same moment through two different gateways must then be
processed one after the other: each gets the next form question, never both the same one. When
that replica is killed the conversation goes on on the other one, form state included.

Caveat: a control run with the second gateway forced onto the other replica also passed (the lock
store's window between reading and writing a ticket is short), so this test shows the outcome but
cannot catch every race; the routing that prevents it is unit-tested in
tests/gateway/test_sticky_routing.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from actions.forms.questions import QUESTIONS
from bot.rasa_client import rendezvous_order
from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.supervisor import Supervisor
from chungtay.training import project_root
from intake_store.db import upgrade_database
from intake_store.models import Conversation
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import current_model, free_port, free_port_pair, say

pytestmark = pytest.mark.e2e
ROOT = project_root()


def user_texts(rasa_url: str, sender: str, token: str) -> list[str]:
    tracker = httpx.get(
        f"{rasa_url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
    ).json()
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_one_conversation_never_races_across_replicas_and_survives_losing_its_replica(
    tmp_path: Path, database_url: str, redis_url: str
) -> None:
    model = current_model()
    rasa_port, gateways = free_port_pair(), [free_port(), free_port()]
    settings = make_test_settings(
        tmp_path,
        profile="production",
        database_url=database_url,
        rasa_tracker_store_url=database_url,
        rasa_lock_store_url=redis_url,
        rasa_replicas=2,
        action_servers=1,  # both replicas call the same action server: fewer processes
        routing_workers=1,
        rasa_port=rasa_port,
        action_server_port=free_port(),
        gateway_port=gateways[0],
        public_base_url=f"http://127.0.0.1:{gateways[0]}",
        trusted_proxies="127.0.0.1",  # each person's own address (helpers.address_of)
    )
    other_gateway: Settings = settings.model_copy(
        update={"gateway_port": gateways[1], "public_base_url": f"http://127.0.0.1:{gateways[1]}"}
    )
    upgrade_database(database_url)
    store = Store.from_settings(settings)
    specs = {s.name: s for s in process_specs(settings, root=ROOT, model=model)}
    urls = specs["gateway"].env["CHUNGTAY_RASA_URLS"].split(",")
    assert urls == [f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{rasa_port + 1}"]
    second_gateway = dataclasses.replace(
        specs["gateway"],
        name="gateway-2",
        ready_url=f"http://127.0.0.1:{gateways[1]}/healthz",
        env={**specs["gateway"].env, "CHUNGTAY_GATEWAY_PORT": str(gateways[1])},
    )
    env = {**os.environ, **settings.as_env()}
    person = secrets.token_hex(12)

    log_path = tmp_path / "processes.log"
    with log_path.open("w") as log:
        try:
            with contextlib.ExitStack() as stack:
                replicas = {
                    url: stack.enter_context(
                        Supervisor([specs[f"rasa-{i + 1}"]], cwd=ROOT, env=env, output=log)
                    )
                    for i, url in enumerate(urls)
                }
                services = stack.enter_context(
                    Supervisor(
                        [specs["actions-1"], specs["gateway"], second_gateway],
                        cwd=ROOT,
                        env=env,
                        output=log,
                    )
                )
                for replica in replicas.values():
                    replica.wait_ready(timeout=600)
                services.wait_ready(timeout=120)

                first = say(settings, store, person, "cứu tôi với, họ nhốt tôi ở Campuchia")
                assert QUESTIONS["urgent_location"]["vi"] in first
                with store.begin() as session:
                    sender = session.scalars(
                        select(Conversation.rasa_sender_id).where(
                            Conversation.sender_hash
                            == store.hasher.hash(channel="webchat", sender_id=person)
                        )
                    ).one()

                # Both answers at the same moment, one through each gateway.
                start = threading.Barrier(2)

                def answer(on: Settings, text: str) -> list[str]:
                    start.wait()
                    return say(on, store, person, text)

                with ThreadPoolExecutor(2) as pool:
                    one = pool.submit(answer, settings, "bỏ qua")
                    two = pool.submit(answer, other_gateway, "bo qua")
                    replies = [one.result(timeout=120)[0], two.result(timeout=120)[0]]
                # Processed one after the other: each moved the form on by one question.
                assert sorted(replies) == sorted(
                    [QUESTIONS["urgent_people"]["vi"], QUESTIONS["urgent_minor"]["vi"]]
                ), replies
                assert len(user_texts(urls[0], sender, settings.rasa_auth_token)) == 3

                # Kill the conversation's replica; the other one picks it up from PostgreSQL.
                home, survivor = rendezvous_order(sender, urls)
                replicas[home].stop()
                after = say(settings, store, person, "không")
                assert after[0] == QUESTIONS["urgent_safe_contact"]["vi"], after
                assert replicas[survivor].dead() == []
                assert user_texts(survivor, sender, settings.rasa_auth_token)[-1] == "không"
        except BaseException:
            log.flush()
            print(log_path.read_text()[-6000:])
            raise
    store.dispose()
