"""The NLU training examples per intent, as written in nlu/data (for tests that check the words
other parts of the system trust against what the data teaches)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

NLU_DATA = Path(__file__).parents[2] / "nlu" / "data"
# Generated from the knowledge base (faq) or Core only: not the examples written for intents.
NOT_WRITTEN_HERE = {"awareness.yml", "rules.yml"}
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def training_examples() -> dict[str, list[str]]:
    """The examples per intent, entity annotations reduced to their text."""
    examples: dict[str, list[str]] = {}
    for path in sorted(NLU_DATA.glob("*.yml")):
        if path.name in NOT_WRITTEN_HERE:
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in item:
                lines = item["examples"].splitlines()
                examples.setdefault(item["intent"], []).extend(
                    _ANNOTATION.sub(r"\1", line.strip()[2:]) for line in lines if line.strip()
                )
    return examples
