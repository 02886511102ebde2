"""Sign-in security: CSRF, throttling that never refuses the right password, TOTP codes good once,
sessions the server can end, cookie flags, strong passwords."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from console import totp, views_auth
from console.passwords import password_problem, verify_password
from console.sessions import COOKIE_NAME
from console.throttle import LoginThrottle
from intake_store import audit, casework, users
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


class Waits:
    """Stands in for the throttle's sleep: records each wait instead of spending it."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def waits_of(console: Console) -> Waits:
    waits = Waits()
    console.client.app.state.throttle.sleep = waits  # type: ignore[attr-defined]
    return waits


def audit_actions(console: Console, *, subject_type: str = "console_user") -> list[str]:
    with console.store.begin() as session:
        rows = audit.list_audit(session, subject_type=subject_type, limit=1000)
    return [row.action for row in reversed(rows)]


def test_wrong_passwords_slow_the_next_attempts_but_never_refuse_the_right_one(
    console: Console,
) -> None:
    waits = waits_of(console)
    for _ in range(5):
        assert console.login("operator", "wrong-password-1A!") == 401
    # The store's lockout: audited, and kept across a restart of the process...
    with console.store.begin() as session:
        record = users.get_user(session, username="operator")
        assert record is not None and record.locked_until is not None
    assert audit_actions(console).count("login_failure") == 5
    assert audit_actions(console).count("login_lockout") == 1
    # ...where it means waiting longest, not being refused: anyone can type a colleague's name.
    console.client.app.state.throttle = LoginThrottle(sleep=waits)  # type: ignore[attr-defined]
    assert console.login("operator") == 303
    assert waits.seconds == [0, 0, 0, 0.5, 1.0, LoginThrottle().max_delay]
    assert "login_success" in audit_actions(console)
    with console.store.begin() as session:
        record = users.get_user(session, username="operator")
        assert record is not None and record.locked_until is None


def test_twenty_failures_from_one_address_do_not_stop_valid_users(console: Console) -> None:
    waits = waits_of(console)
    for number in range(20):
        assert console.login(f"khach{number}", "doan-mat-khau-1A!") == 401
    # The unknown names are audited without the name typed (it may be a password).
    with console.store.begin() as session:
        failures = [
            row
            for row in audit.list_audit(session, subject_type="console_user", limit=100)
            if row.action == "login_failure"
        ]
    assert len(failures) == 20 and all("khach" not in str(row) for row in failures)
    # Slowed down (each attempt waited longer), never more than a few seconds for an address,
    assert waits.seconds[0] == 0 and waits.seconds[-1] > waits.seconds[10] > 0
    assert max(waits.seconds) <= LoginThrottle().max_address_delay
    # and every real user of that address still signs in.
    for role in ("operator", "admin"):
        assert console.login(role) == 303
        assert console.client.get("/queue").status_code == 200


def behind(running: Console, forwarded: str, *, peer: str = "10.0.0.2") -> Console:
    """A browser reaching the console through the proxy at ``peer``, which forwards for it."""
    client = TestClient(running.client.app, client=(peer, 40000))
    client.headers["X-Forwarded-For"] = forwarded
    return Console(settings=running.settings, store=running.store, client=client)


def test_behind_a_trusted_proxy_the_throttle_sees_each_real_client(tmp_path: Path) -> None:
    settings = make_test_settings(tmp_path, trusted_proxies="10.0.0.0/24")
    for running in make_console(settings):
        waits = waits_of(running)
        attacker = behind(running, "203.0.113.66")
        for number in range(20):
            assert attacker.login(f"khach{number}", "doan-mat-khau-1A!") == 401
        assert waits.seconds[-1] > 0
        # Another person behind the same proxy is not slowed at all by the attacker...
        colleague = behind(running, "198.51.100.7")
        assert colleague.login("operator") == 303 and waits.seconds[-1] == 0
        # ...nor by someone outside claiming the colleague's address (not through the proxy).
        spoofer = behind(running, "198.51.100.7", peer="203.0.113.66")
        for number in range(12):
            assert spoofer.login(f"khach{number}", "doan-mat-khau-1A!") == 401
        assert colleague.login("operator") == 303 and waits.seconds[-1] == 0
        # Even from the attacker's own address a valid user gets in (after a short wait).
        assert behind(running, "203.0.113.66").login("social_worker") == 303
        assert 0 < waits.seconds[-1] <= LoginThrottle().max_address_delay


def test_passwords_are_checked_off_the_event_loop(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    """argon2 costs tens of milliseconds of CPU: on the event loop every sign-in (and every
    guess) would hold up each other request of the console."""
    where: list[str] = []

    def verify(password_hash: str, password: str) -> bool:
        try:
            asyncio.get_running_loop()
            where.append("event loop")
        except RuntimeError:
            where.append("worker thread")
        return verify_password(password_hash, password)

    monkeypatch.setattr(views_auth, "verify_password", verify)
    assert console.login("operator", "wrong-password-1A!") == 401
    assert console.login("operator") == 303
    assert where == ["worker thread", "worker thread"]


async def test_the_throttle_counts_attempts_still_waiting_and_forgets_after_the_window() -> None:
    now = [1000.0]
    throttle = LoginThrottle(free_user_failures=3, window_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        await throttle.failed(username="Lan", address="10.0.0.1")
    assert await throttle.delay(username="lan", address="10.0.0.2") == throttle.base_delay
    now[0] += 61
    assert await throttle.delay(username="lan", address="10.0.0.2") == 0

    waits = Waits()
    throttle.sleep = waits
    release = asyncio.Event()

    async def one() -> None:
        async with throttle.attempt(username="lan", address="10.0.0.3"):
            await release.wait()

    tasks = [asyncio.create_task(one()) for _ in range(6)]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*tasks)
    # Six guesses sent at once wait like six in a row would.
    assert waits.seconds == [0, 0, 0, 0.5, 1.0, 2.0]


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


def enrol(console: Console, *, password: str = PASSWORD, current_code: str | None = None) -> str:
    """Turn the second factor on (or move it) for the signed-in user; returns the new secret."""
    page = console.client.get("/account/totp").text
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    form = {"csrf_token": console.csrf(), "secret": secret, "password": password}
    form["code"] = totp.code_at(secret, time.time())
    if current_code is not None:
        form["current_code"] = current_code
    response = console.client.post("/account/totp", data=form)
    assert 'id="totp-on"' in response.text, response.status_code
    return secret


def next_code(secret: str) -> str:
    """A code of the next time step (a phone a little ahead): the current one was just used."""
    return totp.code_at(secret, time.time() + totp.STEP_SECONDS)


def sign_in_with_code(console: Console, username: str, code: str) -> int:
    assert console.login(username) == 303
    token = console.csrf("/login/totp")
    return console.client.post(
        "/login/totp", data={"csrf_token": token, "code": code}, follow_redirects=False
    ).status_code


def test_supervisor_turns_on_totp_and_then_needs_the_code(console: Console) -> None:
    assert console.login("supervisor") == 303
    page = console.client.get("/account/totp").text
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    form = {"secret": secret, "code": "000000", "password": PASSWORD}
    assert console.post("/account/totp", form) == 200
    with console.store.begin() as session:
        record = users.get_user(session, username="supervisor")
        assert record is not None and not record.has_totp
    code = totp.code_at(secret, time.time())
    response = console.client.post(
        "/account/totp", data={"csrf_token": console.csrf(), **form, "code": code}
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
        data={"csrf_token": token, "code": next_code(secret)},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/queue"
    assert console.client.get("/queue").status_code == 200


def test_a_totp_code_signs_in_once(console: Console) -> None:
    assert console.login("supervisor") == 303
    secret = enrol(console)
    assert console.post("/logout") == 303
    code = next_code(secret)
    assert sign_in_with_code(console, "supervisor", code) == 303
    assert console.post("/logout") == 303
    # The same code again (seen over a shoulder, or replayed) is refused, and so is an older one.
    assert sign_in_with_code(console, "supervisor", code) == 401
    assert sign_in_with_code(console, "supervisor", totp.code_at(secret, time.time())) == 401
    assert console.client.get("/queue", follow_redirects=False).headers["location"] == "/login"
    actions = audit_actions(console)
    assert actions.count("totp_enrol") == 1 and actions.count("login_failure") == 2


def test_moving_the_second_factor_takes_the_password_and_a_current_code(
    console: Console,
) -> None:
    assert console.login("supervisor") == 303
    first = enrol(console)
    page = console.client.get("/account/totp").text
    assert 'id="totp-change"' in page
    other = page.split('id="totp-secret">')[1].split("<")[0]
    new_code = totp.code_at(other, time.time())
    attempts = [
        {},  # the session alone
        {"password": PASSWORD},  # no code of the current factor
        {"password": "wrong-password-1A!", "current_code": next_code(first)},
        {"password": PASSWORD, "current_code": "000000"},
    ]
    for extra in attempts:
        form = {"csrf_token": console.csrf(), "secret": other, "code": new_code, **extra}
        assert console.client.post("/account/totp", data=form).status_code == 401, extra
        with console.store.begin() as session:
            record = users.get_user(session, username="supervisor")
            assert record is not None
            secret = users.get_totp_secret(session, cipher=console.store.cipher, user_id=record.id)
        assert secret == first
    enrol(console, current_code=next_code(first))
    actions = audit_actions(console)
    assert actions.count("totp_enrol") == 2


def test_every_role_can_enrol_a_second_factor(console: Console) -> None:
    assert console.login("operator") == 303
    assert console.client.get("/account/totp").status_code == 200
    secret = enrol(console)
    assert console.post("/logout") == 303
    assert sign_in_with_code(console, "operator", next_code(secret)) == 303


def test_production_can_require_a_second_factor_of_everyone(tmp_path: Path) -> None:
    for running in make_console(make_test_settings(tmp_path, console_require_totp=True)):
        assert running.login("operator") == 303
        # Signed in, but nothing but enrolment (and signing out) until the factor is on.
        for path in ("/queue", "/notifications", "/account/password"):
            response = running.client.get(path, follow_redirects=False)
            assert response.headers["location"] == "/account/totp", path
        secret = enrol(running)
        assert running.client.get("/queue").status_code == 200
        assert running.post("/logout") == 303
        assert sign_in_with_code(running, "operator", next_code(secret)) == 303


def _cookie(console: Console) -> str:
    value = console.client.cookies.get(COOKIE_NAME)
    assert value
    return value


def _with_cookie(console: Console, cookie: str) -> TestClient:
    thief = TestClient(console.client.app)
    thief.cookies.set(COOKIE_NAME, cookie)
    return thief


def test_logout_deactivation_and_a_new_password_end_copied_sessions(console: Console) -> None:
    assert console.login("operator") == 303
    copied = _cookie(console)
    assert _with_cookie(console, copied).get("/queue").status_code == 200
    assert console.post("/logout") == 303
    thief = _with_cookie(console, copied)
    assert thief.get("/queue", follow_redirects=False).headers["location"] == "/login"

    # A password change ends every other session of the user, not the one that made it.
    assert console.login("operator") == 303
    other_device = _with_cookie(console, _cookie(console))
    new_password = "Mat-Khau-Moi-2026!"
    assert console.login("operator") == 303  # a second session (this browser)
    form = {"current_password": "sai-Mat-khau-2026!", "new_password": new_password}
    assert console.post("/account/password", form) == 401
    form["current_password"] = PASSWORD
    assert console.post("/account/password", form) == 200
    assert other_device.get("/queue", follow_redirects=False).headers["location"] == "/login"
    assert console.client.get("/queue").status_code == 200
    assert console.login("operator", new_password) == 303

    # Deactivation by an admin ends the user's open sessions at once.
    operator_cookie = _cookie(console)
    assert console.login("admin") == 303
    with console.store.begin() as session:
        record = users.get_user(session, username="operator")
        assert record is not None
    assert console.post(f"/users/{record.id}/active", {"active": "0"}) == 303
    assert console.post(f"/users/{record.id}/active", {"active": "1"}) == 303
    stolen = _with_cookie(console, operator_cookie)
    assert stolen.get("/queue", follow_redirects=False).headers["location"] == "/login"
    assert "password_change" in audit_actions(console)


def test_totp_matches_rfc_6238_vectors() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59) == "287082"
    assert totp.code_at(secret, 1111111109) == "081804"
    assert totp.verify(secret, "081 804", moment=1111111109 + 30)
    assert not totp.verify(secret, "081804", moment=1111111109 + 120)
