"""A channel's OAuth tokens, shared by every gateway and encrypted at rest.

The Zalo OA's refresh token works once: the refresh answer carries the next one. With several
gateways the pair must live where all of them read it (the store) and only one may spend the
refresh token at a time: ``take_lease`` is a conditional UPDATE (atomic on SQLite and PostgreSQL)
giving one holder the right to refresh until ``lease_until``; ``save_refreshed`` stores the new
pair only while that holder still has the lease, and gives it back. Both tokens are secrets:
``FieldCipher`` encrypts them like personal fields.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake_store.crypto import FieldCipher
from intake_store.models import ServiceToken, utcnow

_tokens = cast(Table, ServiceToken.__table__)


@dataclass(frozen=True)
class StoredTokens:
    access_token: str
    refresh_token: str
    expires_at: datetime | None


@functools.cache
def _insert_if_absent(dialect: str) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(_tokens).on_conflict_do_nothing(index_elements=["name"])
    if dialect == "sqlite":
        return sqlite.insert(_tokens).on_conflict_do_nothing(index_elements=["name"])
    raise NotImplementedError(f"the intake store does not support {dialect}")


def load_tokens(session: Session, *, cipher: FieldCipher, name: str) -> StoredTokens | None:
    row = session.execute(
        select(ServiceToken.access_enc, ServiceToken.refresh_enc, ServiceToken.expires_at).where(
            ServiceToken.name == name
        )
    ).first()
    if row is None:
        return None
    return StoredTokens(
        access_token=cipher.decrypt_optional(row.access_enc) or "",
        refresh_token=cipher.decrypt_optional(row.refresh_enc) or "",
        expires_at=row.expires_at,
    )


def seed_tokens(
    session: Session,
    *,
    cipher: FieldCipher,
    name: str,
    access_token: str,
    refresh_token: str,
    expires_at: datetime | None = None,
) -> bool:
    """Store the first pair (from the configuration); False when a pair is stored already."""
    result = session.execute(
        _insert_if_absent(session.get_bind().dialect.name),
        {
            "name": name,
            "access_enc": cipher.encrypt(access_token) if access_token else None,
            "refresh_enc": cipher.encrypt(refresh_token) if refresh_token else None,
            "expires_at": expires_at,
            "updated_at": utcnow(),
        },
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def take_lease(
    session: Session, *, name: str, holder: str, now: datetime, lease_seconds: float
) -> bool:
    """The right to spend the refresh token, for ``holder`` alone until the lease runs out."""
    result = session.execute(
        update(ServiceToken)
        .where(
            ServiceToken.name == name,
            or_(
                ServiceToken.lease_by.is_(None),
                ServiceToken.lease_until.is_(None),
                ServiceToken.lease_until <= now,
                ServiceToken.lease_by == holder,
            ),
        )
        .values(lease_by=holder, lease_until=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def save_refreshed(
    session: Session,
    *,
    cipher: FieldCipher,
    name: str,
    holder: str,
    access_token: str,
    refresh_token: str,
    expires_at: datetime | None,
) -> bool:
    """Store the new pair and give the lease back; False when ``holder`` no longer had it."""
    result = session.execute(
        update(ServiceToken)
        .where(ServiceToken.name == name, ServiceToken.lease_by == holder)
        .values(
            access_enc=cipher.encrypt(access_token),
            refresh_enc=cipher.encrypt(refresh_token),
            expires_at=expires_at,
            lease_by=None,
            lease_until=None,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end_lease(session: Session, *, name: str, holder: str) -> None:
    session.execute(
        update(ServiceToken)
        .where(ServiceToken.name == name, ServiceToken.lease_by == holder)
        .values(lease_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
