"""The narrowest screen WCAG 1.4.10 (reflow) asks for: 320 CSS pixels, no sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import LiveServer, new_context

pytestmark = pytest.mark.browser

NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize(
    "path",
    [
        "/cookies",
        "/privacy-notice",
        "/accessibility-statement",
        "/help-and-support",
        "/staying-safe-online",
    ],
)
def test_information_pages_fit_a_320_pixel_screen(
    browser: Browser, live_server: LiveServer, path: str
) -> None:
    context = new_context(browser, live_server, **NARROWEST)
    page = context.new_page()
    try:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide: it scrolls sideways"
    finally:
        context.close()
