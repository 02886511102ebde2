"""Entity normalisation after the extractors and the synonym mapper (see nlu.entity_values).

Ages and counts become numbers, places/countries/relations one canonical spelling (learnt from the
training data's synonyms and lookup tables, so editors change data, not code), and a span found by
both a lookup and a regex is kept once.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.source_fingerprint import source_digest
from nlu.entity_values import build_canonical, normalize_entities

_FILE = "canonical.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class EntityNormalizer(GraphComponent):
    """Normalises entity values and drops duplicate spans; place it after EntitySynonymMapper."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's cache key leaves out our code: a change to it must retrain (see module).
        return source_digest("normalize.py", "entity_values.py", "components/entities.py")

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        canonical: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.canonical = canonical or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityNormalizer:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        lookups = {
            str(table["name"]): [str(element) for element in table.get("elements") or []]
            for table in training_data.lookup_tables
            if isinstance(table.get("elements"), list)
        }
        self.canonical = build_canonical(training_data.entity_synonyms, lookups)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _FILE).write_text(
                json.dumps(self.canonical, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EntityNormalizer:
        try:
            with model_storage.read_from(resource) as directory:
                canonical = json.loads((directory / _FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            canonical = {}
        return cls(model_storage, resource, canonical)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if entities:
                message.set(
                    ENTITIES, normalize_entities(entities, self.canonical), add_to_output=True
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
