"""The console's session: a signed, time-limited cookie carrying a CSRF token and, once signed in,
the random token of a server-side session (intake_store/login_sessions.py) that logout,
deactivation and a password change end, whoever holds a copy of the cookie.

The cookie holds no personal data about victims. It is HttpOnly and SameSite=Strict always, and
Secure whenever the console is served over HTTPS or runs in production.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from chungtay.settings import Settings

COOKIE_NAME = "chungtay_console"
MAX_AGE_SECONDS = 8 * 60 * 60  # one shift


@dataclass(frozen=True)
class ConsoleSession:
    csrf: str
    # The server-side session's token: signed in while the store still knows it as open.
    token: str | None = None
    # Password accepted, second factor still owed: not signed in yet.
    pending: str | None = None


class SessionCodec:
    def __init__(self, settings: Settings) -> None:
        if len(settings.console_secret_key) < 32:
            raise ValueError("CHUNGTAY_CONSOLE_SECRET_KEY must be set (at least 32 characters)")
        self._serializer = URLSafeTimedSerializer(
            settings.console_secret_key, salt="console-session"
        )
        self.secure = settings.profile == "production" or settings.console_base_url.startswith(
            "https://"
        )

    def fresh(self, token: str | None = None, *, pending: str | None = None) -> ConsoleSession:
        """A new session (new CSRF token): issued on first visit and on every login/logout."""
        return ConsoleSession(csrf=secrets.token_urlsafe(32), token=token, pending=pending)

    def read(self, cookie: str | None) -> ConsoleSession | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        token, pending = data.get("t"), data.get("p")
        return ConsoleSession(
            csrf=data["csrf"],
            token=token if isinstance(token, str) else None,
            pending=pending if isinstance(pending, str) else None,
        )

    def write(self, response: Response, session: ConsoleSession) -> None:
        value = self._serializer.dumps(
            {"csrf": session.csrf, "t": session.token, "p": session.pending}
        )
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            secure=self.secure,
            samesite="strict",
            path="/",
        )


def csrf_matches(session: ConsoleSession, submitted: object) -> bool:
    # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError, i.e. a 500).
    return isinstance(submitted, str) and hmac.compare_digest(
        session.csrf.encode(), submitted.encode("utf-8", "surrogatepass")
    )
