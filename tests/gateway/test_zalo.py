"""Zalo OA v3: signed webhook events, sending with token refresh, splitting, reply window."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from bot.app import create_app
from bot.channels.zalo import ZaloClient
from bot.channels.zalo_tokens import ZaloAuthError, ZaloTokens, ZaloTokenStore
from chungtay.settings import Settings
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, rows, running

APP_ID = "360846524940903967"
OA_SECRET = "oa-secret-key-from-the-oa-settings"
USER = "2512523625412515"


def event(name: str, msg_id: str = "96d3cdf3af1504609", **message: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "app_id": APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": name,
        "timestamp": str(int(time.time() * 1000)),  # signed; must be inside the replay window
        "sender": {"id": USER},
        "recipient": {"id": "579745863508352884"},
    }
    if name.startswith("user_send") or name.startswith("oa_send"):
        body["message"] = {"msg_id": msg_id, **message}
    return body


def signed(body: dict[str, Any], secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    mac = hashlib.sha256(APP_ID.encode() + raw + body["timestamp"].encode() + secret.encode())
    return raw, {"X-ZEvent-Signature": f"mac={mac.hexdigest()}", "content-type": "application/json"}


@dataclass
class FakeZalo:
    """openapi.zalo.me message/cs and oauth.zaloapp.com token refresh."""

    valid_tokens: set[str] = field(default_factory=lambda: {"tok-1"})
    send_error: int = 0
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refreshes: list[dict[str, str]] = field(default_factory=list)
    refuse: bool = False  # refresh answers an error

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "oauth.zaloapp.com":
            form = dict(httpx.QueryParams(request.content.decode()))
            self.refreshes.append({**form, "secret_key": request.headers["secret_key"]})
            n = len(self.refreshes) + 1
            if self.refuse or form["refresh_token"] != f"r-{n - 1}":
                return httpx.Response(200, json={"error": -14014, "error_name": "Invalid"})
            self.valid_tokens = {f"tok-{n}"}
            return httpx.Response(
                200,
                json={"access_token": f"tok-{n}", "refresh_token": f"r-{n}", "expires_in": "90000"},
            )
        assert request.url == "https://openapi.zalo.me/v3.0/oa/message/cs"
        token = request.headers["access_token"]
        self.sent.append((token, json.loads(request.content)))
        if token not in self.valid_tokens:
            return httpx.Response(200, json={"error": -216, "message": "Access token is invalid"})
        if self.send_error:
            return httpx.Response(200, json={"error": self.send_error, "message": "refused"})
        return httpx.Response(200, json={"error": 0, "message": "Success", "data": {}})

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


@pytest.fixture
def zalo() -> FakeZalo:
    return FakeZalo()


def make_app(settings: Settings, store: Store, rasa: FakeRasa, zalo: FakeZalo) -> FastAPI:
    return create_app(
        settings,
        store=store,
        rasa_transport=rasa.transport,
        http_transport=zalo.transport,
        retry_loop=False,
    )


def zalo_settings(build: Callable[..., Settings]) -> Settings:
    return build(
        zalo_app_id=APP_ID,
        zalo_oa_secret_key=OA_SECRET,
        zalo_app_secret="app-secret",
        zalo_access_token="tok-1",
        zalo_refresh_token="r-1",
    )


async def test_signed_events_are_stored_once_answered_and_others_ignored(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa, zalo: FakeZalo
) -> None:
    app = make_app(zalo_settings(gateway_settings), store, rasa, zalo)
    text = event("user_send_text", text="Tôi cần hỗ trợ")
    async with running(app) as client:
        raw, headers = signed(text)
        forged_raw, forged_headers = signed(text, secret="not-the-oa-secret")
        assert (
            await client.post("/webhooks/zalo", content=forged_raw, headers=forged_headers)
        ).status_code == 401
        tampered = raw.replace("hỗ trợ".encode(), b"xyz")
        assert (
            await client.post("/webhooks/zalo", content=tampered, headers=headers)
        ).status_code == 401
        # Not signed for these bytes: refused before anything parses them.
        assert (
            await client.post("/webhooks/zalo", content=b"{", headers=headers)
        ).status_code == 401
        assert rows(store)["inbound"] == []

        for body in (text, text):  # Zalo retries a webhook it thinks was slow
            raw, headers = signed(body)
            assert (
                await client.post("/webhooks/zalo", content=raw, headers=headers)
            ).status_code == 200
        for body in (
            event("follow"),
            event("oa_send_text", msg_id="echo-1", text="Chúng tôi đã nhận"),
            event(
                "user_send_location",
                msg_id="loc-1",
                attachments=[
                    {
                        "type": "location",
                        "payload": {"coordinates": {"latitude": "10.7", "longitude": "106.6"}},
                    }
                ],
            ),
        ):
            raw, headers = signed(body)
            assert (
                await client.post("/webhooks/zalo", content=raw, headers=headers)
            ).status_code == 200
        await app.state.gateway.drain()

    assert [c["message"] for c in rasa.calls] == [
        "Tôi cần hỗ trợ"
    ]  # the location is not classified
    assert USER not in rasa.calls[0]["sender"]
    stored = rows(store)
    key = store.hasher.message_key  # message ids are stored only as keyed hashes
    assert [(ch, ext, st) for _, ch, st, ext in stored["inbound"]] == [
        ("zalo", key(channel="zalo", external_id="96d3cdf3af1504609"), "processed"),
        ("zalo", key(channel="zalo", external_id="loc-1"), "processed"),
    ]
    bodies = [body for _, body in zalo.sent]
    assert all(b["recipient"] == {"user_id": USER} for b in bodies)
    texts = [b["message"]["text"] for b in bodies]  # two background tasks: order may interleave
    assert len(texts) == 4
    assert sum('"xóa"' in t for t in texts) == 1  # offered once, to the new conversation
    assert any(t.startswith("Chúng tôi đã nhận") for t in texts)
    assert any(t.endswith("Bạn có thể trả lời: Có · Không") for t in texts)
    assert any(t.startswith("Chúng tôi đã nhận được tệp") for t in texts)  # location acknowledged
    assert {token for token, _ in zalo.sent} == {"tok-1"}


async def test_expired_token_is_refreshed_once_rotated_and_stored(
    tmp_path: Path, store: Store, zalo: FakeZalo
) -> None:
    """The pair lives in the store, encrypted, shared by two gateways that each honour the
    refresh lease: the single-use refresh token is spent once however many find it expired."""
    legacy = tmp_path / "zalo-tokens.json"  # where earlier versions kept the pair, in plain text
    legacy.write_text(json.dumps({"access_token": "tok-1", "refresh_token": "r-1"}))

    async def slow_refresh(request: httpx.Request) -> httpx.Response:
        if request.url.host == "oauth.zaloapp.com":
            await asyncio.sleep(0.3)  # the other gateway comes while this refresh is out
        return zalo.handler(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(slow_refresh)) as http:

        def gateway_tokens(holder: str) -> ZaloTokenStore:
            return ZaloTokenStore(
                store=store,
                app_id=APP_ID,
                app_secret="app-secret",
                http=http,
                initial=ZaloTokens(access_token="tok-from-env", refresh_token="r-from-env"),
                legacy_file=legacy,
                holder=holder,
            )

        first, second = gateway_tokens("gateway-a"), gateway_tokens("gateway-b")
        zalo.valid_tokens = {"tok-expired"}  # tok-1 no longer works
        client = ZaloClient(http=http, tokens=first)
        assert await client.send_text(USER, "xin chào") == 0
        assert [t for t, _ in zalo.sent] == ["tok-1", "tok-2"]
        assert zalo.refreshes == [
            {
                "app_id": APP_ID,
                "grant_type": "refresh_token",
                "refresh_token": "r-1",
                "secret_key": "app-secret",
            }
        ]
        assert not legacy.exists()  # moved into the store: no plain copy left on the disk
        assert second.load().access_token == "tok-2"  # the other gateway reads the new pair
        with store.begin() as session:
            stored = session.execute(
                text("SELECT access_enc, refresh_enc FROM service_tokens")
            ).one()
        assert "tok-2" not in stored.access_enc and "r-2" not in stored.refresh_enc

        # Both gateways (and two senders in one) find tok-2 expired at once: one refresh.
        fresh = await asyncio.gather(
            first.refresh(stale="tok-2"),
            first.refresh(stale="tok-2"),
            second.refresh(stale="tok-2"),
        )
        assert fresh == ["tok-3", "tok-3", "tok-3"] and len(zalo.refreshes) == 2

        # A refused refresh keeps the stored pair instead of losing it.
        zalo.refuse = True
        with pytest.raises(ZaloAuthError):
            await second.refresh(stale="tok-3")
        assert first.load() == ZaloTokens("tok-3", "r-3", first.load().expires_at)


async def test_long_reply_is_split_and_outside_window_reply_is_held(
    gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa, zalo: FakeZalo
) -> None:
    sentence = "Đây là thông tin về quyền được hỗ trợ của nạn nhân, hãy đọc kỹ. "
    rasa.replies = [{"text": sentence * 70}]  # ~4,500 characters
    app = make_app(zalo_settings(gateway_settings), store, rasa, zalo)
    async with running(app) as client:
        raw, headers = signed(event("user_send_text", text="quyền lợi của nạn nhân"))
        assert (
            await client.post("/webhooks/zalo", content=raw, headers=headers)
        ).status_code == 200
        await app.state.gateway.drain()
        pieces = [body["message"]["text"] for _, body in zalo.sent]
        assert len(pieces) == 4 and all(len(p) <= 2000 for p in pieces)
        assert " ".join(pieces[:3]) == (sentence * 70).strip()

        zalo.send_error = -230  # the person has not interacted with the OA recently
        raw, headers = signed(event("user_send_text", msg_id="second-1", text="còn gì nữa"))
        assert (
            await client.post("/webhooks/zalo", content=raw, headers=headers)
        ).status_code == 200
        await app.state.gateway.drain()
    assert [status for status, _ in rows(store)["outbound"]] == ["sent", "sent", "held"]
