"""Console accounts on top of the store's `users` functions (lockout state lives in the store).

Every change to an account and every sign-in, failed or not, writes an audit row in the same
transaction: who could act in the console, and since when, is part of what an audit must answer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from intake_store import audit, login_sessions, users
from intake_store.store import Store

LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15.0
SESSION_LIFETIME = timedelta(hours=8)  # one shift, as the cookie
# Audit actor for what nobody signed in did (a failed sign-in under an unknown name).
ANONYMOUS = "system:console-login"


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    password_hash: str
    locked_until: datetime | None
    has_totp: bool = False

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now(UTC))


def _account(row: users.UserRecord | None) -> Account | None:
    if row is None or not row.active:
        return None
    return Account(
        id=row.id,
        username=row.username,
        role=row.role,
        password_hash=row.password_hash,
        locked_until=row.locked_until,
        has_totp=row.has_totp,
    )


def _audit(
    session: Session, *, actor: str, action: str, user_id: int | None, reason: str, **detail: Any
) -> None:
    audit.record_audit(
        session,
        actor=actor,
        action=action,
        subject_type="console_user",
        subject_id=user_id,
        reason=reason,
        detail=detail,
    )


class Accounts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, *, username: str) -> Account | None:
        """The account, or None when it does not exist or is disabled."""
        with self._store.begin() as session:
            return _account(users.get_user(session, username=username))

    def active_account(self, *, username: str) -> Account | None:
        return self.find(username=username)

    def signed_in(self, *, token: str) -> Account | None:
        """The account a session token signs in, while that session is open and the user active."""
        with self._store.begin() as session:
            user_id = login_sessions.session_user_id(session, token=token)
            if user_id is None:
                return None
            return _account(users.get_user_by_id(session, user_id=user_id))

    # -- sign-in -------------------------------------------------------------------------------
    def failed_login(self, account: Account | None, *, step: str = "password") -> None:
        """Count a failure on the account (locking it after several) and audit it. An unknown
        name is audited without the name: it may be a password typed in the wrong box."""
        with self._store.begin() as session:
            if account is None:
                _audit(
                    session,
                    actor=ANONYMOUS,
                    action="login_failure",
                    user_id=None,
                    reason="sign-in under an unknown or disabled user name",
                    step=step,
                )
                return
            record = users.record_failed_login(
                session,
                user_id=account.id,
                lock_after=LOCK_AFTER_FAILURES,
                lock_minutes=LOCK_MINUTES,
            )
            _audit(
                session,
                actor=account.username,
                action="login_failure",
                user_id=account.id,
                reason=f"wrong {step}",
                step=step,
            )
            if record.locked_until is not None and record.locked_until != account.locked_until:
                _audit(
                    session,
                    actor=account.username,
                    action="login_lockout",
                    user_id=account.id,
                    reason=f"{LOCK_AFTER_FAILURES} failed sign-ins in a row: slowed down for "
                    f"{LOCK_MINUTES:g} minutes",
                )

    def sign_in(self, account: Account) -> str:
        """Open a server-side session for the account; returns the cookie's token."""
        token = secrets.token_urlsafe(32)
        with self._store.begin() as session:
            users.record_successful_login(session, user_id=account.id)
            login_sessions.open_login_session(
                session, user_id=account.id, token=token, lifetime=SESSION_LIFETIME
            )
            _audit(
                session,
                actor=account.username,
                action="login_success",
                user_id=account.id,
                reason="signed in",
                second_factor=account.has_totp,
            )
        return token

    def sign_out(self, *, token: str, username: str) -> None:
        with self._store.begin() as session:
            user_id = login_sessions.session_user_id(session, token=token)
            login_sessions.end_login_session(session, token=token)
            _audit(session, actor=username, action="logout", user_id=user_id, reason="signed out")

    # -- second factor -------------------------------------------------------------------------
    def totp_secret(self, account: Account) -> str | None:
        with self._store.begin() as session:
            return users.get_totp_secret(session, cipher=self._store.cipher, user_id=account.id)

    def use_totp_step(self, account: Account, step: int) -> bool:
        """Claim the code's time step: False for a code already used (a replay)."""
        with self._store.begin() as session:
            return users.use_totp_step(session, user_id=account.id, step=step)

    def set_totp_secret(self, account: Account, secret: str, *, used_step: int) -> None:
        with self._store.begin() as session:
            users.set_totp_secret(
                session,
                cipher=self._store.cipher,
                user_id=account.id,
                secret=secret,
                used_step=used_step,
            )
            _audit(
                session,
                actor=account.username,
                action="totp_enrol",
                user_id=account.id,
                reason="changed the second factor" if account.has_totp else "second factor on",
                replaced=account.has_totp,
            )

    def reset_totp(self, *, user_id: int, actor: str) -> None:
        """An admin removes a user's second factor (a lost phone); their sessions end too."""
        with self._store.begin() as session:
            users.set_totp_secret(session, cipher=self._store.cipher, user_id=user_id, secret=None)
            login_sessions.end_user_sessions(session, user_id=user_id)
            _audit(session, actor=actor, action="totp_reset", user_id=user_id, reason="totp reset")

    # -- account management --------------------------------------------------------------------
    def create(
        self,
        *,
        username: str,
        password_hash: str,
        role: str,
        actor: str,
        staff_id: int | None = None,
    ) -> int:
        with self._store.begin() as session:
            user_id = users.create_user(
                session,
                username=username,
                password_hash=password_hash,
                role=role,
                staff_id=staff_id,
            )
            _audit(
                session,
                actor=actor,
                action="user_create",
                user_id=user_id,
                reason="account created",
                role=role,
            )
            return user_id

    def set_role(self, *, user_id: int, role: str, actor: str) -> None:
        with self._store.begin() as session:
            previous = users.set_user_role(session, user_id=user_id, role=role)
            if previous != role:
                _audit(
                    session,
                    actor=actor,
                    action="user_role_change",
                    user_id=user_id,
                    reason="role changed",
                    **{"from": previous, "to": role},
                )

    def set_active(self, *, user_id: int, active: bool, actor: str) -> None:
        """Deactivation also ends every session of the user."""
        with self._store.begin() as session:
            users.set_user_active(session, user_id=user_id, active=active)
            _audit(
                session,
                actor=actor,
                action="user_activate" if active else "user_deactivate",
                user_id=user_id,
                reason="account enabled" if active else "account disabled",
            )

    def set_password(self, account: Account, *, password_hash: str, keep_token: str) -> None:
        """A new password ends the user's other sessions (this one is kept)."""
        with self._store.begin() as session:
            users.set_password_hash(
                session, user_id=account.id, password_hash=password_hash, keep_session=keep_token
            )
            _audit(
                session,
                actor=account.username,
                action="password_change",
                user_id=account.id,
                reason="password changed; other sessions ended",
            )
