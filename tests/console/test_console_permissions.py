"""Each route checks its permission: every role allowed or denied as specified; default deny."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.app import create_app
from tests.conftest import make_test_settings
from tests.console.conftest import ROLES, Console, add_intake
from tests.routes import api_routes

ALL = set(ROLES)
CASEWORKERS = {"social_worker", "supervisor", "admin"}
LEADS = {"supervisor", "admin"}

# (method, path, form, roles that may use it). Written out by hand on purpose: it is the
# specification the permission table in console/permissions.py must meet.
ROUTES: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("GET", "/queue", {}, ALL),
    ("GET", "/intakes/{id}", {}, ALL),
    ("POST", "/intakes/{id}/reveal", {"reason": "gọi lại cho người báo tin"}, ALL),
    ("POST", "/intakes/{id}/acknowledge", {}, ALL),
    ("POST", "/intakes/{id}/notes", {"text": "đã gọi 113"}, ALL),
    ("POST", "/intakes/{id}/referrals", {"agency": "cong_an"}, ALL),
    ("POST", "/intakes/{id}/reply", {"text": "Chúng tôi đã nhận tin."}, ALL),
    ("POST", "/intakes/{id}/safe-window", {"start": "20:00", "end": "22:00"}, ALL),
    ("POST", "/intakes/{id}/hold", {}, ALL),
    ("POST", "/intakes/{id}/release", {}, ALL),
    ("POST", "/intakes/{id}/status", {"to_status": "verifying", "reason": "xác minh"}, CASEWORKERS),
    ("POST", "/intakes/{id}/assign", {"assignee": "operator", "reason": "ca trực"}, LEADS),
    ("POST", "/intakes/{id}/statistics", {"route": "tourism"}, CASEWORKERS),
    ("POST", "/intakes/{id}/block", {"kind": "sender", "reason": "tin giả hàng loạt"}, LEADS),
    # Operator filing (tests/console/test_console_filing.py): everyone files and attaches;
    # a transfer by someone who does not hold the case is refused on the page itself.
    ("GET", "/filing/new", {}, ALL),
    ("POST", "/filing/draft", {"notes": "mẹ gọi, con gái mất liên lạc"}, ALL),
    ("POST", "/filing/search", {"q": "0912345678"}, ALL),
    ("POST", "/filing", {"source": "call_111", "triage": "help", "notes": "hỏi chế độ"}, ALL),
    ("POST", "/filing/discard", {}, ALL),
    ("POST", "/intakes/{id}/calls", {"source": "walk_in", "notes": "đến trực tiếp"}, ALL),
    ("POST", "/intakes/{id}/transfer", {"to": "social_worker", "note": "hết ca"}, ALL),
    ("GET", "/calls", {}, ALL),
    ("GET", "/canned", {}, LEADS),
    ("POST", "/canned", {"language": "vi", "title": "Chào", "text": "Xin chào."}, LEADS),
    # Last of the intake routes: it erases the conversation. Holders may too (test_handoff).
    ("POST", "/intakes/{id}/erase", {"reason": "yêu cầu xóa", "confirm": "yes"}, LEADS),
    ("GET", "/notifications", {}, ALL),
    ("GET", "/roster", {}, ALL),
    ("POST", "/roster/staff", {"name": "Nguyễn Văn A", "role": "operator"}, LEADS),
    ("GET", "/statistics", {}, LEADS),
    ("GET", "/statistics/export.csv", {}, LEADS),
    ("GET", "/statistics/export.xlsx", {}, LEADS),
    ("GET", "/audit", {}, LEADS),
    ("GET", "/users", {}, {"admin"}),
    # Every account protects itself (tests/console/test_console_auth.py).
    ("GET", "/account/totp", {}, ALL),
    ("GET", "/account/password", {}, ALL),
    ("POST", "/users", {"username": "moi", "role": "operator", "password": "x"}, {"admin"}),
]
PUBLIC = {
    "/login",
    "/login/totp",
    "/logout",
    "/healthz",
    "/livez",
    "/readyz",
    "/metrics",  # behind CHUNGTAY_METRICS_TOKEN (tests/gateway/test_metrics.py)
    "/lang/{code}",
    "/static",
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_and_denied_as_specified(console: Console, role: str) -> None:
    intake_id = add_intake(console.store, text="cứu tôi với", triage="urgent", reasons=("held",))
    assert console.login(role) == 303
    for method, template, form, roles in ROUTES:
        path = template.format(id=intake_id)
        if method == "GET":
            status = console.client.get(path, follow_redirects=False).status_code
        else:
            status = console.post(path, form)
        if role in roles:
            assert status in (200, 303), f"{role} should be allowed {method} {path}: {status}"
        else:
            assert status == 403, f"{role} should be denied {method} {path}: {status}"


def test_every_route_is_guarded_or_explicitly_public(tmp_path: Path) -> None:
    app = create_app(make_test_settings(tmp_path))
    unguarded = []
    all_routes = list(api_routes(app.routes))
    assert len(all_routes) >= 25  # FastAPI nests included routers: walk them
    for route in all_routes:
        if route.path in PUBLIC:
            continue
        actions = [
            d.call for d in route.dependant.dependencies if hasattr(d.call, "console_action")
        ]
        if not actions:
            unguarded.append(route.path)
    assert unguarded == []
    # The hand-written table covers every guarded route.
    covered = {template.replace("{id}", "{intake_id}") for _, template, _, _ in ROUTES}
    guarded = {r.path for r in all_routes if r.path not in PUBLIC}
    assert guarded - covered <= {
        "/",
        "/account/totp",
        "/account/password",
        "/intakes/{intake_id}/referrals/{referral_id}",
        "/intakes/{intake_id}/links/{link_id}/confirm",  # tests/security/test_case_codes.py
        "/intakes/{intake_id}/links/{link_id}/reject",
        "/blocks/{block_id}/unblock",  # tests/console/test_console_blocking.py
        "/canned/{reply_id}",  # tests/console/test_console_filing.py
        "/roster/shifts",
        "/roster/shifts/{shift_id}/delete",  # tests/console/test_console_roster.py
        "/roster/staff/{staff_id}/active",
        "/users/{user_id}/active",
        "/users/{user_id}/staff",  # tests/console/test_console_roster.py
        "/users/{user_id}/role",  # tests/console/test_console_account_audit.py
        "/users/{user_id}/totp/reset",  # tests/console/test_console_account_audit.py
    }


def test_signed_out_visitors_are_sent_to_login(console: Console) -> None:
    intake_id = add_intake(console.store, text="cứu tôi với", triage="urgent")
    for path in ("/queue", f"/intakes/{intake_id}", "/audit", "/statistics/export.csv"):
        response = console.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    response = console.client.post(f"/intakes/{intake_id}/acknowledge", follow_redirects=False)
    assert response.status_code == 303
    assert "cứu tôi với" not in console.client.get("/queue").text


def test_a_disabled_account_loses_its_session(console: Console) -> None:
    assert console.login("operator") == 303
    assert console.client.get("/queue").status_code == 200
    from intake_store import users

    with console.store.begin() as session:
        record = users.get_user(session, username="operator")
        assert record is not None
        users.set_user_active(session, user_id=record.id, active=False)
    response = console.client.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
