"""Secrets never appear in logs, answers or error pages.

Every secret gets a recognisable value; the gateway and the console then run through good and
bad requests, a Rasa outage and a database outage, with logging set up as `chungtay` sets it up
(verbose, the worst case). No secret may show up in what was logged or answered.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from telegram.request import HTTPXRequest

from bot.app import create_app
from chungtay.cli import configure_logging
from chungtay.settings import Settings
from intake_store.db import upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import free_port, wait_for
from tests.gateway.conftest import RASA_URL, FakeRasa
from tests.security.test_webhook_fuzz import drain

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "telegram_bot_token": "7000000001:AAHsecretTelegramTokenValue01",
    "telegram_webhook_secret": "tg-webhook-SECRET-value-02",
    "zalo_oa_secret_key": "zalo-oa-SECRET-value-03",
    "zalo_app_secret": "zalo-app-SECRET-value-04",
    "zalo_access_token": "zalo-access-SECRET-value-05",
    "zalo_refresh_token": "zalo-refresh-SECRET-value-06",
    "esms_api_key": "esms-api-SECRET-value-07",
    "esms_secret_key": "esms-secret-SECRET-value-08",
    "esms_callback_token": "esms-callback-SECRET-value-09",
    "console_secret_key": "console-SECRET-value-10-" + "x" * 20,
    "sender_hash_key": "sender-hash-SECRET-value-11",
    "encryption_keys": "k1:" + base64.b64encode(b"encryption-SECRET-value-12-32byt").decode(),
    "rasa_auth_token": "rasa-auth-SECRET-value-14",
    "action_server_token": "action-server-SECRET-value-15",
}
DB_PASSWORD = "db-password-SECRET-13"


def leaked(text: str) -> list[str]:
    values = [*SECRETS.values(), DB_PASSWORD, SECRETS["encryption_keys"].split(":", 1)[1]]
    return [v for v in values if v in text]


def secret_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return make_test_settings(
        tmp_path,
        rasa_url=RASA_URL,
        public_base_url="http://testserver",
        zalo_app_id="360846524940903967",
        sms_provider="esms",
        esms_brandname="CHUNGTAY",
        **{**SECRETS, **overrides},
    )


def bot_api(request: httpx.Request) -> httpx.Response:
    """Telegram's Bot API behind PTB's real HTTPXRequest, so httpx logs what it really logs."""
    method = request.url.path.rsplit("/", 1)[-1]
    result: Any = True
    if method == "getMe":
        result = {"id": 7000000001, "is_bot": True, "first_name": "Chung Tay", "username": "ct"}
    elif method == "sendMessage":
        result = {"message_id": 1, "date": 1, "chat": {"id": 4242, "type": "private"}, "text": "ok"}
    return httpx.Response(200, json={"ok": True, "result": result})


def test_gateway_logs_and_answers_carry_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging(verbose=True)
    caplog.set_level(logging.DEBUG)
    settings = secret_settings(tmp_path)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    rasa = FakeRasa()
    telegram = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(bot_api)})
    other = httpx.MockTransport(
        lambda request: httpx.Response(200, json={"error": 0, "CodeResult": "100"})
    )
    app = create_app(
        settings,
        store=store,
        rasa_transport=rasa.transport,
        telegram_request=telegram,
        http_transport=other,
        retry_loop=False,
    )
    answers: list[str] = []
    update: dict[str, Any] = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": 4242, "type": "private"},
            "text": "cứu tôi với",
        },
    }
    with TestClient(app, raise_server_exceptions=False) as client:
        secret = SECRETS["telegram_webhook_secret"]
        requests: list[tuple[str, dict[str, Any]]] = [
            (
                "/webhooks/telegram",
                {"json": update, "headers": {"X-Telegram-Bot-Api-Secret-Token": secret}},
            ),
            (
                "/webhooks/telegram",
                {"json": update, "headers": {"X-Telegram-Bot-Api-Secret-Token": "x"}},
            ),
            (
                "/webhooks/telegram",
                {"content": b"{", "headers": {"X-Telegram-Bot-Api-Secret-Token": secret}},
            ),
            ("/webhooks/zalo", {"content": b'{"timestamp": "1"}'}),
            ("/webhooks/esms/sms?token=wrong", {"json": {}}),
            (
                f"/webhooks/esms/sms?token={SECRETS['esms_callback_token']}",
                {"content": b"[1]", "headers": {"content-type": "application/json"}},
            ),
            ("/webchat/messages", {"json": {"session": "x"}}),
            ("/webchat/messages", {"content": b"\xff" * 300000}),
        ]
        for path, kwargs in requests:
            response = client.post(path, **kwargs)
            answers.append(f"{response.status_code} {response.headers} {response.text}")
        drain(client)
        rasa.mode = "down"  # Rasa's outage: the fallback path logs too
        update = {**update, "update_id": 2, "message": {**update["message"], "message_id": 2}}
        client.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
        )
        drain(client)
    store.dispose()
    sends = [r for r in caplog.records if "sendMessage" in r.getMessage()]
    assert rasa.calls and not sends, "the Bot API URL (with the token) was logged"
    assert leaked(caplog.text) == []
    assert leaked("\n".join(answers)) == []


def test_console_error_pages_and_process_logs_carry_no_secret(tmp_path: Path) -> None:
    """The real console process on a database that is down: a 500, its page, its log."""
    port, dead_db = free_port(), free_port()
    settings = secret_settings(
        tmp_path,
        console_port=port,
        database_url=f"postgresql+psycopg://chungtay:{DB_PASSWORD}@127.0.0.1:{dead_db}/chungtay",
    )
    env = {**os.environ, **settings.as_env(), "PYTHONUNBUFFERED": "1"}
    log_path = tmp_path / "console.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "chungtay.cli", "-v", "console"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for(lambda: _answers(f"{base}/healthz"), timeout=60)
            with httpx.Client(base_url=base, headers={"Connection": "close"}) as client:
                page = client.get("/login")
                token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
                failed = client.post(
                    "/login", data={"username": "admin", "password": "x", "csrf_token": token}
                )
                pages = [page, failed, client.get("/queue"), client.get("/nope")]
                pages.append(client.get("/intakes/1"))
        finally:
            process.terminate()
            process.wait(timeout=20)
    assert failed.status_code == 500  # the database is down: an error, not a sign-in
    assert "Traceback" not in failed.text
    answers = "\n".join(f"{p.status_code} {p.headers} {p.text}" for p in pages)
    assert leaked(answers) == []
    output = log_path.read_text()
    assert "OperationalError" in output  # the failure was logged...
    assert leaked(output) == []  # ...without the password or any other secret
    assert json.dumps(DB_PASSWORD) not in output


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
