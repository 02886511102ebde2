"""The console's automated security check: headers, cookies, CSRF and the permission matrix.

Routes are enumerated from the app, so a new route is covered (or fails here) without anyone
remembering to add it: a state-changing route must refuse a missing CSRF token, and every route's
answer for every role follows console/permissions.py.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.permissions import Action, allowed
from intake_store import (
    canned,
    case_links,
    casework,
    intake_views,
    messages,
    roster,
    sources,
    users,
)
from intake_store.models import Base
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.console.conftest import ROLES, Console, add_intake, make_console
from tests.routes import api_routes

# Routes anyone may call, each with why.
PUBLIC = {
    "/login": "the sign-in form (CSRF checked by the view itself)",
    "/login/totp": "second step of sign-in (CSRF checked by the view itself)",
    "/healthz": "liveness for the supervisor; no data",
    "/livez": "liveness; no data",
    "/readyz": "readiness: check names, statuses and error class names; no data",
    "/metrics": "counts for Prometheus, behind CHUNGTAY_METRICS_TOKEN instead of a console role",
    "/lang/{code}": "interface language cookie; no data",
}
SAFE = {"GET", "HEAD", "OPTIONS"}
FORMS: dict[str, dict[str, str]] = {
    # A form each state-changing route would accept, so a refusal is the CSRF check's doing.
    "/intakes/{intake_id}/reveal": {"reason": "gọi lại cho người báo tin"},
    "/intakes/{intake_id}/acknowledge": {},
    "/intakes/{intake_id}/status": {"to_status": "verifying", "reason": "xác minh"},
    "/intakes/{intake_id}/assign": {"assignee": "operator", "reason": "ca trực"},
    "/intakes/{intake_id}/notes": {"text": "đã gọi 113"},
    "/intakes/{intake_id}/referrals": {"agency": "cong_an"},
    "/intakes/{intake_id}/referrals/{referral_id}": {"status": "accepted"},
    "/intakes/{intake_id}/reply": {"text": "Chúng tôi đã nhận tin."},
    "/intakes/{intake_id}/safe-window": {"start": "20:00", "end": "22:00"},
    "/intakes/{intake_id}/links/{link_id}/confirm": {},
    "/intakes/{intake_id}/links/{link_id}/reject": {},
    "/intakes/{intake_id}/block": {"kind": "sender", "reason": "tin giả hàng loạt"},
    "/blocks/{block_id}/unblock": {"reason": "đã xác minh"},
    "/roster/staff": {"name": "Nguyễn Văn B", "role": "operator"},
    "/roster/shifts": {"staff_id": "{staff_id}", "start": "08:00", "end": "16:00"},
    "/users": {"username": "moi", "role": "operator", "password": "Một-mật-khẩu-dài-2026"},
    "/users/{user_id}/active": {"active": "0"},
    "/users/{user_id}/staff": {"staff_id": "{staff_id}"},
    "/intakes/{intake_id}/statistics": {"route": "tourism"},
    "/intakes/{intake_id}/hold": {},
    "/intakes/{intake_id}/calls": {"source": "walk_in", "notes": "đến trực tiếp"},
    "/intakes/{intake_id}/transfer": {"to": "social_worker", "note": "hết ca"},
    "/filing": {"source": "call_111", "triage": "help", "notes": "hỏi chế độ"},
    "/filing/draft": {"notes": "mẹ gọi, con gái mất liên lạc"},
    "/filing/search": {"q": "0912345678"},
    "/filing/discard": {},
    "/canned": {"language": "vi", "title": "Chào", "text": "Xin chào."},
    "/canned/{reply_id}": {"title": "Chào", "text": "Xin chào.", "active": "1"},
    "/intakes/{intake_id}/release": {},
    "/intakes/{intake_id}/erase": {"reason": "người báo tin yêu cầu", "confirm": "yes"},
    "/roster/staff/{staff_id}/active": {"active": "1"},
    "/roster/shifts/{shift_id}/delete": {},
    "/account/totp": {"secret": "JBSWY3DPEHPK3PXP", "code": "000000"},
    "/account/password": {"current_password": "Chung-Tay-2026!", "new_password": "ngan"},
    "/users/{user_id}/role": {"role": "operator"},
    "/users/{user_id}/totp/reset": {},
    "/login": {"username": "admin", "password": "Chung-Tay-2026!"},
    "/login/totp": {"code": "000000"},
    "/logout": {},
}


def routes(console: Console) -> list[APIRoute]:
    found = list(api_routes(console.client.app.routes))  # type: ignore[attr-defined]
    assert len(found) >= 25, "route enumeration broken"
    return found


def action_of(route: APIRoute) -> Action | None:
    for dependency in route.dependant.dependencies:
        action = getattr(dependency.call, "console_action", None)
        if isinstance(action, Action):
            return action
    return None


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    yield from make_console(make_test_settings(tmp_path))


def fill(console: Console, path: str) -> str:
    """A real object for each path parameter."""
    intake_id = add_intake(console.store, text="cứu tôi với", triage="urgent", reasons=("held",))
    with console.store.begin() as session:
        referral = casework.add_referral(
            session,
            cipher=console.store.cipher,
            intake_id=intake_id,
            agency="cong_an",
            actor="admin",
            note=None,
        )
        operator = users.get_user(session, username="operator")
        staff_id = roster.add_staff(session, name="Ca phụ", role="operator")
        shift_id = roster.add_shift(session, staff_id=staff_id, start=time(8, 0), end=time(16, 0))
        link_id = _pending_link(console.store, session, intake_id)
        block_id = sources.block_case_source(
            session, intake_id=intake_id, kind="sender", actor="admin", reason="tin giả"
        )
        reply_id = canned.list_replies(session, active_only=False)[0].id  # seeded by 0009
    assert operator is not None
    values = {
        "staff_id": staff_id,
        "shift_id": shift_id,
        "intake_id": intake_id,
        "referral_id": getattr(referral, "id", referral),
        "user_id": operator.id,
        "link_id": link_id,
        "block_id": block_id,
        "reply_id": reply_id,
        "code": "vi",
    }
    names = re.findall(r"{(\w+)}", path)
    missing = [n for n in names if n not in values]
    assert not missing, f"the security check needs a value for {missing} in {path}"
    return path.format(**{n: values[n] for n in names})


def _pending_link(store: Store, session: Session, intake_id: int) -> int:
    """Someone typed the case's code in another conversation: a link for staff to decide on."""
    stranger = messages.record_inbound(
        session,
        cipher=store.cipher,
        hasher=store.hasher,
        channel="webchat",
        sender_id=f"stranger-{secrets.token_hex(6)}",
        external_id=secrets.token_hex(6),
        text="mã hồ sơ của tôi",
    )
    case_links.look_up_code(
        session,
        conversation_id=stranger.conversation_id,
        reference_code=intake_views.get_intake(session, intake_id=intake_id).reference_code,
        per_sender=5,
        overall=10_000,
        window=timedelta(hours=1),
    )
    return case_links.pending_links(session, intake_id=intake_id)[-1].id


def counts(store: Store) -> dict[str, int]:
    with store.begin() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


# -- CSRF -------------------------------------------------------------------------------------
def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(
    console: Console,
) -> None:
    with console.store.begin() as session:
        staff_id = roster.add_staff(session, name="Trực ban", role="operator")
    assert console.login("admin") == 303
    writes = [(m, r) for r in routes(console) for m in sorted(r.methods or ()) if m not in SAFE]
    assert len(writes) >= 15, "the route enumeration found too few state-changing routes"
    missing_form = [r.path for _, r in writes if r.path not in FORMS]
    assert not missing_form, f"add an accepted form for new routes {missing_form}"
    for method, route in writes:
        path = fill(console, route.path)
        form = {k: v.format(staff_id=staff_id) for k, v in FORMS[route.path].items()}
        before = counts(console.store)
        for token in (None, "forged-" + "x" * 40):
            data = form if token is None else {**form, "csrf_token": token}
            response = console.client.request(method, path, data=data, follow_redirects=False)
            assert response.status_code == 403, f"{method} {route.path} without CSRF: {response}"
        after = counts(console.store)
        # Filling the path parameters made an intake and a referral; nothing else may change.
        changed = {t for t in after if after[t] != before[t]}
        assert changed <= set(), f"{method} {route.path} changed {changed} without a CSRF token"
    # And the same forms with the right token are accepted (so the 403s above were CSRF's).
    path = fill(console, "/intakes/{intake_id}/notes")
    assert console.post(path, FORMS["/intakes/{intake_id}/notes"]) == 303


# -- permission matrix ------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role_as_permissions_py_says(console: Console, role: str) -> None:
    with console.store.begin() as session:
        staff_id = roster.add_staff(session, name="Trực ban", role="operator")
        roster.add_shift(session, staff_id=staff_id, start=time(0, 0), end=time(0, 0))
    assert console.login(role) == 303
    checked = 0
    for route in routes(console):
        if route.path in PUBLIC:
            continue
        action = action_of(route)
        assert action is not None, f"{route.path} has no permission guard (default deny)"
        for method in sorted(route.methods or ()):
            if route.path == "/logout":
                continue  # would end this session; covered by the CSRF test
            path = fill(console, route.path)
            if method in SAFE:
                status = console.client.get(path, follow_redirects=False).status_code
            else:
                form = {k: v.format(staff_id=staff_id) for k, v in FORMS[route.path].items()}
                status = console.post(path, form)
            expected_allowed = allowed(role, action)
            if route.path == "/intakes/{intake_id}/erase":
                # Guarded by ERASE_HELD; without holding the conversation it takes ERASE.
                expected_allowed = allowed(role, Action.ERASE)
            if route.path == "/users/{user_id}/active" and expected_allowed:
                console.post(path, {"active": "1"})  # put the operator back
            if expected_allowed:
                assert status < 400 or status == 404, f"{role} {method} {route.path}: {status}"
            else:
                assert status == 403, f"{role} must be denied {method} {route.path}: {status}"
            checked += 1
    assert checked >= 20


# -- missing intakes ---------------------------------------------------------------------------
def test_every_intake_route_answers_404_for_a_missing_intake(console: Console) -> None:
    """Not a 500 (nor a page about nothing) on any route, whatever the store raises inside."""
    with console.store.begin() as session:
        staff_id = roster.add_staff(session, name="Trực ban", role="operator")
    assert console.login("admin") == 303
    checked = []
    for route in routes(console):
        if "{intake_id}" not in route.path:
            continue
        path = fill(console, route.path.replace("{intake_id}", "999999"))
        for method in sorted(route.methods or ()):
            if method in SAFE:
                response = console.client.get(path, follow_redirects=False)
            else:
                form = {k: v.format(staff_id=staff_id) for k, v in FORMS[route.path].items()}
                data = {"csrf_token": console.csrf(), **form}
                response = console.client.request(method, path, data=data, follow_redirects=False)
            assert response.status_code == 404, f"{method} {route.path}: {response.status_code}"
            assert "Không tìm thấy" in response.text
            checked.append(route.path)
    assert len(checked) >= 13, "the route enumeration found too few intake routes"


# -- headers and cookies ----------------------------------------------------------------------
def _check_headers(h: httpx.Headers, *, https: bool) -> None:
    csp = h["content-security-policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    hsts = h.get("strict-transport-security")
    if https:
        assert (
            hsts and "max-age=" in hsts and int(re.findall(r"max-age=(\d+)", hsts)[0]) >= 15552000
        )
    else:
        assert hsts is None  # over plain http a browser ignores it; keep dev simple


@pytest.mark.parametrize(
    "overrides,https",
    [
        ({}, False),
        ({"console_base_url": "https://console.chungtay.example.vn"}, True),
        ({"profile": "production"}, True),
    ],
)
def test_headers_and_cookies_on_every_page(
    tmp_path: Path, overrides: dict[str, str], https: bool
) -> None:
    for console in make_console(make_test_settings(tmp_path, **overrides)):
        if https:  # as behind the TLS proxy; the client then sends Secure cookies back
            console.client.base_url = "https://testserver"
        login_page = console.client.get("/login")
        _check_headers(login_page.headers, https=https)
        cookie = login_page.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert ("secure" in cookie.lower().split("; ")) is https
        token = re.findall(r'name="csrf_token" value="([^"]+)"', login_page.text)[0]
        signed_in = console.client.post(
            "/login",
            data={"username": "admin", "password": "Chung-Tay-2026!", "csrf_token": token},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        session_cookie = signed_in.headers["set-cookie"].lower()
        assert "httponly" in session_cookie and "samesite=strict" in session_cookie
        assert ("secure" in session_cookie.split("; ")) is https
        language = console.client.get("/lang/en", follow_redirects=False)
        lang_cookie = language.headers["set-cookie"].lower()
        assert "samesite=strict" in lang_cookie and ("secure" in lang_cookie.split("; ")) is https
        for route in routes(console):
            if "GET" not in (route.methods or ()) or route.path == "/lang/{code}":
                continue
            path = fill(console, route.path)
            response = console.client.get(path, follow_redirects=False)
            assert response.status_code < 500, path
            _check_headers(response.headers, https=https)
            if not path.startswith("/static"):
                assert response.headers["cache-control"] == "no-store", path
        for path in ("/no-such-page", "/static/console.css"):
            _check_headers(console.client.get(path).headers, https=https)
