"""Greetings, thanks, goodbyes and anything off-topic: say what the assistant can do."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.tracker_data import turn_info


class ActionHandleOther(Action):
    """A short reply in the person's language; no intake."""

    def name(self) -> str:
        return "action_handle_other"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = turn_info(tracker)
        texts = messages.OTHER_REPLIES.get(info.intent, messages.OTHER_REPLIES["default"])
        dispatcher.utter_message(text=messages.pick(texts, info.language))
        return []
