"""Console accounts: lockout after repeated failures, TOTP secret encrypted at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from intake_store import users
from intake_store.store import Store


def test_lockout_and_encrypted_totp(store: Store) -> None:
    now = datetime(2026, 3, 2, 3, tzinfo=UTC)
    with store.begin() as session:
        user_id = users.create_user(
            session, username="Lan", password_hash="$argon2id$v=19$fake", role="operator"
        )
        for _ in range(4):
            record = users.record_failed_login(session, user_id=user_id, now=now)
        assert record.failed_logins == 4 and record.locked_until is None
        record = users.record_failed_login(session, user_id=user_id, now=now)
        assert record.locked_until == now + timedelta(minutes=15)
        users.set_totp_secret(
            session, cipher=store.cipher, user_id=user_id, secret="JBSWY3DPEHPK3PXP"
        )
    with store.begin() as session:
        raw = session.execute(text("SELECT totp_secret_enc FROM console_users")).scalar_one()
        assert "JBSWY3DPEHPK3PXP" not in raw
        assert users.get_totp_secret(session, cipher=store.cipher, user_id=user_id) == (
            "JBSWY3DPEHPK3PXP"
        )
        found = users.get_user(session, username=" LAN ")
        assert found is not None and found.has_totp and found.locked_until is not None
        users.record_successful_login(session, user_id=user_id, now=now)
        after = users.get_user_by_id(session, user_id=user_id)
        assert after is not None and after.locked_until is None and after.failed_logins == 0
