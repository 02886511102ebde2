"""Every console form and filter under hostile input, on PostgreSQL: never a 5xx, and a form the
console refuses changes nothing in the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from console.throttle import LoginThrottle
from intake_store import casework
from intake_store.models import Base
from intake_store.store import Store
from tests.conftest import make_test_settings
from tests.console.conftest import Console, add_intake, make_console
from tests.security.strategies import FUZZ, form_text

# Console requests are heavier than webhooks (templates, Argon2): fewer examples.
CONSOLE_FUZZ = settings(parent=FUZZ, max_examples=20)
INTAKE_FORMS = {
    "status": ("to_status", "reason"),
    "assign": ("assignee", "reason"),
    "notes": ("text",),
    "referrals": ("agency", "note"),
    "reply": ("text",),
}


@pytest.fixture(scope="module")
def console(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Console]:
    settings = make_test_settings(tmp_path_factory.mktemp("c"), database_url=module_database_url)
    yield from make_console(settings)


@pytest.fixture(scope="module")
def intake_id(console: Console) -> int:
    assert console.login("admin") == 303
    return add_intake(console.store, text="cứu tôi với", triage="urgent", reasons=("held",))


def check(status: int, allowed: tuple[int, ...], *values: str) -> None:
    """A NUL anywhere is refused with 400 before the app sees it; otherwise ``allowed``."""
    if any("\x00" in value for value in values):
        assert status == 400, status
    else:
        assert status in allowed, status


def counts(store: Store) -> dict[str, int]:
    with store.begin() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
            if t.name != "audit_log"  # reads are audited; they are not writes of the form
        }


@settings(parent=FUZZ, max_examples=10)  # each example costs an Argon2 verification
@given(username=form_text, password=form_text, code=form_text)
def test_login_and_second_factor_forms(
    console: Console, username: str, password: str, code: str
) -> None:
    console.client.cookies.clear()
    console.client.app.state.throttle = LoginThrottle()  # type: ignore[attr-defined]
    token = console.csrf("/login")
    for data in (
        {"username": username, "password": password, "csrf_token": token},
        {"username": username, "password": password},
        {"username": username, "password": password, "csrf_token": username},
    ):
        status = console.client.post("/login", data=data, follow_redirects=False).status_code
        check(status, (401, 403, 429), *data.values())
    status = console.client.post(
        "/login/totp", data={"code": code, "csrf_token": token}, follow_redirects=False
    ).status_code
    check(status, (303, 403), code)  # no second step pending: back to the login page


@CONSOLE_FUZZ
@given(
    form=st.sampled_from(sorted(INTAKE_FORMS)),
    values=st.lists(form_text, min_size=2, max_size=2),
    raw=st.binary(max_size=200),
)
def test_intake_forms(
    console: Console, intake_id: int, form: str, values: list[str], raw: bytes
) -> None:
    before = counts(console.store)
    data = dict(zip(INTAKE_FORMS[form], values, strict=False))
    status = console.post(f"/intakes/{intake_id}/{form}", data)
    check(status, (200, 303), *values[: len(data)])  # 200: the page again, with its error
    if status != 303:
        assert counts(console.store) == before
    # Bytes that are not UTF-8 or not form encoding at all, with a valid token.
    token = console.csrf()
    body = b"csrf_token=" + token.encode() + b"&text=" + raw + b"&reason=" + raw
    response = console.client.post(
        f"/intakes/{intake_id}/notes",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code < 500
    status = console.post(f"/intakes/{intake_id}/reveal", {"reason": values[0]})
    check(status, (200, 404), values[0])
    with console.store.begin() as session:
        referrals = casework.list_referrals(session, intake_id=intake_id)
    if referrals:
        status = console.post(
            f"/intakes/{intake_id}/referrals/{referrals[0].id}", {"status": values[1]}
        )
        check(status, (200, 303), values[1])


@CONSOLE_FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "since",
                "until",
                "q",
                "status",
                "province",
                "category",
                "triage",
                "actor",
                "intake",
                "partial",
            ]
        ),
        form_text,
        max_size=5,
    )
)
def test_statistics_queue_and_audit_filters(
    console: Console, intake_id: int, params: dict[str, str]
) -> None:
    for path in (
        "/statistics",
        "/statistics/export.csv",
        "/statistics/export.xlsx",
        "/queue",
        "/audit",
    ):
        response = console.client.get(path, params=params, follow_redirects=False)
        assert response.status_code in (200, 400), (path, response.status_code)
        if response.status_code == 400:
            assert any("\x00" in value for value in params.values())


@CONSOLE_FUZZ
@given(values=st.lists(form_text, min_size=4, max_size=4))
def test_roster_and_user_forms(console: Console, intake_id: int, values: list[str]) -> None:
    name, role, start, end = values
    for path, data in (
        ("/roster/staff", {"name": name, "role": role, "phone": start}),
        ("/roster/shifts", {"staff_id": name, "start": start, "end": end, "weekdays": role}),
        ("/users", {"username": name, "role": role, "password": start}),
        ("/account/totp", {"secret": name, "code": start}),
    ):
        check(console.post(path, data), (200, 303), *data.values())


# Valid choices half the time, so hostile text also reaches the store through a filed case.
FILING_FORM = st.fixed_dictionaries(
    {
        "source": st.one_of(st.sampled_from(["call_111", "walk_in", "police"]), form_text),
        "triage": st.one_of(st.sampled_from(["urgent", "report", "help"]), form_text),
        "urgent_reasons": st.one_of(st.just("confinement"), form_text),
        **{
            name: form_text
            for name in (
                "received_at",
                "caller_name",
                "caller_relation",
                "caller_phone",
                "age",
                "people_count",
                "at_risk",
                "contact_method",
                "contact_phone",
                "province",
                "return_mode",
                "call_id",
                "opened_at",
                "q",
                "notes",
            )
        },
    }
)


@CONSOLE_FUZZ
@given(data=FILING_FORM)
def test_filing_forms(console: Console, intake_id: int, data: dict[str, str]) -> None:
    """Tiếp nhận mới under hostile input: the form again with its error, never a 5xx."""
    for path in ("/filing/draft", "/filing/search", "/filing", f"/intakes/{intake_id}/calls"):
        check(console.post(path, data), (200, 303, 400), *data.values())


def test_a_huge_form_is_refused_before_it_is_read(console: Console, intake_id: int) -> None:
    before = counts(console.store)
    status = console.post(f"/intakes/{intake_id}/notes", {"text": "x" * (2 * 1024 * 1024)})
    assert status == 413
    assert counts(console.store) == before
