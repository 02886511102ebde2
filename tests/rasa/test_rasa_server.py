"""nlu.rasa_server: action responses are judged exactly as Rasa judges them, with one validator.

The end-to-end tests run Rasa through this launcher (chungtay/commands.py), so the valid path is
exercised there on every turn; here each kind of response is compared with Rasa's own method.
"""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.tensorflow.models import RasaModel

from nlu import rasa_server

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "intake_code", "value": "CT-7Q2K"},
            {"event": "active_loop", "name": "report_form"},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"text": "Gọi ngay 111", "buttons": [{"title": "Có", "payload": "/yes"}]}],
    },
    {"responses": [{"response": "utter_greet"}]},
]
INVALID: list[Any] = [
    {"events": [{"event": "no_such_event"}]},
    {"events": {"event": "slot"}},
    {"events": [], "responses": ["not an object"]},
    {"events": [{"event": "slot", "name": 7}]},
    ["not", "an", "object"],
]


def _rasa_verdict(result: Any) -> str:
    action = RemoteAction("action_handle_report", None)
    try:
        return "valid" if RemoteAction._validate_action_result(action, result) else "false"
    except ValidationError as error:
        return error.message


@pytest.mark.parametrize("result", VALID + INVALID)
def test_the_compiled_check_gives_rasas_verdict_and_message(result: Any) -> None:
    expected = _rasa_verdict(result)
    action = RemoteAction("action_handle_report", None)
    try:
        verdict = "valid" if rasa_server.validate_action_result(action, result) else "false"
    except ValidationError as error:
        verdict = error.message
    assert verdict == expected
    assert (verdict == "valid") == (result in VALID)
    if verdict != "valid":
        assert "Failed to validate Action server response" in verdict


def test_install_puts_the_compiled_check_on_every_remote_action(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])  # a classmethod object
    rasa_server.install()
    action = RemoteAction("action_submit_report", None)
    assert action._validate_action_result(VALID[1]) is True
    with pytest.raises(ValidationError, match=r"Failed to validate Action server response"):
        action._validate_action_result(INVALID[0])
    # One validator, built (and its schema checked) once for the whole process.
    assert rasa_server.action_response_validator() is rasa_server.action_response_validator()
