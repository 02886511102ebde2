"""Parse results in the shape Rasa 3.6 returns from /model/parse (captured from a trained model)."""

from __future__ import annotations

from typing import Any

from content.knowledge import KnowledgeBase


def rasa_parse(
    text: str,
    kb: KnowledgeBase,
    ranking: list[tuple[str, float]],
    *,
    intent: str = "faq",
    language: str = "vi",
    triage: str = "question",
) -> dict[str, Any]:
    """A /model/parse result whose faq selector ranked ``ranking`` (entry id, confidence)."""
    best_id, best_confidence = ranking[0]
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.97},
        "entities": [],
        "intent_ranking": [{"name": intent, "confidence": 0.97}],
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "responses": [{"text": kb.entries[best_id].answer["vi"]}],
                    "confidence": best_confidence,
                    "intent_response_key": f"faq/{best_id}",
                    "utter_action": f"utter_faq/{best_id}",
                },
                "ranking": [
                    {"confidence": confidence, "intent_response_key": f"faq/{entry_id}"}
                    for entry_id, confidence in ranking
                ],
            },
        },
        "chungtay": {
            "triage": triage,
            "urgent_reasons": [],
            "language": language,
            "original_intent": intent,
            "normalized_text": text.lower(),
        },
    }
