"""The walking-skeleton path in the console: an admin seeded from the CLI signs in, sees the
urgent intake at the top of the queue with its transcript, and the alert the notifier sent."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chungtay.settings import get_settings
from console import cli
from intake_store import alerts
from tests.console.conftest import Console, add_intake, minutes_ago

STRONG = "Tong-Dai-111-Mien-Phi"


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    result: int = args.handler(args)
    return result


@pytest.fixture
def cli_env(console: Console, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Console]:
    monkeypatch.chdir(tmp_path)  # no developer .env or var/ in the way
    monkeypatch.setenv("CHUNGTAY_DATABASE_URL", console.settings.database_url)
    get_settings.cache_clear()
    yield console
    get_settings.cache_clear()


def test_create_admin_refuses_weak_passwords_and_duplicates(
    cli_env: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("admin12345\n"))
    assert run_cli("console", "create-admin", "--username", "lan", "--password-stdin") == 2
    assert cli_env.login("lan", "admin12345") == 401
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    assert run_cli("console", "create-admin", "--username", "lan", "--password-stdin") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    assert run_cli("console", "create-admin", "--username", "lan", "--password-stdin") == 1


def test_cli_admin_sees_the_urgent_intake_on_top_with_its_transcript(
    cli_env: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = cli_env
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    assert run_cli("console", "create-admin", "--username", "truc.ban", "--password-stdin") == 0
    add_intake(
        console.store,
        text="chào ad",
        triage="report",
        sender="+84933000001",
        received_at=minutes_ago(30),
    )
    urgent = add_intake(
        console.store,
        text="cứu tôi với, tôi đang bị nhốt ở Campuchia",
        triage="urgent",
        reasons=("confinement", "abroad"),
        sender="+84933000002",
    )
    # What the logging notifier records when it "sends" the staff alert.
    now = datetime.now(UTC)
    with console.store.begin() as session:
        alerts.begin_alert(
            session,
            dedupe_key=f"alert:{urgent}:log",
            outbox_id=None,
            intake_id=urgent,
            staff_id=None,
            channel="log",
            text=f"KHẨN CẤP intake {urgent}",
            now=now,
        )
        alerts.finish_alert(session, dedupe_key=f"alert:{urgent}:log", ok=True, now=now)

    assert console.login("truc.ban", STRONG) == 303
    queue = console.client.get("/queue").text
    first_row = queue.split('<tbody id="queue-rows">')[1].split("</tr>")[0]
    assert f'href="/intakes/{urgent}"' in first_row and "Bị giam giữ" in first_row
    page = console.client.post(
        f"/intakes/{urgent}/reveal",
        data={"csrf_token": console.csrf(), "reason": "tiếp nhận ca khẩn cấp"},
    ).text
    assert "cứu tôi với, tôi đang bị nhốt ở Campuchia" in page
    notifications = console.client.get("/notifications").text
    assert f"KHẨN CẤP intake {urgent}" in notifications and f"/intakes/{urgent}" in notifications
