"""ASGI guards shared by the gateway and the console: a request body limit, 422s that never
echo the request back, and the real client address behind trusted proxies.

Webhook payloads and console forms are a few kilobytes; a body over the limit is answered 413
before the app sees it, whether the client sent a Content-Length or streamed it chunked. The
body is read into memory (it is small by definition) and replayed to the app.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyLimit:
    """``refuse_nul``: a NUL in the query string or form body is a 400 (PostgreSQL cannot store
    or even compare it; no console field has a use for it)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, refuse_nul: bool = False) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refuse_nul = refuse_nul

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.refuse_nul and _has_nul(scope["query_string"]):
            await _refuse(send, 400, b"NUL in request")
            return
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if self.refuse_nul and _has_nul(body):
            await _refuse(send, 400, b"NUL in request")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # a disconnect, if the app waits for one
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _has_nul(data: bytes) -> bool:
    return b"\x00" in data or b"%00" in data


async def _too_large(send: Send) -> None:
    await _refuse(send, 413, b"request body too large")


async def _refuse(send: Send, status: int, text: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": text})


def quiet_validation_errors(app: FastAPI) -> None:
    """422 with where and what was wrong, never the value: it may be personal data, or text
    (a lone surrogate) that cannot even be encoded in the answer."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        detail: list[dict[str, Any]] = [
            {
                "loc": [_printable(part) for part in item.get("loc", ())],
                "type": str(item.get("type")),
            }
            for item in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": detail})


def _printable(part: object) -> str:
    return str(part).encode("utf-8", "replace").decode("utf-8")[:80]


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def trusted_networks(setting: str) -> tuple[IPNetwork, ...]:
    """``CHUNGTAY_TRUSTED_PROXIES`` ("10.0.0.5, 10.1.0.0/16") as networks; a wrong entry is an
    error at start-up rather than a proxy silently not trusted (or everyone trusted)."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in setting.split(",")
        if part.strip()
    )


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: str, networks: Iterable[IPNetwork]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_address(request: Request, trusted_proxies: str) -> str:
    """The address that really sent the request.

    X-Forwarded-For is believed only as far as the chain of trusted proxies reaches: read from
    the right (each proxy appends the address it got the request from), the first hop that is
    not a trusted proxy is the client. Anyone can put anything at the left of that header, so a
    client connecting directly, or an entry that is not an address, ends the walk.
    """
    peer = request.client.host if request.client else "unknown"
    networks = trusted_networks(trusted_proxies)
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
    ]
    client = peer
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:
            break
        client = str(parsed)
        if not _trusted(client, networks):
            break
    return client
