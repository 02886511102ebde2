"""What actions read from a Rasa tracker: the triage result and the stored message behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

from actions import messages
from nlu.triage_levels import level_for_intent


@dataclass(frozen=True)
class TurnInfo:
    """The latest user turn as the NLU and the gateway described it."""

    triage: str
    intent: str
    language: str
    urgent_reasons: list[str] = field(default_factory=list)
    message_id: int | None = None
    conversation_id: int | None = None
    channel: str | None = None
    entities: dict[str, str] = field(default_factory=dict)


def previous_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The assistant's events between the latest user message and the one before, newest first
    (what it did and said just before this message)."""
    turn: list[dict[str, Any]] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user:
            turn.append(event)
    return turn


def previous_user_event(tracker: Tracker) -> dict[str, Any] | None:
    """The person's message before the latest one (the user event), if any."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    return users[-2] if len(users) >= 2 else None


def latest_user_metadata(tracker: Tracker) -> dict[str, Any]:
    """The gateway's metadata of the latest user message (Rasa keeps it on the event only)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            return metadata if isinstance(metadata, dict) else {}
    return {}


def turn_info(tracker: Tracker) -> TurnInfo:
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name") or ""
    ours = message.get("chungtay") or {}
    metadata = latest_user_metadata(tracker)
    entities: dict[str, str] = {}
    for entity in message.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name and value is not None and name not in entities:
            entities[name] = str(value)
    return TurnInfo(
        triage=ours.get("triage") or level_for_intent(intent),
        intent=intent,
        language=ours.get("language") or "vi",
        urgent_reasons=list(ours.get("urgent_reasons") or []),
        message_id=_as_int(metadata.get("message_id")),
        conversation_id=_as_int(metadata.get("conversation_id")),
        channel=metadata.get("channel"),
        entities=entities,
    )


def _as_int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def slot_language(language: str) -> str:
    """The `language` slot's value: vi, en, or other.

    Chinese, Thai, Khmer, Lao and Burmese get a line in their own script, then English (more of
    them read it than Vietnamese): the rest of the conversation, the forms included, is English.
    """
    if language in messages.OTHER_SCRIPTS:
        return "en"
    return language if language in {"vi", "en"} else "other"


# A whole sentence in Vietnamese ("toi o Poipet, bi giu trong cong ty lua dao") from someone the
# assistant was writing to in English, after a first line in another script or in English: they
# read Vietnamese, and the conversation goes on in it. Shorter answers ("ok", "3", "Hai Phong")
# say too little about a language.
SWITCH_TO_VIETNAMESE_MIN_WORDS = 5


def conversation_language(tracker: Tracker) -> str:
    """English when the person writes English (or a script of ``messages.OTHER_SCRIPTS``), else
    Vietnamese.

    Short form answers ("3", "ok") say little about a language, so the language of the turn that
    started the flow (the ``language`` slot) wins; the turn's own language only when it is unset,
    or when an English conversation gets a whole sentence in Vietnamese.
    """
    language = tracker.get_slot("language")
    message = tracker.latest_message or {}
    turn = (message.get("chungtay") or {}).get("language")
    if language == "en" and turn == "vi" and writes_at_length(message):
        return "vi"
    if language not in ("vi", "en"):
        language = turn
    return "en" if language == "en" or language in messages.OTHER_SCRIPTS else "vi"


def writes_at_length(message: dict[str, Any]) -> bool:
    text = str(message.get("text") or "")
    return not text.startswith("/") and len(text.split()) >= SWITCH_TO_VIETNAMESE_MIN_WORDS
