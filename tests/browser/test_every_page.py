"""Every public page works in a real browser: no errors, nothing from another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, PageProblems

pytestmark = pytest.mark.browser

SITE_PAGES = [
    "/accessibility-statement",
    "/privacy-notice",
    "/cookies",
    "/help-and-support",
    "/staying-safe-online",
    "/calendar",
]


def public_pages(webinar_slug: str) -> list[tuple[str, int]]:
    event = f"/events/{webinar_slug}"
    return [
        ("/", 200),
        (event, 200),
        (f"{event}/register", 200),
        (f"{event}/check-your-email", 200),
        *[(path, 200) for path in SITE_PAGES],
        ("/no-such-page", 404),
    ]


def test_every_public_page_loads_cleanly_with_the_quick_exit(
    page: Page, live_server: LiveServer, problems: PageProblems
) -> None:
    for path, status in public_pages(live_server.webinar_slug):
        response = page.goto(path)
        assert response is not None and response.status == status, path
        # GOV.UK Frontend's inline script ran (its CSP hash matches) and so did its modules.
        expect(page.locator("body")).to_have_class(
            "govuk-template__body js-enabled govuk-frontend-supported"
        )
        expect(page.get_by_role("button", name="Leave this site")).to_be_in_viewport()
        assert page.title().startswith(page.get_by_role("heading", level=1).inner_text()), path
        assert problems.csp_violations(page) == [], path

    assert problems.page_errors == []
    assert problems.other_hosts == []
    # Chromium logs the 404 page's own status as an error; anything else is a real problem.
    assert [
        error
        for error in problems.console_errors
        if not error.startswith(
            "Failed to load resource: the server responded with a status of 404"
        )
        or not error.endswith(f"({live_server.url}/no-such-page)")
    ] == []


def test_the_register_page_with_errors_loads_cleanly(
    page: Page, live_server: LiveServer, problems: PageProblems
) -> None:
    page.goto(f"/events/{live_server.webinar_slug}/register")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()

    assert problems.csp_violations(page) == []
    assert problems.console_errors == []
    assert problems.page_errors == []
    assert problems.other_hosts == []
