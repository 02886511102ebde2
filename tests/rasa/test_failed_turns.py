"""A failed custom action fails Rasa's turn, and what Rasa logs about it quotes nobody.

Rasa 3.6 catches a custom action's failure ("Bot will continue, but the actions events are
lost"), saves the turn and logs the exception, whose text is the action server's whole error body:
rasa-sdk answers errors with the request, i.e. the tracker with every message. Here Rasa's own
``RemoteAction`` and ``MessageProcessor._run_action`` run against an action server on a real
local port that answers as rasa-sdk 3.21 did.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

from nlu import log_redaction, rasa_server

WORDS = "họ nhốt tôi ở Bavet, số của tôi 0912 345 678"
PHONE_DIGITS = "0912"


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """nlu.rasa_server.install(), undone afterwards (it patches Rasa's classes)."""
    for owner, name in (
        (RemoteAction, "_validate_action_result"),
        (RemoteAction, "run"),
        (MessageProcessor, "_run_action"),
        (MessageProcessor, "run_action_extract_slots"),
    ):
        monkeypatch.setattr(owner, name, getattr(owner, name))
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])  # a classmethod object
    logger_class = logging.getLoggerClass()
    rasa_server.install()
    yield
    logging.setLoggerClass(logger_class)
    for name in log_redaction.KNOWN_LOGGERS:
        logger = logging.getLogger(name) if name else logging.getLogger()
        logger.removeFilter(log_redaction._FILTER)


async def _rasa_sdk_3_21_error(request: web.Request) -> web.Response:
    """rasa-sdk's exception handler: ``{"error": str(e), "request_body": request.json}``, 500."""
    body: Any = await request.json()
    return web.json_response({"error": "boom", "request_body": body}, status=500)


def _run_turn_action(port: int) -> None:
    domain = Domain.from_dict({"actions": ["action_file_report"]})
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.domain = domain
    tracker = DialogueStateTracker.from_events("a1b2c3", [UserUttered(WORDS)], domain.slots)
    action = RemoteAction("action_file_report", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))

    async def run() -> None:
        app = web.Application()
        app.router.add_post("/webhook", _rasa_sdk_3_21_error)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            await processor._run_action(
                action,
                tracker,
                CollectingOutputChannel(),
                None,  # type: ignore[arg-type]  # the NLG is not reached
                PolicyPrediction([], "RulePolicy"),
            )
        finally:
            await runner.cleanup()

    asyncio.run(run())


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_failed_action_fails_the_turn_and_its_log_lines_quote_nobody(
    installed: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with pytest.raises(rasa_server.ActionFailed, match="action_file_report"):
        _run_turn_action(_free_port())

    rasa_lines = [r for r in caplog.records if r.name.startswith("rasa")]
    assert rasa_lines, "Rasa logged nothing about the failed action"
    assert any("action_file_report" in r.getMessage() for r in rasa_lines)
    assert "Bavet" not in caplog.text and PHONE_DIGITS not in caplog.text
    assert "request_body" not in caplog.text and "a1b2c3" not in caplog.text
    for record in rasa_lines:  # one line each: no traceback with the exception's text
        assert record.exc_info is None and "\n" not in record.getMessage()


def test_sanic_and_rasa_records_lose_tokens_phone_numbers_and_trackers(installed: None) -> None:
    cases = [
        ("sanic.error", "Exception occurred while handling uri: '%s'",
         ("http://rasa:5005/conversations/x/tracker?token=s3cret-token&include_events=ALL",)),
        ("rasa.core.processor", "Authorization: Bearer s3cret-token sent by %s", ("gateway",)),
        ("rasa.server", "parse of %r failed", ("goi cho toi +84 912 345 678",)),
        ("rasa.core.tracker_store", "bad tracker %s", ('{"sender_id": "x", "events": []}',)),
    ]  # fmt: skip
    handler = _Collect()
    for name, message, args in cases:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        try:
            logger.error(message, *args)
        finally:
            logger.removeHandler(handler)
    text = "\n".join(handler.lines)
    assert len(handler.lines) == len(cases)
    assert "s3cret-token" not in text and "912 345" not in text and '"events"' not in text
    assert "token=[redacted]" in text and "[phone]" in text and log_redaction.WITHHELD in text


def test_rasa_run_gets_its_token_from_the_environment_never_the_command_line() -> None:
    argv = ["nlu.rasa_server", "run", "--enable-api", "--port", "5005"]
    env = {"CHUNGTAY_RASA_AUTH_TOKEN": "t1", "CHUNGTAY_ACTION_SERVER_TOKEN": "t2"}
    assert rasa_server.with_auth_token(argv, env) == [*argv, "--auth-token", "t1"]
    with pytest.raises(SystemExit, match="CHUNGTAY_ACTION_SERVER_TOKEN"):
        rasa_server.with_auth_token(argv, {"CHUNGTAY_RASA_AUTH_TOKEN": "t1"})
    with pytest.raises(SystemExit, match="CHUNGTAY_RASA_AUTH_TOKEN"):
        rasa_server.with_auth_token([*argv, "--auth-token", "x"], env)
    assert rasa_server.with_auth_token(["nlu.rasa_server", "train"], {}) == [
        "nlu.rasa_server",
        "train",
    ]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
