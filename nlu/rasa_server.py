"""``python -m nlu.rasa_server run ...``: Rasa's command line, with a cheaper action-response check.

Rasa 3.6 checks every action server response with ``jsonschema.validate``, which validates the
schema itself against the JSON Schema meta-schema and builds a new validator on every call. In a
profile of REST turns on the 2-core machine that was about 70% of the Rasa process's CPU time
(issue 9, bench-e2e). Here the same schema is checked once and its validator reused: every
response is still validated against the same schema by the same validator class, and an invalid
one fails with the same error and message as before.

Three more things before Rasa's own ``main``:

- ``run`` gets ``--auth-token`` from ``CHUNGTAY_RASA_AUTH_TOKEN`` (read here, so the secret is
  not on the command line where ``ps`` shows it); it refuses to start without it and without
  ``CHUNGTAY_ACTION_SERVER_TOKEN`` (endpoints.yml sends it to the action server).
- A custom action that failed fails the whole turn (``ActionFailed``) instead of Rasa's "bot will
  continue, but the action's events are lost": the tracker is not saved, the chungtay channel
  answers 500 and the gateway sends the message again later, to a conversation as it was before.
  The exception Rasa logs names the action only: the original one quoted the action server's
  answer.
- ``nlu.log_redaction`` on every Rasa and Sanic logger.
- ``nlu.model_loading``: the model's TF parts are built by an eager step (a start in about half
  the time, the same parses).
- ``nlu.training_cache``: ``train`` with Rasa's training cache off skips the fingerprints that
  only fill it (``chungtay train`` runs Rasa's ``train`` through here).
"""

from __future__ import annotations

import contextvars
import functools
import os
import sys
from collections.abc import Mapping
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.exceptions import RasaException

from nlu import log_redaction, model_loading, training_cache

TOKEN_VARIABLES = ("CHUNGTAY_RASA_AUTH_TOKEN", "CHUNGTAY_ACTION_SERVER_TOKEN")

# The custom actions that failed in the current turn (None outside a turn's action).
_failed_actions: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "chungtay_failed_actions", default=None
)


class ActionFailed(RasaException):
    """A custom action failed: the turn fails with it (the message will be sent again)."""


@functools.cache
def action_response_validator() -> Any:
    """The validator ``jsonschema.validate`` would build for Rasa's action response schema."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once."""
    error: ValidationError | None = best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


_original_remote_run = RemoteAction.run
_original_run_action = MessageProcessor._run_action
_original_extract_slots = MessageProcessor.run_action_extract_slots


async def remote_run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """``RemoteAction.run``; a failure is noted for the turn and re-raised without details."""
    try:
        return await _original_remote_run(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise  # a form's "not this slot": part of the dialogue, not a failure
    except Exception:
        failed = _failed_actions.get()
        if failed is not None:
            failed.append(self.name())
        # `from None`: the original's text (and its cause's) quoted the action server's body.
        raise ActionFailed(f"custom action '{self.name()}' failed") from None


async def run_action(self: MessageProcessor, action: Any, *args: Any, **kwargs: Any) -> Any:
    """``MessageProcessor._run_action``, raising ``ActionFailed`` when a custom action failed."""
    token = _failed_actions.set([])
    try:
        result = await _original_run_action(self, action, *args, **kwargs)
        failed = _failed_actions.get()
    finally:
        _failed_actions.reset(token)
    if failed:
        raise ActionFailed(f"custom action '{failed[0]}' failed; turn abandoned")
    return result


async def run_action_extract_slots(self: MessageProcessor, *args: Any, **kwargs: Any) -> Any:
    """Slot extraction may call a custom validation action: its failure fails the turn too."""
    token = _failed_actions.set([])
    try:
        result = await _original_extract_slots(self, *args, **kwargs)
        failed = _failed_actions.get()
    finally:
        _failed_actions.reset(token)
    if failed:
        raise ActionFailed(f"custom action '{failed[0]}' failed; turn abandoned")
    return result


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
    RemoteAction.run = remote_run
    MessageProcessor._run_action = run_action
    MessageProcessor.run_action_extract_slots = run_action_extract_slots
    log_redaction.install()
    model_loading.install()
    training_cache.install()


def with_auth_token(argv: list[str], environ: Mapping[str, str]) -> list[str]:
    """``argv`` for ``rasa run`` with ``--auth-token``; SystemExit when a secret is missing."""
    if len(argv) < 2 or argv[1] != "run":
        return argv
    if any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv):
        raise SystemExit("pass the Rasa token as CHUNGTAY_RASA_AUTH_TOKEN, not on the command line")
    missing = [name for name in TOKEN_VARIABLES if not environ.get(name)]
    if missing:
        raise SystemExit(f"nlu.rasa_server run: set {', '.join(missing)} (see .env.example)")
    return [*argv, "--auth-token", environ["CHUNGTAY_RASA_AUTH_TOKEN"]]


def main() -> None:
    from rasa.__main__ import main as rasa_main

    sys.argv = with_auth_token(sys.argv, os.environ)
    install()
    rasa_main()


if __name__ == "__main__":
    main()
