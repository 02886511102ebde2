"""nlu/data/awareness.yml is generated from the knowledge base and must stay in sync with it."""

from __future__ import annotations

from pathlib import Path

import yaml

from content.build import AWARENESS_FILE, render_awareness_yaml, write_awareness_file
from content.knowledge import load_knowledge_base


def test_committed_file_is_in_sync() -> None:
    kb = load_knowledge_base()
    assert AWARENESS_FILE.read_text(encoding="utf-8") == render_awareness_yaml(kb), (
        "nlu/data/awareness.yml is stale: run `chungtay content build` and commit it"
    )


def test_generated_data_has_one_retrieval_intent_and_response_per_entry(tmp_path: Path) -> None:
    kb = load_knowledge_base()
    target = tmp_path / "awareness.yml"
    assert write_awareness_file(kb, target) is True
    assert write_awareness_file(kb, target) is False  # unchanged on the second run
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    intents = {block["intent"]: block["examples"] for block in data["nlu"]}
    assert set(intents) == {f"faq/{entry_id}" for entry_id in kb.entries}
    assert set(data["responses"]) == {f"utter_faq/{entry_id}" for entry_id in kb.entries}
    hotline = kb.entries["hotline_111"]
    examples = [line[2:] for line in intents["faq/hotline_111"].splitlines()]
    # Questions plus both titles: the titles are what suggestion buttons send back.
    assert set(hotline.questions) <= set(examples)
    assert hotline.title["vi"] in examples and hotline.title["en"] in examples
    assert data["responses"]["utter_faq/hotline_111"] == [{"text": hotline.answer["vi"]}]
