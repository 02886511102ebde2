"""Writes the message language (ISO 639-1) into parse_data["chungtay"]."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.language import detect_language

CHUNGTAY = "chungtay"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageAnnotator(GraphComponent):
    """Vietnamese check first (works without diacritics), then langdetect."""

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: Any
    ) -> LanguageAnnotator:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            data = dict(message.get(CHUNGTAY) or {})
            data["language"] = detect_language(message.get(TEXT) or "")
            message.set(CHUNGTAY, data, add_to_output=True)
        return messages
