"""`chungtay db upgrade|retention` and `chungtay roster add|shift-add|list` through the real CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chungtay.cli import main
from chungtay.settings import get_settings
from intake_store import roster
from intake_store.db import make_engine, make_session_factory


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli' / 'chungtay.db'}"
    monkeypatch.setenv("CHUNGTAY_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_roster_from_the_command_line(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["roster", "add", "Nguyễn Thị Lan", "--role", "social_worker",
                 "--telegram-chat-id", "5001", "--provinces", "An Giang,Kiên Giang",
                 "--shift", "22:00-06:00"]) == 0  # fmt: skip
    assert main(["roster", "add", "Trần Minh", "--role", "supervisor", "--phone", "+8490"]) == 0
    assert main(["roster", "shift-add", "2", "08:00-17:00", "--days", "01234",
                 "--kind", "backup"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["roster", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Nguyễn Thị Lan  [social_worker]" in listing
    assert "primary 22:00-06:00 days=0123456" in listing
    assert "backup  08:00-17:00 days=01234" in listing
    assert "provinces=An Giang,Kiên Giang" in listing

    with make_session_factory(make_engine(cli_db)).begin() as session:
        # Tuesday 02:00 in Ha Noi: Lan's overnight shift; Tuesday 10:00: Minh's backup shift.
        night = roster.on_duty(session, at=datetime(2026, 3, 2, 19, tzinfo=UTC))
        day = roster.on_duty(session, at=datetime(2026, 3, 3, 3, tzinfo=UTC))
    assert [(s.name, s.shift_kind) for s in night] == [("Nguyễn Thị Lan", "primary")]
    assert [(s.name, s.shift_kind) for s in day] == [("Trần Minh", "backup")]

    assert main(["db", "retention", "--days", "30"]) == 0
    assert "0 conversations erased" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["roster", "shift-add", "1", "8h-17h"])
