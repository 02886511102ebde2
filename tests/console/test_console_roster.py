"""The roster managed from the console: staff, overnight and backup shifts, deactivation."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from intake_store import audit, roster
from tests.console.conftest import Console

HANOI_23H = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Monday 23:00 in Ha Noi
HANOI_05H_NEXT = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)  # Tuesday 05:00
HANOI_10H = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # Tuesday 10:00


def duty_at(console: Console, moment: datetime) -> list[tuple[str, str | None]]:
    with console.store.begin() as session:
        return [(s.name, s.shift_kind) for s in roster.on_duty(session, at=moment)]


def test_a_supervisor_builds_and_changes_the_roster(console: Console) -> None:
    assert console.login("supervisor") == 303
    staff = {"role": "social_worker", "phone": "+84900000001", "telegram_chat_id": "5001"}
    assert (
        console.post("/roster/staff", {"name": "Lan", **staff, "provinces": "Lai Châu, Điện Biên"})
        == 303
    )
    assert console.post("/roster/staff", {"name": "Minh", "role": "operator"}) == 303
    with console.store.begin() as session:
        lan, minh = roster.list_staff(session)
    assert lan.provinces == ("Lai Châu", "Điện Biên") and lan.languages == ("vi",)

    # Lan on nights Monday to Friday, Minh as backup on-call around the clock.
    night = {"staff_id": str(lan.id), "weekdays": "01234", "start": "22:00", "end": "06:00"}
    assert console.post("/roster/shifts", night) == 303
    backup = {"staff_id": str(minh.id), "start": "00:00", "end": "00:00", "kind": "backup"}
    backup["weekdays"] = "0123456"
    assert console.post("/roster/shifts", backup) == 303
    assert duty_at(console, HANOI_23H) == [("Lan", "primary"), ("Minh", "backup")]
    assert duty_at(console, HANOI_05H_NEXT) == [("Lan", "primary"), ("Minh", "backup")]
    assert duty_at(console, HANOI_10H) == [("Minh", "backup")]
    page = console.client.get("/roster").text
    assert "22:00–06:00 (qua đêm)" in page and "Lai Châu, Điện Biên" in page

    # Bad input is refused with a message, and nothing is added.
    bad = {"staff_id": str(lan.id), "weekdays": "9", "start": "22:00", "end": "06:00"}
    response = console.client.post(
        "/roster/shifts", data={"csrf_token": console.csrf(), **bad}, follow_redirects=True
    )
    assert response.status_code == 200 and 'id="roster-error"' in response.text
    assert console.post("/roster/staff", {"name": "", "role": "operator"}) == 303

    # Remove Lan's night shift; deactivate Minh: nobody is left to alert.
    with console.store.begin() as session:
        night_id = next(s.id for s in roster.list_shifts(session) if s.staff_id == lan.id)
    assert console.post(f"/roster/shifts/{night_id}/delete") == 303
    assert duty_at(console, HANOI_23H) == [("Minh", "backup")]
    assert console.post(f"/roster/staff/{minh.id}/active", {"active": "0"}) == 303
    assert duty_at(console, HANOI_23H) == []
    page = console.client.get("/roster").text
    assert f'id="shift-{night_id}"' not in page
    assert re.search(rf'id="staff-{minh.id}" class="inactive"', page)
    assert console.post(f"/roster/staff/{minh.id}/active", {"active": "1"}) == 303
    assert duty_at(console, HANOI_23H) == [("Minh", "backup")]
    assert console.post("/roster/shifts/9999/delete") == 404

    with console.store.begin() as session:
        trail = [e.action for e in audit.list_audit(session, actor="supervisor")]
    assert trail.count("roster_add_staff") == 2 and "roster_remove_shift" in trail
    assert trail.count("roster_set_active") == 2


def test_only_supervisors_and_admins_change_the_roster_and_only_with_csrf(console: Console) -> None:
    with console.store.begin() as session:
        staff_id = roster.add_staff(session, name="Lan", role="operator")
        shift_id = roster.add_shift(
            session, staff_id=staff_id, start=datetime.min.time(), end=datetime.min.time()
        )
    for role in ("operator", "social_worker"):
        assert console.login(role) == 303
        assert console.post(f"/roster/shifts/{shift_id}/delete") == 403
        assert console.post(f"/roster/staff/{staff_id}/active", {"active": "0"}) == 403
        assert "/roster/shifts/" not in console.client.get("/roster").text  # no buttons shown
        console.client.post("/logout", data={"csrf_token": console.csrf()})
    assert console.login("admin") == 303
    no_token = console.client.post(
        f"/roster/shifts/{shift_id}/delete", data={}, follow_redirects=False
    )
    assert no_token.status_code == 403
    assert console.post(f"/roster/shifts/{shift_id}/delete") == 303
    with console.store.begin() as session:
        assert roster.list_shifts(session) == []


def test_an_admin_links_an_account_to_the_roster_so_case_updates_reach_its_phone(
    console: Console,
) -> None:
    from intake_store import alerts, users
    from tests.console.conftest import add_intake

    with console.store.begin() as session:
        lan = roster.add_staff(session, name="Lan", role="operator", telegram_chat_id="5001")
        operator = users.get_user(session, username="operator")
    assert operator is not None and operator.staff_id is None
    assert console.login("admin") == 303
    assert console.post(f"/users/{operator.id}/staff", {"staff_id": str(lan)}) == 303
    # A roster id that does not exist is refused and changes nothing.
    assert console.post(f"/users/{operator.id}/staff", {"staff_id": "999"}) == 200
    page = console.client.get("/users").text
    assert f'<option value="{lan}" selected>Lan</option>' in page

    # The operator takes an urgent case in the console: the worker now knows whose phone to ring.
    intake_id = add_intake(console.store, text="cứu em", triage="urgent")
    console.client.cookies.clear()
    assert console.login("operator") == 303
    assert console.post(f"/intakes/{intake_id}/acknowledge") == 303
    with console.store.begin() as session:
        assert alerts.holder_staff_id(session, intake_id=intake_id) == lan
        linked = audit.list_audit(session, subject_type="console_user", subject_id=operator.id)
    changes = [(a.actor, a.action) for a in linked if not a.action.startswith("login")]
    assert changes == [("admin", "user_link_staff")]

    # Untying it: updates go back to everyone the alert reached.
    console.client.cookies.clear()
    assert console.login("admin") == 303
    assert console.post(f"/users/{operator.id}/staff", {"staff_id": ""}) == 303
    with console.store.begin() as session:
        assert alerts.holder_staff_id(session, intake_id=intake_id) is None
