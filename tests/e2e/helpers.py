"""Helpers shared by the end-to-end tests: free ports, talking to the web chat, waiting."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import time as clock
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from chungtay.settings import Settings
from chungtay.supervisor import ProcessSpec, Supervisor
from chungtay.training import model_path, project_root
from intake_store.db import upgrade_database
from intake_store.models import Conversation, Message
from intake_store.roster import add_shift, add_staff
from intake_store.store import Store
from tests.conftest import IN_CI, make_test_settings

# Ports for the stacks' servers, below the kernel's ephemeral range (32768-60999 on Linux), from
# which every outbound connection takes its local port: a port found free by binding to 0 was taken
# by some connection in the seconds before a Rasa replica, loading its model, bound it (CI, tenth
# session). Picked at random and probed; one process never hands out the same port twice.
_SERVER_PORTS = range(20000, 32000)
_handed_out: set[int] = set()


def _bindable(*ports: int) -> bool:
    with contextlib.ExitStack() as stack:
        for port in ports:
            sock = stack.enter_context(socket.socket())
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _pick(width: int) -> int:
    for _ in range(1000):
        port = _SERVER_PORTS.start + secrets.randbelow(len(_SERVER_PORTS) - width)
        ports = range(port, port + width)
        if not _handed_out.intersection(ports) and _bindable(*ports):
            _handed_out.update(ports)
            return port
    raise RuntimeError("no free port below the ephemeral range")


def free_port() -> int:
    return _pick(1)


def free_port_pair() -> int:
    """A port p with p + 1 free too (Rasa replicas listen on rasa_port + i)."""
    return _pick(2)


def address_of(session_id: str) -> str:
    """A client address of this person's own (IPv6 documentation range: a header, never dialled).

    People write from addresses of their own; from one address, several urgent chats are a burst
    that pages staff once. The gateway believes the header only behind a trusted proxy (the
    stacks set ``trusted_proxies="127.0.0.1"``).
    """
    digest = hashlib.blake2b(session_id.encode(), digest_size=8).hexdigest()
    return "2001:db8:" + ":".join(digest[i : i + 4] for i in range(0, 16, 4))


def say(settings: Settings, store: Store, session_id: str, text: str) -> list[str]:
    message_id = secrets.token_hex(8)
    key = store.hasher.message_key(channel="webchat", external_id=f"{session_id}:{message_id}")
    sender_hash = store.hasher.hash(channel="webchat", sender_id=session_id)
    with store.begin() as session:
        conversation_id = session.scalar(
            select(Conversation.id).where(Conversation.sender_hash == sender_hash)
        )
    response = httpx.post(
        f"{settings.public_base_url}/webchat/messages",
        json={"session": session_id, "message_id": message_id, "text": text},
        headers={"X-Forwarded-For": address_of(session_id)},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    # The gateway's own fallback also mentions 111: prove the answer came through Rasa and the
    # action server, not from the "Rasa is down" path.
    with store.begin() as session:
        status = session.scalar(
            select(Message.status).where(Message.channel == "webchat", Message.external_id == key)
        )
        if status is None and conversation_id is not None:
            # A turn that erased the conversation cleared its messages' ids: its last inbound.
            status = session.scalar(
                select(Message.status)
                .where(Message.conversation_id == conversation_id, Message.direction == "inbound")
                .order_by(Message.id.desc())
                .limit(1)
            )
    assert status == "processed", f"{text!r} was not answered by Rasa (status {status})"
    return [reply["text"] for reply in response.json()["replies"]]


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def current_model() -> Path:
    """The model for the current training inputs; missing, skip locally and fail in CI."""
    model = model_path(project_root(), Path("models"))
    if not model.exists():
        message = f"no trained model {model.name}: run `make train` (make test does)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return model


def stack_settings(tmp: Path, **overrides: object) -> Settings:
    """Settings for the whole stack on free local ports with its own SQLite store.

    Each scripted person writes from an address of their own (``address_of``), believed behind
    the trusted 127.0.0.1 as from a real proxy.
    """
    ports = {name: free_port() for name in ("rasa", "actions", "gateway", "console")}
    ports["worker"] = free_port_pair()  # worker k of the production profile: worker_port + k - 1
    values: dict[str, object] = {
        "rasa_port": ports["rasa"],
        "rasa_url": f"http://127.0.0.1:{ports['rasa']}",
        "action_server_port": ports["actions"],
        "gateway_port": ports["gateway"],
        "console_port": ports["console"],
        "public_base_url": f"http://127.0.0.1:{ports['gateway']}",
        "console_base_url": f"http://127.0.0.1:{ports['console']}",
        "worker_port": ports["worker"],  # the worker's /livez, /readyz and /metrics
        "trusted_proxies": "127.0.0.1",
        "worker_poll_seconds": 0.2,
    }
    values.update(overrides)
    return make_test_settings(tmp, **values)


def store_with_staff_on_duty(settings: Settings) -> Store:
    """The migrated store, with one social worker on duty around the clock."""
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    with store.begin() as session:
        staff_id = add_staff(session, name="Cán bộ trực", role="social_worker")
        add_shift(session, staff_id=staff_id, start=clock(0, 0), end=clock(0, 0))
    return store


@contextlib.contextmanager
def running(
    specs: Sequence[ProcessSpec], settings: Settings, log_path: Path, **supervise: Any
) -> Iterator[Supervisor]:
    """The processes under a Supervisor, ready; their log's tail is printed if the body fails."""
    env = {**os.environ, **settings.as_env()}
    with (
        log_path.open("w") as log,
        Supervisor(specs, cwd=project_root(), env=env, output=log, **supervise) as supervisor,
    ):
        try:
            supervisor.wait_ready(timeout=300)
            yield supervisor
        except BaseException:
            log.flush()
            print(log_path.read_text()[-6000:])  # shown by pytest on failure
            raise
