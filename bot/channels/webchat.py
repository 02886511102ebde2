"""Web chat: the accessible page at ``/`` and its JSON endpoint ``POST /webchat/messages``.

The browser keeps a random session id (sessionStorage), which is the sender id; replies come back
in the HTTP answer, so there is no reply window and nothing is ever pushed to the person. An
operator's replies wait until the open page fetches them (``POST /webchat/replies``); the same
poll tells, once, that the conversation was erased from the console (intake_store/privacy.py).
"""

from __future__ import annotations

import logging
from importlib import resources

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from bot.flood import ADDRESS_CHANNEL
from bot.messages import BotReply, InboundMessage
from bot.pipeline import Gateway
from bot.safety_text import RATE_LIMITED_REPLY
from chungtay.http_guard import client_address

log = logging.getLogger(__name__)


class WebchatMessage(BaseModel):
    session: str = Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")
    message_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    text: str = Field(min_length=1, max_length=2000)


class WebchatSession(BaseModel):
    session: str = Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")


class WebchatButton(BaseModel):
    title: str
    payload: str


class WebchatReply(BaseModel):
    text: str
    buttons: list[WebchatButton] = []
    # Who wrote it when a person did ("Cán bộ"); the page shows it on a bubble of its own.
    staff: str | None = None


class WebchatAnswer(BaseModel):
    replies: list[WebchatReply]
    duplicate: bool = False
    # True: the conversation was erased; the page clears the screen and starts a new session.
    erased: bool | None = None


def _static(name: str) -> str:
    return resources.files("bot").joinpath(f"static/{name}").read_text(encoding="utf-8")


def _reply(reply: BotReply) -> WebchatReply:
    return WebchatReply(
        text=reply.text,
        buttons=[WebchatButton(title=b.title, payload=b.payload) for b in reply.buttons],
        staff=reply.staff_label,
    )


def router(gateway: Gateway, *, trusted_proxies: str = "") -> APIRouter:
    """``trusted_proxies``: whose X-Forwarded-For names the client (CHUNGTAY_TRUSTED_PROXIES)."""
    api = APIRouter()
    page = _static("webchat.html")
    assets = {name: _static(name) for name in ("webchat.js", "webchat.css")}

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        # Its headers (a CSP without inline code, no framing, no-store) come from SecurityHeaders.
        return HTMLResponse(page)

    @api.get("/static/webchat.js", include_in_schema=False)
    async def script() -> Response:
        return Response(assets["webchat.js"], media_type="text/javascript; charset=utf-8")

    @api.get("/static/webchat.css", include_in_schema=False)
    async def style() -> Response:
        return Response(assets["webchat.css"], media_type="text/css; charset=utf-8")

    @api.post("/webchat/messages", response_model=WebchatAnswer, response_model_exclude_none=True)
    async def post_message(request: Request, body: WebchatMessage) -> WebchatAnswer | JSONResponse:
        text = body.text.strip()
        if not text:
            raise HTTPException(status_code=422, detail="empty message")
        # The session id is the browser's to choose; the address is not (bot/flood.py).
        address = client_address(request, trusted_proxies)
        receipt = await gateway.receive(
            InboundMessage(
                channel="webchat",
                sender_id=body.session,
                external_id=f"{body.session}:{body.message_id}",
                text=text,
                source=gateway.store.hasher.hash(channel=ADDRESS_CHANNEL, sender_id=address),
            )
        )
        outcome = receipt.outcome
        assert outcome is not None  # without ``deliver`` the gateway answers the turn here
        if outcome.rate_limited:
            # Refused and not stored; danger words still get 113/111 (bot/inbound.py).
            replies = [r.text for r in outcome.replies] or [RATE_LIMITED_REPLY]
            return JSONResponse(
                status_code=429,
                content={"replies": [{"text": t, "buttons": []} for t in replies]},
            )
        return WebchatAnswer(
            duplicate=outcome.duplicate,
            erased=outcome.erased or None,
            replies=[_reply(r) for r in outcome.replies],
        )

    @api.post("/webchat/replies", response_model=WebchatAnswer, response_model_exclude_none=True)
    async def staff_replies(request: Request, body: WebchatSession) -> WebchatAnswer | Response:
        """What an operator wrote to this session: the open page asks every few seconds.

        POST, so the session id never appears in a URL or an access log. Limited per client
        address before the store is asked (bot/flood.py); a refusal says nothing more, and the
        page simply asks again later.
        """
        if gateway.flood is not None:
            address = client_address(request, trusted_proxies)
            source = gateway.store.hasher.hash(channel=ADDRESS_CHANNEL, sender_id=address)
            if not await gateway.flood.allow_poll(source):
                log.warning("flood limit: reply polls from address %s", source[:12])
                return Response(status_code=429)
        pickup = await gateway.pick_up_staff_replies(channel="webchat", sender_id=body.session)
        return WebchatAnswer(
            replies=[_reply(r) for r in pickup.replies], erased=pickup.erased or None
        )

    return api
