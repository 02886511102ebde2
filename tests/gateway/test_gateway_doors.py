"""The gateway's own doors: no schema endpoints, security headers on every answer, the web chat
page without inline code, Zalo's signature checked before parsing, Twilio's URL from settings."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

from twilio.request_validator import RequestValidator

from bot.app import create_app
from chungtay.settings import Settings
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, rows, running
from tests.gateway.test_sms import ACCOUNT, TOKEN, FakeTwilioApi, twilio_form
from tests.gateway.test_zalo import APP_ID, OA_SECRET, FakeZalo, event, make_app, zalo_settings

SESSION = "d" * 8 + "0123456789abcdef"


def _check_headers(headers: object, *, what: str) -> None:
    assert isinstance(headers, dict) or hasattr(headers, "get"), what
    get = headers.get
    assert get("x-content-type-options") == "nosniff", what
    assert get("x-frame-options") == "DENY", what
    assert get("referrer-policy") == "no-referrer", what
    assert get("cache-control") == "no-store", what
    policy = get("content-security-policy") or ""
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, what


async def test_no_schema_endpoints_and_headers_on_every_answer(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = create_app(gateway_settings(), store=store, rasa_transport=rasa.transport)
    async with running(app) as client:
        schema = [await client.get(p) for p in ("/openapi.json", "/docs", "/redoc")]
        page = await client.get("/")
        script = await client.get("/static/webchat.js")
        style = await client.get("/static/webchat.css")
        answer = await client.post(
            "/webchat/messages",
            json={"session": SESSION, "message_id": "m-00000001", "text": "xin chào"},
        )
        invalid = await client.post("/webchat/messages", json={"session": "x"})
        health = await client.get("/healthz")

    assert [r.status_code for r in schema] == [404, 404, 404]
    assert all("openapi" not in r.text for r in schema)
    for name, response in [
        ("page", page),
        ("json answer", answer),
        ("422", invalid),
        ("health", health),
        ("404", schema[0]),
        ("script", script),
    ]:
        _check_headers(response.headers, what=name)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"

    # The page's code comes from files of the app: no inline script or style to allow.
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    html = page.text
    # Relative, like the page's fetches: it also works under a proxy's path prefix.
    assert '<script src="static/webchat.js"></script>' in html
    assert '<link rel="stylesheet" href="static/webchat.css">' in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert "sessionStorage" in script.text and "webchat/messages" in script.text
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert "--accent" in style.text


async def test_zalo_signature_is_checked_on_raw_bytes_before_parsing(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa
) -> None:
    app = make_app(zalo_settings(gateway_settings), store, rasa, FakeZalo())
    timestamp = str(int(time.time() * 1000))

    def mac(raw: bytes, ts: str = timestamp, secret: str = OA_SECRET) -> dict[str, str]:
        digest = hashlib.sha256(APP_ID.encode() + raw + ts.encode() + secret.encode())
        return {"X-ZEvent-Signature": f"mac={digest.hexdigest()}"}

    broken = b'{"timestamp": "' + timestamp.encode() + b'", "event_name": '
    nested = (
        b'{"timestamp": "' + timestamp.encode() + b'", "x": ' + b"[" * 100_000 + b"]" * 100_000
    ) + b"}"
    body = event("user_send_text", text="xin chào")
    raw = json.dumps(body).encode()
    async with running(app) as client:
        # Not even JSON, and not signed by Zalo: refused as unsigned, not as malformed.
        unsigned_junk = await client.post(
            "/webhooks/zalo", content=broken, headers=mac(broken, secret="guess")
        )
        no_header = await client.post("/webhooks/zalo", content=b"{not json")
        # Signed, but nested deeper than a parser can go: a 400, not an uncaught error.
        deep = await client.post("/webhooks/zalo", content=nested, headers=mac(nested))
        signed_broken = await client.post("/webhooks/zalo", content=broken, headers=mac(broken))
        # A signature made for another timestamp than the body's.
        other_ts = await client.post(
            "/webhooks/zalo", content=raw, headers=mac(raw, ts=str(int(timestamp) - 1))
        )
        good = await client.post(
            "/webhooks/zalo", content=raw, headers=mac(raw, ts=body["timestamp"])
        )
        await app.state.gateway.drain()

    assert (unsigned_junk.status_code, no_header.status_code) == (401, 401)
    assert (deep.status_code, signed_broken.status_code) == (400, 400)
    assert other_ts.status_code == 401
    assert good.status_code == 200
    assert len(rows(store)["inbound"]) == 1
    for response in (unsigned_junk, deep, good):
        _check_headers(response.headers, what="zalo")


async def test_twilio_signature_for_a_forged_forwarded_host_is_refused(
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
    form = twilio_form("SM" + "b" * 32, "Tôi cần giúp đỡ")
    # A signature Twilio really made, for the attacker's own webhook on the same account
    # (or any URL whose signature leaked): replayed with X-Forwarded-Host naming that host.
    forged_url = "https://evil.example.com/webhooks/twilio/sms"
    validator = RequestValidator(TOKEN)
    async with running(app) as client:
        forged = await client.post(
            "/webhooks/twilio/sms",
            data=form,
            headers={
                "X-Twilio-Signature": validator.compute_signature(forged_url, form),
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "evil.example.com",
            },
        )
        seen = await client.post(
            "/webhooks/twilio/sms",
            data=form,
            headers={
                "X-Twilio-Signature": validator.compute_signature(
                    "http://testserver/webhooks/twilio/sms", form
                )
            },
        )
        public = await client.post(
            "/webhooks/twilio/sms",
            data=form,
            headers={
                "X-Twilio-Signature": validator.compute_signature(
                    "https://chungtay.example.vn/webhooks/twilio/sms", form
                )
            },
        )
    assert (forged.status_code, seen.status_code) == (403, 403)
    assert public.status_code == 200
    assert len(rows(store)["inbound"]) == 1
