"""A person finds the webinar, registers, and fixes mistakes, with JavaScript on and off."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, fill_registration, new_context

pytestmark = pytest.mark.browser


def unique_email() -> str:
    return f"person-{uuid.uuid4().hex[:12]}@example.com"


def test_home_lists_events_under_the_day_they_happen(page: Page, live_server: LiveServer) -> None:
    page.goto("/")

    days = page.locator("main h2.govuk-heading-l")
    expect(days.first).to_be_visible()
    headings = days.all_inner_texts()
    assert len(headings) >= 2, headings
    dates = [datetime.strptime(heading, "%A %d %B %Y").date() for heading in headings]
    assert dates == sorted(set(dates)), "one heading per day, in date order"
    events_per_day = []
    for number, heading in enumerate(headings):
        events = days.nth(number).locator("xpath=following-sibling::ul[1]/li")
        times = events.locator("dt:text-is('When') + dd").all_inner_texts()
        assert times, f"no events under {heading!r}"
        for when in times:
            assert when.startswith(f"{heading}, "), f"{when!r} listed under {heading!r}"
        events_per_day.append(len(times))
    assert max(events_per_day) >= 2, "events on the same day share one heading"
    expect(page.get_by_role("link", name=live_server.webinar_title)).to_be_visible()


def test_a_person_registers_for_the_webinar_with_javascript(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/")
    page.get_by_role("link", name=live_server.webinar_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_server.webinar_title)
    expect(
        page.get_by_text("online: the joining link is sent to people who register")
    ).to_be_visible()

    page.get_by_role("button", name="Register for this event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for this event")
    fill_registration(page, name="Sam", email=unique_email())
    page.get_by_label("Question for the panel (optional)").fill(
        "What is a Stalking Protection Order?"
    )
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page).to_have_title(
        f"Check your email – {live_server.app.config['SERVICE_NAME']} – "
        f"{live_server.app.config['ORGANISATION_NAME']}"
    )


def test_an_empty_form_shows_an_error_summary_whose_links_move_focus_to_the_fields(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"/events/{live_server.webinar_slug}/register")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page).to_have_title(
        re.compile(rf"^Error: Register for this event – {re.escape(live_server.webinar_title)} – ")
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend focuses it so screen readers hear it
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    summary_box = summary.bounding_box()
    heading_box = page.get_by_role("heading", level=1).bounding_box()
    assert summary_box and heading_box and summary_box["y"] < heading_box["y"]

    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Enter your name or a nickname",
            "Enter your email address",
            "Confirm you have read the privacy notice and agree to your details being used "
            "to manage your booking",
        ]
    )
    for link, field in zip(
        links.all(),
        [
            page.get_by_label("Your name or a nickname"),
            page.get_by_label("Email address"),
            page.get_by_label("I have read the privacy notice"),
        ],
        strict=True,
    ):
        link.click()
        expect(field).to_be_focused()
        expect(field).to_be_in_viewport()


def test_a_person_registers_with_javascript_off(no_js_page: Page, live_server: LiveServer) -> None:
    page = no_js_page
    page.goto("/")
    expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))
    page.get_by_role("link", name=live_server.webinar_title).click()
    page.get_by_role("button", name="Register for this event").click()

    page.get_by_role("button", name="Register", exact=True).click()
    expect(page).to_have_title(
        re.compile(rf"^Error: Register for this event – {re.escape(live_server.webinar_title)} – ")
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")

    fill_registration(page, name="Alex", email=unique_email())
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def test_people_in_separate_browsers_each_register_with_the_form_from_the_cache(
    browser: Browser, live_server: LiveServer
) -> None:
    """The second and third people get the form kept from the first visit
    (docs/architecture.md#cached-forms), each with a token for their own session."""
    tokens = []
    for person in range(3):
        context = new_context(browser, live_server)
        try:
            page = context.new_page()
            page.goto(f"/events/{live_server.webinar_slug}/register")
            tokens.append(page.locator("input[name=csrf_token]").get_attribute("value"))
            fill_registration(page, name=f"Person {person}", email=unique_email())
            page.get_by_role("button", name="Register", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        finally:
            context.close()
    assert len(set(tokens)) == 3
