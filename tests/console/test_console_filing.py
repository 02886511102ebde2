"""Tiếp nhận mới in the console: filing a call, search before create, autosave, canned replies,
transfer, and the statistics by source."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select

from intake_store import audit, casework, filing, handoff, intake_views, roster, users
from intake_store.models import Intake, OutboxRow
from tests.console.conftest import Console, add_intake

URGENT_CALL = {
    "source": "call_111",
    "received_at": "",
    "caller_name": "Trần Thị Mai",
    "caller_relation": "parent",
    "caller_phone": "0987 654 321",
    "at_risk": "relative",
    "age": "16",
    "people_count": "1",
    "province": "Lào Cai",
    "destination_country": "Trung Quốc",
    "summary": "Con gái bị người quen đưa qua biên giới, đang bị giữ",
    "triage": "urgent",
    "urgent_reasons": "confinement",
    "contact_method": "call",
    "consent_contact": "yes",
    "safe_to_contact": "yes",
    "notes": "Mẹ gọi lúc 21h, giọng hoảng loạn",
}


def _count(console: Console, model: type[Any], *where: ColumnElement[bool]) -> int:
    with console.store.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_an_operator_files_an_urgent_call_and_it_leads_the_queue(console: Console) -> None:
    add_intake(console.store, text="hỏi về xuất khẩu lao động", triage="question")
    assert console.login("operator") == 303
    page = console.client.get("/filing/new")
    assert page.status_code == 200 and "Tiếp nhận mới" in page.text and "autofocus" in page.text
    english = console.client.get("/filing/new", params={"lang": "en"}).text
    assert "New intake" in english and "Call to 111" in english and "Cha / mẹ" not in english
    # What the operator types is kept before anything is filed: the tab may drop.
    token = console.csrf("/filing/new")
    saved = console.client.post(
        "/filing/draft", data={"csrf_token": token, "notes": "Mẹ gọi lúc 21h"}
    )
    call_id = saved.json()["call_id"]
    reopened = console.client.get("/filing/new").text
    assert "Mẹ gọi lúc 21h" in reopened and f'value="{call_id}"' in reopened

    form = {**URGENT_CALL, "call_id": str(call_id), "csrf_token": token}
    filed = console.client.post("/filing", data=form, follow_redirects=False)
    assert filed.status_code == 303
    intake_id = int(filed.headers["location"].rsplit("/", 1)[1])
    again = console.client.post("/filing", data=form, follow_redirects=False)  # pressed twice
    assert again.headers["location"] == filed.headers["location"]
    assert _count(console, OutboxRow, OutboxRow.kind == "staff_alert") == 1
    assert _count(console, Intake) == 2

    queue = console.client.get("/queue").text
    first_row = queue.split('<tbody id="queue-rows">', 1)[1].split("</tr>", 1)[0]
    assert f"/intakes/{intake_id}" in first_row and "Gọi tổng đài 111" in first_row
    # The queue's phone search finds the filed caller too (keyed hash, any way it is typed).
    searched = console.client.get("/queue", params={"q": "+84987654321"}).text
    assert f"/intakes/{intake_id}" in searched
    page = console.client.get(f"/intakes/{intake_id}").text
    assert "Gọi tổng đài 111" in page and "Trần Thị Mai" not in page  # masked until revealed
    with console.store.begin() as session:
        case = intake_views.get_intake(session, intake_id=intake_id)
        assert case.details["is_minor"] is True and case.details["age_band"] == "16_17"
        assert case.urgent_reasons == ["confinement"]
        filed_by = [e for e in audit.list_audit(session, subject_id=intake_id)]
    assert any(e.action == "file_intake" and e.actor == "operator" for e in filed_by)
    revealed = console.client.post(
        f"/intakes/{intake_id}/reveal",
        data={"reason": "gọi lại cho mẹ", "csrf_token": console.csrf()},
    ).text
    assert "Trần Thị Mai" in revealed and "0987 654 321" in revealed and "giọng hoảng" in revealed

    # Statistics: chat-born and filed side by side, in words.
    assert console.login("supervisor") == 303
    stats = console.client.get("/statistics").text
    assert "Gọi tổng đài 111" in stats and "Trò chuyện với trợ lý" in stats
    assert "Điện thoại viên ghi" in stats and "call_111" not in stats


def test_search_before_create_attaches_a_call_to_the_chat_case(console: Console) -> None:
    chat_case = add_intake(
        console.store, text="con tôi mất liên lạc", triage="help", sender="+84912345678"
    )
    assert console.login("social_worker") == 303
    token = console.csrf("/filing/new")
    found = console.client.post(
        "/filing/search", data={"csrf_token": token, "q": "0912 345 678", "source": "call_111"}
    )
    assert found.status_code == 200
    assert f'formaction="/intakes/{chat_case}/calls"' in found.text
    call_id = re.search(r'name="call_id" id="call_id" value="(\d+)"', found.text)
    assert call_id, "the search saved the draft"
    attached = console.client.post(
        f"/intakes/{chat_case}/calls",
        data={
            "csrf_token": token,
            "call_id": call_id.group(1),
            "source": "call_111",
            "caller_relation": "parent",
            "triage": "report",  # the form's level is no finding: the case keeps its own
            "notes": "Mẹ gọi lại, vẫn chưa liên lạc được",
        },
        follow_redirects=False,
    )
    assert attached.headers["location"] == f"/intakes/{chat_case}"
    assert _count(console, Intake) == 1
    with console.store.begin() as session:
        assert intake_views.get_intake(session, intake_id=chat_case).triage == "help"
        kinds = [e.kind for e in casework.timeline(session, intake_id=chat_case)]
        searched = [e.action for e in audit.list_audit(session, actor="social_worker")]
    assert "attach_call" in kinds and "case_search" in searched
    assert "Gắn cuộc gọi" in console.client.get(f"/intakes/{chat_case}").text


def test_canned_replies_are_kept_by_supervisors_and_offered_in_the_reply_box(
    console: Console,
) -> None:
    intake_id = add_intake(
        console.store, text="tôi cần giúp", triage="help", details={"safe_to_contact": True}
    )
    assert console.login("operator") == 303
    assert console.client.get("/canned", follow_redirects=False).status_code == 403
    page = console.client.get(f"/intakes/{intake_id}").text
    assert 'id="canned"' in page and "Alt+1" in page
    assert "gọi ngay 113 (Công an)" in page  # a seeded, sourced snippet

    assert console.login("supervisor") == 303
    callback = {"title": "Hẹn gọi lại", "text": "Cán bộ sẽ gọi lại cho bạn vào giờ bạn hẹn."}
    assert console.post("/canned", {"language": "vi", **callback}) == 303
    assert "giờ bạn hẹn" in console.client.get(f"/intakes/{intake_id}").text
    assert console.post("/canned", {"language": "vi", "title": "", "text": "x"}) == 400
    listing = console.client.get("/canned").text
    reply_id = re.findall(r'action="/canned/(\d+)"', listing)[-1]
    assert console.post(f"/canned/{reply_id}", callback) == 303  # "active" unticked: retired
    assert "giờ bạn hẹn" not in console.client.get(f"/intakes/{intake_id}").text


def test_the_holder_transfers_a_case_and_its_held_conversation(console: Console) -> None:
    intake_id = add_intake(console.store, text="cho tôi gặp người thật", triage="help")
    assert console.login("operator") == 303
    assert console.post(f"/intakes/{intake_id}/hold") == 303
    # Handed on by choosing an active account, on duty first (as assigning), never oneself.
    now = datetime.now(ZoneInfo(console.settings.timezone))
    with console.store.begin() as session:
        lan = roster.add_staff(session, name="Nguyễn Thị Lan", role="supervisor")
        roster.add_shift(
            session, staff_id=lan, start=dtime((now.hour - 1) % 24), end=dtime((now.hour + 2) % 24)
        )
        for account in users.list_users(session):
            if account.username == "supervisor":
                users.link_staff(session, user_id=account.id, staff_id=lan)
            if account.username == "admin":
                users.set_user_active(session, user_id=account.id, active=False)
    menu = re.search(
        r'<select name="to"[^>]*>(.*?)</select>',
        console.client.get(f"/intakes/{intake_id}").text,
        re.S,
    )
    assert menu is not None
    assert re.findall(r'<option value="(\w+)">([^<]+)<', menu.group(1)) == [
        ("supervisor", "Nguyễn Thị Lan · Giám sát · Đang trực"),
        ("social_worker", "social_worker · Cán bộ công tác xã hội"),
    ]
    assert console.post(f"/intakes/{intake_id}/transfer", {"to": "operator"}) == 200  # oneself
    assert (
        console.post(f"/intakes/{intake_id}/transfer", {"to": "social_worker", "note": "hết ca"})
        == 303
    )
    with console.store.begin() as session:
        summary = intake_views.case_summary(session, intake_id=intake_id)
        hold = handoff.conversation_hold(session, conversation_id=summary.conversation_id or 0)
        entry = [e for e in casework.timeline(session, intake_id=intake_id) if e.kind == "transfer"]
    assert summary.assigned_to == "social_worker" and hold is not None
    assert hold.held_by == "social_worker"
    assert entry and entry[0].actor == "operator" and entry[0].detail["conversation"] is True
    # No longer the holder: the operator cannot hand it on again.
    page = console.client.post(
        f"/intakes/{intake_id}/transfer",
        data={"to": "supervisor", "csrf_token": console.csrf()},
    )
    assert "Chỉ người đang giữ ca" in page.text


def test_a_supervisor_erases_a_filed_case_on_request(console: Console) -> None:
    assert console.login("operator") == 303
    token = console.csrf("/filing/new")
    filed = console.client.post(
        "/filing", data={**URGENT_CALL, "triage": "help", "csrf_token": token}
    )
    intake_id = int(str(filed.url).rsplit("/", 1)[1])
    erase = {"reason": "người mẹ yêu cầu xóa", "confirm": "yes"}
    assert console.post(f"/intakes/{intake_id}/erase", erase) == 403
    assert console.login("supervisor") == 303
    assert (
        "erase-confirm"
        in console.client.post(
            f"/intakes/{intake_id}/erase",
            data={"reason": "người mẹ yêu cầu xóa", "csrf_token": console.csrf()},
        ).text
    )
    assert console.post(f"/intakes/{intake_id}/erase", erase) == 303
    revealed = console.client.post(
        f"/intakes/{intake_id}/reveal",
        data={"reason": "kiểm tra đã xóa", "csrf_token": console.csrf()},
    ).text
    assert "Trần Thị Mai" not in revealed and "giọng hoảng" not in revealed
    with console.store.begin() as session:
        actions = [e.action for e in audit.list_audit(session, subject_id=intake_id)]
        assert intake_views.get_intake(session, intake_id=intake_id).anonymised
    assert "erase_intake" in actions
    assert "Gọi tổng đài 111" in console.client.get("/statistics").text  # still counted


def test_every_intake_route_answers_on_a_filed_case(console: Console) -> None:
    """A case without a conversation on every page and form of an intake: never a 5xx."""
    from tests.security.test_console_security import FORMS, fill, routes

    with console.store.begin() as session:
        filed = filing.file_intake(
            session,
            cipher=console.store.cipher,
            hasher=console.store.hasher,
            operator="operator",
            source="official_handover",
            caller=filing.Caller(name="Đồn Biên phòng", relation="official"),
            triage="help",
            details={"return_mode": "official_handover", "contact_name": "Lan"},
        )
        staff_id = roster.add_staff(session, name="Trực ban", role="operator")
    assert console.login("admin") == 303
    checked = 0
    for route in routes(console):
        if "{intake_id}" not in route.path:
            continue
        path = fill(console, route.path.replace("{intake_id}", str(filed.intake_id)))
        for method in sorted(route.methods or ()):
            if method == "GET":
                status = console.client.get(path, follow_redirects=False).status_code
            else:
                form = {k: v.format(staff_id=staff_id) for k, v in FORMS[route.path].items()}
                status = console.post(path, form)
            assert status < 500, f"{method} {route.path}: {status}"
            checked += 1
    assert checked >= 15
