"""The web chat in a real headless Chromium (Debian's), driven by Playwright.

Needs ``scripts/install-browser.sh`` (Debian chromium + the playwright package); missing, the test
skips on a developer machine and fails in CI. The README's pictures of the chat are taken with the
real assistant (tests/e2e/test_webchat_real_browser.py), with the helpers here.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn
from fastapi import FastAPI

from bot.app import create_app
from chungtay.settings import Settings
from intake_store import casework, handoff
from intake_store.privacy import erase_conversation
from intake_store.store import Store
from tests.e2e.helpers import free_port
from tests.gateway.conftest import FakeRasa, open_help_case, rows

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NEUTRAL_HOST = "www.google.com"
OPERATOR_ANSWER = "Chào bạn, mình là cán bộ tổng đài 111. Bạn đang ở đâu?"
# Set to take the README's pictures again (docs/screenshots/).
SCREENSHOTS = os.environ.get("CHUNGTAY_SCREENSHOT_DIR")
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),  # the page, not the store
]


def _need(ok: bool, what: str) -> None:
    if ok:
        return
    message = f"{what} is missing; run scripts/install-browser.sh"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def gateway_app(gateway_settings: Callable[..., Settings], store: Store, rasa: FakeRasa) -> FastAPI:
    return create_app(
        gateway_settings(), store=store, rasa_transport=rasa.transport, retry_loop=False
    )


@pytest.fixture
def served(gateway_app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            gateway_app, host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "gateway did not start"
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


def _in_thread(work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run a coroutine outside Playwright's own event loop (the sync API owns this thread's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result(timeout=30)


def _operator_answers(store: Store, text: str = OPERATOR_ANSWER) -> int:
    """What the console does: hold the person's conversation and queue a reply to them."""
    with store.begin() as session:
        intake_id, _ = open_help_case(
            session, cipher=store.cipher, details={"safe_to_contact": True}
        )
        handoff.hold_conversation(session, intake_id=intake_id, actor="operator")
        casework.queue_reply(
            session, cipher=store.cipher, intake_id=intake_id, actor="operator", text=text
        )
    return intake_id


@contextlib.contextmanager
def _browser(viewport: ViewportSize) -> Iterator[tuple[BrowserContext, Page]]:
    """A fresh Chromium context at ``viewport``, the neutral site answered locally (no internet),
    the page's clock under the test's control (it polls for operator replies every 5 s)."""
    _need(shutil.which(CHROMIUM) is not None, "Debian chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright Python package")
        raise
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport=viewport)
            context.route(
                f"https://{NEUTRAL_HOST}/**",
                lambda route: route.fulfill(
                    body="<title>neutral</title>", content_type="text/html"
                ),
            )
            page = context.new_page()
            page.clock.install()
            yield context, page
        finally:
            browser.close()


def _above_the_typing_box(page: Page, line: Locator) -> None:
    """The whole box of ``line`` is on screen, below the header and above the typing box (the
    page scrolls on its own events, e.g. a resize: given a moment to do so)."""
    line.wait_for(timeout=10_000)
    deadline = time.monotonic() + 5
    while True:
        box = line.bounding_box()
        header = page.locator("header").bounding_box()
        composer = page.locator("#composer").bounding_box()
        assert box is not None and header is not None and composer is not None
        inside = (
            header["y"] + header["height"] <= box["y"] + 0.5
            and box["y"] + box["height"] <= composer["y"] + 0.5
        )
        if inside or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert inside, (box, header, composer)


def _tab_history(context: BrowserContext, page: Page) -> list[str]:
    """The addresses Back and Forward can reach in this tab (Chromium's own list)."""
    from playwright.sync_api import Error

    # Right after a cross-site navigation Chromium may still be swapping the tab's renderer: a
    # session opened then is "not attached to an active page". Ask again once it has settled.
    for attempt in range(5):
        page.wait_for_load_state()
        try:
            history = context.new_cdp_session(page).send("Page.getNavigationHistory")
        except Error:
            if attempt == 4:
                raise
            time.sleep(0.2)
            continue
        return [entry["url"] for entry in history["entries"]]
    raise AssertionError("unreachable")


def _shoot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name))


def _newest(page: Page) -> Locator:
    return page.locator("#log li").last


CASE_CODE = "CT-7QK2M9XW4R"
# What the assistant says at each step of a help request (its texts, shortened), by message.
SCRIPT: dict[str, list[dict[str, Any]]] = {
    "em bị lừa sang biên giới, giờ về rồi nhưng em sợ lắm": [
        {
            "text": "Cảm ơn bạn đã kể. Bạn không đơn độc. Nếu đang gặp nguy hiểm, gọi ngay 113 "
            "(Công an) hoặc 111 (Tổng đài quốc gia phòng, chống mua bán người, miễn phí, 24/7)."
        },
        {
            "text": "Bạn có muốn cán bộ hỗ trợ không?",
            "buttons": [
                {"title": "Có", "payload": "/affirm"},
                {"title": "Không", "payload": "/deny"},
            ],
        },
    ],
    "/affirm": [
        {
            "text": "Bạn đang ở tỉnh, thành phố nào? Không muốn nói thì bấm “Bỏ qua”.",
            "buttons": [{"title": "Bỏ qua", "payload": "/skip"}],
        }
    ],
    "/skip": [
        {
            "text": "Cán bộ có thể liên lạc lại với bạn một cách an toàn không?",
            "buttons": [
                {"title": "Có", "payload": "/affirm_contact"},
                {"title": "Không", "payload": "/deny"},
                {"title": "Bỏ qua", "payload": "/skip_contact"},
            ],
        }
    ],
    "/affirm_contact": [
        {"text": f"Mình đã ghi nhận. Mã hồ sơ của bạn: {CASE_CODE}."},
        {
            "text": f"Mình đã chuyển cuộc trò chuyện cho cán bộ, mã hồ sơ: {CASE_CODE}. Cán bộ "
            "sẽ trả lời tại đây khi có thể. Nếu cần nói chuyện ngay, gọi 111 (miễn phí, 24/7).",
            "buttons": [{"title": "Gặp người thật", "payload": "/human_handoff"}],
        },
    ],
    "vâng, em cảm ơn chị": [{"text": "Bạn cứ nhắn khi cần nhé. Nguy hiểm: gọi 113 hoặc 111."}],
}


def _scripted(rasa: FakeRasa, script: dict[str, list[dict[str, Any]]]) -> None:
    def answer(body: dict[str, Any]) -> None:
        rasa.replies = script[body["message"]]

    rasa.on_message = answer


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_newest_reply_stays_above_the_typing_box_and_an_operator_is_marked(
    served: str, gateway_app: FastAPI, store: Store, rasa: FakeRasa, viewport: ViewportSize
) -> None:
    _scripted(rasa, SCRIPT)
    with _browser(viewport) as (_, page):
        page.goto(served)
        page.get_by_label("Tin nhắn của bạn").fill(next(iter(SCRIPT)))
        page.keyboard.press("Enter")
        # Each step: the newest reply, its buttons and any case code wholly above the typing box.
        for step, button in enumerate(["Có", "Bỏ qua", "Có", None]):
            newest = _newest(page)
            newest.get_by_role("button").first.wait_for(timeout=10_000)
            _above_the_typing_box(page, newest)
            for choice in newest.get_by_role("button").all():
                _above_the_typing_box(page, choice)
            if button is None:
                break
            assert len(rasa.calls) == step + 1
            newest.get_by_role("button", name=button, exact=True).click()
            page.locator("#log li").nth(2 * step + 4).wait_for(timeout=10_000)
        code = page.locator("#log li", has_text=f"Mã hồ sơ của bạn: {CASE_CODE}")
        _above_the_typing_box(page, code)
        if viewport is PHONE:  # the keyboard opens: a shorter screen keeps the newest reply
            page.set_viewport_size({"width": 390, "height": 520})
            _above_the_typing_box(page, _newest(page))
            page.set_viewport_size(PHONE)

        # An operator takes over and writes: a bubble of its own, named "Cán bộ:", in view.
        intake_id = _operator_answers(store)
        assert _in_thread(gateway_app.state.staff_replies.run_once) == 0  # web chat: held
        page.clock.run_for(5_000)
        staff = page.locator("#log li.staff")
        staff.wait_for(timeout=10_000)
        assert staff.inner_text() == f"Cán bộ:\n{OPERATOR_ANSWER}"
        assert staff.locator(".who").inner_text() == "Cán bộ:"
        _above_the_typing_box(page, staff)
        assert page.locator("#log li.bot", has_text=OPERATOR_ANSWER).count() == 0
        styles = page.evaluate(
            "[...document.querySelectorAll('#log li.staff, #log li.bot')]"
            ".slice(-2).map(li => getComputedStyle(li).backgroundColor)"
        )
        assert styles[0] != styles[1]  # not the assistant's bubble

        # The operator hands the conversation back: the person is told with the next answer.
        with store.begin() as session:
            handoff.release_conversation(session, intake_id=intake_id, actor="operator")
        page.get_by_label("Tin nhắn của bạn").fill("vâng, em cảm ơn chị")
        page.keyboard.press("Enter")
        told = page.locator("#log li.bot", has_text="Cán bộ đã rời cuộc trò chuyện")
        told.wait_for(timeout=10_000)
        _above_the_typing_box(page, _newest(page))
        assert page.locator("#log li.staff").count() == 1


ERASE_SCRIPT: dict[str, list[dict[str, Any]]] = {
    "Tôi cần giúp đỡ": FakeRasa().replies,
    "xóa": [
        {
            "text": "Nếu xóa, chúng tôi xóa nội dung tin nhắn, thông tin liên lạc và chi tiết cá "
            "nhân trong hồ sơ của cuộc trò chuyện này; không thể khôi phục. Bạn có chắc muốn "
            "xóa không?",
            "buttons": [
                {"title": "Có, xóa", "payload": "/affirm"},
                {"title": "Không xóa", "payload": "/deny"},
            ],
        }
    ],
    "/affirm": [
        {"text": "Đã xóa dữ liệu của cuộc trò chuyện này. Chúc bạn an toàn; khi cần, gọi 111."}
    ],
    "chào bạn": [{"text": "Chào bạn, mình có thể giúp gì?"}],
}


def test_erasure_clears_the_screen_and_only_a_deliberate_exit_leaves(
    served: str, store: Store, rasa: FakeRasa
) -> None:
    _scripted(rasa, ERASE_SCRIPT)
    answer = rasa.on_message
    assert answer is not None

    def erase_on_yes(body: dict[str, Any]) -> None:  # what the erasure action does on "Có, xóa"
        answer(body)
        if body["message"] == "/affirm":
            with store.begin() as session:
                erase_conversation(
                    session,
                    conversation_id=body["metadata"]["conversation_id"],
                    actor="system:assistant",
                    reason="the person asked to erase their data",
                )

    rasa.on_message = erase_on_yes
    with _browser(PHONE) as (context, page):
        page.goto(served)
        # The tab title is what the browser's history keeps: nothing names the service.
        assert page.title() == "Trò chuyện"
        page.evaluate("localStorage.setItem('left-behind', 'x')")
        first_session = page.evaluate("sessionStorage.getItem('chungtay.session')")
        box = page.get_by_label("Tin nhắn của bạn")
        box.fill("Tôi cần giúp đỡ")
        page.keyboard.press("Enter")
        page.locator("#log li.bot").nth(1).wait_for(timeout=10_000)

        # One Esc while typing, or two far apart, is an accident: the chat stays.
        box.fill("em đang ở")
        box.press("Escape")
        assert page.locator("#status").inner_text() == "Nhấn Esc lần nữa để thoát nhanh."
        page.clock.run_for(2_000)
        box.press("Escape")
        assert page.url == served and box.input_value() == "em đang ở"
        assert page.locator("#log li").count() == 3

        box.fill("xóa")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Có, xóa").click()
        done = page.locator("#log li", has_text="Đã xóa dữ liệu")
        done.wait_for(timeout=10_000)
        # Nothing of the erased conversation is left on the screen or in the browser.
        assert page.locator("#log li").all_inner_texts() == [ERASE_SCRIPT["/affirm"][0]["text"]]
        assert page.evaluate("localStorage.length") == 0
        second_session = page.evaluate("sessionStorage.getItem('chungtay.session')")
        assert second_session and second_session != first_session

        # Writing again starts a new conversation.
        box.fill("chào bạn")
        page.keyboard.press("Enter")
        page.locator("#log li.bot", has_text="mình có thể giúp gì").wait_for(timeout=10_000)
        assert rasa.calls[-1]["sender"] != rasa.calls[0]["sender"]

        # Esc twice in a row is a decision: gone, and the chat is not in the tab's history.
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        page.wait_for_url(f"https://{NEUTRAL_HOST}/**", timeout=10_000)
        assert not [url for url in _tab_history(context, page) if url.startswith(served)]
        check = context.new_page()
        check.goto(served)
        assert check.evaluate("localStorage.length") == 0
        assert check.locator("#log li").count() == 0


def test_type_see_reply_press_button_operator_answers_then_quick_exit(
    served: str, gateway_app: FastAPI, store: Store, rasa: FakeRasa
) -> None:
    with _browser({"width": 360, "height": 640}) as (context, page):  # a cheap phone
        # The page's strict CSP (no inline code) must not block anything of its own.
        violations: list[str] = []
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(served)
        page.evaluate("localStorage.setItem('left-behind', 'x')")

        page.get_by_label("Tin nhắn của bạn").fill("Tôi cần giúp đỡ")
        page.keyboard.press("Enter")
        bot_lines = page.locator("#log li.bot")
        bot_lines.nth(1).wait_for(timeout=10_000)
        assert bot_lines.nth(0).inner_text().startswith("Chúng tôi đã nhận")
        assert page.locator("#log li.bot a[href='tel:111']").count() == 1

        page.get_by_role("button", name="Có").click()
        bot_lines.nth(3).wait_for(timeout=10_000)
        assert [c["message"] for c in rasa.calls] == ["Tôi cần giúp đỡ", "/affirm"]
        assert page.locator("#log li.me").all_inner_texts() == ["Tôi cần giúp đỡ", "Có"]

        # An operator takes the conversation over and answers: the open page shows it.
        _operator_answers(store)
        # The delivery pass: web chat cannot be pushed to, so the reply waits for the page.
        assert _in_thread(gateway_app.state.staff_replies.run_once) == 0
        page.clock.run_for(5_000)
        answer = page.locator("#log li.staff", has_text=OPERATOR_ANSWER)
        answer.wait_for(timeout=10_000)
        assert bot_lines.count() == 4 and len(rasa.calls) == 2
        page.clock.run_for(5_000)  # fetched once: the next poll adds nothing
        assert page.locator("#log li", has_text=OPERATOR_ANSWER).count() == 1

        assert violations == []
        assert page.evaluate("getComputedStyle(document.getElementById('exit')).minHeight")
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # styled
        page.get_by_role("button", name="Thoát nhanh").click()
        page.wait_for_url(f"https://{NEUTRAL_HOST}/**", timeout=10_000)
        # location.replace(): the chat is not in the tab's back history.
        assert not [url for url in _tab_history(context, page) if url.startswith(served)]

        check = context.new_page()
        check.goto(served)
        assert check.evaluate("localStorage.length") == 0
        assert check.locator("#log li").count() == 0
    assert [s for _, _, s, _ in rows(store)["inbound"]] == ["processed", "processed"]
    assert rows(store)["outbound"][-1] == ("sent", OPERATOR_ANSWER)
