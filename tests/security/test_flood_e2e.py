"""An attacker's eye on flood damping, with the real Rasa, action server, gateway and worker.

A script opens ten web chat sessions from one address, each crying for help. Each is a real
urgent case (a victim among them is never lost) and each got 113/111, but staff are paged
once, with the count; the routing worker, started after the burst as after a busy minute,
sends that one alert and nothing for the nine others.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.supervisor import Supervisor
from chungtay.training import project_root
from intake_store.models import Alert, Intake, OutboxRow
from intake_store.store import Store
from tests.e2e.helpers import (
    current_model,
    running,
    stack_settings,
    store_with_staff_on_duty,
    wait_for,
)

pytestmark = pytest.mark.e2e
ROOT = project_root()
URGENT = "cứu tôi với, tôi đang bị nhốt"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    model = current_model()
    tmp = tmp_path_factory.mktemp("flood")
    # Every chat comes from the test's own address: no X-Forwarded-For is sent.
    settings = stack_settings(tmp)
    store = store_with_staff_on_duty(settings)
    # Everything `chungtay run` starts but the routing worker: the test starts it after the
    # burst, so the worker's timing cannot split the burst into an alert and a notice.
    specs = [
        s
        for s in process_specs(settings, root=ROOT, model=model)
        if not s.name.startswith("worker")
    ]
    with running(specs, settings, tmp / "processes.log"):
        yield settings, store
    store.dispose()


def _chat(settings: Settings, n: int) -> httpx.Response:
    return httpx.post(
        f"{settings.public_base_url}/webchat/messages",
        json={
            "session": f"victim{n:03d}" + secrets.token_hex(8),
            "message_id": f"m-{n:08d}",
            "text": URGENT,
        },
        timeout=60,
    )


def test_ten_urgent_chats_from_one_address_make_one_grouped_alert(
    stack: tuple[Settings, Store], tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings, store = stack
    with ThreadPoolExecutor(max_workers=10) as pool:  # all at once, as a script sends them
        answers = list(pool.map(lambda n: _chat(settings, n), range(10)))
    for answer in answers:
        assert answer.status_code == 200, answer.text
        text = " ".join(r["text"] for r in answer.json()["replies"])
        assert "113" in text and "111" in text

    def all_filed() -> bool:
        with store.begin() as session:
            return len(session.scalars(select(Intake.id)).all()) == 10

    assert wait_for(all_filed, timeout=60)
    with store.begin() as session:
        cases = session.scalars(select(Intake).order_by(Intake.id)).all()
        assert {c.triage for c in cases} == {"urgent"}
        leaders = [c.id for c in cases if c.burst_leader_id is None]
        assert len(leaders) == 1
        assert {c.burst_leader_id for c in cases if c.id not in leaders} == set(leaders)
        outbox = session.scalars(select(OutboxRow)).all()
        # The assistant filed the same messages too: still one alert, counting all ten.
        assert [(o.kind, o.intake_id, o.payload.get("burst")) for o in outbox] == [
            ("staff_alert", leaders[0], 9)
        ]

    # Now the routing worker (the real process) delivers it: one alert, with the count.
    specs = process_specs(settings, root=ROOT, model=current_model())
    worker = [s for s in specs if s.name.startswith("worker")][:1]
    log_path = tmp_path_factory.mktemp("flood-worker") / "worker.log"
    env = {**os.environ, **settings.as_env()}
    with log_path.open("w") as log, Supervisor(worker, cwd=ROOT, env=env, output=log):

        def sent() -> bool:
            with store.begin() as session:
                return (
                    session.scalars(select(Alert).where(Alert.status == "sent")).first() is not None
                )

        assert wait_for(sent, timeout=60), log_path.read_text()[-3000:]
    with store.begin() as session:
        alerts = session.scalars(select(Alert)).all()
    assert len(alerts) == 1 and alerts[0].intake_id == leaders[0]
    assert "10 ca khẩn cấp" in alerts[0].text
