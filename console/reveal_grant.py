"""After a reveal, the case stays revealed for the same operator for a few minutes.

Every action on the case page reloads it; asking for a reason again each time (and writing a new
audit record each time) made operators work masked. The grant is a signed cookie naming the case,
the reason given and the server-side session it was given in (signing out, or a session ended by
an administrator, ends it), valid for CHUNGTAY_CONSOLE_REVEAL_MINUTES. Within it the page shows
the data again without new audit records: the reveal's own records cover it.
"""

from __future__ import annotations

import hashlib

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from chungtay.settings import Settings

COOKIE_NAME = "chungtay_reveal"


def _session_tag(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:24]


class RevealGrants:
    def __init__(self, settings: Settings) -> None:
        self._serializer = URLSafeTimedSerializer(settings.console_secret_key, salt="reveal")
        self.seconds = int(settings.console_reveal_minutes * 60)
        self.secure = settings.profile == "production" or settings.console_base_url.startswith(
            "https://"
        )

    def give(self, response: Response, *, session_token: str, intake_id: int, reason: str) -> None:
        if self.seconds <= 0:
            return
        value = self._serializer.dumps(
            {"s": _session_tag(session_token), "i": intake_id, "r": reason}
        )
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=self.seconds,
            httponly=True,
            secure=self.secure,
            samesite="strict",
            path="/intakes/",
        )

    def reason_for(self, request: Request, *, intake_id: int) -> str | None:
        """The reason of this operator's reveal of this case, while the grant lasts."""
        token = getattr(request.state, "session_token", None)
        cookie = request.cookies.get(COOKIE_NAME)
        if self.seconds <= 0 or not token or not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.seconds)
        except BadSignature:
            return None
        if (
            not isinstance(data, dict)
            or data.get("s") != _session_tag(token)
            or data.get("i") != intake_id
            or not isinstance(data.get("r"), str)
        ):
            return None
        reason: str = data["r"]
        return reason
