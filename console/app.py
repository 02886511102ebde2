"""The console's FastAPI application factory. Nothing is opened until a request needs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from chungtay import metrics
from chungtay.counters import from_settings as shared_counters
from chungtay.http_guard import BodyLimit, quiet_validation_errors, trusted_networks
from chungtay.settings import Settings
from console import (
    views_auth,
    views_blocks,
    views_canned,
    views_case_links,
    views_filing,
    views_health,
    views_intake,
    views_queue,
    views_reports,
    views_staff,
)
from console.accounts import Accounts
from console.sessions import SessionCodec
from console.throttle import PRUNE_ABOVE, LoginThrottle
from console.web import Forbidden, LoginRequired, SecondFactorRequired, current_session, render
from intake_store.not_found import NotFound
from intake_store.store import Store

HERE = Path(__file__).parent
MAX_BODY_BYTES = 64 * 1024  # the longest form is a note or a reply


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """``rasa_transport`` replaces Rasa's HTTP API in tests (erasure resets Rasa's copy)."""
    own_store = store is None

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            # The Redis connection pool of the shared counters, and the store's engine when the
            # app made it: a console stopped and started in one process must not leak them.
            await app.state.throttle.aclose()
            if own_store:
                app.state.store.dispose()

    app = FastAPI(
        title="Chung Tay console",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.store = store if store is not None else Store.from_settings(settings)
    app.state.rasa_transport = rasa_transport
    app.state.accounts = Accounts(app.state.store)
    app.state.sessions = SessionCodec(settings)
    # Memory, or Redis shared by several console processes (CHUNGTAY_REDIS_URL).
    app.state.throttle = LoginThrottle(
        counters=shared_counters(settings, namespace="console", max_keys=PRUNE_ABOVE)
    )
    # Read through the trusted proxies; checked now, so a mistyped network fails at start-up.
    trusted_networks(settings.trusted_proxies)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    for module in (
        views_auth,
        views_health,
        views_queue,
        views_filing,  # before views_intake: nothing of it may be read as /intakes/{id}
        views_intake,
        views_canned,
        views_case_links,
        views_blocks,
        views_staff,
        views_reports,
    ):
        app.include_router(module.router)
    app.include_router(metrics.router(settings.metrics_token))

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(SecondFactorRequired)
    async def _second_factor_required(request: Request, _: Exception) -> Response:
        return RedirectResponse("/account/totp", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _: Exception) -> Response:
        staff = getattr(request.state, "staff", None)
        return render(request, "error.html", staff=staff, status_code=403, message="forbidden")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, _: Exception) -> Response:
        # Every route on a missing intake, referral, user...: one answer, never a 500.
        staff = getattr(request.state, "staff", None)
        return render(request, "error.html", staff=staff, status_code=404, message="not_found")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        session = current_session(request)
        del session  # error pages show no user data
        key = "not_found" if error.status_code == 404 else "forbidden"
        return render(request, "error.html", staff=None, status_code=error.status_code, message=key)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        # Pages may show personal data: never cache them, never frame them.
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        )
        if app.state.sessions.secure:
            # Served over https (directly or behind the TLS proxy): browsers must never downgrade.
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    # Outermost: an oversized form is refused before anything reads it.
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES, refuse_nul=True)
    quiet_validation_errors(app)

    return app
