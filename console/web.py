"""Request plumbing shared by every page: the store, permission guard, CSRF check, rendering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.responses import Response

from console import labels
from console.i18n import language_of, translator
from console.permissions import Action, allowed
from console.sessions import COOKIE_NAME, ConsoleSession, SessionCodec, csrf_matches
from intake_store.store import Store

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Staff:
    """The signed-in console user."""

    username: str
    role: str
    csrf: str

    def can(self, action: Action | str) -> bool:
        return allowed(self.role, Action(action))


class LoginRequired(Exception):
    """Raised by the guard; answered with a redirect to the login page."""


class Forbidden(Exception):
    """Raised by the guard; answered with a 403 page."""


class SecondFactorRequired(Exception):
    """Raised by the guard while CHUNGTAY_CONSOLE_REQUIRE_TOTP holds and the user has no second
    factor yet; answered with a redirect to the enrolment page."""


def store_of(request: Request) -> Store:
    """The app's one store (made in create_app)."""
    store: Store = request.app.state.store
    return store


# A route parameter `store: StoreDep` is the app's store.
StoreDep = Annotated[Store, Depends(store_of)]


def codec(request: Request) -> SessionCodec:
    result: SessionCodec = request.app.state.sessions
    return result


def current_session(request: Request) -> ConsoleSession | None:
    return codec(request).read(request.cookies.get(COOKIE_NAME))


def guard(
    action: Action, *, before_second_factor: bool = False
) -> Callable[[Request], Awaitable[Staff]]:
    """A route dependency: signed in (an open server-side session), role allows `action`, and a
    valid CSRF token on writes. ``before_second_factor``: usable while a required second factor
    is not set up yet (enrolling it, signing out)."""

    async def dependency(request: Request) -> Staff:
        session = current_session(request)
        if session is None or session.token is None:
            raise LoginRequired
        account = request.app.state.accounts.signed_in(token=session.token)
        if account is None:
            raise LoginRequired
        request.state.session_token = session.token
        staff = Staff(username=account.username, role=account.role, csrf=session.csrf)
        required = request.app.state.settings.console_require_totp
        if required and not account.has_totp and not before_second_factor:
            raise SecondFactorRequired
        if not staff.can(action):
            raise Forbidden
        if request.method not in SAFE_METHODS:
            form = await request.form()
            if not csrf_matches(session, form.get("csrf_token")):
                raise Forbidden
        request.state.staff = staff
        return staff

    # Marks the dependency so a test can prove every route is guarded (default deny).
    dependency.console_action = action  # type: ignore[attr-defined]
    return dependency


def render(
    request: Request,
    template: str,
    *,
    staff: Staff | None,
    status_code: int = 200,
    csrf: str | None = None,
    **context: Any,
) -> Response:
    lang = language_of(request)
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "staff": staff,
            "csrf": csrf if csrf is not None else (staff.csrf if staff else ""),
            "t": translator(lang),
            "lang": lang,
            **labels.for_language(lang),
            **context,
        },
        status_code=status_code,
    )
    return response
