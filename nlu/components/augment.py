"""Adds written-form variants of the training sentences (nlu.augment) before anything is featurized.

First in the pipeline. Rasa 3.6's default recipe runs ``process_training_data`` of every
tokenizer/featurizer-type component on the training data in pipeline order and ``process`` on each
message at inference, so this component changes the training set only: at inference it passes
messages through untouched.

Variants carry the intent (and the retrieval key of faq questions) but no entity annotations: the
offsets would not survive teencode, and DIET does not learn entities here (lookups and regexes do).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.augment import NO_DIACRITICS, TEENCODE, UPPER, variants
from nlu.components.source_fingerprint import source_digest


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class WrittenFormAugmenter(GraphComponent):
    """Training data + sampled no-diacritics / teencode / upper-case copies of its sentences."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's cache key leaves out our code: a change to it must retrain (see module).
        return source_digest("normalize.py", "augment.py", "components/augment.py")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Share of sentences that get each variant. Upper case is 0: the tokenizer lower-cases token
        # text and the lemmas are folded, so an upper-case copy gives DIET identical features.
        # Intents left as written (faq: the generated awareness data is large and already has
        # unaccented questions; copies of it would outweigh the small intents).
        return {NO_DIACRITICS: 0.5, TEENCODE: 0.2, UPPER: 0.0, "seed": 42, "skip_intents": []}

    def __init__(self, config: dict[str, Any]) -> None:
        forms = (NO_DIACRITICS, TEENCODE, UPPER)
        self._rates = {form: float(config.get(form, 0.0)) for form in forms}
        self._seed = int(config.get("seed", 42))
        self._skip = frozenset(config.get("skip_intents") or ())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WrittenFormAugmenter:
        return cls({**cls.get_default_config(), **config})

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> WrittenFormAugmenter:
        # Nothing is persisted: the graph loads this component to run process_training_data.
        return cls.create(config, model_storage, resource, execution_context)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        originals = training_data.training_examples
        known = {message.get(TEXT) for message in originals if message.get(TEXT)}
        added: list[Message] = []
        for message in originals:
            text = message.get(TEXT)
            if not text or not message.get(INTENT) or message.get(INTENT) in self._skip:
                continue  # entity-only examples, Core's intent/action-only turns, skipped intents
            for _, variant in variants(text, self._rates, self._seed):
                if variant in known:
                    continue  # the data already has this spelling, maybe under another intent
                known.add(variant)
                data = {key: value for key, value in message.data.items() if key != ENTITIES}
                data[TEXT] = variant
                added.append(Message(data=data))
        if not added:
            return training_data
        return TrainingData(
            training_examples=[*originals, *added],
            entity_synonyms=training_data.entity_synonyms,
            regex_features=training_data.regex_features,
            lookup_tables=training_data.lookup_tables,
            responses=training_data.responses,
        )

    def process(self, messages: list[Message]) -> list[Message]:
        return messages
