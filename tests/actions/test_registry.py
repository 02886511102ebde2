"""The action server serves exactly the custom actions the domain names."""

from __future__ import annotations

import pickle

from rasa_sdk.executor import ActionExecutor

from tests.actions.conversation import domain


def test_every_domain_action_is_served_and_every_served_action_is_in_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # fails if any action cannot say its name

    custom = {name for name in domain()["actions"]}
    assert custom <= set(executor.actions), sorted(custom - set(executor.actions))
    assert set(executor.actions) <= custom, sorted(set(executor.actions) - custom)
    pickle.dumps(executor.actions)  # Sanic pickles the app (and its actions) to start workers
