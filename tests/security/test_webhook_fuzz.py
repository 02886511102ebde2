"""Every webhook under hostile input: forged, broken, huge, replayed, odd Unicode.

Rules checked on each example: never a 5xx; a refused request stores nothing; a signed message is
stored exactly once however often it is replayed, and is then processed without a crash.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.app import create_app
from intake_store.db import upgrade_database
from intake_store.models import Message
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.gateway.conftest import RASA_URL, FakeRasa
from tests.gateway.test_sms import FakeTwilioApi
from tests.gateway.test_telegram import FakeBotApi
from tests.gateway.test_zalo import FakeZalo
from tests.security.conftest import inbound_count
from tests.security.strategies import FUZZ, broken_bodies, dump, form_text, json_values, odd_text

TG_SECRET = "tg-webhook-secret-0123456789"
ZALO_APP = "360846524940903967"
ZALO_OA_SECRET = "oa-secret-key-from-the-oa-settings"
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "twilio-auth-token-fuzz"
ESMS_TOKEN = "esms-callback-token-fuzz"
BASE = "http://testserver"
REFUSED = {400, 401, 403, 413, 415, 422}
_ids = itertools.count(1)


def drain(client: TestClient) -> None:
    """Wait for the app's background work, on the app's own event loop."""
    assert client.portal is not None
    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    client.portal.call(gateway.drain, 30.0)


@dataclass
class Gateways:
    """Two gateway apps on one store: SMS is Twilio on the first and eSMS on the second."""

    main: TestClient
    esms: TestClient
    store: Store

    def settle(self) -> None:
        """Wait for background processing; every stored message must have been handled."""
        for client in (self.main, self.esms):
            drain(client)
        with self.store.begin() as session:
            stuck = session.scalars(
                select(Message.status).where(
                    Message.direction == "inbound", Message.status != "processed"
                )
            ).all()
        assert stuck == [], "stored messages were not processed"


@pytest.fixture(scope="module")
def gw(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateways]:
    tmp = tmp_path_factory.mktemp("gw")
    common: dict[str, Any] = {
        "database_url": module_database_url,
        "rasa_url": RASA_URL,
        "public_base_url": BASE,
        "gateway_rate_limit_per_minute": 1_000_000,
        # Every fuzzed web chat message comes from one test client address.
        "webchat_messages_per_address_per_minute": 1_000_000,
        "webchat_new_sessions_per_address_per_minute": 1_000_000,
        "webchat_new_sessions_per_minute": 1_000_000,
    }
    main_settings = make_test_settings(
        tmp,
        telegram_bot_token="123:ABC",
        telegram_webhook_secret=TG_SECRET,
        zalo_app_id=ZALO_APP,
        zalo_oa_secret_key=ZALO_OA_SECRET,
        zalo_app_secret="zalo-app-secret",
        zalo_access_token="tok-1",
        zalo_refresh_token="r-1",
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_from_number="+84280000000",
        **common,
    )
    # Same keys: both apps share one store.
    esms_settings = main_settings.model_copy(
        update={
            "telegram_bot_token": "",
            "zalo_app_id": "",
            "twilio_account_sid": "",
            "sms_provider": "esms",
            "esms_api_key": "api",
            "esms_secret_key": "secret",
            "esms_brandname": "CHUNGTAY",
            "esms_callback_token": ESMS_TOKEN,
        }
    )
    upgrade_database(module_database_url)
    store = Store.from_settings(main_settings)
    zalo = FakeZalo()

    def esms_api(request: Any) -> Any:
        import httpx

        return httpx.Response(200, json={"CodeResult": "100"})

    import httpx

    main_app = create_app(
        main_settings,
        store=store,
        rasa_transport=FakeRasa().transport,
        telegram_request=FakeBotApi(),
        http_transport=zalo.transport,
        twilio_http_client=FakeTwilioApi(),
        retry_loop=False,
    )
    esms_app = create_app(
        esms_settings,
        store=store,
        rasa_transport=FakeRasa().transport,
        http_transport=httpx.MockTransport(esms_api),
        retry_loop=False,
    )
    with TestClient(main_app) as main, TestClient(esms_app) as esms:
        yield Gateways(main=main, esms=esms, store=store)
    store.dispose()


# -- request builders ------------------------------------------------------------------------
def telegram_update(text: Any, *, update_id: int | None = None) -> dict[str, Any]:
    n = update_id or next(_ids)
    return {
        "update_id": n,
        "message": {
            "message_id": n,
            "from": {"id": 4242, "is_bot": False, "first_name": "Lan"},
            "chat": {"id": 4242, "type": "private", "first_name": "Lan"},
            "date": int(time.time()),
            "text": text,
        },
    }


def zalo_event(text: Any, *, timestamp_ms: int | None = None) -> dict[str, Any]:
    return {
        "app_id": ZALO_APP,
        "event_name": "user_send_text",
        "timestamp": str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)),
        "sender": {"id": "2512523625412515"},
        "recipient": {"id": "579745863508352884"},
        "message": {"msg_id": f"msg{next(_ids)}", "text": text},
    }


def zalo_headers(raw: bytes, timestamp: str, secret: str = ZALO_OA_SECRET) -> dict[str, str]:
    mac = hashlib.sha256(ZALO_APP.encode() + raw + timestamp.encode() + secret.encode())
    return {"X-ZEvent-Signature": f"mac={mac.hexdigest()}", "content-type": "application/json"}


def twilio_form(body: str, *, sid: str | None = None) -> dict[str, str]:
    sid = sid or f"SM{next(_ids):032d}"
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": TWILIO_SID,
        "From": "+84901234567",
        "To": "+84280000000",
        "Body": body,
        "NumMedia": "0",
    }


def twilio_headers(form: dict[str, str], token: str = TWILIO_TOKEN) -> dict[str, str]:
    url = f"{BASE}/webhooks/twilio/sms"
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}


def post_telegram(gw: Gateways, body: bytes, secret: str = TG_SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "content-type": "application/json"}
    return gw.main.post("/webhooks/telegram", content=body, headers=headers).status_code


def assert_refused_and_nothing_stored(gw: Gateways, before: int, status: int) -> None:
    assert status in REFUSED, status
    assert inbound_count(gw.store) == before


# -- forged or broken: refused, nothing stored -----------------------------------------------
@FUZZ
@given(body=broken_bodies, secret=st.text(max_size=40).filter(lambda s: s != TG_SECRET))
def test_forged_or_broken_requests_are_refused_on_every_webhook(
    gw: Gateways, body: bytes, secret: str
) -> None:
    before = inbound_count(gw.store)
    safe_secret = secret.encode("ascii", "ignore").decode()
    assert_refused_and_nothing_stored(gw, before, post_telegram(gw, body, safe_secret))
    signature = {"X-ZEvent-Signature": "mac=" + hashlib.sha256(body).hexdigest()}
    status = gw.main.post("/webhooks/zalo", content=body, headers=signature).status_code
    assert_refused_and_nothing_stored(gw, before, status)
    for headers in ({}, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}):
        status = gw.main.post(
            "/webhooks/twilio/sms",
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded", **headers},
        ).status_code
        assert_refused_and_nothing_stored(gw, before, status)
    for token in ("", "wrong", ESMS_TOKEN[:-1]):
        status = gw.esms.post(
            f"/webhooks/esms/sms?token={token}",
            content=body,
            headers={"content-type": "application/json"},
        ).status_code
        assert_refused_and_nothing_stored(gw, before, status)
    # Web chat has no signature: broken bodies are a validation error.
    status = gw.main.post(
        "/webchat/messages", content=body, headers={"content-type": "application/json"}
    ).status_code
    assert_refused_and_nothing_stored(gw, before, status)


@FUZZ
@given(text=odd_text)
def test_a_message_signed_with_the_wrong_key_is_refused(gw: Gateways, text: str) -> None:
    before = inbound_count(gw.store)
    event = zalo_event(text)
    raw = dump(event)
    forged = zalo_headers(raw, event["timestamp"], secret="not-the-oa-secret")
    status = gw.main.post("/webhooks/zalo", content=raw, headers=forged).status_code
    assert_refused_and_nothing_stored(gw, before, status)
    form = twilio_form(text.encode("utf-8", "replace").decode())
    status = gw.main.post(
        "/webhooks/twilio/sms", data=form, headers=twilio_headers(form, token="other-token")
    ).status_code
    assert_refused_and_nothing_stored(gw, before, status)
    # Signed for another account: still refused.
    other = {**form, "AccountSid": "AC" + "2" * 32}
    status = gw.main.post(
        "/webhooks/twilio/sms", data=other, headers=twilio_headers(other)
    ).status_code
    assert_refused_and_nothing_stored(gw, before, status)


# -- signed but malformed: 4xx or a harmless 200, never a crash ------------------------------
@FUZZ
@given(payload=json_values, update_id=st.integers(min_value=-(2**63), max_value=2**63))
def test_signed_garbage_never_crashes_a_webhook(gw: Gateways, payload: Any, update_id: int) -> None:
    before = inbound_count(gw.store)
    shaped = {"update_id": update_id, "message": payload} if isinstance(payload, dict) else payload
    for body in (dump(payload), dump(shaped)):
        status = post_telegram(gw, body)
        assert status < 500, status
        if status >= 400:
            assert inbound_count(gw.store) == before
    # Zalo: a correctly signed event with garbage inside.
    event = {
        **(payload if isinstance(payload, dict) else {"x": payload}),
        "timestamp": str(int(time.time() * 1000)),
    }
    raw = dump(event)
    status = gw.main.post(
        "/webhooks/zalo", content=raw, headers=zalo_headers(raw, event["timestamp"])
    ).status_code
    assert status < 500, status
    # eSMS: JSON of any shape with the right token.
    status = gw.esms.post(
        f"/webhooks/esms/sms?token={ESMS_TOKEN}",
        content=dump(payload),
        headers={"content-type": "application/json"},
    ).status_code
    assert status < 500, status
    gw.settle()


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["MessageSid", "From", "Body", "NumMedia", "MediaUrl0", "Zzz"]),
        form_text,
        max_size=6,
    )
)
def test_signed_twilio_forms_of_any_shape_never_crash(gw: Gateways, fields: dict[str, str]) -> None:
    before = inbound_count(gw.store)
    form = {"AccountSid": TWILIO_SID, **fields}
    response = gw.main.post("/webhooks/twilio/sms", data=form, headers=twilio_headers(form))
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400:
        assert inbound_count(gw.store) == before
    gw.settle()


# -- signed messages with odd text: stored once, replays idempotent --------------------------
def _stored_once_then_replayed(gw: Gateways, send: Any) -> None:
    before = inbound_count(gw.store)
    first = send()
    assert first in (200, *REFUSED), first
    after_first = inbound_count(gw.store)
    assert after_first == before + (1 if first == 200 else 0)
    replay = send()
    assert replay == first  # the documented idempotent answer for a replay
    assert inbound_count(gw.store) == after_first


@FUZZ
@given(text=odd_text)
def test_odd_text_on_every_channel_is_stored_once_and_replays_are_idempotent(
    gw: Gateways, text: str
) -> None:
    update = dump(telegram_update(text))
    _stored_once_then_replayed(gw, lambda: post_telegram(gw, update))

    event = zalo_event(text)
    raw = dump(event)
    headers = zalo_headers(raw, event["timestamp"])
    _stored_once_then_replayed(
        gw, lambda: gw.main.post("/webhooks/zalo", content=raw, headers=headers).status_code
    )

    form = twilio_form(text.encode("utf-8", "replace").decode())
    signed = twilio_headers(form)
    _stored_once_then_replayed(
        gw, lambda: gw.main.post("/webhooks/twilio/sms", data=form, headers=signed).status_code
    )

    mo = dump({"Phone": "0901234567", "Content": text, "SmsId": f"e{next(_ids)}"})
    _stored_once_then_replayed(
        gw,
        lambda: (
            gw.esms.post(
                f"/webhooks/esms/sms?token={ESMS_TOKEN}",
                content=mo,
                headers={"content-type": "application/json"},
            ).status_code
        ),
    )

    chat = dump(
        {"session": f"fuzz-session-{next(_ids):08d}", "message_id": "m-00000001", "text": text}
    )
    headers_json = {"content-type": "application/json"}
    _stored_once_then_replayed(
        gw,
        lambda: gw.main.post("/webchat/messages", content=chat, headers=headers_json).status_code,
    )
    gw.settle()


# -- Zalo's signed timestamp: outside the window is a replay ---------------------------------
@FUZZ
@given(minutes=st.one_of(st.floats(16, 60 * 24 * 400), st.floats(-60 * 24 * 400, -16)))
def test_a_zalo_event_outside_the_replay_window_is_refused(gw: Gateways, minutes: float) -> None:
    before = inbound_count(gw.store)
    event = zalo_event("cứu tôi", timestamp_ms=int((time.time() - minutes * 60) * 1000))
    raw = dump(event)
    status = gw.main.post(
        "/webhooks/zalo", content=raw, headers=zalo_headers(raw, event["timestamp"])
    ).status_code
    assert_refused_and_nothing_stored(gw, before, status)


# -- huge bodies ----------------------------------------------------------------------------
def test_huge_bodies_are_refused_before_they_are_read(gw: Gateways) -> None:
    before = inbound_count(gw.store)
    huge = "x" * (3 * 1024 * 1024)
    update = dump(telegram_update(huge))
    assert post_telegram(gw, update) == 413
    event = zalo_event(huge)
    raw = dump(event)
    status = gw.main.post(
        "/webhooks/zalo", content=raw, headers=zalo_headers(raw, event["timestamp"])
    ).status_code
    assert status == 413
    form = twilio_form(huge)
    status = gw.main.post(
        "/webhooks/twilio/sms", data=form, headers=twilio_headers(form)
    ).status_code
    assert status == 413
    status = gw.esms.post(
        f"/webhooks/esms/sms?token={ESMS_TOKEN}",
        content=dump({"Phone": "0901234567", "Content": huge, "SmsId": "huge"}),
        headers={"content-type": "application/json"},
    ).status_code
    assert status == 413
    chat = {"session": "fuzz-session-huge-0001", "message_id": "m-huge-01", "text": huge}
    assert gw.main.post("/webchat/messages", content=json.dumps(chat)).status_code == 413
    # Chunked upload without a Content-Length: counted while it streams in.
    chunks = iter([b'{"session": "fuzz-session-huge-0002", "text": "', b"x" * 1024 * 1024] * 3)
    status = gw.main.post(
        "/webchat/messages", content=chunks, headers={"content-type": "application/json"}
    ).status_code
    assert status == 413
    assert inbound_count(gw.store) == before
