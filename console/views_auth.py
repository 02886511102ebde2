"""Sign in, sign out, one's own password and second factor, and the interface language.

Passwords are checked (argon2, tens of milliseconds of CPU) in a worker thread: on the event loop
one sign-in would stall every other request of the console.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from chungtay.http_guard import client_address
from console import totp
from console.accounts import Account, Accounts
from console.i18n import LANG_COOKIE, LANGUAGES
from console.passwords import hash_password, password_problem, verify_password
from console.permissions import Action
from console.sessions import csrf_matches
from console.throttle import LoginThrottle
from console.web import LoginRequired, Staff, codec, current_session, guard, render

router = APIRouter()

# Verified when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")


def _address(request: Request) -> str:
    return client_address(request, request.app.state.settings.trusted_proxies)


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def _throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.throttle
    return throttle


@router.get("/login")
async def login_page(request: Request) -> Response:
    session = current_session(request)
    if session is None or session.token is not None:
        session = codec(request).fresh()
    response = render(request, "login.html", staff=None, csrf=session.csrf)
    codec(request).write(response, session)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    session = current_session(request)
    if session is None or not csrf_matches(session, form.get("csrf_token")):
        return render(request, "error.html", staff=None, status_code=403, message="forbidden")
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    address = _address(request)
    throttle, accounts = _throttle(request), _accounts(request)
    account = accounts.find(username=username) if username else None
    # Earlier failures (and the account's stored lockout) slow this attempt down before the
    # password is looked at; the right password is never refused.
    locked = account is not None and account.locked()
    async with throttle.attempt(username=username, address=address, locked=locked):
        ok = await run_in_threadpool(
            verify_password, account.password_hash if account else _DUMMY_HASH, password
        )
    if account is None or not ok:
        await throttle.failed(username=username, address=address)
        accounts.failed_login(account)
        return render(
            request,
            "login.html",
            staff=None,
            csrf=session.csrf,
            error="login_failed",
            status_code=401,
        )
    if account.has_totp:
        response = RedirectResponse("/login/totp", status_code=303)
        codec(request).write(response, codec(request).fresh(pending=account.username))
        return response
    return await _signed_in(request, account)


async def _signed_in(request: Request, account: Account) -> Response:
    await _throttle(request).succeeded(username=account.username)
    token = _accounts(request).sign_in(account)
    enrol_first = request.app.state.settings.console_require_totp and not account.has_totp
    response = RedirectResponse("/account/totp" if enrol_first else "/queue", status_code=303)
    # A fresh session on login: a token planted before sign-in is useless afterwards.
    codec(request).write(response, codec(request).fresh(token))
    return response


@router.get("/login/totp")
async def totp_page(request: Request) -> Response:
    session = current_session(request)
    if session is None or session.pending is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "totp.html", staff=None, csrf=session.csrf)


@router.post("/login/totp")
async def totp_login(request: Request) -> Response:
    form = await request.form()
    session = current_session(request)
    if session is None or not csrf_matches(session, form.get("csrf_token")):
        return render(request, "error.html", staff=None, status_code=403, message="forbidden")
    if session.pending is None:
        return RedirectResponse("/login", status_code=303)
    address = _address(request)
    throttle, accounts = _throttle(request), _accounts(request)
    account = accounts.find(username=session.pending)
    if account is None:
        return RedirectResponse("/login", status_code=303)
    code = form.get("code")
    async with throttle.attempt(
        username=account.username, address=address, locked=account.locked()
    ):
        secret = accounts.totp_secret(account)
        step = (
            totp.matching_step(secret, code)
            if secret is not None and isinstance(code, str)
            else None
        )
        # A code is good once: one seen on the wire or over a shoulder is refused after.
        ok = step is not None and accounts.use_totp_step(account, step)
    if not ok:
        await throttle.failed(username=account.username, address=address)
        accounts.failed_login(account, step="code")
        return render(
            request, "totp.html", staff=None, csrf=session.csrf, error="bad_code", status_code=401
        )
    return await _signed_in(request, account)


def _current_account(request: Request, staff: Staff) -> Account:
    account = _accounts(request).signed_in(token=request.state.session_token)
    if account is None or account.username != staff.username:  # ended since the guard looked
        raise LoginRequired
    return account


@router.get("/account/totp")
async def totp_enrol_page(
    request: Request,
    staff: Annotated[Staff, Depends(guard(Action.SECOND_FACTOR, before_second_factor=True))],
) -> Response:
    return _enrol(request, staff, totp.new_secret())


def _enrol(request: Request, staff: Staff, secret: str, **extra: Any) -> Response:
    account = _current_account(request, staff)
    return render(
        request,
        "totp_enrol.html",
        staff=staff,
        secret=secret,
        uri=totp.provisioning_uri(secret, username=staff.username),
        has_totp=account.has_totp,
        **extra,
    )


@router.post("/account/totp")
async def totp_enrol(
    request: Request,
    staff: Annotated[Staff, Depends(guard(Action.SECOND_FACTOR, before_second_factor=True))],
) -> Response:
    """Turn the second factor on, or move it to a new phone. Either takes the password, and a
    move also a code of the current factor: a session left open (or stolen) must not be enough
    to put someone else's phone on the account."""
    form = await request.form()
    secret, code = form.get("secret"), form.get("code")
    password, current_code = form.get("password"), form.get("current_code")
    if not isinstance(secret, str) or not isinstance(code, str):
        return _enrol(request, staff, totp.new_secret(), error="bad_code")
    try:
        new_step = totp.matching_step(secret, code)
    except ValueError:  # not base32: a tampered form
        new_step = None
    if new_step is None:
        return _enrol(request, staff, secret, error="bad_code")
    account = _current_account(request, staff)
    accounts, throttle, address = _accounts(request), _throttle(request), _address(request)
    async with throttle.attempt(username=account.username, address=address):
        proven = isinstance(password, str) and await run_in_threadpool(
            verify_password, account.password_hash, password
        )
        if proven and account.has_totp:
            current = accounts.totp_secret(account)
            step = (
                totp.matching_step(current, current_code)
                if current is not None and isinstance(current_code, str)
                else None
            )
            proven = step is not None and accounts.use_totp_step(account, step)
    if not proven:
        await throttle.failed(username=account.username, address=address)
        response = _enrol(request, staff, secret, error="reauth_failed")
        response.status_code = 401
        return response
    accounts.set_totp_secret(account, secret, used_step=new_step)
    return _enrol(request, staff, secret, done=True)


@router.get("/account/password")
async def password_page(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.OWN_PASSWORD))]
) -> Response:
    return render(request, "account_password.html", staff=staff)


@router.post("/account/password")
async def change_password(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.OWN_PASSWORD))]
) -> Response:
    """A new password; every other session of the user ends (this one goes on)."""
    form = await request.form()
    current, new = form.get("current_password"), form.get("new_password")
    if not isinstance(current, str) or not isinstance(new, str):
        return render(request, "account_password.html", staff=staff, error="weak_password")
    account = _current_account(request, staff)
    throttle, address = _throttle(request), _address(request)
    async with throttle.attempt(username=account.username, address=address):
        proven = await run_in_threadpool(verify_password, account.password_hash, current)
    if not proven:
        await throttle.failed(username=account.username, address=address)
        return render(
            request, "account_password.html", staff=staff, error="reauth_failed", status_code=401
        )
    if password_problem(new, username=account.username):
        return render(request, "account_password.html", staff=staff, error="weak_password")
    password_hash = await run_in_threadpool(hash_password, new)
    _accounts(request).set_password(
        account, password_hash=password_hash, keep_token=request.state.session_token
    )
    return render(request, "account_password.html", staff=staff, done=True)


@router.post("/logout")
async def logout(
    request: Request,
    staff: Annotated[Staff, Depends(guard(Action.VIEW_QUEUE, before_second_factor=True))],
) -> Response:
    # Ended in the store: a copy of the cookie signs nobody in any more.
    _accounts(request).sign_out(token=request.state.session_token, username=staff.username)
    response = RedirectResponse("/login", status_code=303)
    codec(request).write(response, codec(request).fresh())
    return response


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """For the process supervisor; says nothing about data."""
    return {"status": "ok"}


@router.get("/lang/{code}")
async def set_language(code: str, request: Request) -> Response:
    response = RedirectResponse("/queue", status_code=303)
    if code in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 86400,
            samesite="strict",
            httponly=True,
            secure=codec(request).secure,
        )
    return response
