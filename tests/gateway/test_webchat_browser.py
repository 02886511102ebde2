"""The web chat in a real headless Chromium (Debian's), driven by Playwright.

Needs ``scripts/install-browser.sh`` (Debian chromium + the playwright package); missing, the test
skips on a developer machine and fails in CI.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from bot.app import create_app
from chungtay.settings import Settings
from intake_store import casework, handoff
from intake_store.store import Store
from tests.gateway.conftest import FakeRasa, open_help_case, rows

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

pytestmark = pytest.mark.browser


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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the page, not the database
def _in_thread(work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run a coroutine outside Playwright's own event loop (the sync API owns this thread's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result(timeout=30)


def _operator_answers(store: Store) -> None:
    """What the console does: hold the person's conversation and queue a reply to them."""
    with store.begin() as session:
        intake_id, _ = open_help_case(
            session, cipher=store.cipher, details={"safe_to_contact": True}
        )
        handoff.hold_conversation(session, intake_id=intake_id, actor="operator")
        casework.queue_reply(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor="operator",
            text=OPERATOR_ANSWER,
        )


def test_type_see_reply_press_button_operator_answers_then_quick_exit(
    served: str, gateway_app: FastAPI, store: Store, rasa: FakeRasa
) -> None:
    _need(shutil.which(CHROMIUM) is not None, "Debian chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright Python package")
        raise

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 360, "height": 640})  # a cheap phone
            # The closed network cannot reach the neutral site; answer it locally.
            context.route(
                f"https://{NEUTRAL_HOST}/**",
                lambda route: route.fulfill(
                    body="<title>neutral</title>", content_type="text/html"
                ),
            )
            page = context.new_page()
            # The page's strict CSP (no inline code) must not block anything of its own.
            violations: list[str] = []
            page.on(
                "console",
                lambda m: (
                    violations.append(m.text) if "Content Security Policy" in m.text else None
                ),
            )
            # The page polls for operator replies every 5 s: its clock is moved on, not waited.
            page.clock.install()
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
            answer = page.locator("#log li.bot", has_text=OPERATOR_ANSWER)
            answer.wait_for(timeout=10_000)
            assert bot_lines.count() == 5 and len(rasa.calls) == 2
            page.clock.run_for(5_000)  # fetched once: the next poll adds nothing
            assert page.locator("#log li.bot", has_text=OPERATOR_ANSWER).count() == 1

            assert violations == []
            assert page.evaluate("getComputedStyle(document.getElementById('exit')).minHeight")
            assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # styled
            page.get_by_role("button", name="Thoát nhanh").click()
            page.wait_for_url(f"https://{NEUTRAL_HOST}/**", timeout=10_000)
            page.go_back()  # location.replace(): the chat is not in the history
            assert not page.url.startswith(served)

            check = context.new_page()
            check.goto(served)
            assert check.evaluate("localStorage.length") == 0
            assert check.locator("#log li").count() == 0
        finally:
            browser.close()
    assert [s for _, _, s, _ in rows(store)["inbound"]] == ["processed", "processed"]
    assert rows(store)["outbound"][-1] == ("sent", OPERATOR_ANSWER)
