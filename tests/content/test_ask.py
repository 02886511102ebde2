"""`chungtay ask`: one question through Rasa's /model/parse, answered as the action would."""

from __future__ import annotations

import json

import httpx
import pytest

from content.cli import ask_question
from content.knowledge import load_knowledge_base
from tests.content.parse_data import rasa_parse


def test_ask_prints_answer_entry_and_source() -> None:
    kb = load_knowledge_base()
    seen: list[dict] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        # Rasa's --auth-token: the HTTP API refuses a parse without it.
        assert request.url.params.get("token") == "rasa-token"
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
        auth_token="rasa-token",
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
        auth_token="rasa-token",
        kb=kb,
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=parse)),
    )
    assert (result.intent, result.triage, result.entry_id, result.text) == (
        "urgent_help",
        "urgent",
        None,
        "",
    )


# One question per topic added for issue 19, as a person would type it.
NEW_TOPICS = [
    ("abroad_help", "e dang o cam bi giu ho chieu, goi ai"),
    ("ransom_demands", "bọn nó đòi tiền chuộc em tôi bên Myanmar"),
    ("missing_child_online", "con gai 14 tuoi di theo nguoi quen tren fb chua ve"),
    ("lost_documents", "mất hộ chiếu bên nước ngoài thì về kiểu gì"),
    ("children_born_abroad", "con sinh ben trung quoc lam khai sinh o dau"),
    ("becoming_identified", "công an ko nhận trình báo của e"),
    ("trafficker_penalties", "ke buon nguoi bi phat the nao"),
    ("other_forms", "đàn ông có bị buôn bán không"),
    ("stigma_reintegration", "ve que ai cung noi ra noi vao"),
    ("foreigners_report", "I am a foreigner held in Vietnam"),
    ("anonymous_follow_up", "bao tin khong can noi ten duoc ko"),
    ("hotline_111_operator", "111 do ai quan ly"),
    ("working_abroad_legally", "đi visa du lịch rồi ở lại làm được ko"),
]


@pytest.mark.parametrize(("entry_id", "question"), NEW_TOPICS)
def test_ask_answers_each_new_topic(entry_id: str, question: str) -> None:
    kb = load_knowledge_base()
    language = "en" if question.startswith("I ") else "vi"

    def rasa(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["text"]
        return httpx.Response(
            200,
            json=rasa_parse(text, kb, [(entry_id, 0.9), ("hotline_111", 0.02)], language=language),
        )

    result = ask_question(
        question,
        rasa_url="http://rasa.test:5005",
        auth_token="rasa-token",
        kb=kb,
        transport=httpx.MockTransport(rasa),
    )
    entry = kb.entries[entry_id]
    assert result.entry_id == entry_id
    first = entry.text("summary", language) or entry.text("answer", language)
    assert result.text.startswith(first)
    assert entry.text("answer", language) in result.text
    assert result.source is not None and entry.sources[0].ref in result.source
    assert result.buttons[-1]["payload"] == f'/faq{{"sources": "{entry_id}"}}'
    label = "Source: " if language == "en" else "Nguồn: "
    assert f"{label}{entry.sources[0].ref}" in result.text
