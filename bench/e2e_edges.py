"""The real gateway and routing worker, with their outgoing calls sent to a local fake API.

    python -m bench.e2e_edges gateway|worker --fake-api http://127.0.0.1:PORT

``make bench-e2e`` starts these instead of ``chungtay gateway`` / ``chungtay worker``: the same
``create_app`` / ``worker_from_settings`` with the same settings, but every HTTPS call to
api.telegram.org, openapi.zalo.me or api.twilio.com goes to ``http://127.0.0.1:PORT/h/<host>/...``
through the clients' own hooks (a PTB request, an httpx transport, a Twilio HttpClient). So the
benchmark never reaches the internet, and the fake sees every reply and staff alert as it is sent.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram.request import HTTPXRequest
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse


def redirect(url: str, fake_api: str) -> str:
    """https://api.telegram.org/bot1:x/sendMessage -> {fake_api}/h/api.telegram.org/bot1:x/..."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{fake_api.rstrip('/')}/h/{parts.hostname}{parts.path}{query}"


class FakeApiRequest(HTTPXRequest):
    """python-telegram-bot's own HTTPX request, pointed at the fake Bot API."""

    def __init__(self, fake_api: str) -> None:
        super().__init__(connection_pool_size=64)
        self.fake_api = fake_api

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return await super().do_request(redirect(url, self.fake_api), *args, **kwargs)


class FakeApiTransport(httpx.AsyncBaseTransport):
    """Zalo's and eSMS's calls (httpx), pointed at the fake."""

    def __init__(self, fake_api: str) -> None:
        self.fake_api = fake_api
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = httpx.URL(redirect(str(request.url), self.fake_api))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class FakeApiTwilio(TwilioHttpClient):
    """The Twilio SDK's own requests-based client, pointed at the fake."""

    def __init__(self, fake_api: str) -> None:
        super().__init__(pool_connections=True)
        self.fake_api = fake_api

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        return super().request(method, redirect(url, self.fake_api), *args, **kwargs)


def run_gateway(fake_api: str) -> int:
    import uvicorn

    from bot.app import create_app
    from chungtay.settings import get_settings

    settings = get_settings()
    app = create_app(
        settings,
        telegram_request=FakeApiRequest(fake_api),
        http_transport=FakeApiTransport(fake_api),
        twilio_http_client=FakeApiTwilio(fake_api),
    )
    uvicorn.run(
        app,
        host=settings.bind_host,
        port=settings.gateway_port,
        access_log=False,
        log_config=None,
        log_level="warning",
    )
    return 0


def run_worker(fake_api: str) -> int:
    from chungtay.settings import get_settings
    from routing.build import worker_from_settings

    worker = worker_from_settings(
        get_settings(),
        telegram_request=FakeApiRequest(fake_api),
        twilio_http_client=FakeApiTwilio(fake_api),
    )

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await worker.run_forever(stop)

    asyncio.run(main())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("process", choices=("gateway", "worker"))
    parser.add_argument("--fake-api", required=True, help="http://127.0.0.1:PORT of the fake")
    args = parser.parse_args(argv)
    if urlsplit(args.fake_api).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--fake-api must be a loopback address")
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return run_gateway(args.fake_api) if args.process == "gateway" else run_worker(args.fake_api)


if __name__ == "__main__":
    sys.exit(main())
