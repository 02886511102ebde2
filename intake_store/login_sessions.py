"""Console sign-in sessions kept by the server, so that one can be ended before its cookie expires.

The cookie holds a random token; the table keeps its SHA-256 only. Every console request looks its
token up here: a revoked, expired or deactivated user's session signs nobody in, whoever copied the
cookie.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from intake_store.models import ConsoleSession, ConsoleUser, utcnow


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def open_login_session(
    session: Session, *, user_id: int, token: str, lifetime: timedelta, now: datetime | None = None
) -> int:
    now = now or utcnow()
    # The user's ended sessions are of no further use; dropping them keeps the table small.
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user_id,
            or_(ConsoleSession.revoked_at.is_not(None), ConsoleSession.expires_at <= now),
        )
    )
    row = ConsoleSession(
        token_hash=token_hash(token), user_id=user_id, created_at=now, expires_at=now + lifetime
    )
    session.add(row)
    session.flush()
    return row.id


def session_user_id(session: Session, *, token: str, now: datetime | None = None) -> int | None:
    """The active user signed in by ``token``, or None (unknown, ended, expired, deactivated)."""
    now = now or utcnow()
    return session.scalar(
        select(ConsoleSession.user_id)
        .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
        .where(
            ConsoleSession.token_hash == token_hash(token),
            ConsoleSession.revoked_at.is_(None),
            ConsoleSession.expires_at > now,
            ConsoleUser.active.is_(True),
        )
    )


def end_login_session(session: Session, *, token: str, now: datetime | None = None) -> None:
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_hash == token_hash(token), ConsoleSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )


def end_user_sessions(
    session: Session, *, user_id: int, keep_token: str | None = None, now: datetime | None = None
) -> int:
    """End every session of a user (but ``keep_token``'s); returns how many were ended."""
    query = update(ConsoleSession).where(
        ConsoleSession.user_id == user_id, ConsoleSession.revoked_at.is_(None)
    )
    if keep_token is not None:
        query = query.where(ConsoleSession.token_hash != token_hash(keep_token))
    result = session.execute(query.values(revoked_at=now or utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
