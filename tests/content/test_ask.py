"""`chungtay ask`: one question through Rasa's /model/parse, answered as the action would."""

from __future__ import annotations

import json

import httpx

from content.cli import ask_question
from content.knowledge import load_knowledge_base
from tests.content.parse_data import rasa_parse


def test_ask_prints_answer_entry_and_source() -> None:
    kb = load_knowledge_base()
    seen: list[dict] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        body = json.loads(request.content)
        seen.append(body)
        return httpx.Response(
            200, json=rasa_parse(body["text"], kb, [("day_30_july", 0.91), ("hotline_111", 0.03)])
        )

    # NFD input (some phone keyboards) reaches Rasa as NFC.
    question = "ngày 30/7 là ngày gì"
    result = ask_question(
        "ngày 30/7 là ngày gì".replace("à", "a\u0300"),
        rasa_url="http://rasa.test:5005",
        kb=kb,
        transport=httpx.MockTransport(rasa),
    )
    assert seen == [{"text": question}]
    assert result.entry_id == "day_30_july"
    assert result.source is not None and "793/QĐ-TTg" in result.source
    assert result.text.startswith(kb.entries["day_30_july"].answer["vi"])
    assert result.confidence == 0.91


def test_ask_reports_non_question_intents() -> None:
    kb = load_knowledge_base()
    parse = rasa_parse("cuu em voi", kb, [("hotline_111", 0.2)], intent="urgent_help")
    parse["chungtay"]["triage"] = "urgent"
    result = ask_question(
        "cuu em voi",
        rasa_url="http://rasa.test:5005",
        kb=kb,
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=parse)),
    )
    assert (result.intent, result.triage, result.entry_id, result.text) == (
        "urgent_help",
        "urgent",
        None,
        "",
    )
