"""The seed plans' statistics categories: a closed list, set from the intake page, counted."""

from __future__ import annotations

import pytest

from intake_store import audit, intake_views, intakes, statistics, workflow
from tests.console.conftest import Console, add_intake, export_sections


def counts(console: Console) -> dict[tuple[str, str], int]:
    response = console.client.get("/statistics/export.csv")
    assert response.status_code == 200
    _, rows = export_sections(response.text)
    return {(dimension, value): int(count) for dimension, value, count in rows[1:]}


def test_staff_classify_a_case_and_the_report_counts_it(console_any_db: Console) -> None:
    console = console_any_db
    first = add_intake(console.store, text="a", triage="help", sender="+84933000001")
    add_intake(console.store, text="b", triage="help", sender="+84933000002")

    assert console.login("social_worker") == 303
    form = {"return_mode": "official_handover", "discovery": "", "route": "marriage"}
    assert console.post(f"/intakes/{first}/statistics", form) == 303
    page = console.client.get(f"/intakes/{first}").text
    assert 'id="stat-return_mode">Trao trả chính thức<' in page
    assert 'id="stat-route">Kết hôn với người nước ngoài<' in page

    # A value outside the list: refused with a message, nothing changed.
    response = console.client.post(
        f"/intakes/{first}/statistics",
        data={"csrf_token": console.csrf(), "route": "xuat khau"},
        follow_redirects=False,
    )
    assert response.status_code == 400 and "không có trong danh mục" in response.text
    with console.store.begin() as session:
        view = intake_views.get_intake(session, intake_id=first)
        trail = audit.list_audit(session, subject_type="intake", subject_id=first)
    assert view.details["route"] == "marriage"
    assert [(e.actor, e.action) for e in trail] == [("social_worker", "classify_intake")]

    console.client.post("/logout", data={"csrf_token": console.csrf()})
    assert console.login("supervisor") == 303
    found = counts(console)
    assert found[("return_mode", "official_handover")] == 1
    assert found[("return_mode", "self_return")] == 0  # both halves always reported
    assert found[("return_mode", "unknown")] == 1
    assert found[("route", "marriage")] == 1 and found[("route", "tourism")] == 0
    assert found[("discovery", "rescued")] == 0 and found[("discovery", "unknown")] == 2


def test_operators_cannot_classify(console: Console) -> None:
    intake = add_intake(console.store, text="a", triage="help")
    assert console.login("operator") == 303
    assert console.post(f"/intakes/{intake}/statistics", {"route": "tourism"}) == 403


def test_the_store_refuses_values_outside_the_vocabulary(console: Console) -> None:
    intake = add_intake(console.store, text="a", triage="help")
    with console.store.begin() as session:
        with pytest.raises(statistics.UnknownCategoryValue, match="route must be one of"):
            intakes.update_details(
                session,
                cipher=console.store.cipher,
                intake_id=intake,
                details={"route": "xkld"},  # type: ignore[typeddict-item]
            )
        with pytest.raises(ValueError, match="not a statistics field"):
            workflow.classify(session, intake_id=intake, actor="x", values={"category": "other"})
    assert statistics.ROUTES == ("labour_export", "tourism", "marriage", "other")
