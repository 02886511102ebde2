"""The held-out awareness test set is big enough, mostly informal, and truly held out."""

from __future__ import annotations

from pathlib import Path

import yaml

from content.knowledge import is_unaccented, load_knowledge_base, normalize_question

TESTSET = Path(__file__).resolve().parents[1] / "nlu" / "awareness_testset.yml"


def test_testset_is_held_out_and_covers_every_entry() -> None:
    kb = load_knowledge_base()
    entries = yaml.safe_load(TESTSET.read_text(encoding="utf-8"))["entries"]
    questions = [q for qs in entries.values() for q in qs]
    assert len(questions) >= 150
    assert sum(is_unaccented(q) for q in questions) >= 0.4 * len(questions)
    assert set(entries) == set(kb.entries)
    training = {
        normalize_question(text)
        for entry in kb.entries.values()
        for text in (*entry.questions, *entry.title.values())
    }
    leaked = [q for q in questions if normalize_question(q) in training]
    assert leaked == []
