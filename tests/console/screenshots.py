"""README pictures from the console's browser tests, taken only when asked for.

A full-page capture of a long page is the one step headless Chromium sometimes fails on a busy
machine ("Unable to capture screenshot"); nothing asserts on the pictures, so a test run without
CHUNGTAY_SCREENSHOT_DIR takes none.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = os.environ.get("CHUNGTAY_SCREENSHOT_DIR")  # set to refresh the README pictures


def snapshot(page: Page, name: str, *, full_page: bool = True) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=full_page)
