"""Rasa dies under `chungtay run`'s supervisor (restarts on): the hotline keeps answering.

The whole stack as `chungtay run` starts it, on free ports with a fresh SQLite store. Rasa is
SIGKILLed: the web chat still answers an urgent message at once with 111/113 and files the urgent
case (the gateway's fallback), `/readyz` names Rasa; the supervisor starts Rasa again by itself,
and the same conversation goes on through Rasa once it is back.
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
from sqlalchemy import Select, select

from chungtay.commands import process_specs
from chungtay.supervisor import RestartPolicy, Supervisor
from chungtay.training import project_root
from intake_store.models import Conversation, Intake, Message
from intake_store.store import Store
from tests.e2e.helpers import current_model, say, stack_settings, store_with_staff_on_duty, wait_for

pytestmark = pytest.mark.e2e
ROOT = project_root()


def test_killed_rasa_is_restarted_while_the_web_chat_keeps_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chungtay.supervisor")
    model = current_model()
    settings = stack_settings(tmp_path, retry_interval_seconds=2.0)
    store = store_with_staff_on_duty(settings)
    env = {**os.environ, **settings.as_env()}
    base = settings.public_base_url
    log_path = tmp_path / "processes.log"
    with (
        log_path.open("w") as log,
        Supervisor(
            process_specs(settings, root=ROOT, model=model),
            cwd=ROOT,
            env=env,
            output=log,
            restart=True,  # as `chungtay run`
            policy=RestartPolicy(first=1.0, cap=30.0),
        ) as supervisor,
    ):
        try:
            supervisor.wait_ready(timeout=300)
            person = secrets.token_hex(12)
            assert say(settings, store, person, "xin chào")  # through Rasa while it is up
            others = {n: p.pid for n, p in supervisor.processes.items() if n != "rasa"}

            os.killpg(supervisor.processes["rasa"].pid, signal.SIGKILL)
            assert wait_for(lambda: not _rasa_answers(settings.rasa_url), timeout=10)
            started = time.monotonic()
            answer = httpx.post(
                f"{base}/webchat/messages",
                json={
                    "session": person,
                    "message_id": secrets.token_hex(8),
                    "text": "cứu tôi với, họ nhốt tôi trong nhà, không cho về",
                },
                timeout=60,
            )
            took = time.monotonic() - started
            ready = httpx.get(f"{base}/readyz", timeout=10)

            assert answer.status_code == 200, answer.text
            joined = " ".join(reply["text"] for reply in answer.json()["replies"])
            assert "111" in joined and "113" in joined, joined
            assert took < 10, took  # at once, not after Rasa's timeout or its restart
            assert _triages(store, person) == ["urgent"]  # the urgent case is open, alert queued
            assert ready.status_code == 503
            assert ready.json()["checks"]["rasa"]["status"] == "fail"

            # Nobody restarts Rasa but the supervisor; the others kept running throughout.
            assert wait_for(lambda: _ready(base), timeout=150), "Rasa did not come back"
            assert {n: p.pid for n, p in supervisor.processes.items() if n != "rasa"} == others
            assert all(p.poll() is None for p in supervisor.processes.values())
            replies = say(settings, store, person, "o Bavet, gan song bac co bien hieu mau do")
            assert replies
            # The message Rasa missed reaches it too (the gateway's retry loop).
            assert wait_for(lambda: _all_processed(store, person), timeout=60)
        except BaseException:
            log.flush()
            print(log_path.read_text()[-6000:])
            raise
    store.dispose()
    restarts = [r.getMessage() for r in caplog.records if "restarting" in r.getMessage()]
    assert restarts == ["rasa exited with code -9; restarting in 1.0 s"]


def _rasa_answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _ready(base: str) -> bool:
    try:
        response = httpx.get(f"{base}/readyz", timeout=10)
    except httpx.HTTPError:
        return False
    return response.json()["checks"]["rasa"]["status"] == "ok"


def _conversation_ids(store: Store, person: str) -> Select[int]:
    sender_hash = store.hasher.hash(channel="webchat", sender_id=person)
    return select(Conversation.id).where(Conversation.sender_hash == sender_hash)


def _triages(store: Store, person: str) -> list[str]:
    with store.begin() as session:
        query = select(Intake.triage).where(
            Intake.conversation_id.in_(_conversation_ids(store, person))
        )
        return list(session.scalars(query))


def _all_processed(store: Store, person: str) -> bool:
    with store.begin() as session:
        query = select(Message.status).where(
            Message.direction == "inbound",
            Message.conversation_id.in_(_conversation_ids(store, person)),
        )
        return set(session.scalars(query)) == {"processed"}
