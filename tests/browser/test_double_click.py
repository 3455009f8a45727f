"""Double-clicking "Yes, cancel my booking" or "Yes, delete my details" in Chromium.

With JavaScript, GOV.UK Frontend's data-prevent-double-click lets one POST through. Without
it, both POSTs reach the server, which must still change the booking once, email once and
move the waiting list up once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, new_context
from tests.concurrency.invariants import assert_invariants
from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event, Registration, RegistrationStatus
from webinar.security import manage_token_for

pytestmark = pytest.mark.browser

BUTTONS = {
    # The second POST may find the booking cancelled: the manage page then says so.
    "cancel": ("Yes, cancel my booking", "Booking cancelled|This booking has been cancelled"),
    "delete": ("Yes, delete my details", "Your details have been deleted"),
}


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def any_page(browser: Browser, live_server: LiveServer, javascript: bool) -> Iterator[Page]:
    context = new_context(browser, live_server, java_script_enabled=javascript)
    yield context.new_page()
    context.close()


def booked_and_waiting(live_server: LiveServer) -> tuple[int, str]:
    """A one-place event with one person booked and one waiting; the booked person's token."""
    with live_server.app.app_context():
        factory = Factory()
        event = factory.event(capacity=1, waiting_list_enabled=True)
        booked = factory.registration(event)
        factory.registration(event)
        result = event.id, manage_token_for(booked.calendar_uid)
        db.session.remove()
    return result


@pytest.mark.parametrize("action", BUTTONS)
def test_a_double_click_changes_the_booking_once(
    any_page: Page, live_server: LiveServer, javascript: bool, action: str
) -> None:
    event_id, token = booked_and_waiting(live_server)
    button, outcome = BUTTONS[action]
    posts: list[str] = []
    any_page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    any_page.goto(f"/booking/{token}/{action}")

    box = any_page.get_by_role("button", name=button).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # A double click: the second press comes a few milliseconds after the first.
    any_page.mouse.click(x, y)
    any_page.mouse.click(x, y)

    # Whichever answer the browser shows says what happened; neither is an error page.
    # (Waited for first: the clicks return before the answer, and the page that had the
    # button would pass the check for an error page.)
    expect(any_page.locator("main")).to_contain_text(re.compile(outcome))
    expect(any_page.get_by_text("Page not found")).to_have_count(0)
    # GOV.UK Frontend lets one through. Without JavaScript the browser sends both unless
    # the first answer came back before the second press (two tabs, below, always do).
    assert (len(posts) == 1) if javascript else (1 <= len(posts) <= 2), posts
    with live_server.app.app_context():
        assert_invariants([event_id])
        event = db.session.get(Event, event_id)
        assert event is not None and event.places_taken == 1
        waiting = db.session.scalars(db.select(Registration).filter_by(event_id=event_id)).all()
        assert RegistrationStatus.WAITING not in [r.status for r in waiting]
        db.session.remove()


@pytest.mark.parametrize("action", BUTTONS)
def test_the_same_button_pressed_in_two_tabs_changes_the_booking_once(
    no_js_page: Page, live_server: LiveServer, action: str
) -> None:
    event_id, token = booked_and_waiting(live_server)
    button, outcome = BUTTONS[action]
    tabs = [no_js_page, no_js_page.context.new_page()]
    for tab in tabs:
        tab.goto(f"/booking/{token}/{action}")

    for tab in tabs:
        tab.get_by_role("button", name=button).click()

    for tab in tabs:
        expect(tab.locator("main")).to_contain_text(re.compile(outcome))
    with live_server.app.app_context():
        assert_invariants([event_id])
        event = db.session.get(Event, event_id)
        assert event is not None and event.places_taken == 1
        db.session.remove()
