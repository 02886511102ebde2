"""Web chat end to end through the real store: store first, Rasa contract, dedupe, Rasa down."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import create_app
from chungtay.settings import Settings
from intake_store import intakes
from intake_store.models import Intake
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, rows, running

SESSION = "s" * 8 + "0123456789abcdef"


def post(text: str, message_id: str = "m-00000001") -> dict[str, str]:
    return {"session": SESSION, "message_id": message_id, "text": text}


async def test_page_offers_quick_exit_deletion_and_hotline(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    async with running(app) as client:
        page = await client.get("/")
        script = await client.get("/static/webchat.js")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    html = page.text
    assert 'lang="vi"' in html
    assert "Thoát nhanh" in html
    assert "localStorage.clear()" in script.text and "location.replace" in script.text
    assert "“xóa”" in html
    assert 'href="tel:111"' in html and 'href="tel:113"' in html
    assert "18001567" not in html


async def test_message_is_stored_then_forwarded_with_pseudonym_and_replies_rendered(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    decomposed = unicodedata.normalize("NFD", "Tôi cần giúp đỡ")
    async with running(app) as client:
        answer = await client.post("/webchat/messages", json=post(decomposed))
        again = await client.post("/webchat/messages", json=post(decomposed))  # browser retry

    assert answer.status_code == 200
    body = answer.json()
    assert body["replies"][0]["text"].startswith("Chúng tôi đã nhận")
    assert body["replies"][1]["buttons"] == [
        {"title": "Có", "payload": "/affirm"},
        {"title": "Không", "payload": "/deny"},
    ]
    assert again.json() == {"replies": [], "duplicate": True}

    assert len(rasa.calls) == 1  # the retry was acknowledged, not processed twice
    call = rasa.calls[0]
    assert call["message"] == "Tôi cần giúp đỡ"  # NFC
    assert call["sender"].startswith("ct-") and SESSION not in call["sender"]
    stored = rows(store)
    [(message_id, channel, status, _)] = stored["inbound"]
    assert (channel, status) == ("webchat", "processed")
    assert call["metadata"]["channel"] == "webchat"
    assert call["metadata"]["message_id"] == message_id
    assert isinstance(call["metadata"]["conversation_id"], int)
    assert [text for _, text in stored["outbound"]] == [r["text"] for r in body["replies"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"session": SESSION, "text": "thiếu message_id"},
        {"session": "short", "message_id": "m-00000001", "text": "x"},
        {"session": SESSION, "message_id": "m-00000001", "text": ""},
        {"session": SESSION, "message_id": "m-00000001", "text": "x" * 2001},
        [1, 2, 3],
    ],
)
async def test_malformed_messages_get_4xx_and_store_nothing(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa, payload: object
) -> None:
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    async with running(app) as client:
        answer = await client.post("/webchat/messages", json=payload)
        broken = await client.post(
            "/webchat/messages", content=b"{not json", headers={"content-type": "application/json"}
        )
    assert answer.status_code == 422 and broken.status_code == 422
    assert rows(store)["inbound"] == [] and rasa.calls == []


@pytest.mark.parametrize("failure", ["down", "http500", "empty"])
async def test_rasa_down_urgent_message_is_kept_opens_urgent_intake_and_answers_111_113(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa, failure: str
) -> None:
    rasa.mode = failure
    app = create_app(
        gateway_settings(), store=store, rasa_transport=rasa.transport, retry_loop=False
    )
    async with running(app) as client:
        answer = await client.post(
            "/webchat/messages", json=post("cứu tôi với, tôi đang bị nhốt ở Campuchia")
        )
        calm = await client.post(
            "/webchat/messages", json=post("cho tôi hỏi về xuất khẩu lao động", "m-00000002")
        )

        [reply] = answer.json()["replies"]
        assert "113" in reply["text"] and "111" in reply["text"] and "xóa" in reply["text"]
        [calm_reply] = calm.json()["replies"]
        assert "111" in calm_reply["text"] and "113" not in calm_reply["text"]

        stored = rows(store)
        assert [status for _, _, status, _ in stored["inbound"]] == ["queued", "queued"]
        [(triage, _, reasons)] = stored["intakes"]  # only the urgent one
        assert triage == "urgent" and reasons
        with store.begin() as session:
            [reference] = session.scalars(select(Intake.reference_code)).all()
        assert reference in reply["text"]  # the person can quote their case
        assert stored["outbox"] == ["staff_alert"]

        # Rasa is back: the retry loop answers both; web chat cannot be pushed to -> held.
        rasa.mode = "ok"
        assert await app.state.retry.run_once() == 2
    stored = rows(store)
    assert [status for _, _, status, _ in stored["inbound"]] == ["processed", "processed"]
    assert [status for status, _ in stored["outbound"]][-4:] == ["held"] * 4
    assert len(stored["intakes"]) == 1  # the retry did not open a second case


async def test_urgent_alert_is_queued_before_rasa_answers_and_the_assistant_adds_to_it(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    """The staff alert does not wait for the NLU; the assistant's filing joins the same case."""
    seen_by_rasa: list[dict[str, list[Any]]] = []

    def action_server(body: dict[str, object]) -> None:
        stored = rows(store)
        seen_by_rasa.append({"intakes": stored["intakes"], "outbox": stored["outbox"]})
        metadata = body["metadata"]
        assert isinstance(metadata, dict)
        with store.begin() as session:  # what ActionOpenIntake does for this message
            intakes.open_intake(
                session,
                cipher=store.cipher,
                conversation_id=metadata["conversation_id"],
                triage="urgent",
                urgent_reasons=["confinement", "cry_for_help"],
                source_message_id=metadata["message_id"],
                language="en",
                details={"destination_country": "Campuchia"},
            )

    rasa.on_message = action_server
    app = create_app(
        gateway_settings(), store=store, rasa_transport=rasa.transport, retry_loop=False
    )
    async with running(app) as client:
        answer = await client.post(
            "/webchat/messages", json=post("help me, they locked me in a room in Cambodia")
        )
    assert answer.status_code == 200 and rasa.calls
    # When Rasa got the message, the case and its alert were already in the store.
    [(triage, _, reasons)] = seen_by_rasa[0]["intakes"]
    assert triage == "urgent" and reasons
    assert seen_by_rasa[0]["outbox"] == ["staff_alert"]
    with store.begin() as session:
        [intake] = session.scalars(select(Intake)).all()
        assert intake.language == "en" and intake.destination_country == "Campuchia"
        assert "cry_for_help" in intake.urgent_reasons and set(reasons) <= set(
            intake.urgent_reasons
        )
    # One case, one alert; the alert still waits, so it will carry the details: no extra notice.
    assert rows(store)["outbox"] == ["staff_alert"]
    assert [status for _, _, status, _ in rows(store)["inbound"]] == ["processed"]


async def test_per_sender_rate_limit(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = create_app(
        gateway_settings(gateway_rate_limit_per_minute=3),
        store=store,
        rasa_transport=rasa.transport,
    )
    async with running(app) as client:
        codes = [
            (await client.post("/webchat/messages", json=post("xin chào", f"m-0000000{i}")))
            for i in range(5)
        ]
    assert [c.status_code for c in codes] == [200, 200, 200, 429, 429]
    assert "111" in codes[-1].json()["replies"][0]["text"]
    assert len(rows(store)["inbound"]) == 3
