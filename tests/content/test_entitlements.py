"""The help path gives the regimes that fit the person's group, not the whole list."""

from __future__ import annotations

from content.entitlements import REGIMES, entitlements_text, regimes_for
from content.knowledge import load_knowledge_base


def test_every_regime_has_an_entry() -> None:
    kb = load_knowledge_base()
    assert len(REGIMES) == 10
    assert all(entry_id in kb.entries for entry_id in REGIMES.values())


def test_person_being_identified_abroad_gets_only_a_to_d() -> None:
    kb = load_knowledge_base()
    text = entitlements_text("being_identified_abroad", "vi", kb)
    assert regimes_for("being_identified_abroad") == ("a", "b", "c", "d")
    assert kb.entries["support_interpreter"].title["vi"] in text
    assert kb.entries["support_free_legal_aid"].title["vi"] not in text
    assert "Điều 37" in text


def test_child_gets_schooling_but_not_loans_in_english() -> None:
    kb = load_knowledge_base()
    text = entitlements_text("child", "en", kb)
    assert kb.entries["support_schooling"].title["en"] in text
    assert kb.entries["support_hardship_loans"].title["en"] not in text
    assert text.startswith("Children under 18")
