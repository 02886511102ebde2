"""Console accounts on top of the store's `users` functions (lockout state lives in the store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from intake_store import users
from intake_store.store import Store

LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15.0


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


class Accounts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, *, username: str) -> Account | None:
        """The account, or None when it does not exist or is disabled."""
        with self._store.begin() as session:
            row = users.get_user(session, username=username)
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

    def active_account(self, *, username: str) -> Account | None:
        return self.find(username=username)

    def create(
        self, *, username: str, password_hash: str, role: str, staff_id: int | None = None
    ) -> int:
        with self._store.begin() as session:
            return users.create_user(
                session,
                username=username,
                password_hash=password_hash,
                role=role,
                staff_id=staff_id,
            )

    def failed_login(self, account: Account) -> None:
        with self._store.begin() as session:
            users.record_failed_login(
                session,
                user_id=account.id,
                lock_after=LOCK_AFTER_FAILURES,
                lock_minutes=LOCK_MINUTES,
            )

    def successful_login(self, account: Account) -> None:
        with self._store.begin() as session:
            users.record_successful_login(session, user_id=account.id)

    def totp_secret(self, account: Account) -> str | None:
        with self._store.begin() as session:
            return users.get_totp_secret(session, cipher=self._store.cipher, user_id=account.id)

    def set_totp_secret(self, account: Account, secret: str) -> None:
        with self._store.begin() as session:
            users.set_totp_secret(
                session, cipher=self._store.cipher, user_id=account.id, secret=secret
            )
