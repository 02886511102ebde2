"""Gateway test harness: a migrated SQLite store, a fake Rasa on httpx.MockTransport, the app."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from chungtay.settings import Settings
from intake_store.crypto import FieldCipher
from intake_store.db import upgrade_database
from intake_store.intake_details import IntakeDetails
from intake_store.intakes import open_intake
from intake_store.models import Intake, Message, OutboxRow
from intake_store.store import Store
from tests.conftest import make_test_settings

RASA_URL = "http://rasa.test:5005"


@dataclass
class FakeRasa:
    """Rasa's REST channel: records what it is sent, answers like Rasa 3.6, or fails."""

    mode: str = "ok"  # ok | down | empty | http500
    replies: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"text": "Chúng tôi đã nhận được tin của bạn. Gọi 111 nếu cần."},
            {
                "text": "Bạn có an toàn không?",
                "buttons": [
                    {"title": "Có", "payload": "/affirm"},
                    {"title": "Không", "payload": "/deny"},
                ],
            },
        ]
    )
    calls: list[dict[str, Any]] = field(default_factory=list)
    # Rasa's HTTP API: (method, sender, events) for POST/PUT /conversations/<sender>/tracker/events
    tracker_calls: list[tuple[str, str, list[dict[str, Any]]]] = field(default_factory=list)
    # Runs on every message before answering (what the action server would do in the store).
    on_message: Callable[[dict[str, Any]], None] | None = None
    # Set: checked as Rasa checks it (HTTP API: `?token=`, `--auth-token`; the chungtay
    # channel: `Authorization: Bearer`), 401 otherwise.
    token: str | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        api = path.startswith("/conversations/")
        if self.token is not None and (
            request.url.params.get("token") != self.token
            if api
            else request.headers.get("authorization") != f"Bearer {self.token}"
        ):
            return httpx.Response(401, json={"status": "failure", "reason": "NotAuthenticated"})
        if api and path.endswith("/tracker/events"):
            sender = path.removeprefix("/conversations/").removesuffix("/tracker/events")
            self.tracker_calls.append((request.method, sender, json.loads(request.content)))
            if self.mode == "down":
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, json={"sender_id": sender})
        if request.method == "GET" and path == "/":  # what readiness asks; no token needed
            if self.mode == "down":
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(200, text="Hello from Rasa: 3.6.21")
        assert path == "/webhooks/chungtay/webhook"
        body = json.loads(request.content)
        self.calls.append(body)
        if self.on_message is not None and self.mode == "ok":
            self.on_message(body)
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "http500":
            return httpx.Response(500, json={"error": "action server"})
        if self.mode == "empty":
            return httpx.Response(200, json=[])
        return httpx.Response(
            200, json=[{"recipient_id": body["sender"], **reply} for reply in self.replies]
        )

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


@pytest.fixture
def gateway_settings(tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: object) -> Settings:
        return make_test_settings(tmp_path, rasa_url=RASA_URL, **overrides)

    return build


@pytest.fixture
def store(tmp_path: Path, database_url: str) -> Iterator[Store]:
    """A migrated store, once on SQLite and once on PostgreSQL (``database_url`` fixture)."""
    settings = make_test_settings(tmp_path, database_url=database_url)
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    yield store
    store.dispose()


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def urgency_calls() -> list[str]:
    return []


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan, and an HTTP client talking to it in-process."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        yield client


def rows(store: Store) -> dict[str, list[Any]]:
    """What the store holds now (ciphertext stays ciphertext; tests decrypt when they need to)."""
    with store.begin() as session:
        return {
            "inbound": [
                (m.id, m.channel, m.status, m.external_id)
                for m in session.scalars(
                    select(Message).where(Message.direction == "inbound").order_by(Message.id)
                )
            ],
            "outbound": [
                (m.status, store.cipher.decrypt(m.text_enc) if m.text_enc else None)
                for m in session.scalars(
                    select(Message).where(Message.direction == "outbound").order_by(Message.id)
                )
            ],
            "intakes": [
                (i.triage, i.priority, list(i.urgent_reasons))
                for i in session.scalars(select(Intake))
            ],
            "outbox": [o.kind for o in session.scalars(select(OutboxRow))],
        }


def open_help_case(
    session: Session, *, cipher: FieldCipher, details: IntakeDetails | None = None
) -> tuple[int, int]:
    """A help case filed from the person's first message, as the assistant files one:
    (intake id, conversation id)."""
    message_id, conversation_id = session.execute(
        select(Message.id, Message.conversation_id)
        .where(Message.direction == "inbound")
        .order_by(Message.id)
        .limit(1)
    ).one()
    ref = open_intake(
        session,
        cipher=cipher,
        conversation_id=conversation_id,
        triage="help",
        urgent_reasons=[],
        source_message_id=message_id,
        language="vi",
        details=details,
    )
    return ref.id, conversation_id
