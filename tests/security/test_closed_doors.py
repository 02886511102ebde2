"""Rasa and the action server answer only their own callers (issue 17).

- The gateway sends Rasa's secret on every call: the channel's ``Authorization: Bearer`` and the
  HTTP API's ``?token=`` (erasing Rasa's copy of a conversation); Rasa refusing it is an outage.
- The real action server process refuses a call without its secret (the crafted tracker that
  erased a real conversation) and answers an error with nothing of the request.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.app import create_app
from chungtay.commands import action_server
from chungtay.settings import Settings
from chungtay.training import project_root
from intake_store.models import Message
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import free_port, wait_for
from tests.gateway.conftest import FakeRasa, gateway_settings, running, store  # noqa: F401
from tests.gateway.test_erasure import _erasing_rasa
from tests.gateway.test_webchat import post

ROOT = project_root()
WORDS = "họ nhốt tôi ở Bavet"
PHONE = "0912345678"
METRICS_TOKEN = "metrics-" + "0" * 24


def _statuses(stored: Store) -> list[str]:
    with stored.begin() as session:
        return list(
            session.scalars(
                select(Message.status).where(Message.direction == "inbound").order_by(Message.id)
            )
        )


async def test_the_gateway_sends_rasas_secret_on_the_channel_and_the_api(
    gateway_settings: Callable[..., Settings],  # noqa: F811
    store: Store,  # noqa: F811
) -> None:
    settings = gateway_settings()
    rasa = FakeRasa(token=settings.rasa_auth_token)
    _erasing_rasa(store, rasa, None)
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    async with running(app) as client:
        await client.post("/webchat/messages", json=post("em bị lừa sang Campuchia", "m-00000001"))
        await client.post("/webchat/messages", json=post("xóa dữ liệu", "m-00000002"))
        await client.post("/webchat/messages", json=post("có, xóa đi", "m-00000003"))
    # Every message reached Rasa through the channel, and the erasure reached its HTTP API.
    assert len(rasa.calls) == 3 and _statuses(store) == ["processed"] * 3
    assert [(method, events) for method, _, events in rasa.tracker_calls] == [("PUT", [])]

    # A gateway with the wrong secret is refused like anyone else: the message stays queued.
    stranger = FakeRasa(token=secrets.token_hex(16))
    app = create_app(settings, store=store, rasa_transport=stranger.transport, retry_loop=False)
    async with running(app) as client:
        await client.post("/webchat/messages", json=post("alo", "m-00000004"))
    assert stranger.calls == [] and _statuses(store)[-1] == "queued"


@pytest.fixture
def action_server_process(tmp_path: Path) -> Any:
    """The action server exactly as `chungtay run` starts it, on a free port."""
    port = free_port()
    settings = make_test_settings(tmp_path, action_server_port=port, metrics_token=METRICS_TOKEN)
    spec = action_server(settings, root=ROOT, port=port, name="actions")
    log_path = tmp_path / "actions.log"
    env = {**os.environ, **settings.as_env(), **spec.env}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, *spec.command[1:]],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for(lambda: _up(f"{base}/health"), timeout=60), log_path.read_text()
            yield base, settings, log_path
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_the_action_servers_probes_say_nothing_and_its_metrics_need_their_own_token(
    action_server_process: Any,
) -> None:
    base, settings, _ = action_server_process
    assert httpx.get(f"{base}/livez").json() == {"status": "ok"}
    ready = httpx.get(f"{base}/readyz")
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": {"status": "ok"}}},
    )
    rasas = {"Authorization": f"Bearer {settings.action_server_token}"}
    assert httpx.get(f"{base}/metrics").status_code == 401
    assert httpx.get(f"{base}/metrics", headers=rasas).status_code == 401  # not Rasa's secret
    figures = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert figures.status_code == 200
    assert "# TYPE chungtay_intakes_opened_total counter" in figures.text


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _action_call(next_action: str, events: Any) -> dict[str, Any]:
    """A call in the shape Rasa 3.6 sends (RemoteAction._action_call_format)."""
    return {
        "next_action": next_action,
        "sender_id": "ct-victim",
        "version": "3.6.21",
        "domain": {"version": "3.1", "intents": [], "slots": {}, "responses": {}},
        "tracker": {
            "sender_id": "ct-victim",
            "slots": {"erasure_pending": True},
            "latest_message": {"text": f"{WORDS}, số {PHONE}", "intent": {"name": "affirm"}},
            "events": events,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "paused": False,
            "followup_action": None,
            "latest_event_time": 1.0,
            "latest_input_channel": "chungtay",
        },
    }


def test_the_action_server_runs_nothing_for_strangers_and_echoes_nothing(
    action_server_process: Any,
) -> None:
    base, settings, log_path = action_server_process
    erase = _action_call(
        "action_erase_data",
        [
            {"event": "bot", "text": "Bạn có muốn xóa dữ liệu không?"},
            {"event": "user", "text": f"{WORDS}, số {PHONE}", "metadata": {"conversation_id": 1}},
        ],
    )
    refused = [
        httpx.post(f"{base}/webhook", json=erase),
        httpx.post(f"{base}/webhook", json=erase, headers={"Authorization": "Bearer nope"}),
        httpx.post(f"{base}/webhook", json=erase, headers={"Authorization": "Bearer"}),
        httpx.get(f"{base}/actions"),
    ]
    assert [r.status_code for r in refused] == [401] * 4
    assert all(r.json() == {"error": "unauthorized"} for r in refused)

    rasa = {"Authorization": f"Bearer {settings.action_server_token}"}
    listed = httpx.get(f"{base}/actions", headers=rasa)
    assert listed.status_code == 200 and {"name": "action_erase_data"} in listed.json()
    # Events that are not a list make the action fail inside: rasa-sdk answered that 500 with
    # the whole request (every message of the tracker).
    broken = _action_call("action_erase_data", f"{WORDS}, số {PHONE}")
    failed = httpx.post(f"{base}/webhook", json=broken, headers=rasa)
    assert failed.status_code == 500
    assert failed.json() == {"error": "action failed"}
    output = log_path.read_text()
    assert "/webhook failed" in output  # the failure is logged, as types and places only
    for text in (failed.text, output, json.dumps(output, ensure_ascii=False)):
        assert "Bavet" not in text and PHONE not in text and "ct-victim" not in text
    assert settings.action_server_token not in output
