"""Rasa, the action server and the routing worker die under `chungtay run`'s supervisor (restarts
on): the hotline keeps answering, and each comes back by itself.

The whole stack as `chungtay run` starts it, on free ports with a fresh SQLite store. One after
the other, each process's group is SIGKILLed:

- Rasa: an urgent web chat message still gets 111/113 at once and opens the urgent case (the
  gateway's fallback), `/readyz` names Rasa; once the supervisor has started Rasa again the same
  conversation goes on through it, and the message Rasa missed is answered too.
- the action server: the same for another person (Rasa cannot run the turn), and their
  conversation goes on once it is back.
- the routing worker: a third person's urgent message gets 111/113 at once and its staff alert
  waits in the outbox while no worker runs; it goes out once the supervisor has started the
  worker again.

Then the restarted processes answer `/readyz`, and their `/metrics` (behind the token) count
what happened: the fallbacks, the urgent cases, the delivered alert.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Select, select

from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.supervisor import RestartPolicy, Supervisor
from chungtay.training import project_root
from intake_store.models import Alert, Conversation, Intake, Message, OutboxRow
from intake_store.store import Store
from tests.e2e.helpers import (
    address_of,
    current_model,
    running,
    say,
    stack_settings,
    store_with_staff_on_duty,
    wait_for,
)

pytestmark = pytest.mark.e2e
ROOT = project_root()
TOKEN = secrets.token_hex(16)
URGENT = "cứu tôi với, họ nhốt tôi trong nhà, không cho về"
# Long enough to look at the outbox while the worker is dead; Rasa takes longer to load anyway.
FIRST_RESTART_SECONDS = 3.0


def test_killed_processes_are_restarted_while_the_hotline_keeps_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chungtay.supervisor")
    settings = stack_settings(tmp_path, retry_interval_seconds=2.0, metrics_token=TOKEN)
    store = store_with_staff_on_duty(settings)
    base = settings.public_base_url
    actions = f"http://127.0.0.1:{settings.action_server_port}"
    worker = f"http://127.0.0.1:{settings.worker_port}"
    specs = process_specs(settings, root=ROOT, model=current_model())
    policy = RestartPolicy(first=FIRST_RESTART_SECONDS, cap=30.0)
    with running(
        specs, settings, tmp_path / "processes.log", restart=True, policy=policy
    ) as supervisor:
        # --- Rasa -------------------------------------------------------------------------
        first = secrets.token_hex(12)
        assert say(settings, store, first, "xin chào")  # through Rasa while it is up
        others = {n: p.pid for n, p in supervisor.processes.items() if n != "rasa"}
        _kill(supervisor, "rasa")
        assert wait_for(lambda: not _answers(f"{settings.rasa_url}/"), timeout=10)
        _urgent_answered_at_once(settings, first)
        assert _triages(store, first) == ["urgent"]  # the urgent case is open, alert queued
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["checks"]["rasa"]["status"] == "fail"
        # Nobody restarts Rasa but the supervisor; the others kept running throughout.
        assert wait_for(lambda: _rasa_ready(base), timeout=150), "Rasa did not come back"
        assert {n: p.pid for n, p in supervisor.processes.items() if n != "rasa"} == others
        assert say(settings, store, first, "o Bavet, gan song bac co bien hieu mau do")
        # The message Rasa missed reaches it too (the gateway's retry loop).
        assert wait_for(lambda: _all_processed(store, first), timeout=60)

        # --- the action server ------------------------------------------------------------
        second = secrets.token_hex(12)
        assert say(settings, store, second, "xin chào")
        _kill(supervisor, "actions")
        assert wait_for(lambda: not _answers(f"{actions}/livez"), timeout=10)
        _urgent_answered_at_once(settings, second)
        assert _triages(store, second) == ["urgent"]
        assert wait_for(lambda: _answers(f"{actions}/readyz"), timeout=60), "no action server"
        assert say(settings, store, second, "em o Bavet, Campuchia")
        assert wait_for(lambda: _all_processed(store, second), timeout=60)

        # --- the routing worker -----------------------------------------------------------
        assert wait_for(lambda: _alerts_sent(store, first) and _alerts_sent(store, second), 30)
        third = secrets.token_hex(12)
        dead = _kill(supervisor, "worker")
        _urgent_answered_at_once(settings, third)
        assert _triages(store, third) == ["urgent"]
        # While no worker runs the alert waits in the outbox (checked before and after that the
        # dead worker has not been replaced yet, so the look is not a race).
        assert supervisor.processes["worker"].pid == dead
        waiting = _outbox(store, third)
        assert supervisor.processes["worker"].pid == dead
        assert waiting == ["pending"] and not _alerts_sent(store, third)
        assert wait_for(lambda: _alerts_sent(store, third), timeout=60), "alert never went out"
        assert supervisor.processes["worker"].pid != dead

        # --- the restarted processes are ready and count what happened ---------------------
        assert httpx.get(f"{worker}/readyz", timeout=10).json()["checks"]["database"] == {
            "status": "ok"
        }
        assert httpx.get(f"{actions}/readyz", timeout=10).status_code == 200
        assert httpx.get(f"{worker}/metrics", timeout=10).status_code == 401
        assert httpx.get(f"{actions}/metrics", timeout=10).status_code == 401
        gateway_figures = _metrics(f"{base}/metrics")
        worker_figures = _metrics(f"{worker}/metrics")
        assert _metrics(f"{actions}/metrics")  # served, with the token
        assert all(p.poll() is None for p in supervisor.processes.values())
    store.dispose()

    fallbacks = gateway_figures[("chungtay_rasa_fallbacks_total", (("channel", "webchat"),))]
    assert fallbacks == 2  # Rasa down, the action server down, and nothing else
    opened = (("by", "gateway"), ("triage", "urgent"))
    assert gateway_figures[("chungtay_intakes_opened_total", opened)] == 3
    # The restarted worker delivered the third alert; all three cases wait for someone to act.
    assert worker_figures[("chungtay_alert_delivery_seconds_count", (("channel", "log"),))] >= 1
    assert worker_figures[("chungtay_urgent_unacknowledged", ())] == 3
    assert worker_figures[("chungtay_outbox_waiting", (("kind", "staff_alert"),))] == 0
    restarts = sorted(r.getMessage() for r in caplog.records if "restarting" in r.getMessage())
    assert restarts == [
        f"{name} exited with code -9; restarting in {FIRST_RESTART_SECONDS:.1f} s"
        for name in ("actions", "rasa", "worker")
    ]


def _kill(supervisor: Supervisor, name: str) -> int:
    pid = supervisor.processes[name].pid
    os.killpg(pid, signal.SIGKILL)
    assert wait_for(lambda: supervisor.processes[name].poll() is not None, timeout=5)
    return pid


def _urgent_answered_at_once(settings: Settings, person: str) -> None:
    started = time.monotonic()
    answer = httpx.post(
        f"{settings.public_base_url}/webchat/messages",
        json={"session": person, "message_id": secrets.token_hex(8), "text": URGENT},
        headers={"X-Forwarded-For": address_of(person)},
        timeout=60,
    )
    took = time.monotonic() - started
    assert answer.status_code == 200, answer.text
    joined = " ".join(reply["text"] for reply in answer.json()["replies"])
    assert "111" in joined and "113" in joined, joined
    assert took < 10, took  # at once, not after a timeout or a restart


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _rasa_ready(base: str) -> bool:
    try:
        response = httpx.get(f"{base}/readyz", timeout=10)
    except httpx.HTTPError:
        return False
    return response.json()["checks"]["rasa"]["status"] == "ok"


def _metrics(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 200, response.status_code
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _conversation_ids(store: Store, person: str) -> Select[int]:
    sender_hash = store.hasher.hash(channel="webchat", sender_id=person)
    return select(Conversation.id).where(Conversation.sender_hash == sender_hash)


def _intake_ids(store: Store, person: str) -> Select[int]:
    return select(Intake.id).where(Intake.conversation_id.in_(_conversation_ids(store, person)))


def _triages(store: Store, person: str) -> list[str]:
    with store.begin() as session:
        query = select(Intake.triage).where(Intake.id.in_(_intake_ids(store, person)))
        return list(session.scalars(query))


def _outbox(store: Store, person: str) -> list[str]:
    with store.begin() as session:
        query = select(OutboxRow.status).where(
            OutboxRow.kind == "staff_alert", OutboxRow.intake_id.in_(_intake_ids(store, person))
        )
        return list(session.scalars(query))


def _alerts_sent(store: Store, person: str) -> bool:
    with store.begin() as session:
        query = select(Alert.id).where(
            Alert.status == "sent", Alert.intake_id.in_(_intake_ids(store, person))
        )
        return session.scalars(query).first() is not None


def _all_processed(store: Store, person: str) -> bool:
    with store.begin() as session:
        query = select(Message.status).where(
            Message.direction == "inbound",
            Message.conversation_id.in_(_conversation_ids(store, person)),
        )
        return set(session.scalars(query)) == {"processed"}
