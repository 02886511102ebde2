"""CHUNGTAY_LOG_FORMAT=json: every line a log shipper reads is one JSON object with our fields.

A real `chungtay worker --once` runs under the supervisor (its log records and its plain printed
output both come out as JSON), and the gateway's own records while Rasa is down and a person
writes an urgent message carry ids only, never the person's words.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import create_app
from chungtay.cli import configure_logging
from chungtay.log_format import JsonFormatter
from chungtay.supervisor import ProcessSpec, Supervisor
from chungtay.training import project_root
from intake_store.db import upgrade_database
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.e2e.helpers import wait_for
from tests.gateway.conftest import RASA_URL, FakeRasa, running

FIELDS = {"time", "level", "logger", "process", "message"}
WORDS = "cứu tôi với, họ nhốt tôi ở Bavet, số tôi 0912345678"
SESSION = "json" * 4 + "0123456789abcdef"


def _entries(text: str) -> list[dict[str, Any]]:
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    for entry in entries:
        assert FIELDS <= set(entry) <= FIELDS | {"exception", "where"}, entry
        assert datetime.fromisoformat(entry["time"]).utcoffset() is not None, entry["time"]
    return entries


def test_a_supervised_worker_writes_json_lines_named_for_its_process(tmp_path: Path) -> None:
    settings = make_test_settings(tmp_path, log_format="json")
    upgrade_database(settings.database_url)
    output = io.StringIO()
    spec = ProcessSpec(
        name="worker-1", command=[sys.executable, "-m", "chungtay.cli", "worker", "--once"]
    )
    env = {**os.environ, **settings.as_env()}
    with Supervisor([spec], cwd=project_root(), env=env, output=output, json_lines=True) as sup:
        assert wait_for(lambda: sup.processes["worker-1"].poll() is not None, timeout=60)
        assert sup.processes["worker-1"].returncode == 0, output.getvalue()
        assert wait_for(lambda: "claimed=" in output.getvalue(), timeout=5)

    entries = _entries(output.getvalue())
    assert {e["process"] for e in entries} == {"worker-1"}
    records = [e for e in entries if e["logger"] != "output"]
    assert records, "no log record of the worker itself"  # e.g. channels disabled
    assert all(e["level"] in {"DEBUG", "INFO", "WARNING", "ERROR"} for e in records)
    [printed] = [e for e in entries if e["logger"] == "output"]
    assert printed["message"].startswith("claimed=0 ")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger as `chungtay gateway` sets it up with CHUNGTAY_LOG_FORMAT=json."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = []
    configure_logging(log_format="json", process="gateway")
    stream = io.StringIO()
    assert isinstance(root.handlers[0].formatter, JsonFormatter)
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    yield stream
    root.handlers, _ = saved
    root.setLevel(saved[1])


async def test_gateway_records_in_json_carry_no_words_of_the_person(
    tmp_path: Path, json_log: io.StringIO
) -> None:
    settings = make_test_settings(tmp_path, rasa_url=RASA_URL, log_format="json")
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    rasa = FakeRasa(mode="down")
    app = create_app(settings, store=store, rasa_transport=rasa.transport, retry_loop=False)
    try:
        async with running(app) as client:
            answer = await client.post(
                "/webchat/messages",
                json={"session": SESSION, "message_id": "m-00000001", "text": WORDS},
            )
            ready = await client.get("/readyz")
    finally:
        store.dispose()
    assert answer.status_code == 200 and "111" in answer.text
    assert ready.status_code == 503

    text = json_log.getvalue()
    entries = _entries(text)
    assert any(e["level"] == "WARNING" for e in entries), text  # Rasa down is logged
    assert {e["process"] for e in entries} == {"gateway"}
    for secret in ("Bavet", "0912345678", "nhốt", SESSION):
        assert secret not in text
