"""`chungtay run --profile production`: which processes it starts, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from chungtay.cli import main
from chungtay.commands import process_specs, production_problems
from chungtay.settings import get_settings
from tests.conftest import make_test_settings

ROOT = Path(__file__).resolve().parents[2]
PG = "postgresql+psycopg://chungtay@db.internal:5432/chungtay"


def test_production_starts_replicas_action_servers_and_workers_on_postgres_and_redis(
    tmp_path: Path,
) -> None:
    settings = make_test_settings(
        tmp_path,
        profile="production",
        database_url=PG,
        rasa_tracker_store_url=PG,
        rasa_lock_store_url="redis://redis.internal:6380/2",
        rasa_replicas=3,
        action_servers=2,
        routing_workers=2,
        rasa_port=7000,
        action_server_port=7100,
    )
    assert production_problems(settings) == []
    specs = {s.name: s for s in process_specs(settings, root=ROOT, model=Path("m.tar.gz"))}
    names = "rasa-1 rasa-2 rasa-3 actions-1 actions-2 worker-1 worker-2 gateway console"
    assert sorted(specs) == sorted(names.split())
    for i, name in enumerate(["rasa-1", "rasa-2", "rasa-3"]):
        command = list(specs[name].command)
        assert command[command.index("--port") + 1] == str(7000 + i)
        assert command[command.index("--endpoints") + 1] == "deploy/endpoints.production.yml"
        # One action URL per Rasa: replica i calls action server i mod 2.
        port = 7100 + i % 2
        assert specs[name].env["CHUNGTAY_ACTION_SERVER_URL"] == f"http://127.0.0.1:{port}/webhook"
        assert specs[name].env["CHUNGTAY_RASA_TRACKER_DB_URL"].startswith("postgresql://")
        assert specs[name].env["CHUNGTAY_RASA_LOCK_REDIS_PORT"] == "6380"
    assert specs["actions-2"].ready_url == "http://127.0.0.1:7101/health"
    assert specs["gateway"].env["CHUNGTAY_RASA_URLS"] == (
        "http://127.0.0.1:7000,http://127.0.0.1:7001,http://127.0.0.1:7002"
    )


def test_production_refuses_to_start_without_postgres_redis_and_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATABASE_URL", "RASA_TRACKER_STORE_URL", "RASA_LOCK_STORE_URL"):
        monkeypatch.delenv(f"CHUNGTAY_{name}", raising=False)
    # `run --profile` writes CHUNGTAY_PROFILE into os.environ for its children: setenv first so
    # monkeypatch puts it back afterwards (delenv of an unset name restores nothing), or every
    # later test in this process runs as production.
    monkeypatch.setenv("CHUNGTAY_PROFILE", "development")
    monkeypatch.setenv("CHUNGTAY_SENDER_HASH_KEY", "")  # empty wins over any .env file
    monkeypatch.chdir(ROOT)  # `run` changes to the project directory; restored afterwards
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            main(["run", "--profile", "production", "--no-train"])
    finally:
        get_settings.cache_clear()
    message = str(stopped.value)
    for name in (
        "CHUNGTAY_SENDER_HASH_KEY",
        "CHUNGTAY_DATABASE_URL",
        "CHUNGTAY_RASA_TRACKER_STORE_URL",
        "CHUNGTAY_RASA_LOCK_STORE_URL",
    ):
        assert name in message, message
    development = make_test_settings(tmp_path)
    assert len(production_problems(development)) == 3  # secrets set, but SQLite, no stores
