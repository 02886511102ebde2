"""Kill and restart each part of the production shape, one at a time, while traffic flows.

One stack for the whole module, as `chungtay run --profile production` starts it with two Rasa
replicas: the intake store and Rasa's tracker store on a throwaway PostgreSQL database, Rasa's
lock store on our own redis-server (never the system one). Web chat traffic runs in a thread
throughout; urgent messages come from their own conversations. Faults, in turn: the Rasa replica
of a person in the middle of a form (SIGKILL), the action server, the routing worker, every
PostgreSQL connection of the database (pg_terminate_backend), Redis.

Afterwards: every message was answered (the fallback answers when Rasa cannot), stored once and
finally processed by Rasa (the gateway's retry loop); every urgent conversation has one urgent
intake and exactly one delivered alert per on-duty staff member; the form goes on on the other
replica while its own is dead, and on its own again once it is back.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time as clock
from pathlib import Path

import httpx
import pytest
import sqlalchemy
from sqlalchemy import func, select

from actions.forms.questions import QUESTIONS
from bot.rasa_client import DOWN_SECONDS, rendezvous_order
from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.supervisor import ProcessSpec, Supervisor
from chungtay.training import project_root
from intake_store.db import upgrade_database
from intake_store.models import Alert, Conversation, Intake, Message, OutboxRow
from intake_store.roster import add_shift, add_staff
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import address_of, current_model, free_port, free_port_pair, say, wait_for
from tests.security.conftest import module_database_url  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e
ROOT = project_root()
URGENT = "cứu tôi với, họ nhốt tôi trong nhà, không cho về"
QUESTION = "đường dây nóng chống mua bán người là số mấy?"


@dataclass
class Sent:
    session: str
    message_id: str
    urgent: bool
    status: int
    replies: int


@dataclass
class Traffic:
    """Web chat messages in a thread: every third one urgent, from a new conversation."""

    base_url: str
    sent: list[Sent] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        asker = secrets.token_hex(12)
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                urgent = n % 3 == 0
                session = secrets.token_hex(12) if urgent else asker
                message_id = secrets.token_hex(8)
                try:
                    response = client.post(
                        "/webchat/messages",
                        json={
                            "session": session,
                            "message_id": message_id,
                            "text": URGENT if urgent else QUESTION,
                        },
                        # Each person from their own address: one address is a burst (one page).
                        headers={"X-Forwarded-For": address_of(session)},
                    )
                    status = response.status_code
                    replies = len(response.json().get("replies", [])) if status == 200 else 0
                except httpx.HTTPError:
                    status, replies = 0, 0
                self.sent.append(Sent(session, message_id, urgent, status, replies))
                time.sleep(1.5)  # a busy hotline's pace; the retry backlog stays small


class Stack:
    """One Supervisor per process, so each can be killed and restarted on its own."""

    def __init__(
        self, specs: list[ProcessSpec], env: dict[str, str], log: object, log_path: Path
    ) -> None:
        self.log_path = log_path
        self.specs = {s.name: s for s in specs}
        self.env = env
        self.log = log
        self.running: dict[str, Supervisor] = {}

    def start(self, name: str, timeout: float = 300) -> None:
        supervisor = Supervisor([self.specs[name]], cwd=ROOT, env=self.env, output=self.log)  # type: ignore[arg-type]
        supervisor.start()
        self.running[name] = supervisor
        supervisor.wait_ready(timeout=timeout)

    def kill(self, name: str) -> None:
        supervisor = self.running.pop(name)
        for process in supervisor.processes.values():
            os.killpg(process.pid, signal.SIGKILL)
        supervisor.stop()

    def log_tail(self) -> str:
        return self.log_path.read_text()[-12000:]

    def stop_all(self) -> None:
        for supervisor in reversed(list(self.running.values())):
            supervisor.stop()


class Redis:
    def __init__(self, port: int, directory: Path) -> None:
        self.port, self.directory = port, directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self._pings, timeout=20), "own redis-server did not start"

    def _pings(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def stack(
    module_database_url: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, Store, Stack, Redis]]:
    if not any(Path(p, "redis-server").exists() for p in os.environ["PATH"].split(":")):
        pytest.skip("redis-server is not installed")
    model = current_model()
    tmp = tmp_path_factory.mktemp("faults")
    ports = {name: free_port() for name in ("actions", "gateway", "redis")}
    ports["rasa"] = free_port_pair()  # two replicas: rasa_port and rasa_port + 1
    redis = Redis(ports["redis"], tmp)
    redis.start()
    settings = make_test_settings(
        tmp,
        profile="production",
        rasa_replicas=2,
        action_servers=1,
        routing_workers=1,
        database_url=module_database_url,
        rasa_tracker_store_url=module_database_url,
        rasa_lock_store_url=f"redis://127.0.0.1:{ports['redis']}/0",
        rasa_port=ports["rasa"],
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        action_server_port=ports["actions"],
        gateway_port=ports["gateway"],
        public_base_url=f"http://127.0.0.1:{ports['gateway']}",
        trusted_proxies="127.0.0.1",  # each person's own address (helpers.address_of)
        worker_poll_seconds=0.2,
        retry_interval_seconds=1.0,
        retry_stale_received_seconds=10.0,
        rasa_timeout_seconds=15.0,
        gateway_rate_limit_per_minute=10_000,
        escalation_minutes=120.0,  # only first alerts in this test: no escalation rounds
    )
    upgrade_database(module_database_url)
    store = Store.from_settings(settings)
    with store.begin() as session:  # two staff on duty around the clock
        for name in ("Lan", "Minh"):
            staff_id = add_staff(session, name=name, role="social_worker")
            add_shift(session, staff_id=staff_id, start=clock(0, 0), end=clock(0, 0))
    specs = [s for s in process_specs(settings, root=ROOT, model=model) if s.name != "console"]
    log_path = tmp / "processes.log"
    with log_path.open("w") as log:
        processes = Stack(specs, {**os.environ, **settings.as_env()}, log, log_path)
        try:
            for name in ("actions-1", "worker-1", "gateway", "rasa-1", "rasa-2"):
                processes.start(name)
            yield settings, store, processes, redis
        except BaseException:
            log.flush()
            print(log_path.read_text()[-8000:])
            raise
        finally:
            processes.stop_all()
            redis.kill()
            store.dispose()


def terminate_connections(database_url: str) -> int:
    url = sqlalchemy.engine.make_url(database_url)
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return len(
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).all()
            )
    finally:
        engine.dispose()


def test_faults_one_at_a_time_lose_nothing_and_double_nothing(
    stack: tuple[Settings, Store, Stack, Redis],
) -> None:
    settings, store, processes, redis = stack
    person = secrets.token_hex(12)
    assert QUESTIONS["urgent_location"]["vi"] in say(
        settings, store, person, "cứu tôi với, họ nhốt tôi ở Campuchia"
    )
    traffic = Traffic(settings.public_base_url)
    thread = threading.Thread(target=traffic.run, daemon=True)
    thread.start()

    def flowing(seconds: float) -> None:
        count = len(traffic.sent)
        time.sleep(seconds)
        assert wait_for(lambda: len(traffic.sent) > count, timeout=60), "traffic stopped"

    with store.begin() as session:
        sender = session.scalars(
            select(Conversation.rasa_sender_id).where(
                Conversation.sender_hash == store.hasher.hash(channel="webchat", sender_id=person)
            )
        ).one()
    urls = [f"http://127.0.0.1:{settings.rasa_port + i}" for i in range(2)]
    own = f"rasa-{urls.index(rendezvous_order(sender, urls)[0]) + 1}"

    terminated = 0
    try:
        flowing(3)
        processes.kill(own)
        flowing(4)
        # The form goes on where it was, on the other replica: the tracker is in PostgreSQL,
        # not in the dead process.
        assert (
            say(settings, store, person, "o Bavet, gan cho")[0]
            == (QUESTIONS["urgent_people"]["vi"])
        )
        processes.start(own)
        flowing(3)
        # And on its own replica again once that is back (the gateway retries it after a pause).
        time.sleep(DOWN_SECONDS + 1)
        assert say(settings, store, person, "3 người")[0] == QUESTIONS["urgent_minor"]["vi"]
        for name in ("actions-1", "worker-1"):
            flowing(3)
            processes.kill(name)
            flowing(4)
            processes.start(name)
        flowing(3)
        terminated = terminate_connections(settings.database_url)
        flowing(4)
        redis.kill()
        flowing(4)
        redis.start()
        flowing(4)
    finally:
        traffic.stop.set()
        thread.join(timeout=90)
    assert terminated >= 3  # the gateway's, the worker's and Rasa's connections, at least

    sent = traffic.sent
    urgent = [s for s in sent if s.urgent]
    assert len(sent) >= 30 and len(urgent) >= 10
    # Answered: the fallback replies with 111/113 whenever Rasa cannot.
    assert [s for s in sent if s.status != 200 or s.replies == 0] == []

    def external_ids() -> dict[str, tuple[int, str]]:
        with store.begin() as session:
            rows = session.execute(
                select(Message.external_id, func.count(), func.max(Message.status))
                .where(Message.channel == "webchat", Message.direction == "inbound")
                .group_by(Message.external_id)
            ).all()
        return {str(external): (count, status) for external, count, status in rows}

    # Stored as keyed hashes of the channel's message ids.
    wanted = {
        store.hasher.message_key(channel="webchat", external_id=f"{s.session}:{s.message_id}")
        for s in sent
    }

    def all_processed() -> bool:
        stored = external_ids()
        return all(stored.get(key, (0, ""))[1] == "processed" for key in wanted)

    # The retry loop forwards what was queued during the faults (generous: a loaded machine).
    if not wait_for(all_processed, timeout=600):
        with store.begin() as session:
            left = session.execute(
                select(Message.status, Message.error, func.count())
                .where(Message.direction == "inbound", Message.status != "processed")
                .group_by(Message.status, Message.error)
            ).all()
        print(processes.log_tail())
        pytest.fail(f"queued messages were not processed: {left}")
    stored = external_ids()
    assert {key: stored[key][0] for key in wanted} == dict.fromkeys(wanted, 1)  # stored once

    def alerts_by_session() -> dict[str, list[tuple[int, int | None, str]]]:
        found: dict[str, list[tuple[int, int | None, str]]] = {}
        with store.begin() as session:
            for s in urgent:
                sender_hash = store.hasher.hash(channel="webchat", sender_id=s.session)
                intakes = session.scalars(
                    select(Intake)
                    .join(Conversation, Conversation.id == Intake.conversation_id)
                    .where(Conversation.sender_hash == sender_hash)
                ).all()
                assert [i.triage for i in intakes] == ["urgent"], s  # one urgent intake
                found[s.session] = [
                    (a.intake_id or 0, a.staff_id, a.status)
                    for a in session.scalars(
                        # The first alert only: later answers send intake_update notices too.
                        select(Alert)
                        .join(OutboxRow, OutboxRow.id == Alert.outbox_id)
                        .where(Alert.intake_id == intakes[0].id, OutboxRow.kind == "staff_alert")
                    )
                ]
        return found

    def every_alert_sent() -> bool:
        return all(
            len(alerts) == 2 and all(status == "sent" for *_, status in alerts)
            for alerts in alerts_by_session().values()
        )

    assert wait_for(every_alert_sent, timeout=180), "an urgent message has no delivered alert"
    for alerts in alerts_by_session().values():  # one alert per staff member, never two
        assert len({staff for _, staff, _ in alerts}) == len(alerts) == 2
