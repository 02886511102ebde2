"""Security headers on every answer of the gateway, JSON and errors included.

A person may read the web chat on a shared phone and be watched: nothing may be cached, sent as
a referrer, sniffed into another type or framed by another site. The web chat page has its own,
wider policy (its script and style files); every other answer may load nothing at all.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style: the page's code lives in /static/webchat.js and .css.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DEFAULT_POLICY = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"

_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # Nothing of a conversation may linger in a shared phone's cache or history.
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """Pure ASGI, so it also covers answers that never reach a route (404, 405, 413, 500)."""

    def __init__(self, app: ASGIApp, *, page_paths: frozenset[str] = frozenset({"/"})) -> None:
        self.app = app
        self.page_paths = page_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = PAGE_POLICY if scope["path"] in self.page_paths else DEFAULT_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _COMMON.items():
                    headers[name] = value
                headers["Content-Security-Policy"] = policy
            await send(message)

        await self.app(scope, receive, with_headers)
