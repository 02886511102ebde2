"""Queue order and search, masking with audited reveal, and the casework on an intake."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from intake_store import casework, intakes, narrative
from intake_store.models import AuditEntry, Intake, StatusChange
from tests.console.conftest import Console, add_intake, export_sections, minutes_ago

URGENT_TEXT = "cứu tôi với, tôi đang bị nhốt ở Campuchia"


def test_queue_puts_urgent_first_then_longest_waiting(console_any_db: Console) -> None:
    console = console_any_db
    old_report = add_intake(
        console.store,
        text="có người rủ đi Lào",
        triage="report",
        sender="+84900000001",
        received_at=minutes_ago(90),
    )
    new_urgent = add_intake(
        console.store,
        text=URGENT_TEXT,
        triage="urgent",
        reasons=("confinement",),
        sender="+84900000002",
        received_at=minutes_ago(2),
    )
    older_help = add_intake(
        console.store,
        text="em mới về nước, cần làm lại giấy tờ",
        triage="help",
        sender="+84900000003",
        received_at=minutes_ago(300),
    )
    assert console.login("operator") == 303
    page = console.client.get("/queue").text
    order = sorted(
        (old_report, new_urgent, older_help), key=lambda i: page.index(f'href="/intakes/{i}"')
    )
    assert order == [new_urgent, older_help, old_report]
    # The danger sign in words, never its code.
    assert "Bị giam giữ" in page and "confinement" not in page
    # The queue never shows what people wrote.
    assert "Campuchia" not in page and "Lào" not in page
    # The auto-refresh fragment has the same rows.
    fragment = console.client.get("/queue?partial=1").text
    assert fragment.index(f"/intakes/{new_urgent}") < fragment.index(f"/intakes/{old_report}")


def test_queue_search_by_phone_uses_the_keyed_hash(console: Console) -> None:
    wanted = add_intake(console.store, text="tin báo", triage="report", sender="+84912345678")
    other = add_intake(console.store, text="tin khác", triage="report", sender="+84987654321")
    assert console.login("operator") == 303
    page = console.client.get("/queue", params={"q": "0912 345 678"}).text
    assert f"/intakes/{wanted}" in page and f"/intakes/{other}" not in page
    filtered = console.client.get("/queue", params={"triage": "urgent"}).text
    assert f"/intakes/{wanted}" not in filtered


def test_personal_data_is_masked_until_revealed_with_a_reason(console: Console) -> None:
    intake_id = add_intake(
        console.store,
        text=URGENT_TEXT,
        triage="urgent",
        reasons=("confinement",),
        details={"contact_phone": "0977 111 222", "province": "An Giang", "is_minor": True},
    )
    assert console.login("social_worker") == 303
    page = console.client.get(f"/intakes/{intake_id}").text
    assert "An Giang" in page  # non-identifying facts are shown
    assert "Campuchia" not in page and "0977 111 222" not in page
    assert 'id="masked"' in page

    def audit_rows() -> list[AuditEntry]:
        """Reads of the case (the sign-in has its own row, on the account)."""
        with console.store.begin() as session:
            query = select(AuditEntry).where(AuditEntry.subject_type != "console_user")
            return list(session.scalars(query.order_by(AuditEntry.id)))

    assert [row.action for row in audit_rows()] == []
    # A reveal without a reason shows nothing and records nothing.
    form = {"reason": ""}
    console.client.post(f"/intakes/{intake_id}/reveal", data={"csrf_token": console.csrf(), **form})
    assert audit_rows() == []
    response = console.client.post(
        f"/intakes/{intake_id}/reveal",
        data={"csrf_token": console.csrf(), "reason": "gọi lại xác minh vị trí"},
    )
    assert response.status_code == 200
    assert URGENT_TEXT in response.text and "0977 111 222" in response.text
    rows = audit_rows()
    assert {row.action for row in rows} >= {"read_transcript", "reveal_intake"}
    assert all(row.actor == "social_worker" for row in rows)
    assert all(row.reason == "gọi lại xác minh vị trí" for row in rows)
    # For a few minutes the operator's next visits show it again, covered by that reveal's
    # audit rows (no new ones)...
    count = len(rows)
    assert "Campuchia" in console.client.get(f"/intakes/{intake_id}").text
    assert len(audit_rows()) == count
    # ...but only in the session it was revealed in: signed out and in again, masked.
    console.post("/logout")
    assert console.login("social_worker") == 303
    assert "Campuchia" not in console.client.get(f"/intakes/{intake_id}").text


def test_the_persons_own_words_are_shown_in_order_only_after_the_audited_reveal(
    console: Console,
) -> None:
    tip = "ở thôn Đồng Mỏ có bà Lựu hay rủ các cô gái sang Lào, hứa lương 15 triệu"
    intake_id = add_intake(console.store, text=tip, triage="report")
    with console.store.begin() as session:
        for label, words in [
            ("Tin nhắn đầu", tip),
            ("Đã thấy gì", "công ty Hoàng Phát, tầng 2 số 14 phố Trần Phú"),
            ("Bổ sung sau", "bà Lựu đi xe Vision màu đỏ"),
        ]:
            narrative.add_words(
                session, cipher=console.store.cipher, intake_id=intake_id, text=words, label=label
            )
        # An older assistant also wrote what came after the form as numbered summary lines.
        old_summary = (
            "Ai: con gái nhà bên\nBổ sung sau 1: bà Lựu đi xe Vision màu đỏ\n"
            "Bổ sung sau 2: bà ấy có con trai ở Viêng Chăn"
        )
        intakes.update_details(
            session,
            cipher=console.store.cipher,
            intake_id=intake_id,
            details={"summary": old_summary},
        )
    assert console.login("social_worker") == 303
    page = console.client.get(f"/intakes/{intake_id}").text
    assert "Hoàng Phát" not in page and "Vision" not in page

    page = console.client.post(
        f"/intakes/{intake_id}/reveal",
        data={"csrf_token": console.csrf(), "reason": "xác minh tin báo"},
    ).text
    assert "Lời người dân kể (theo thứ tự)" in page
    shown = page[page.index('id="narrative"') :]
    first, second, third = (
        shown.index(f"<li>{line}</li>")
        for line in (
            f"Tin nhắn đầu: {tip}",
            "Đã thấy gì: công ty Hoàng Phát, tầng 2 số 14 phố Trần Phú",
            "Bổ sung sau: bà Lựu đi xe Vision màu đỏ",
        )
    )
    assert first < second < third
    # Each thing the person said shows once; a summary line their words do not hold stays.
    assert page.count("bà Lựu đi xe Vision màu đỏ") == 1
    assert "Bổ sung sau 2: bà ấy có con trai ở Viêng Chăn" in page
    assert "Ai: con gái nhà bên" in page
    with console.store.begin() as session:
        reveal = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "reveal_intake")
        ).one()
    assert reveal.actor == "social_worker" and "narrative" in reveal.detail["fields"]


def test_a_note_the_assistant_wrote_is_signed_in_words_not_its_account(console: Console) -> None:
    """A tip in Chinese: the assistant's note asks for someone who reads it, in Vietnamese, and
    is signed "Trợ lý tự động" (never "system:assistant")."""
    intake_id = add_intake(console.store, text="我要举报一个中介", triage="report", language="zh")
    note = "Người này viết bằng tiếng Trung. Cần cán bộ biết tiếng Trung hoặc người phiên dịch."
    with console.store.begin() as session:
        casework.add_note(
            session,
            cipher=console.store.cipher,
            intake_id=intake_id,
            author="system:assistant",
            text=note,
        )
    assert console.login("social_worker") == 303
    page = console.client.post(
        f"/intakes/{intake_id}/reveal",
        data={"csrf_token": console.csrf(), "reason": "đọc tin báo tiếng Trung"},
    ).text
    assert f"<b>Trợ lý tự động</b>: {note}" in page
    assert "system:" not in page
    # The writer's language is a fact of the case, shown without a reveal, in words.
    assert '<dd id="language">Tiếng Trung</dd>' in page


def test_acknowledge_refer_and_close_show_on_the_timeline(console_any_db: Console) -> None:
    console = console_any_db
    intake_id = add_intake(console.store, text=URGENT_TEXT, triage="urgent", reasons=("held",))
    assert console.login("social_worker") == 303
    assert console.post(f"/intakes/{intake_id}/acknowledge") == 303
    assert console.post(f"/intakes/{intake_id}/referrals", {"agency": "bien_phong"}) == 303
    page = console.client.get(f"/intakes/{intake_id}").text
    referral_id = int(page.split(f"/intakes/{intake_id}/referrals/")[1].split('"')[0])
    assert console.post(f"/intakes/{intake_id}/referrals/{referral_id}", {"status": "sent"}) == 303
    # Closing needs a reason.
    assert console.post(f"/intakes/{intake_id}/status", {"to_status": "closed"}) == 200
    reason = "Biên phòng đã tiếp nhận"
    closed = console.post(f"/intakes/{intake_id}/status", {"to_status": "closed", "reason": reason})
    assert closed == 303
    with console.store.begin() as session:
        intake = session.get(Intake, intake_id)
        assert intake is not None
        assert intake.status == "closed" and intake.assigned_to == "social_worker"
        changes = session.scalars(
            select(StatusChange.to_status).where(StatusChange.intake_id == intake_id)
        ).all()
        assert list(changes) == ["new", "acknowledged", "closed"]
    page = console.client.get(f"/intakes/{intake_id}").text
    assert "Bộ đội Biên phòng" in page and reason in page
    assert f'href="/intakes/{intake_id}"' not in console.client.get("/queue").text


def test_replies_only_to_people_who_said_it_is_safe(console: Console) -> None:
    unsafe = add_intake(console.store, text="tin báo", triage="report", sender="+84911000001")
    safe = add_intake(
        console.store,
        text="tin báo",
        triage="report",
        sender="+84911000002",
        details={"safe_to_contact": True, "consent_contact": True},
    )
    assert console.login("operator") == 303
    assert console.post(f"/intakes/{unsafe}/reply", {"text": "Chào bạn"}) == 200
    assert console.post(f"/intakes/{safe}/reply", {"text": "Chào bạn"}) == 303
    from intake_store.models import OutboxRow

    with console.store.begin() as session:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "person_reply")).all()
        assert [row.intake_id for row in rows] == [safe]
        assert "Chào bạn" not in str(rows[0].payload)


def test_statistics_export_counts_by_dimension(console_any_db: Console) -> None:
    console = console_any_db
    add_intake(
        console.store,
        text="a",
        triage="urgent",
        sender="+84922000001",
        details={"province": "Lai Châu", "route": "marriage", "category": "forced_marriage"},
    )
    add_intake(
        console.store,
        text="b",
        triage="report",
        sender="+84922000002",
        details={"province": "Lai Châu", "route": "labour_export"},
    )
    add_intake(console.store, text="c", triage="help", sender="+84922000003", channel="telegram")
    assert console.login("supervisor") == 303
    response = console.client.get("/statistics/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    people, rows = export_sections(response.text)
    counts = {(dimension, value): int(count) for dimension, value, count in rows[1:]}
    # People read the same counts in words.
    assert ["Theo kênh", "Tin nhắn SMS", "2"] in people
    assert ["Theo mức độ", "Khẩn cấp", "1"] in people
    assert counts[("total", "all")] == 3
    assert counts[("province", "Lai Châu")] == 2
    assert counts[("triage", "urgent")] == 1
    assert counts[("channel", "sms")] == 2 and counts[("channel", "telegram")] == 1
    assert counts[("route", "marriage")] == 1 and counts[("route", "labour_export")] == 1
    assert sum(c for (d, _), c in counts.items() if d == "month") == 3
    assert "Lai Châu" in console.client.get("/statistics").text
    # Periods are typed as people here write dates (dd/mm/yyyy).
    assert 'id="total">0<' in console.client.get("/statistics", params={"since": "01/01/2099"}).text
    assert 'id="total">3<' in console.client.get("/statistics", params={"until": "31/12/2099"}).text
    workbook = console.client.get("/statistics/export.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        codes = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "Lai Châu" in sheet and "<v>3</v>" in sheet and "Khẩn cấp" in sheet
    assert "labour_export" in codes and "labour_export" not in sheet
