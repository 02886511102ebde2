"""The answer to an awareness question, from one parse result and the knowledge base.

Shared by ``action_answer_question`` (actions/awareness.py) and ``chungtay content ask``: the
ResponseSelector picks the topic; the answer text, its source and the next step come from
``content/kb``, in the person's language. When the selector is unsure the person gets the closest
topics as buttons instead of a possibly wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from content.knowledge import LOW_CONFIDENCE_THRESHOLD, SUGGESTION_COUNT, Entry, KnowledgeBase

RETRIEVAL_INTENT = "faq"
# Topics offered when nothing usable came out of the selector.
DEFAULT_TOPICS = ("how_to_report", "support_regimes_overview", "hotline_111")
MAX_RELATED_BUTTONS = 2
# The full source list sits behind a button: the answer shows one compact source line. The payload
# is the retrieval intent itself (so the existing faq rules run this action); Rasa drops the unknown
# "sources" entity but keeps the text, which names the topic.
SOURCES_PAYLOAD = '/faq{{"sources": "{entry_id}"}}'
_SOURCES_RE = re.compile(r'^/faq\{\s*"sources"\s*:\s*"([a-z0-9_]+)"\s*\}$')

TEXTS: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "more": "Bạn muốn tìm hiểu thêm?",
        "offer_support": "Bạn có cần hỗ trợ không?",
        "yes_support": "Có, tôi cần hỗ trợ",
        "hotline": "Nếu bạn hoặc ai đó đang gặp nguy hiểm: gọi 111 (miễn phí, 24/7) hoặc 113.",
        "choose": "Mình chưa chắc bạn hỏi về điều nào. Bạn chọn một chủ đề nhé:",
        "unknown": "Xin lỗi, mình chưa có câu trả lời cho câu này. Bạn có thể chọn một chủ đề:",
        "sources": "Xem nguồn",
    },
    "en": {
        "more": "Would you like to know more?",
        "offer_support": "Do you need support?",
        "yes_support": "Yes, I need support",
        "hotline": "If you or someone else is in danger: call 111 (free, 24/7) or 113.",
        "choose": "I'm not sure which topic you mean. Please pick one:",
        "unknown": "Sorry, I don't have an answer for that yet. You can pick a topic:",
        "sources": "Sources",
    },
}


@dataclass(frozen=True)
class Selection:
    """What the ResponseSelector chose for the latest message."""

    entry_id: str | None
    confidence: float
    ranking: tuple[tuple[str, float], ...]  # (entry id, confidence), best first


def _entry_id(key: object) -> str | None:
    prefix, _, entry_id = str(key or "").partition("/")
    return entry_id if prefix == RETRIEVAL_INTENT and entry_id else None


def read_selection(parse_data: Mapping[str, Any]) -> Selection:
    """The ``faq`` selector output of one parse result (empty when there is none)."""
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    response = selector.get("response") or {}
    ranking = tuple(
        (entry_id, float(item.get("confidence") or 0.0))
        for item in selector.get("ranking") or ()
        if (entry_id := _entry_id(item.get("intent_response_key")))
    )
    return Selection(
        entry_id=_entry_id(response.get("intent_response_key")),
        confidence=float(response.get("confidence") or 0.0),
        ranking=ranking,
    )


def _topic_button(entry: Entry, language: str) -> dict[str, str]:
    # The payload is the title, which is a training example of its own topic (content/build.py).
    title = entry.text("title", language)
    return {"title": title, "payload": title}


def compose_answer(
    entry: Entry, kb: KnowledgeBase, language: str, question: str = ""
) -> tuple[str, list[dict]]:
    """The answer to ``question``, its source line and the next step, with the buttons that go
    with it."""
    texts = TEXTS[language]
    related = [kb.entries[r] for r in entry.related if r in kb.entries][:MAX_RELATED_BUTTONS]
    buttons = [_topic_button(other, language) for other in related]
    if entry.next_step == "offer_support":
        next_step = texts["offer_support"]
        buttons.insert(0, {"title": texts["yes_support"], "payload": "/request_support"})
    elif entry.next_step == "hotline":
        next_step = texts["hotline"]
    else:
        next_step = texts["more"]
    buttons.append(
        {"title": texts["sources"], "payload": SOURCES_PAYLOAD.format(entry_id=entry.id)}
    )
    # Summary first: on a small phone the first screen must already say what to do.
    parts = (entry.text("summary", language), entry.answer_to(question, language))
    answer = "\n\n".join(part for part in parts if part)
    text = "\n\n".join((answer, entry.source_line(language), next_step))
    return text, buttons


def without_support_offer(
    text: str, buttons: Sequence[Mapping[str, Any]], language: str
) -> tuple[str, list[dict]]:
    """An answer without its closing "Do you need support?" and the button that goes with it: for
    someone whose request is already on file (actions/help_requests.py), who is offered the next
    step in its own words."""
    texts = TEXTS[language]
    offer = "\n\n" + texts["offer_support"]
    if text.endswith(offer):
        text = text[: -len(offer)]
    kept = [dict(b) for b in buttons if b.get("title") != texts["yes_support"]]
    return text, kept


def answered_entry(buttons: Sequence[Mapping[str, Any]], kb: KnowledgeBase) -> Entry | None:
    """The entry an answer's buttons belong to (its "Xem nguồn" button names it)."""
    for button in buttons:
        match = _SOURCES_RE.match(str(button.get("payload") or "").strip())
        if match:
            return kb.get(match.group(1))
    return None


def sources_request(text: str, kb: KnowledgeBase) -> Entry | None:
    """The entry whose full source list the person asked for with the "Xem nguồn" button."""
    match = _SOURCES_RE.match(text.strip())
    return kb.get(match.group(1)) if match else None


def compose_suggestions(
    kb: KnowledgeBase, entry_ids: Sequence[str], language: str, *, unknown: bool = False
) -> tuple[str, list[dict]]:
    """A short question with the closest topics as buttons."""
    entries = [kb.entries[e] for e in dict.fromkeys(entry_ids) if e in kb.entries]
    if not entries:
        entries, unknown = [kb.entries[e] for e in DEFAULT_TOPICS if e in kb.entries], True
    buttons = [_topic_button(entry, language) for entry in entries[:SUGGESTION_COUNT]]
    return TEXTS[language]["unknown" if unknown else "choose"], buttons


def reply_for(
    parse_data: Mapping[str, Any],
    language: str,
    kb: KnowledgeBase,
    *,
    threshold: float = LOW_CONFIDENCE_THRESHOLD,
) -> tuple[str, list[dict], Entry | None]:
    """The reply to one parsed question: (text, buttons, answered entry or None)."""
    selection = read_selection(parse_data)
    entry = kb.get(selection.entry_id) if selection.entry_id else None
    if entry is not None and selection.confidence >= threshold:
        text, buttons = compose_answer(entry, kb, language, str(parse_data.get("text") or ""))
        return text, buttons, entry
    closest = [entry_id for entry_id, _ in selection.ranking]
    if selection.entry_id:
        closest.insert(0, selection.entry_id)
    text, buttons = compose_suggestions(kb, closest, language, unknown=not closest)
    return text, buttons, None
