"""Sign in, sign out and the interface language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console import totp
from console.accounts import Account
from console.i18n import LANG_COOKIE, LANGUAGES
from console.passwords import hash_password, verify_password
from console.permissions import Action
from console.sessions import csrf_matches
from console.web import Staff, codec, current_session, guard, render

router = APIRouter()

# Verified when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")


@router.get("/login")
async def login_page(request: Request) -> Response:
    session = current_session(request)
    if session is None or session.username is not None:
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
    address = request.client.host if request.client else "unknown"
    throttle = request.app.state.throttle
    accounts = request.app.state.accounts
    account = accounts.find(username=username) if username else None
    # Locked: by the per-process throttle (also covers unknown names and noisy addresses) or by
    # the account's own lockout, which the store keeps across restarts.
    if throttle.blocked(username=username, address=address) or (account and account.locked()):
        return render(
            request, "login.html", staff=None, csrf=session.csrf, error="locked", status_code=429
        )
    ok = verify_password(account.password_hash if account else _DUMMY_HASH, password)
    if account is None or not ok:
        throttle.failed(username=username, address=address)
        if account is not None:
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
    return _signed_in(request, account)


def _signed_in(request: Request, account: Account) -> Response:
    request.app.state.throttle.succeeded(username=account.username)
    request.app.state.accounts.successful_login(account)
    response = RedirectResponse("/queue", status_code=303)
    # A fresh session on login: a token planted before sign-in is useless afterwards.
    codec(request).write(response, codec(request).fresh(account.username))
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
    address = request.client.host if request.client else "unknown"
    throttle = request.app.state.throttle
    accounts = request.app.state.accounts
    account = accounts.find(username=session.pending)
    if account is None:
        return RedirectResponse("/login", status_code=303)
    if throttle.blocked(username=account.username, address=address) or account.locked():
        return render(
            request, "totp.html", staff=None, csrf=session.csrf, error="locked", status_code=429
        )
    secret = accounts.totp_secret(account)
    code = form.get("code")
    if secret is None or not isinstance(code, str) or not totp.verify(secret, code):
        throttle.failed(username=account.username, address=address)
        accounts.failed_login(account)
        return render(
            request, "totp.html", staff=None, csrf=session.csrf, error="bad_code", status_code=401
        )
    return _signed_in(request, account)


@router.get("/account/totp")
async def totp_enrol_page(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.SECOND_FACTOR))]
) -> Response:
    secret = totp.new_secret()
    return _enrol(request, staff, secret)


def _enrol(request: Request, staff: Staff, secret: str, **extra: Any) -> Response:
    return render(
        request,
        "totp_enrol.html",
        staff=staff,
        secret=secret,
        uri=totp.provisioning_uri(secret, username=staff.username),
        **extra,
    )


@router.post("/account/totp")
async def totp_enrol(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.SECOND_FACTOR))]
) -> Response:
    form = await request.form()
    secret, code = form.get("secret"), form.get("code")
    if not isinstance(secret, str) or not isinstance(code, str):
        return _enrol(request, staff, totp.new_secret(), error="bad_code")
    try:
        valid = totp.verify(secret, code)
    except ValueError:  # not base32: a tampered form
        valid = False
    if not valid:
        return _enrol(request, staff, secret, error="bad_code")
    accounts = request.app.state.accounts
    account = accounts.find(username=staff.username)
    if account is None:
        return RedirectResponse("/login", status_code=303)
    accounts.set_totp_secret(account, secret)
    return _enrol(request, staff, secret, done=True)


@router.post("/logout")
async def logout(
    request: Request, staff: Annotated[Staff, Depends(guard(Action.VIEW_QUEUE))]
) -> Response:
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
