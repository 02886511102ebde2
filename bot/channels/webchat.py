"""Web chat: the accessible page at ``/`` and its JSON endpoint ``POST /webchat/messages``.

The browser keeps a random session id (sessionStorage), which is the sender id; replies come back
in the HTTP answer, so there is no reply window and nothing is ever pushed to the person. An
operator's replies wait until the open page fetches them (``POST /webchat/replies``).
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from bot.messages import InboundMessage
from bot.pipeline import Gateway
from bot.safety_text import RATE_LIMITED_REPLY


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


class WebchatAnswer(BaseModel):
    replies: list[WebchatReply]
    duplicate: bool = False


def _page() -> str:
    return resources.files("bot").joinpath("static/webchat.html").read_text(encoding="utf-8")


def router(gateway: Gateway) -> APIRouter:
    api = APIRouter()
    page = _page()

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(
            page,
            headers={
                # Nothing of this page may linger in a shared phone's cache or history.
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": (
                    "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                    "style-src 'unsafe-inline' 'self'; img-src 'self' data:; "
                    "frame-ancestors *"
                ),
            },
        )

    @api.post("/webchat/messages", response_model=WebchatAnswer)
    async def post_message(body: WebchatMessage) -> WebchatAnswer | JSONResponse:
        text = body.text.strip()
        if not text:
            raise HTTPException(status_code=422, detail="empty message")
        outcome = await gateway.handle(
            InboundMessage(
                channel="webchat",
                sender_id=body.session,
                external_id=f"{body.session}:{body.message_id}",
                text=text,
            )
        )
        if outcome.rate_limited:
            return JSONResponse(
                status_code=429,
                content={"replies": [{"text": RATE_LIMITED_REPLY, "buttons": []}]},
            )
        return WebchatAnswer(
            duplicate=outcome.duplicate,
            replies=[
                WebchatReply(
                    text=r.text,
                    buttons=[WebchatButton(title=b.title, payload=b.payload) for b in r.buttons],
                )
                for r in outcome.replies
            ],
        )

    @api.post("/webchat/replies", response_model=WebchatAnswer)
    async def staff_replies(body: WebchatSession) -> WebchatAnswer:
        """What an operator wrote to this session: the open page asks every few seconds.

        POST, so the session id never appears in a URL or an access log.
        """
        replies = await gateway.pick_up_staff_replies(channel="webchat", sender_id=body.session)
        return WebchatAnswer(replies=[WebchatReply(text=r.text) for r in replies])

    return api
