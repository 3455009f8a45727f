"""Leaving quickly (docs/safety.md#quick-exit): the button, Escape, and Shift pressed 3 times."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ExitSite, LiveServer

pytestmark = pytest.mark.browser


def click_the_button(page: Page) -> None:
    page.get_by_role("button", name="Leave this site").click()


def press_escape(page: Page) -> None:
    page.keyboard.press("Escape")


def press_shift_three_times(page: Page) -> None:
    for _ in range(3):
        page.keyboard.press("Shift")


@pytest.mark.parametrize(
    "leave",
    [click_the_button, press_escape, press_shift_three_times],
    ids=["button", "escape", "shift-3-times"],
)
def test_leaving_goes_to_the_exit_site_and_back_does_not_return(
    page: Page, live_server: LiveServer, exit_site: ExitSite, leave: Callable[[Page], None]
) -> None:
    page.goto(exit_site.start_url)  # whatever the person had open before our site
    page.goto(f"/events/{live_server.webinar_slug}")
    exit_site.requests.clear()

    leave(page)

    page.wait_for_url(exit_site.exit_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    [request] = exit_site.headers_sent_to("/weather")
    assert "referer" not in request, "the exit site must not learn where the person was"
    page.go_back()
    assert page.url == exit_site.start_url, "Back must not return to our page"


def test_leaving_works_in_a_text_field(
    page: Page, live_server: LiveServer, exit_site: ExitSite
) -> None:
    page.goto(f"/events/{live_server.webinar_slug}/register")
    page.get_by_label("Your name or a nickname").fill("Sam")

    page.keyboard.press("Escape")

    page.wait_for_url(exit_site.exit_url)


def test_shift_used_for_capital_letters_is_not_counted(page: Page, live_server: LiveServer) -> None:
    page.goto(f"/events/{live_server.webinar_slug}/register")
    name = page.get_by_label("Your name or a nickname")
    name.click()

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+S")
    page.keyboard.type("am")
    page.keyboard.press("Shift+J")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")

    expect(name).to_have_value("SamJ")
    assert page.evaluate("document.title") != "Leaving"
    assert live_server.is_ours(page.url)


def test_the_button_tells_the_browser_not_to_send_a_referrer(page: Page) -> None:
    page.goto("/")
    button = page.get_by_role("button", name="Leave this site")
    expect(button).to_be_in_viewport()
    assert {"nofollow", "noreferrer"} <= set((button.get_attribute("rel") or "").split())


def test_the_button_leaves_with_javascript_off(
    no_js_page: Page, live_server: LiveServer, exit_site: ExitSite
) -> None:
    no_js_page.goto("/")
    exit_site.requests.clear()

    no_js_page.get_by_role("button", name="Leave this site").click()

    no_js_page.wait_for_url(exit_site.exit_url)
    [request] = exit_site.headers_sent_to("/weather")
    assert "referer" not in request
