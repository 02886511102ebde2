"""A real headless Chromium (Debian's `chromium`, driven by Playwright) walks the console:
sign in, urgent intake on top, acknowledge, refer, close, download the statistics export."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import uvicorn

from console import labels
from console.app import create_app
from console.passwords import hash_password
from console.views_queue import PAGE_SIZE
from intake_store import audit, casework, messages, outbox, roster, users
from routing.recipients import choose_recipients
from tests.console.conftest import PASSWORD, Console, add_intake, export_sections, minutes_ago
from tests.console.screenshots import snapshot
from tests.e2e.helpers import free_port

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHUNGTAY_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _need_browser() -> None:
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package"
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"chromium at {CHROMIUM}"
    if missing:
        if IN_CI:
            pytest.fail(f"{missing} is not installed; CI must run the browser test", pytrace=False)
        pytest.skip(f"{missing} is not installed")


@pytest.fixture
def live_console(console: Console) -> Iterator[tuple[str, Console]]:
    """The console served by uvicorn on a local port, sharing the test's store."""
    _need_browser()
    port = free_port()
    app = create_app(console.settings, store=console.store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "console did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", console
    server.should_exit = True
    thread.join(timeout=10)


def test_operator_works_an_urgent_intake_in_a_real_browser(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    add_intake(
        console.store,
        text="có người trong xóm rủ con gái đi làm quán ăn bên Lào",
        triage="report",
        sender="+84944000001",
        received_at=minutes_ago(45),
        details={"province": "Lai Châu"},
    )
    add_intake(  # a child: flagged, and ahead of the older report
        console.store,
        text="cháu tôi 15 tuổi được người lạ hứa đưa sang Trung Quốc làm việc",
        triage="report",
        sender="+84944000003",
        channel="zalo",
        received_at=minutes_ago(20),
        details={"province": "Hà Giang", "is_minor": True, "age_band": "under_16"},
    )
    urgent = add_intake(
        console.store,
        text="cứu tôi với, tôi đang bị nhốt ở Campuchia",
        triage="urgent",
        reasons=("confinement", "abroad"),
        sender="+84944000002",
        received_at=minutes_ago(3),
        details={"province": "An Giang", "destination_country": "Campuchia"},
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 800}
        ).new_page()
        page.goto(f"{base}/queue")
        expect(page).to_have_url(f"{base}/login")
        page.fill("input[name=username]", "social_worker")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{base}/queue")

        first = page.locator("#queue-rows tr").first
        expect(first).to_contain_text("Bị giam giữ")
        snapshot(page, "console-queue.png")
        first.locator("a").click()
        expect(page).to_have_url(f"{base}/intakes/{urgent}")
        expect(page.locator("#masked")).to_be_visible()

        page.click("#acknowledge")
        expect(page.locator("#holder")).to_have_text("social_worker")
        page.select_option("select[name=agency]", "bien_phong")
        page.click("#refer")
        expect(page.locator("#referrals")).to_contain_text("Bộ đội Biên phòng")
        page.fill("form[action$='/reveal'] input[name=reason]", "xác minh vị trí người bị nhốt")
        page.click("form[action$='/reveal'] button")
        expect(page.locator("#transcript")).to_contain_text("đang bị nhốt ở Campuchia")
        snapshot(page, "console-intake.png")

        status_form = page.locator("form[action$='/status']")
        status_form.locator("select").select_option("closed")
        status_form.locator("input[name=reason]").fill("Biên phòng An Giang đã tiếp nhận")
        status_form.locator("button").click()
        expect(page.locator("#status")).to_have_attribute("data-status", "closed")
        browser.close()

        # Statistics export needs a supervisor.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_context(accept_downloads=True).new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "supervisor")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/statistics")
        expect(page.locator("#total")).to_have_text("3")
        with page.expect_download() as download_info:
            page.click("#export-csv")
        exported = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
        browser.close()
    assert "triage,urgent,1" in exported and "province,An Giang,1" in exported  # codes section


def _sign_in(playwright: Any, base: str, username: str, *, width: int, height: int) -> Any:
    """A fresh browser signed in as ``username`` at one viewport size; returns (browser, page)."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
    )
    page = browser.new_context(
        accept_downloads=True, viewport={"width": width, "height": height}
    ).new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return browser, page


# Every <dd> of the card whose right or left edge leaves the card, or that has no width.
_OUTSIDE_CARD = """(card) => {
  const box = card.getBoundingClientRect();
  return Array.from(card.querySelectorAll("dd")).filter((dd) => {
    const r = dd.getBoundingClientRect();
    return r.width < 1 || r.left < box.left - 0.5 || r.right > box.right + 0.5;
  }).map((dd) => dd.textContent.trim());
}"""


def test_every_fact_lies_inside_its_card_on_a_phone_and_a_laptop(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    intake = add_intake(
        console.store,
        text="con gái tôi 16 tuổi sắp bị đưa sang Trung Quốc lấy chồng",
        triage="urgent",
        reasons=("transport_in_progress", "child_taken"),
        received_at=minutes_ago(12),
        details={
            "province": "Thừa Thiên Huế",
            "destination_country": "Trung Quốc",
            "at_risk": "relative",
            "is_minor": True,
            "people_count": 1,
            "category": "forced_marriage",
            "route": "marriage",
        },
    )
    with sync_playwright() as playwright:
        for width, height in ((390, 844), (1280, 800)):
            browser, page = _sign_in(playwright, base, "social_worker", width=width, height=height)
            page.goto(f"{base}/intakes/{intake}")
            card = page.locator("section.card", has=page.locator("dl.facts")).first
            expect(card).to_be_visible()
            assert card.locator("dd").count() >= 12
            assert card.evaluate(_OUTSIDE_CARD) == [], f"values outside the card at {width} px"
            snapshot(page, f"facts-{width}.png")
            browser.close()


def _codes_people_must_not_read() -> set[str]:
    """Every code of the label tables whose words differ from it (taken from the tables, so a
    code added there is checked here too); two-letter language codes read like Vietnamese."""
    codes: set[str] = set()
    for name, table in labels.VOCABULARIES.items():
        if name == "language":
            continue
        codes |= {code for code, (vi, _) in table.items() if code.lower() != vi.lower()}
    return codes


def _codes_in(text: str) -> list[str]:
    return sorted(
        code
        for code in _codes_people_must_not_read()
        if re.search(rf"(?<![\w:-]){re.escape(code)}(?![\w-])", text)
    )


def _only_named_supervisor(session: Any, *, name: str, username: str) -> int:
    """One supervisor signing in with a person's user name; returns their staff id. User names
    are people's own words, shown as they are; the fixture's are named after roles (codes), so
    they are disabled (disabled accounts are offered nowhere)."""
    for account in users.list_users(session):
        users.set_user_active(session, user_id=account.id, active=False)
    staff_id = roster.add_staff(session, name=name, role="supervisor")
    users.create_user(
        session,
        username=username,
        password_hash=hash_password(PASSWORD),
        role="supervisor",
        staff_id=staff_id,
    )
    return staff_id


def test_no_internal_code_reaches_an_operator_or_an_export(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    with console.store.begin() as session:
        lan = _only_named_supervisor(session, name="Nguyễn Thị Lan", username="lan.nguyen")
        minh = roster.add_staff(session, name="Trần Văn Minh", role="social_worker")
        roster.add_shift(session, staff_id=lan, start=dtime(7), end=dtime(19), kind="primary")
        roster.add_shift(session, staff_id=minh, start=dtime(19), end=dtime(7), kind="backup")
    case = add_intake(
        console.store,
        text="con tôi 16 tuổi bị giữ giấy tờ, đang bị đưa sang Trung Quốc",
        triage="urgent",
        reasons=("documents_taken", "transport_in_progress", "classifier"),
        channel="webchat",
        received_at=minutes_ago(7),
        details={
            "province": "Nghệ An",
            "at_risk": "relative",
            "is_minor": True,
            "age_band": "16_17",
            "category": "forced_marriage",
            "route": "marriage",
            "return_mode": "self_return",
        },
    )
    add_intake(console.store, text="hỏi về xuất khẩu lao động", triage="question", channel="zalo")
    with sync_playwright() as playwright:
        browser, page = _sign_in(playwright, base, "lan.nguyen", width=1280, height=800)
        page.goto(f"{base}/intakes/{case}")
        # The status menu opens on the current status; the statistics menus say what they are.
        expect(page.locator("form[action$='/status'] select")).to_have_value("new")
        expect(page.locator("#classify")).to_contain_text("Trở về: trao trả chính thức")
        assignee = page.locator("form[action$='/assign'] select[name=assignee]")
        expect(assignee).to_contain_text("Nguyễn Thị Lan · Giám sát")
        # Assigned by choosing a person (on duty first), not by typing a user name.
        page.select_option("form[action$='/assign'] select[name=assignee]", "lan.nguyen")
        page.fill("form[action$='/assign'] input[name=reason]", "ca trực tối")
        page.click("form[action$='/assign'] button")
        page.select_option("select[name=agency]", "bien_phong")
        page.click("#refer")
        page.fill("form[action$='/reveal'] input[name=reason]", "xác minh nơi đến")
        page.click("form[action$='/reveal'] button")
        expect(page.locator("#transcript")).to_be_visible()
        screens = {}
        for path in ("/queue", f"/intakes/{case}", "/audit", "/roster", "/statistics"):
            page.goto(f"{base}{path}")
            screens[path] = page.locator("body").inner_text()
        # Dates as people here write them, whatever the browser's own locale.
        expect(page.locator("input[name=since]")).to_have_attribute("placeholder", "dd/mm/yyyy")
        with page.expect_download() as csv_download:
            page.click("#export-csv")
        with page.expect_download() as xlsx_download:
            page.click("#export-xlsx")
        today = datetime.now(ZoneInfo(console.settings.timezone)).strftime("%d-%m-%Y")
        assert csv_download.value.suggested_filename == f"chungtay-thongke-{today}.csv"
        assert xlsx_download.value.suggested_filename == f"chungtay-thongke-{today}.xlsx"
        csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
        with zipfile.ZipFile(xlsx_download.value.path()) as archive:
            first_sheet = archive.read("xl/worksheets/sheet1.xml").decode()
            codes_sheet = archive.read("xl/worksheets/sheet2.xml").decode()
        browser.close()

    assert "Bị giữ giấy tờ" in screens[f"/intakes/{case}"]
    for path, text in screens.items():
        assert _codes_in(text) == [], f"{path} shows internal codes"
    # The case page names the case by its code and people by their names.
    assert "Trợ lý tự động" in screens[f"/intakes/{case}"]
    assert "Trực dự phòng" in screens["/roster"] and "Giám sát" in screens["/roster"]
    people, machine = export_sections(csv_text)
    assert _codes_in("\n".join(",".join(row) for row in people)) == []
    assert ["route", "marriage", "1"] in machine  # the codes stay, apart, for machines
    cells = " ".join(re.findall(r"<t[^>]*>([^<]*)</t>", first_sheet))
    assert "Kết hôn với người nước ngoài" in cells and _codes_in(cells) == []
    assert "marriage" in codes_sheet


def test_a_reply_outside_the_safe_time_asks_first_and_can_be_held(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    zone = ZoneInfo(console.settings.timezone)
    # The person's safe hour starts two hours from now: now is outside it.
    start = (datetime.now(zone).hour + 2) % 24
    case = add_intake(
        console.store,
        text="em bị giữ hộ chiếu, chỉ nhắn cho em khi chủ đi vắng",
        triage="help",
        channel="telegram",
        details={
            "safe_to_contact": True,
            "consent_contact": True,
            "contact_method": "telegram",
            "safe_contact_time": f"chỉ từ {start}h đến {start + 1}h",
        },
    )
    with sync_playwright() as playwright:
        browser, page = _sign_in(playwright, base, "operator", width=390, height=844)
        page.goto(f"{base}/intakes/{case}")
        # Channel and hours by the reply box, without a reveal.
        expect(page.locator("#masked")).to_be_visible()
        expect(page.locator("#safe-contact")).to_contain_text("Telegram")
        expect(page.locator("#safe-window")).to_contain_text(f"{start:02d}:00")
        expect(page.locator("#safe-window")).to_have_attribute("data-open", "no")
        page.fill("#reply textarea", "Chào em, cán bộ 111 đây.")
        page.click("#reply button")
        expect(page.locator("#reply-confirm")).to_be_visible()
        snapshot(page, "reply-confirm.png")
        page.click("#reply-hold")
        expect(page.locator(".held-reply")).to_contain_text(f"{start:02d}:00")
        snapshot(page, "reply-held.png")
        browser.close()
    with console.store.begin() as session:
        rows = outbox.list_outbox(session, intake_id=case)
        assert [(r.kind, r.status) for r in rows] == [("person_reply", "pending")]
        opening = rows[0].next_attempt_at.astimezone(zone)
        assert (opening.hour, opening.minute) == (start, 0) and opening > datetime.now(zone)
        actions = [e.action for e in audit.list_audit(session, subject_id=case)]
    assert "hold_reply" in actions and "queue_reply" not in actions


def test_a_child_stands_out_and_comes_first_within_its_level(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    adults = [
        add_intake(
            console.store,
            text="tôi bị nhốt",
            triage="urgent",
            reasons=("confinement",),
            sender=f"+8494500000{n}",
            received_at=minutes_ago(60 - n),
        )
        for n in range(3)
    ]
    child = add_intake(
        console.store,
        text="em gái tôi 16 tuổi tuần sau bị đưa sang Trung Quốc",
        triage="urgent",
        reasons=("transport_in_progress",),
        sender="+84945000009",
        received_at=minutes_ago(1),
        details={"is_minor": True, "age_band": "16_17"},
    )
    taken = add_intake(  # a child by its urgent reason alone ("is a minor" unset)
        console.store,
        text="con tôi vừa bị người lạ bắt đi",
        triage="urgent",
        reasons=("child_taken",),
        sender="+84945000008",
        received_at=minutes_ago(2),
    )
    with sync_playwright() as playwright:
        browser, page = _sign_in(playwright, base, "operator", width=390, height=844)
        rows = page.locator("#queue-rows tr")
        for row, case in ((rows.nth(0), taken), (rows.nth(1), child)):
            expect(row.locator("a")).to_have_attribute("href", f"/intakes/{case}")
            expect(row.locator(".badge.child")).to_have_text("Trẻ em")
        expect(page.locator(".badge.child")).to_have_count(2)
        snapshot(page, "queue-child.png")
        browser.close()
    assert len(adults) == 3


def test_a_reveal_stays_for_a_few_minutes_and_the_reply_box_is_near_the_top(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    sender = "+84946000001"
    case = add_intake(
        console.store,
        text="tin nhắn 0: tôi bị giữ ở xưởng may",
        triage="help",
        sender=sender,
        received_at=minutes_ago(30),
        details={"safe_to_contact": True, "consent_contact": True},
    )
    with console.store.begin() as session:
        for n in range(1, 12):  # a long conversation
            messages.record_inbound(
                session,
                cipher=console.store.cipher,
                hasher=console.store.hasher,
                channel="sms",
                sender_id=sender,
                external_id=f"more-{n}",
                text=f"tin nhắn {n}: thêm chi tiết",
                received_at=minutes_ago(30 - n),
            )
    with sync_playwright() as playwright:
        for width, height in ((390, 844), (1280, 800)):
            browser, page = _sign_in(playwright, base, "social_worker", width=width, height=height)
            page.goto(f"{base}/intakes/{case}")
            # Actions and the reply box come before the (long) conversation.
            reply_top = page.locator("#reply-card").bounding_box()
            transcript_top = page.locator("#transcript-card").bounding_box()
            assert reply_top and transcript_top and reply_top["y"] < transcript_top["y"]
            if width == 390:
                page.fill("form[action$='/reveal'] input[name=reason]", "đọc để gọi lại cho chị")
                page.click("form[action$='/reveal'] button")
                earlier = page.locator("#transcript details.earlier")
                expect(earlier).not_to_have_attribute("open", "")
                expect(page.locator("#transcript > ol.transcript li")).to_have_count(6)
                expect(page.locator("#transcript > ol.transcript")).to_contain_text("tin nhắn 11")
                # An action reloads the page: it stays revealed, with the note just written.
                page.fill("form[action$='/notes'] textarea", "đã gọi, hẹn gọi lại 20h")
                page.click("form[action$='/notes'] button")
                expect(page.locator("#revealed-for")).to_be_visible()
                expect(page.locator("#transcript")).to_contain_text("tin nhắn 11")
                expect(page.get_by_text("đã gọi, hẹn gọi lại 20h")).to_be_visible()
                snapshot(page, "console-intake-phone.png")
            else:  # a browser without the grant (the cookie): masked again
                expect(page.locator("#masked")).to_be_visible()
            browser.close()
    with console.store.begin() as session:
        reveals = [
            e.action for e in audit.list_audit(session, subject_id=case) if e.action != "add_note"
        ]
    assert reveals.count("reveal_intake") == 1 and reveals.count("read_notes") == 1


def test_the_roster_counts_on_duty_staff_as_routing_does(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    """Only a supervisor on shift: the grid shows a gap now and the page says nobody is on duty,
    exactly when routing's alert would say "nobody on duty"; shifts are added by ticking days."""
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    with console.store.begin() as session:
        boss = roster.add_staff(session, name="Phạm Thu Hà", role="supervisor")
        roster.add_shift(session, staff_id=boss, start=dtime(0), end=dtime(0))  # around the clock
        minh = roster.add_staff(session, name="Trần Văn Minh", role="social_worker")
        duty = roster.on_duty(session, at=datetime.now(ZoneInfo("UTC")))
    route = choose_recipients(level=0, on_duty=duty, supervisors=duty, province=None, language="vi")
    assert route.nobody_on_duty  # what the alert says
    now = datetime.now(ZoneInfo(console.settings.timezone))
    with sync_playwright() as playwright:
        browser, page = _sign_in(playwright, base, "supervisor", width=1280, height=800)
        page.goto(f"{base}/roster")
        expect(page.locator("#nobody-on-duty")).to_be_visible()  # what the roster says
        cell = page.locator("table.coverage tbody tr").nth(now.weekday()).locator("td")
        expect(cell.nth(now.hour)).to_have_text("0")
        expect(page.locator("#on-duty")).to_contain_text("Phạm Thu Hà")
        # Minh on Monday and Wednesday nights: two ticked days.
        form = page.locator("form[action='/roster/shifts']")
        form.locator("select[name=staff_id]").select_option(str(minh))
        for box in form.locator("input[name=weekday]").all():
            if box.get_attribute("value") not in ("0", "2"):
                box.uncheck()
        form.locator("input[name=start]").fill("22:00")
        form.locator("input[name=end]").fill("06:00")
        form.locator("button").click()
        expect(page.locator("table").filter(has_text="Trần Văn Minh").last).to_contain_text("T2 T4")
        snapshot(page, "console-roster.png")
        browser.close()
    with console.store.begin() as session:
        shifts = [s.weekdays for s in roster.list_shifts(session, staff_id=minh)]
    assert shifts == ["02"]


def test_the_queue_pages_past_its_first_rows_and_the_header_stays_small_on_a_phone(
    live_console: tuple[str, Console], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, console = live_console
    for n in range(PAGE_SIZE * 2 + 5):
        add_intake(
            console.store,
            text="hỏi thông tin",
            triage="question",
            sender=f"+8497{n:07d}",
            received_at=minutes_ago(500 - n),
        )
    with sync_playwright() as playwright:
        browser, page = _sign_in(playwright, base, "operator", width=390, height=844)
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] <= 844 * 0.1  # was a fifth of the screen
        expect(page.locator("#queue-rows tr")).to_have_count(PAGE_SIZE)
        expect(page.locator("#queue-count")).to_have_text(f"1–{PAGE_SIZE} / {PAGE_SIZE * 2 + 5}")
        page.click("#page-next")
        page.click("#page-next")
        expect(page.locator("#queue-rows tr")).to_have_count(5)
        expect(page.locator("#page-next")).to_have_count(0)
        snapshot(page, "queue-last-page.png", full_page=False)
        browser.close()


def test_the_console_in_english_shows_english_words_and_no_codes(
    live_console: tuple[str, Console],
) -> None:
    """An English-reading operator (EN in the header) gets every screen in English words,
    the agencies a case goes to included, with the Vietnamese name they will meet beside it;
    no code, and dates as dd/mm/yyyy, on a phone and on a laptop."""
    from playwright.sync_api import sync_playwright

    base, console = live_console
    with console.store.begin() as session:
        _only_named_supervisor(session, name="Phạm Thị Mai", username="mai.pham")
    case = add_intake(
        console.store,
        text="em gái tôi 16 tuổi bị giữ giấy tờ, đang bị đưa sang Trung Quốc",
        triage="urgent",
        reasons=("documents_taken", "transport_in_progress"),
        channel="webchat",
        received_at=minutes_ago(7),
        details={"province": "Nghệ An", "at_risk": "relative", "is_minor": True,
                 "age_band": "16_17", "category": "forced_marriage", "route": "marriage"},
    )  # fmt: skip
    assert set(labels.AGENCY) == set(casework.AGENCIES)
    paths = ("/queue", f"/intakes/{case}", "/roster", "/statistics", "/calls/new", "/audit")
    with sync_playwright() as playwright:
        for width, height in ((390, 844), (1280, 800)):
            browser, page = _sign_in(playwright, base, "mai.pham", width=width, height=height)
            page.goto(f"{base}/lang/en")
            page.goto(f"{base}/intakes/{case}")
            page.select_option("select[name=agency]", "bien_phong")
            page.click("#refer")
            screens = {}
            for path in paths:
                page.goto(f"{base}{path}")
                screens[path] = page.locator("body").inner_text()
                snapshot(page, f"en{path.replace('/', '-')}-{width}.png")
            browser.close()
            case_page = screens[f"/intakes/{case}"]
            assert "Border guard (Biên phòng)" in case_page  # the referral and its timeline line
            assert "Police (Công an)" in case_page  # offered in the referral menu
            assert "Acknowledge" in case_page and "Forced marriage" in case_page
            assert re.search(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b", case_page)
            # Many codes are English words themselves ("marriage"); the ones that cannot be
            # are those written as codes are: with an underscore.
            for path, text in screens.items():
                shown = [code for code in _codes_in(text) if "_" in code]
                assert shown == [], f"{path} shows internal codes"
