"""The single map from an NLU intent to one of the five triage levels (see triage.md)."""

from __future__ import annotations

URGENT = "urgent"
REPORT = "report"
HELP = "help"
QUESTION = "question"
OTHER = "other"

LEVELS: tuple[str, ...] = (URGENT, REPORT, HELP, QUESTION, OTHER)

# Higher is more serious; a case's triage only ever moves up (the store compares with this).
RANK: dict[str, int] = {level: len(LEVELS) - 1 - i for i, level in enumerate(LEVELS)}

# Retrieval intents arrive as "faq" from the classifier and as "faq/<topic>" from the selector.
RETRIEVAL_INTENT = "faq"

_INTENT_LEVELS: dict[str, str] = {
    "urgent_help": URGENT,
    "report_tip": REPORT,
    "request_support": HELP,
    RETRIEVAL_INTENT: QUESTION,
}


def level_for_intent(intent: str) -> str:
    """Triage level of an intent; anything unknown (greet, nlu_fallback, ...) is ``other``."""
    base = intent.split("/", 1)[0]
    return _INTENT_LEVELS.get(base, OTHER)
