"""Console users: password hashes (made by the console), login throttling, optional TOTP secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from intake_store.crypto import FieldCipher
from intake_store.login_sessions import end_user_sessions
from intake_store.models import ConsoleUser, Staff, utcnow
from intake_store.not_found import NotFound

USER_ROLES = ("admin", "supervisor", "operator", "social_worker")


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    password_hash: str
    role: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    has_totp: bool
    staff_id: int | None
    last_login_at: datetime | None


def _record(u: ConsoleUser) -> UserRecord:
    return UserRecord(
        id=u.id,
        username=u.username,
        password_hash=u.password_hash,
        role=u.role,
        active=u.active,
        failed_logins=u.failed_logins,
        locked_until=u.locked_until,
        has_totp=u.totp_secret_enc is not None,
        staff_id=u.staff_id,
        last_login_at=u.last_login_at,
    )


def create_user(
    session: Session, *, username: str, password_hash: str, role: str, staff_id: int | None = None
) -> int:
    if role not in USER_ROLES:
        raise ValueError(f"role must be one of {USER_ROLES}")
    if not password_hash:
        raise ValueError("a password hash is required")
    if staff_id is not None and session.get(Staff, staff_id) is None:
        raise ValueError(f"staff {staff_id} does not exist")
    user = ConsoleUser(
        username=username.strip().lower(),
        password_hash=password_hash,
        role=role,
        staff_id=staff_id,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return user.id


def get_user(session: Session, *, username: str) -> UserRecord | None:
    user = session.scalars(
        select(ConsoleUser).where(ConsoleUser.username == username.strip().lower())
    ).first()
    return None if user is None else _record(user)


def get_user_by_id(session: Session, *, user_id: int) -> UserRecord | None:
    user = session.get(ConsoleUser, user_id)
    return None if user is None else _record(user)


def list_users(session: Session) -> list[UserRecord]:
    return [_record(u) for u in session.scalars(select(ConsoleUser).order_by(ConsoleUser.id))]


def _user(session: Session, user_id: int) -> ConsoleUser:
    user = session.get(ConsoleUser, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def record_failed_login(
    session: Session,
    *,
    user_id: int,
    lock_after: int = 5,
    lock_minutes: float = 15,
    now: datetime | None = None,
) -> UserRecord:
    """Count a failure; after ``lock_after`` in a row the account locks for ``lock_minutes``."""
    now = now or utcnow()
    user = _user(session, user_id)
    user.failed_logins += 1
    if user.failed_logins >= lock_after:
        user.locked_until = now + timedelta(minutes=lock_minutes)
        user.failed_logins = 0
    session.flush()
    return _record(user)


def record_successful_login(session: Session, *, user_id: int, now: datetime | None = None) -> None:
    user = _user(session, user_id)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now or utcnow()


def set_password_hash(
    session: Session, *, user_id: int, password_hash: str, keep_session: str | None = None
) -> None:
    """A new password ends every other session of the user (a thief's copy included)."""
    _user(session, user_id).password_hash = password_hash
    end_user_sessions(session, user_id=user_id, keep_token=keep_session)


def set_user_active(session: Session, *, user_id: int, active: bool) -> None:
    _user(session, user_id).active = active
    if not active:
        end_user_sessions(session, user_id=user_id)


def set_user_role(session: Session, *, user_id: int, role: str) -> str:
    """Change a user's role; returns the previous one."""
    if role not in USER_ROLES:
        raise ValueError(f"role must be one of {USER_ROLES}")
    user = _user(session, user_id)
    previous = user.role
    user.role = role
    return previous


def link_staff(session: Session, *, user_id: int, staff_id: int | None) -> None:
    """Tie a console account to a roster entry (None unties it).

    The link is how the routing worker finds the Telegram/SMS of the person who took a case in the
    console, so updates on that case reach them.
    """
    if staff_id is not None and session.get(Staff, staff_id) is None:
        raise ValueError(f"staff {staff_id} does not exist")
    _user(session, user_id).staff_id = staff_id


def set_totp_secret(
    session: Session,
    *,
    cipher: FieldCipher,
    user_id: int,
    secret: str | None,
    used_step: int | None = None,
) -> None:
    """Set (or with None, remove) the TOTP secret; ``used_step`` is the step of the code that
    proved the new secret, which may not be used again to sign in."""
    user = _user(session, user_id)
    user.totp_secret_enc = cipher.encrypt_optional(secret)
    user.totp_last_step = used_step if secret is not None else None


def use_totp_step(session: Session, *, user_id: int, step: int) -> bool:
    """Claim a TOTP time step for the user: False when it (or a later one) was already used.

    One conditional UPDATE, so two requests racing with the same code cannot both succeed.
    """
    result = session.execute(
        update(ConsoleUser)
        .where(
            ConsoleUser.id == user_id,
            or_(ConsoleUser.totp_last_step.is_(None), ConsoleUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def get_totp_secret(session: Session, *, cipher: FieldCipher, user_id: int) -> str | None:
    return cipher.decrypt_optional(_user(session, user_id).totp_secret_enc)
