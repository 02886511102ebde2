"""SMS: Twilio signed webhooks (also behind a proxy) answered in TwiML, the eSMS-style gateway,
segment splitting and GSM-7 folding."""

from __future__ import annotations

import asyncio
import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import httpx
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator

from bot.app import create_app
from bot.text import GSM7_SINGLE, UCS2_SINGLE, is_gsm7, sms_units, split_sms, split_text
from chungtay.settings import Settings
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, rows, running

ACCOUNT = "AC" + "0" * 32
TOKEN = "twilio-auth-token"
PHONE = "+84901234567"


class FakeTwilioApi(HttpClient):
    """Twilio's REST API for messages.create, without the network."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("twilio.http_client"), False)
        self.created: list[dict[str, object]] = []

    def request(self, method: str, uri: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        data = kwargs.get("data") or {}
        self.created.append(dict(data))
        body = {
            "sid": "SM" + "1" * 32,
            "status": "queued",
            "to": data.get("To"),
            "body": data.get("Body"),
        }
        return TwilioResponse(201, json.dumps(body))


def twilio_form(sid: str, body: str) -> dict[str, str]:
    return {
        "ToCountry": "VN",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": "+84280000000",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": PHONE,
        "ApiVersion": "2010-04-01",
    }


def signature(url: str, form: dict[str, str]) -> str:
    return RequestValidator(TOKEN).compute_signature(url, form)


async def test_twilio_signature_behind_proxy_twiml_reply_folded_and_segmented(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    settings = gateway_settings(
        twilio_account_sid=ACCOUNT,
        twilio_auth_token=TOKEN,
        twilio_from_number="+84280000000",
        public_base_url="https://chungtay.example.vn",
    )
    app = create_app(
        settings,
        store=store,
        rasa_transport=rasa.transport,
        twilio_http_client=FakeTwilioApi(),
        retry_loop=False,
    )
    form = twilio_form("SM" + "a" * 32, "Tôi cần giúp đỡ")
    public_url = "https://chungtay.example.vn/webhooks/twilio/sms"
    async with running(app) as client:
        forged = await client.post(
            "/webhooks/twilio/sms",
            data=form,
            headers={"X-Twilio-Signature": signature(public_url, {**form, "Body": "khác"})},
        )
        unsigned = await client.post("/webhooks/twilio/sms", data=form)
        assert (forged.status_code, unsigned.status_code) == (403, 403)
        assert rows(store)["inbound"] == []

        # The proxy terminates TLS: we see http://testserver, Twilio signed the public URL.
        signed_headers = {
            "X-Twilio-Signature": signature(public_url, form),
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "chungtay.example.vn",
        }
        answer = await client.post("/webhooks/twilio/sms", data=form, headers=signed_headers)
        retry = await client.post("/webhooks/twilio/sms", data=form, headers=signed_headers)

    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "application/xml"
    )
    bodies = [m.text or "" for m in ET.fromstring(answer.text).iter("Message")]
    assert bodies[0] == "Chung toi da nhan duoc tin cua ban. Goi 111 neu can."
    assert bodies[1] == "Ban co an toan khong? (Co / Khong)"
    assert (
        bodies[2] == 'Ban co the go "xoa" bat cu luc nao de xoa cuoc tro chuyen nay.'
    )  # first time
    assert all(is_gsm7(b) and sms_units(b) <= GSM7_SINGLE for b in bodies)
    assert ET.fromstring(retry.text).find("Message") is None  # duplicate: acknowledged only
    assert len(rasa.calls) == 1 and PHONE not in json.dumps(rasa.calls)
    assert [s for _, _, s, _ in rows(store)["inbound"]] == ["processed"]


async def test_esms_callback_token_and_send_api(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    sent: list[dict[str, Any]] = []

    def esms(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "rest.esms.vn"
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"CodeResult": "100", "SMSID": "x"})

    rasa.mode = "down"
    app = create_app(
        gateway_settings(
            sms_provider="esms",
            esms_api_key="api",
            esms_secret_key="secret",
            esms_brandname="CHUNGTAY",
            esms_callback_token="cb-token-123",
        ),
        store=store,
        rasa_transport=rasa.transport,
        http_transport=httpx.MockTransport(esms),
        retry_loop=False,
    )
    mo = {"Phone": "0901234567", "Content": "cứu tôi với, tôi đang bị nhốt", "SmsId": "mo-1"}
    async with running(app) as client:
        denied = await client.post("/webhooks/esms/sms?token=wrong", json=mo)
        assert denied.status_code == 403 and rows(store)["inbound"] == []
        ok = await client.post("/webhooks/esms/sms?token=cb-token-123", json=mo)
        assert ok.status_code == 200
        await app.state.gateway.drain()

    texts = [m["Content"] for m in sent]
    assert all(m["Phone"] == "0901234567" and m["IsUnicode"] == "0" for m in sent)
    assert all(is_gsm7(t) and len(t) <= GSM7_SINGLE for t in texts)
    joined = " ".join(texts)
    assert "113" in joined and "111" in joined and "xoa" in joined  # urgent fallback, folded
    assert rows(store)["intakes"][0][0] == "urgent"


def test_splitting_respects_limits_and_words() -> None:
    text = "Gọi 111 (miễn phí, 24/7). " * 30
    pieces = split_text(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces) == text.strip()  # nothing lost, cut only between sentences
    assert all(p.endswith(".") for p in pieces)

    unfolded = split_sms("Đường dây nóng 111 miễn phí. " * 10, fold=False)
    assert all(not is_gsm7(p) and sms_units(p) <= UCS2_SINGLE for p in unfolded)
    folded = split_sms("Đường dây nóng 111 miễn phí. " * 10, fold=True)
    assert folded[0].startswith("Duong day nong 111 mien phi.")
    assert len(folded) < len(unfolded)  # the point of folding: fewer, cheaper messages

    capped = split_sms("Một câu khá dài để thử giới hạn. " * 100, fold=True, max_segments=2)
    assert len(capped) == 2 and capped[-1].endswith("...")


async def test_slow_rasa_reply_misses_twiml_and_is_pushed_through_the_rest_api(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    async def slow_rasa(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.3)
        return rasa.handler(request)

    api = FakeTwilioApi()
    app = create_app(
        gateway_settings(
            twilio_account_sid=ACCOUNT,
            twilio_auth_token=TOKEN,
            twilio_from_number="+84280000000",
            public_base_url="http://testserver",
            sms_twiml_budget_seconds=0.05,
        ),
        store=store,
        rasa_transport=httpx.MockTransport(slow_rasa),
        twilio_http_client=api,
        retry_loop=False,
    )
    form = twilio_form("SM" + "b" * 32, "xin chào")
    headers = {"X-Twilio-Signature": signature("http://testserver/webhooks/twilio/sms", form)}
    async with running(app) as client:
        answer = await client.post("/webhooks/twilio/sms", data=form, headers=headers)
        assert ET.fromstring(answer.text).find("Message") is None
        await app.state.gateway.drain()
    assert [(m["To"], m["From"]) for m in api.created] == [(PHONE, "+84280000000")] * 3
    assert api.created[0]["Body"] == "Chung toi da nhan duoc tin cua ban. Goi 111 neu can."
    assert [s for s, _ in rows(store)["outbound"]] == ["sent", "sent", "sent"]
