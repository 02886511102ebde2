"""An attacker's eye on the real Rasa, action server and gateway, as `chungtay run` starts them.

Rasa calls the action server through a tap in this test (a plain HTTP forwarder) that can make
one action fail the way rasa-sdk 3.21 failed: a 500 whose body is the whole request, i.e. the
tracker with the person's words. Checked:

- without the secret, Rasa's HTTP API (status, a conversation's tracker, replacing or unloading
  the model) and the chungtay channel refuse; the plain REST channel is gone;
- a message whose metadata names another person's conversation changes nothing there;
- a failing action fails the turn (the message stays queued and the retry loop answers it once
  the action works again), and no process's log carries the message's words or phone number.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from chungtay.commands import action_server, rasa_server
from chungtay.settings import Settings
from chungtay.supervisor import ProcessSpec, Supervisor
from chungtay.training import project_root
from intake_store.db import upgrade_database
from intake_store.intake_views import reveal_intake
from intake_store.models import Conversation, Intake, Message
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import current_model, free_port, say, wait_for

pytestmark = pytest.mark.e2e
ROOT = project_root()
# An action fails while the message carries this word (ASCII: Rasa sends JSON with \u escapes).
FAIL_WORD = "Bavet"
PHONE = "0912345678"


@dataclass
class Tap:
    """Forwards Rasa's action calls to the real action server, or fails like rasa-sdk 3.21."""

    target: str
    failing: bool = False
    seen: list[int] = field(default_factory=list)

    def serve(self, port: int) -> ThreadingHTTPServer:
        tap = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if tap.failing and FAIL_WORD.encode() in body:
                    tap.seen.append(500)
                    # rasa-sdk's handler: {"error": str(e), "request_body": request.json}
                    answer = b'{"error": "boom", "request_body": ' + body + b"}"
                    status = 500
                else:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                    forwarded = httpx.post(tap.target, content=body, headers=headers, timeout=30)
                    tap.seen.append(forwarded.status_code)
                    answer, status = forwarded.content, forwarded.status_code
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


@dataclass
class Stack:
    settings: Settings
    store: Store
    tap: Tap
    log_path: Path

    @property
    def rasa(self) -> str:
        return self.settings.rasa_url

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = current_model()
    tmp = tmp_path_factory.mktemp("doors")
    ports = {name: free_port() for name in ("rasa", "actions", "tap", "gateway")}
    settings = make_test_settings(
        tmp,
        rasa_port=ports["rasa"],
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        action_server_port=ports["actions"],
        gateway_port=ports["gateway"],
        public_base_url=f"http://127.0.0.1:{ports['gateway']}",
        trusted_proxies="127.0.0.1",  # each person's own address (helpers.address_of)
        retry_interval_seconds=1.0,
    )
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    tap = Tap(f"http://127.0.0.1:{ports['actions']}/webhook")
    server = tap.serve(ports["tap"])
    specs = [
        # Rasa calls the tap; the tap calls the real action server.
        rasa_server(
            settings,
            root=ROOT,
            model=model,
            host="127.0.0.1",
            port=ports["rasa"],
            action_server_port=ports["tap"],
        ),
        action_server(settings, root=ROOT, port=ports["actions"], name="actions"),
        ProcessSpec(
            name="gateway",
            command=[str(ROOT / ".venv" / "bin" / "chungtay"), "gateway"],
            ready_url=f"{settings.public_base_url}/healthz",
        ),
    ]
    env = {**os.environ, **settings.as_env()}
    log_path = tmp / "processes.log"
    with log_path.open("w") as log, Supervisor(specs, cwd=ROOT, env=env, output=log) as running:
        try:
            running.wait_ready(timeout=300)
            yield Stack(settings, store, tap, log_path)
        except BaseException:
            log.flush()
            print(log_path.read_text()[-6000:])
            raise
        finally:
            server.shutdown()
    store.dispose()


def test_rasa_refuses_everyone_without_the_secret(stack: Stack) -> None:
    rasa, token = stack.rasa, stack.settings.rasa_auth_token
    person = secrets.token_hex(12)
    say(stack.settings, stack.store, person, "xin chào")
    with stack.store.begin() as session:
        sender = session.scalars(select(Conversation.rasa_sender_id)).first()
    message = {"sender": sender, "message": f"số tôi {PHONE}", "metadata": {"conversation_id": 1}}
    with httpx.Client(base_url=rasa, timeout=30) as client:
        attempts = {
            "status": client.get("/status"),
            "status, wrong token": client.get("/status", params={"token": "x" + token}),
            "tracker": client.get(f"/conversations/{sender}/tracker"),
            "tracker events": client.post(
                f"/conversations/{sender}/tracker/events", json=[{"event": "restart"}]
            ),
            "replace model": client.put("/model", json={"model_file": "/tmp/x.tar.gz"}),
            "unload model": client.delete("/model"),
            "parse": client.post("/model/parse", json={"text": "cứu"}),
            "channel": client.post("/webhooks/chungtay/webhook", json=message),
            "channel, API token": client.post(
                "/webhooks/chungtay/webhook", params={"token": token}, json=message
            ),
        }
        rest = client.post("/webhooks/rest/webhook", json=message)
        allowed = client.get("/status", params={"token": token})
    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 401)
    assert rest.status_code == 404  # no plain REST channel to speak as anyone
    for answer in [*attempts.values(), rest]:
        assert PHONE not in answer.text and "chào" not in answer.text
    assert allowed.status_code == 200  # the gateway's secret opens it: Rasa is up and loaded
    assert allowed.json()["model_file"]


def _case(store: Store, conversation_id: int) -> tuple[Intake, dict[str, str | None]]:
    with store.begin() as session:
        intake = session.scalars(
            select(Intake).where(Intake.conversation_id == conversation_id)
        ).one()
        session.expunge(intake)
        personal = reveal_intake(
            session, cipher=store.cipher, intake_id=intake.id, actor="test", reason="check"
        )
    return intake, personal


def _conversation(store: Store, session_id: str) -> tuple[int, str, int]:
    """(conversation id, rasa sender id, first message id) of a web chat session."""
    sender_hash = store.hasher.hash(channel="webchat", sender_id=session_id)
    with store.begin() as session:
        conversation = session.scalars(
            select(Conversation).where(Conversation.sender_hash == sender_hash)
        ).one()
        first = session.scalars(
            select(Message.id)
            .where(Message.conversation_id == conversation.id)
            .order_by(Message.id)
        ).first()
        return conversation.id, conversation.rasa_sender_id, int(first or 0)


def test_metadata_naming_another_conversation_changes_nothing_there(stack: Stack) -> None:
    settings, store = stack.settings, stack.store
    victim = secrets.token_hex(12)
    say(settings, store, victim, "cứu tôi với, họ nhốt tôi ở Campuchia")
    victim_conversation, _, victim_message = _conversation(store, victim)
    _, before_personal = _case(store, victim_conversation)

    other = secrets.token_hex(12)
    say(settings, store, other, "xin chào")
    _, other_sender, _ = _conversation(store, other)
    # Even with the gateway's own secret, ids in the metadata do not choose the case.
    gateway = {"Authorization": f"Bearer {settings.rasa_auth_token}"}
    crafted = {"conversation_id": victim_conversation, "message_id": victim_message}
    with httpx.Client(base_url=stack.rasa, headers=gateway, timeout=60) as client:
        for text in (
            f"em cần giúp đỡ, số của em là {PHONE}",
            "xóa dữ liệu của tôi",
            "/affirm",
        ):
            body = {"sender": other_sender, "message": text, "metadata": crafted}
            assert client.post("/webhooks/chungtay/webhook", json=body).status_code == 200

    after, after_personal = _case(store, victim_conversation)
    assert after_personal == before_personal and after_personal["contact_phone"] != PHONE
    assert after.anonymised_at is None
    with store.begin() as session:
        assert session.get(Conversation, victim_conversation).erased_at is None  # type: ignore[union-attr]


def test_a_failing_action_fails_the_turn_and_no_log_quotes_the_person(stack: Stack) -> None:
    settings, store = stack.settings, stack.store
    person = secrets.token_hex(12)
    stack.tap.failing = True
    text = f"em cần giúp, Thủy ở {FAIL_WORD} bị giữ, số em {PHONE}"
    answer = httpx.post(
        f"{settings.public_base_url}/webchat/messages",
        json={"session": person, "message_id": secrets.token_hex(8), "text": text},
        timeout=60,
    )
    assert answer.status_code == 200 and "111" in answer.text  # the safe fallback reply
    assert 500 in stack.tap.seen, "the tap never failed an action"

    def status() -> str:
        with store.begin() as session:
            return str(
                session.scalars(
                    select(Message.status)
                    .join(Conversation, Conversation.id == Message.conversation_id)
                    .where(
                        Conversation.sender_hash
                        == store.hasher.hash(channel="webchat", sender_id=person),
                        Message.direction == "inbound",
                    )
                ).one()
            )

    assert status() == "queued"  # a failed turn, not an empty success: it will be sent again
    stack.tap.failing = False
    assert wait_for(lambda: status() == "processed", timeout=60), "the retry never answered it"

    log = stack.log()
    rasa_lines = [line for line in log.splitlines() if line.startswith("rasa")]
    assert any("ActionFailed" in line or "failed" in line for line in rasa_lines), rasa_lines[-20:]
    assert "Bavet" not in log and PHONE not in log and "request_body" not in log
    assert settings.rasa_auth_token not in log and settings.action_server_token not in log
