"""A console app on a migrated store, with one user per role and helpers to make intakes."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from chungtay.settings import Settings
from console.app import create_app
from console.passwords import hash_password
from console.views_reports import CODES_SECTION
from intake_store import intakes, messages, users
from intake_store.db import upgrade_database
from intake_store.intake_details import IntakeDetails
from intake_store.store import Store
from tests.conftest import make_test_settings

PASSWORD = "Chung-Tay-2026!"
ROLES = ("operator", "social_worker", "supervisor", "admin")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Console:
    settings: Settings
    store: Store
    client: TestClient

    def csrf(self, path: str = "/queue") -> str:
        found = _CSRF.search(self.client.get(path).text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def login(self, username: str, password: str = PASSWORD) -> int:
        token = self.csrf("/login")
        response = self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=False,
        )
        return response.status_code

    def post(self, path: str, data: dict[str, str] | None = None) -> int:
        """A form post with the signed-in user's CSRF token, as the pages send it."""
        form = {"csrf_token": self.csrf(), **(data or {})}
        return self.client.post(path, data=form, follow_redirects=False).status_code


def add_intake(
    store: Store,
    *,
    text: str,
    triage: str,
    reasons: tuple[str, ...] = (),
    sender: str = "+84901234567",
    channel: str = "sms",
    received_at: datetime | None = None,
    details: IntakeDetails | None = None,
    language: str = "vi",
) -> int:
    """A person's message and the intake it opened, as the gateway and the actions make them."""
    at = received_at or datetime.now(UTC)
    with store.begin() as session:
        inbound = messages.record_inbound(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            channel=channel,
            sender_id=sender,
            external_id=f"{sender}-{at.timestamp()}",
            text=text,
            received_at=at,
        )
        ref = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=inbound.conversation_id,
            triage=triage,
            urgent_reasons=list(reasons),
            source_message_id=inbound.message_id,
            language=language,
            details=details,
            now=at,
        )
    return ref.id


def export_sections(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """The statistics CSV's two parts: the labelled table for people, the codes for machines."""
    people, _, codes = text.lstrip("\ufeff").partition(f"\n{CODES_SECTION}\n")
    assert codes, "the CSV export has no codes section"
    return list(csv.reader(io.StringIO(people))), list(csv.reader(io.StringIO(codes)))


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def make_console(
    settings: Settings, *, rasa_transport: httpx.AsyncBaseTransport | None = None
) -> Iterator[Console]:
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    password_hash = hash_password(PASSWORD)
    with store.begin() as session:
        for role in ROLES:
            users.create_user(session, username=role, password_hash=password_hash, role=role)
    app = create_app(settings, store=store, rasa_transport=rasa_transport)
    with TestClient(app) as client:
        yield Console(settings=settings, store=store, client=client)
    store.dispose()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    yield from make_console(make_test_settings(tmp_path))


@pytest.fixture
def console_any_db(database_url: str, tmp_path: Path) -> Iterator[Console]:
    """The console on SQLite and on PostgreSQL."""
    yield from make_console(make_test_settings(tmp_path, database_url=database_url))
