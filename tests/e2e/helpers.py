"""Helpers shared by the end-to-end tests: free ports, talking to the web chat, waiting."""

from __future__ import annotations

import contextlib
import secrets
import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from chungtay.settings import Settings
from chungtay.training import model_path, project_root
from intake_store.models import Message
from intake_store.store import Store
from tests.conftest import IN_CI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_port_pair() -> int:
    """A port p with p + 1 free too (Rasa replicas listen on rasa_port + i)."""
    for _ in range(100):
        port = free_port()
        with contextlib.suppress(OSError), socket.socket() as a, socket.socket() as b:
            a.bind(("127.0.0.1", port))
            b.bind(("127.0.0.1", port + 1))
            return port
    raise RuntimeError("no two consecutive free ports")


def say(settings: Settings, store: Store, session_id: str, text: str) -> list[str]:
    message_id = secrets.token_hex(8)
    response = httpx.post(
        f"{settings.public_base_url}/webchat/messages",
        json={"session": session_id, "message_id": message_id, "text": text},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    # The gateway's own fallback also mentions 111: prove the answer came through Rasa and the
    # action server, not from the "Rasa is down" path.
    with store.begin() as session:
        status = session.scalars(
            select(Message.status).where(
                Message.channel == "webchat",
                Message.external_id
                == store.hasher.message_key(
                    channel="webchat", external_id=f"{session_id}:{message_id}"
                ),
            )
        ).one()
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
