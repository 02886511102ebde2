"""Sign-in security: CSRF on every form, lockout after failures, cookie flags, strong passwords."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from console import totp
from console.passwords import password_problem
from console.sessions import COOKIE_NAME
from console.throttle import LoginThrottle
from intake_store import casework, users
from tests.conftest import make_test_settings
from tests.console.conftest import PASSWORD, Console, add_intake, make_console


def test_forms_without_the_session_csrf_token_are_refused(console: Console) -> None:
    intake_id = add_intake(console.store, text="có người rủ đi Lào", triage="report")
    # The login form itself needs the token that the login page set.
    response = console.client.post(
        "/login", data={"username": "operator", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert console.login("operator") == 303
    for token in (None, "forged-token"):
        form = {"text": "ghi chú giả mạo"} | ({"csrf_token": token} if token else {})
        response = console.client.post(f"/intakes/{intake_id}/notes", data=form)
        assert response.status_code == 403
    with console.store.begin() as session:
        assert casework.count_notes(session, intake_id=intake_id) == 0
    assert console.post(f"/intakes/{intake_id}/notes", {"text": "ghi chú thật"}) == 303
    with console.store.begin() as session:
        assert casework.count_notes(session, intake_id=intake_id) == 1


def test_login_rotates_the_csrf_token_and_sets_a_strict_http_only_cookie(console: Console) -> None:
    before = console.csrf("/login")
    assert console.login("supervisor") == 303
    assert console.csrf() != before
    cookie = console.client.cookies.jar
    ours = [c for c in cookie if c.name == COOKIE_NAME]
    assert ours and ours[0].has_nonstandard_attr("HttpOnly")


def test_production_cookie_is_secure(tmp_path: Path) -> None:
    settings = make_test_settings(tmp_path, console_base_url="https://console.example.org")
    for running in make_console(settings):
        response = running.client.get("/login")
        header = response.headers["set-cookie"]
        assert "Secure" in header and "HttpOnly" in header and "SameSite=strict" in header
        assert "no-store" in response.headers["cache-control"]


def test_five_wrong_passwords_lock_the_account(console: Console) -> None:
    for _ in range(5):
        assert console.login("operator", "wrong-password-1A!") == 401
    # Even the right password is refused while locked, and the lock is kept in the store.
    assert console.login("operator") == 429
    with console.store.begin() as session:
        record = users.get_user(session, username="operator")
        assert record is not None and record.locked_until is not None
    # A fresh process (new throttle) still honours the stored lock.
    console.client.app.state.throttle = LoginThrottle()  # type: ignore[attr-defined]
    assert console.login("operator") == 429
    # Other accounts are unaffected.
    assert console.login("social_worker") == 303


def test_throttle_unlocks_after_the_lockout_period() -> None:
    now = [1000.0]
    throttle = LoginThrottle(max_user_failures=3, lockout_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed(username="Lan", address="10.0.0.1")
    assert throttle.blocked(username="lan", address="10.0.0.2")
    now[0] += 61
    assert not throttle.blocked(username="lan", address="10.0.0.2")


@pytest.mark.parametrize(
    "password,acceptable",
    [
        ("short1A!", False),
        ("aaaaaaaaaaaaaaaa", False),
        ("alllowercaseletters", False),
        ("admin-Secret-2026", False),  # contains the username
        ("Chung-Tay-2026!", True),
    ],
)
def test_weak_passwords_are_refused(password: str, acceptable: bool) -> None:
    assert (password_problem(password, username="admin") is None) is acceptable


def test_supervisor_turns_on_totp_and_then_needs_the_code(console: Console) -> None:
    assert console.login("supervisor") == 303
    page = console.client.get("/account/totp").text
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    assert console.post("/account/totp", {"secret": secret, "code": "000000"}) == 200
    with console.store.begin() as session:
        record = users.get_user(session, username="supervisor")
        assert record is not None and not record.has_totp
    code = totp.code_at(secret, time.time())
    response = console.client.post(
        "/account/totp", data={"csrf_token": console.csrf(), "secret": secret, "code": code}
    )
    assert 'id="totp-on"' in response.text
    assert console.post("/logout") == 303

    # The password alone no longer signs in: it leads to the code page, which is not a session.
    assert console.login("supervisor") == 303
    assert console.client.get("/queue", follow_redirects=False).headers["location"] == "/login"
    token = console.csrf("/login/totp")
    wrong = console.client.post("/login/totp", data={"csrf_token": token, "code": "123456"})
    assert wrong.status_code == 401
    right = console.client.post(
        "/login/totp",
        data={"csrf_token": token, "code": totp.code_at(secret, time.time())},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/queue"
    assert console.client.get("/queue").status_code == 200


def test_operators_cannot_enrol_a_second_factor(console: Console) -> None:
    assert console.login("operator") == 303
    assert console.client.get("/account/totp").status_code == 403


def test_totp_matches_rfc_6238_vectors() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59) == "287082"
    assert totp.code_at(secret, 1111111109) == "081804"
    assert totp.verify(secret, "081 804", moment=1111111109 + 30)
    assert not totp.verify(secret, "081804", moment=1111111109 + 120)
