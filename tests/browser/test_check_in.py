"""Check-in on the day, on a phone: big targets, search by name, one action per person."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from tests.browser.conftest import LiveServer, new_context
from tests.factories import Factory
from webinar.extensions import db
from webinar.london_time import LONDON
from webinar.models import Event, EventFormat, OrganiserRole, Registration
from webinar.organisers.services.accounts import create_organiser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def todays_event_with_people(live_server: LiveServer, names: list[str]) -> Event:
    """An event in progress today (London), booked a week ago."""
    now = datetime.now(UTC)
    starts = now - timedelta(minutes=10)
    if starts.astimezone(LONDON).date() != now.astimezone(LONDON).date():
        starts = now + timedelta(minutes=1)
    factory = Factory()
    event = factory.event(
        title=f"Check-in test {secrets.token_hex(3)}",
        format=EventFormat.IN_PERSON,
        venue="Community hall",
        joining_link=None,
        starts_at_utc=starts,
        ends_at_utc=starts + timedelta(hours=2),
    )
    for name in names:
        factory.registration(event, name=name, now=starts - timedelta(days=7))
    return event


def test_check_in_staff_check_people_in_on_a_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    password = secrets.token_urlsafe(16)
    email = f"door-{secrets.token_hex(3)}@police.example"
    with live_server.app.app_context():
        create_organiser(
            email=email, password=password, role=OrganiserRole.CHECK_IN, created_by=None
        )
        db.session.commit()
        event = todays_event_with_people(live_server, ["Alex Morgan", "Sam Taylor"])
        title, event_id = event.title, event.id
        db.session.remove()
    context = new_context(browser, live_server, viewport=PHONE, has_touch=True)
    page = context.new_page()

    page.goto(f"/organisers/sign-in?next=/organisers/check-in/{event_id}")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check in: {title}")
    expect(page.get_by_text("0 of 2 checked in")).to_be_visible()

    page.get_by_label("Search by name").fill("sam")
    page.get_by_role("button", name="Search").click()
    check_in = page.get_by_role("button", name="Check in Sam Taylor")
    expect(check_in).to_be_visible()
    expect(page.get_by_role("button", name="Check in Alex Morgan")).to_have_count(0)
    box = check_in.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 120, box
    check_in.click()

    expect(page.get_by_text("1 of 2 checked in")).to_be_visible()
    expect(page.get_by_text("Sam Taylor: checked in")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    body = page.locator("main").inner_text()
    assert "@" not in body, "check-in staff see no email addresses"
    context.close()


def signed_in_at_the_door(browser: Browser, live_server: LiveServer, **options: Any) -> Any:
    """Check-in staff on a phone, on the check-in page of an event with one booking."""
    password, email = secrets.token_urlsafe(16), f"door-{secrets.token_hex(3)}@police.example"
    with live_server.app.app_context():
        create_organiser(
            email=email, password=password, role=OrganiserRole.CHECK_IN, created_by=None
        )
        db.session.commit()
        event = todays_event_with_people(live_server, ["Kim Lee"])
        event_id = event.id
        code = db.session.scalars(
            select(Registration.booking_code).where(Registration.event_id == event_id)
        ).one()
        db.session.remove()
    context = new_context(browser, live_server, viewport=PHONE, has_touch=True, **options)
    page = context.new_page()
    page.goto(f"/organisers/sign-in?next=/organisers/check-in/{event_id}")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("0 of 1 checked in")).to_be_visible()
    return context, page, code


def test_a_typed_booking_code_checks_someone_in_and_a_second_time_says_when(
    browser: Browser, live_server: LiveServer
) -> None:
    context, page, code = signed_in_at_the_door(browser, live_server)
    # Linux Chromium has no BarcodeDetector: the scanner stays hidden, typing works.
    expect(page.get_by_role("button", name="Scan a QR code")).to_be_hidden()
    page.get_by_label("Booking code", exact=True).fill(f"{code[:4].lower()} {code[4:].lower()}")
    page.get_by_role("button", name="Check in by code").click()
    result = page.locator("#check-in-result")
    expect(result).to_have_text("Kim Lee Checked in", use_inner_text=True)
    expect(page.get_by_text("1 of 1 checked in")).to_be_visible()
    page.get_by_label("Booking code", exact=True).fill(code)
    page.get_by_role("button", name="Check in by code").click()
    expect(result).to_contain_text("Already checked in at")
    assert "@" not in page.locator("main").inner_text()
    context.close()


#: Stands in for the phone's camera and the browser's QR reader, which Linux Chromium
#: lacks: the camera is a blank canvas, and the reader "sees" the code given to it. What
#: is tested is our script: it offers the scanner, starts the camera and submits the code.
FAKE_SCANNER = """
window.BarcodeDetector = class {
  static async getSupportedFormats () { return ['qr_code'] }
  async detect () { return window.__cameraSees ? [{ rawValue: window.__cameraSees }] : [] }
}
navigator.mediaDevices.getUserMedia = async () => {
  if (window.__cameraRefused) { throw new DOMException('Denied', 'NotAllowedError') }
  const canvas = document.createElement('canvas')
  canvas.getContext('2d').fillRect(0, 0, 10, 10)
  return canvas.captureStream()
}
"""


def test_scanning_the_qr_code_with_the_camera_checks_someone_in(
    browser: Browser, live_server: LiveServer
) -> None:
    context, page, code = signed_in_at_the_door(browser, live_server)
    context.add_init_script(FAKE_SCANNER + f"window.__cameraSees = {code!r}")
    page.reload()
    page.get_by_role("button", name="Scan a QR code").click()
    expect(page.locator("#check-in-result")).to_have_text("Kim Lee Checked in", use_inner_text=True)
    context.close()


def test_a_refused_camera_says_to_type_the_code(browser: Browser, live_server: LiveServer) -> None:
    context, page, _ = signed_in_at_the_door(browser, live_server)
    context.add_init_script(FAKE_SCANNER + "window.__cameraRefused = true")
    page.reload()
    page.get_by_role("button", name="Scan a QR code").click()
    expect(
        page.get_by_text("The camera is not available. Type the booking code instead.")
    ).to_be_visible()
    expect(page.get_by_label("Booking code", exact=True)).to_be_editable()
    context.close()


def test_with_javascript_off_a_typed_code_still_checks_someone_in(
    browser: Browser, live_server: LiveServer
) -> None:
    context, page, code = signed_in_at_the_door(browser, live_server, java_script_enabled=False)
    expect(page.get_by_role("button", name="Scan a QR code")).to_be_hidden()
    page.get_by_label("Booking code", exact=True).fill(code)
    page.get_by_role("button", name="Check in by code").click()
    expect(page.locator("#check-in-result")).to_have_text("Kim Lee Checked in", use_inner_text=True)
    context.close()
