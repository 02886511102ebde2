"""Training with Rasa's training cache off, without the fingerprints that only fill it.

Rasa 3.6's ``TrainingHook`` fingerprints every graph node's inputs and output (the whole training
data with its features, message by message, through JSON and MD5) to store them in the training
cache, even when the cache is off (``RASA_MAX_CACHE_SIZE=0``) and throws them away. On our data
that was half of a training's minutes before DIET starts (a cProfile of 2026-12-07: 150 of
300 s). ``chungtay train`` turns the cache off unless ``RASA_MAX_CACHE_SIZE`` is set: a clean
clone (CI, a province's first ``make run``) has nothing to reuse, and a change to the data, the
only usual reason to train, invalidates every cached component anyway. Someone tuning one
component's settings can set ``RASA_MAX_CACHE_SIZE`` (in MiB) to keep the cache.
"""

from __future__ import annotations

import os
from typing import Any


def cache_off() -> bool:
    try:
        return float(os.environ.get("RASA_MAX_CACHE_SIZE", "1")) == 0.0
    except ValueError:
        return False  # Rasa itself refuses such a value


def install() -> None:
    """With the cache off, the training hook that fills it does nothing."""
    if not cache_off():
        return
    from rasa.engine.training.hooks import TrainingHook

    def on_before_node(self: TrainingHook, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {}

    def on_after_node(self: TrainingHook, *args: Any, **kwargs: Any) -> None:
        return None

    TrainingHook.on_before_node = on_before_node
    TrainingHook.on_after_node = on_after_node
