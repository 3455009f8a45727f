"""The layout holds at a phone's width and a desktop's; screenshots for a person to look at.

Set SCREENSHOT_DIR to keep the screenshots (for example SCREENSHOT_DIR=/tmp/screens).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import LiveServer, new_context

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def open_home(page: Page, live_server: LiveServer) -> None:
    page.goto("/")


def open_event(page: Page, live_server: LiveServer) -> None:
    page.goto(f"/events/{live_server.webinar_slug}")


def open_register_with_errors(page: Page, live_server: LiveServer) -> None:
    page.goto(f"/events/{live_server.webinar_slug}/register")
    page.get_by_role("button", name="Register", exact=True).click()
    # Started, GOV.UK Frontend focuses the summary, scrolling to it: before the scroll back.
    expect(page.locator(".govuk-error-summary[data-govuk-error-summary-init]")).to_be_focused()
    page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "open_page",
    [open_home, open_event, open_register_with_errors],
    ids=["home", "event", "register-errors"],
)
def test_the_page_fits_the_screen_with_the_quick_exit_at_the_top(
    browser: Browser,
    live_server: LiveServer,
    screenshot_dir: Path,
    request: pytest.FixtureRequest,
    device: dict[str, object],
    open_page: Callable[[Page, LiveServer], None],
) -> None:
    context = new_context(browser, live_server, **device)
    page = context.new_page()
    try:
        open_page(page, live_server)

        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        button = page.get_by_role("button", name="Leave this site")
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box is not None and box["y"] < 100, "the quick exit is at the top"
        assert box["height"] >= 24 and box["width"] >= 24, "a target big enough to hit (WCAG 2.5.8)"
        name = request.node.callspec.id
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_error_summary_links_bring_the_field_into_view_below_the_quick_exit_bar(
    browser: Browser, live_server: LiveServer, device: dict[str, object], javascript: bool
) -> None:
    """The bar sticks to the top; a field scrolled to must not hide behind it (WCAG 2.4.11)."""
    context = new_context(browser, live_server, java_script_enabled=javascript, **device)
    page = context.new_page()
    try:
        page.goto(f"/events/{live_server.webinar_slug}/register")
        page.get_by_role("button", name="Register", exact=True).click()
        if javascript:
            # A link clicked before GOV.UK Frontend has started jumps the browser's own way, to
            # the field and not its label: wait for the component to mark itself started.
            expect(
                page.locator(".govuk-error-summary[data-govuk-error-summary-init]")
            ).to_have_count(1)
        bar = page.locator("[data-quick-exit-container]")
        for link in page.locator(".govuk-error-summary a").all():
            field_id = (link.get_attribute("href") or "").removeprefix("#")
            page.evaluate("window.scrollTo(0, 0)")
            link.click()
            field = page.locator(f"#{field_id}")
            expect(field).to_be_focused()
            label = page.locator(f"label[for='{field_id}']") if javascript else field
            # Scrolling can finish frames after focus moves, and GOV.UK Frontend may scroll a
            # second time to the label: measure once the position has held for 200 ms.
            settled, steady = _top_of(label), 0
            for _ in range(60):
                page.wait_for_timeout(50)
                now = _top_of(label)
                steady = steady + 1 if now == settled else 0
                settled = now
                if steady >= 4:
                    break
            bar_box, field_box = bar.bounding_box(), field.bounding_box()
            assert bar_box and field_box
            bar_bottom = bar_box["y"] + bar_box["height"]
            assert field_box["y"] >= bar_bottom, f"#{field_id} is behind the quick exit bar"
            if javascript:  # GOV.UK Frontend scrolls to the label, so the question shows too
                assert settled >= bar_bottom, f"#{field_id}'s label is hidden"
    finally:
        context.close()


def _top_of(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"])
