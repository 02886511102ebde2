"""``python -m nlu.rasa_server run ...``: Rasa's command line, with a cheaper action-response check.

Rasa 3.6 checks every action server response with ``jsonschema.validate``, which validates the
schema itself against the JSON Schema meta-schema and builds a new validator on every call. In a
profile of REST turns on the 2-core machine that was about 70% of the Rasa process's CPU time
(issue 9, bench-e2e). Here the same schema is checked once and its validator reused: every
response is still validated against the same schema by the same validator class, and an invalid
one fails with the same error and message as before.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    rasa_main()


if __name__ == "__main__":
    main()
