"""A model loaded with nlu.model_loading's eager building step parses exactly as Rasa's own load.

A small model (DIET and a ResponseSelector, two epochs each) is trained here as ``chungtay train``
trains (Rasa's training cache off, nlu.training_cache's hooks), then loaded twice in this
process: once by Rasa's ``RasaModel.load``, once by ``eager_load``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.engine.training.hooks import TrainingHook
from rasa.model_training import train_nlu
from rasa.utils.tensorflow.models import RasaModel

from nlu import model_loading, training_cache
from nlu.model_loading import eager_load

CONFIG = """
recipe: default.v1
language: vi
assistant_id: model-loading-test
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 2
    max_ngram: 4
  - name: DIETClassifier
    epochs: 2
    number_of_transformer_layers: 1
    transformer_size: 32
    random_seed: 1
  - name: ResponseSelector
    retrieval_intent: faq
    epochs: 2
    random_seed: 1
policies: []
"""

NLU = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - xin chào
    - chào bạn
    - hello
- intent: urgent_help
  examples: |
    - cứu tôi với
    - họ nhốt tôi trong nhà
    - tôi bị giữ không cho về
- intent: faq/hotline
  examples: |
    - số đường dây nóng là gì
    - gọi số nào để báo tin
- intent: faq/free
  examples: |
    - gọi có mất tiền không
    - cuộc gọi có miễn phí không
"""

DOMAIN = """
version: "3.1"
intents: [greet, urgent_help, faq]
responses:
  utter_faq/hotline:
  - text: "111"
  utter_faq/free:
  - text: "miễn phí"
"""

TEXTS = ["chào", "cứu với họ nhốt em", "gọi số nào", "có mất tiền không", "không liên quan"]


def _parses(model: str) -> list[dict[str, Any]]:
    agent = Agent.load(model)

    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in TEXTS]

    parses = asyncio.run(parse_all())
    return [
        {
            "intent": p["intent"],
            "ranking": p["intent_ranking"],
            "faq": p["response_selector"]["faq"]["ranking"],
        }
        for p in parses
    ]


def test_a_model_trained_as_chungtay_trains_parses_the_same_when_loaded_eagerly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASA_MAX_CACHE_SIZE", "0")
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    for hook in ("on_before_node", "on_after_node"):
        monkeypatch.setattr(TrainingHook, hook, getattr(TrainingHook, hook))
    training_cache.install()
    assert TrainingHook.on_after_node.__module__ == "nlu.training_cache"
    for name, text in (("config.yml", CONFIG), ("nlu.yml", NLU), ("domain.yml", DOMAIN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    model = train_nlu(
        config=str(tmp_path / "config.yml"),
        nlu_data=str(tmp_path / "nlu.yml"),
        output=str(tmp_path / "models"),
        domain=str(tmp_path / "domain.yml"),
    )
    assert model is not None

    # Rasa's own load, even if a test before this one installed ours for the session.
    monkeypatch.setattr(RasaModel, "load", model_loading._rasa_load or RasaModel.__dict__["load"])
    rasas_own = _parses(model)
    monkeypatch.setattr(RasaModel, "load", classmethod(eager_load))
    eager = _parses(model)

    assert eager == rasas_own
    # The comparison is worth something: the model does tell these texts apart.
    assert len({p["intent"]["name"] for p in rasas_own}) >= 2
    assert all(p["faq"] for p in rasas_own)
