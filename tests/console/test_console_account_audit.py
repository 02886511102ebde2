"""Who could act in the console, and who looked a person up by phone: every account change,
sign-in and phone search leaves an audit row (never the phone number, never a password)."""

from __future__ import annotations

from intake_store import audit, users
from tests.console.conftest import Console, add_intake
from tests.console.test_console_auth import enrol

PHONE = "+84 977 111 222"


def rows(
    console: Console, *, subject_type: str | None = None, action: str | None = None
) -> list[audit.AuditRecord]:
    with console.store.begin() as session:
        found = audit.list_audit(session, subject_type=subject_type, limit=1000)
    return [row for row in reversed(found) if action is None or row.action == action]


def user_id(console: Console, username: str) -> int:
    with console.store.begin() as session:
        record = users.get_user(session, username=username)
    assert record is not None
    return record.id


def test_account_changes_and_sign_ins_are_audited(console: Console) -> None:
    assert console.login("supervisor", "wrong-password-1A!") == 401
    for _ in range(5):
        assert console.login("operator", "wrong-password-1A!") == 401
    assert console.login("admin") == 303
    new_user = {"username": "lan.nguyen", "role": "operator", "password": "Mot-mat-khau-2026!"}
    assert console.post("/users", new_user) == 303
    lan = user_id(console, "lan.nguyen")
    assert console.post(f"/users/{lan}/role", {"role": "social_worker"}) == 303
    assert console.post(f"/users/{lan}/role", {"role": "chief"}) == 200  # unknown: refused
    assert console.post(f"/users/{lan}/active", {"active": "0"}) == 303
    assert console.post(f"/users/{lan}/active", {"active": "1"}) == 303
    # The new user turns the second factor on; the admin removes it (a lost phone).
    assert console.login("lan.nguyen", "Mot-mat-khau-2026!") == 303
    enrol(console, password="Mot-mat-khau-2026!")
    assert console.login("admin") == 303
    assert console.post(f"/users/{lan}/totp/reset") == 303
    with console.store.begin() as session:
        record = users.get_user_by_id(session, user_id=lan)
        assert record is not None and record.role == "social_worker" and not record.has_totp

    audited = [
        (row.actor, row.action, row.subject_id)
        for row in rows(console, subject_type="console_user")
    ]
    admin = user_id(console, "admin")
    assert audited == [
        ("supervisor", "login_failure", user_id(console, "supervisor")),
        *[("operator", "login_failure", user_id(console, "operator"))] * 5,
        ("operator", "login_lockout", user_id(console, "operator")),
        ("admin", "login_success", admin),
        ("admin", "user_create", lan),
        ("admin", "user_role_change", lan),
        ("admin", "user_deactivate", lan),
        ("admin", "user_activate", lan),
        ("lan.nguyen", "login_success", lan),
        ("lan.nguyen", "totp_enrol", lan),
        ("admin", "login_success", admin),
        ("admin", "totp_reset", lan),
    ]
    change = next(row for row in rows(console) if row.action == "user_role_change")
    assert change.detail == {"from": "operator", "to": "social_worker"}
    everything = repr(rows(console))
    assert "Mot-mat-khau" not in everything and "wrong-password" not in everything


def test_a_phone_search_is_audited_without_the_number(console: Console) -> None:
    add_intake(console.store, text="cứu tôi với", triage="urgent", sender="+84977111222")
    assert console.login("operator") == 303
    assert console.client.get("/queue", params={"q": "DEF-123"}).status_code == 200
    assert rows(console, action="queue_phone_search") == []  # a reference code is no phone
    assert console.client.get("/queue", params={"q": PHONE}).status_code == 200
    [search] = rows(console, action="queue_phone_search")
    assert (search.actor, search.reason, search.detail) == (
        "operator",
        "phone search",
        {"results": 1},
    )
    digits = "".join(ch for ch in PHONE if ch.isdigit())
    assert digits[-6:] not in repr(search)
