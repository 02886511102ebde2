"""A person's conversation with the real assistant in a real Chromium on a phone (390×844).

The whole stack runs as in tests/e2e/test_real_path.py (Rasa with the trained model, the action
server, the worker, the gateway); Chromium shows the web chat as a person sees it. At every step
the newest reply lies wholly above the typing box; an operator's answer is marked; the operator
leaving is said; erasing clears the screen. With ``CHUNGTAY_SCREENSHOT_DIR`` set, the README's
pictures of the chat are taken from this conversation.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from chungtay.settings import Settings
from intake_store import casework, handoff
from intake_store.models import Conversation, Intake
from intake_store.store import Store
from tests.gateway.test_webchat_browser import PHONE, _above_the_typing_box, _browser, _shoot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
OPERATOR_ANSWER = "Chào em, chị là cán bộ trực. Em đang ở đâu, có an toàn không?"


def _answered(page: Page) -> None:
    """The page has the assistant's answer: sending is possible again, the newest is in view."""
    page.locator("#send:not([disabled])").wait_for(timeout=60_000)
    _above_the_typing_box(page, page.locator("#log li").last)


def _says(page: Page, text: str) -> None:
    """A button of the newest reply when one says ``text``, else typed."""
    choice = page.locator("#log li").last.get_by_role("button", name=text, exact=True)
    if choice.count():
        choice.click()
    else:
        page.get_by_label("Tin nhắn của bạn").fill(text)
        page.keyboard.press("Enter")
    _answered(page)
    for button in page.locator("#log li").last.get_by_role("button").all():
        _above_the_typing_box(page, button)


def _case(store: Store, session_id: str) -> Intake:
    sender_hash = store.hasher.hash(channel="webchat", sender_id=session_id)
    with store.begin() as session:
        conversation = select(Conversation.id).where(Conversation.sender_hash == sender_hash)
        return session.scalars(select(Intake).where(Intake.conversation_id.in_(conversation))).one()


def test_a_help_request_on_a_phone_with_the_real_assistant(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    with _browser(PHONE) as (_, page):
        page.goto(f"{settings.public_base_url}/")
        session_id = page.evaluate("sessionStorage.getItem('chungtay.session')")
        for text in (
            "em moi ve nuoc, giay to mat het, em can lam lai giay to va tim viec",
            "nạn nhân",
            "ở Nghệ An",
            "cho em gặp người thật",
        ):
            _says(page, text)
        case = _case(store, session_id)
        code = page.locator("#log li", has_text=case.reference_code).last
        _above_the_typing_box(page, code)
        _shoot(page, "webchat-phone.png")

        # The operator takes the conversation over and answers: marked as a person's.
        with store.begin() as session:
            handoff.hold_conversation(session, intake_id=case.id, actor="operator1")
            casework.queue_reply(
                session,
                cipher=store.cipher,
                intake_id=case.id,
                actor="operator1",
                text=OPERATOR_ANSWER,
            )
        staff = page.locator("#log li.staff")
        for _ in range(30):  # the gateway's delivery pass (every 2 s), then the page's poll
            page.clock.run_for(5_000)
            if staff.count():
                break
            time.sleep(1)
        assert staff.inner_text() == f"Cán bộ:\n{OPERATOR_ANSWER}"
        _above_the_typing_box(page, staff)
        _shoot(page, "webchat-staff-phone.png")

        # Handed back: the person is told, then the assistant answers again.
        with store.begin() as session:
            handoff.release_conversation(session, intake_id=case.id, actor="operator1")
        _says(page, "dạ em cảm ơn chị")
        told = page.locator("#log li.bot", has_text="Cán bộ đã rời cuộc trò chuyện")
        assert told.count() == 1

        # Erasing: nothing of the conversation stays on the screen or in the browser.
        _says(page, "xóa")
        _says(page, "Có, xóa")
        lines = page.locator("#log li").all_inner_texts()
        assert len(lines) == 1 and lines[0].startswith("Đã xóa dữ liệu"), lines
        assert page.evaluate("sessionStorage.getItem('chungtay.session')") != session_id
        _shoot(page, "webchat-erased-phone.png")
