"""A person opens the private link from their email and cancels their booking."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import LiveServer, fill_registration
from webinar.extensions import db
from webinar.models import Registration
from webinar.security import manage_token_for

pytestmark = pytest.mark.browser


def manage_link_for(live_server: LiveServer, email: str) -> str:
    """The link the confirmation email carries (recomputed, as the email builder does)."""
    with live_server.app.app_context():
        registration = db.session.scalars(
            select(Registration).where(Registration.email == email)
        ).one()
        token = manage_token_for(registration.calendar_uid)
        db.session.remove()
    return f"/booking/{token}"


def test_a_person_cancels_their_booking_from_the_manage_link(
    page: Page, live_server: LiveServer
) -> None:
    email = f"cancel-{uuid.uuid4().hex[:12]}@example.com"
    page.goto(f"/events/{live_server.webinar_slug}/register")
    fill_registration(page, name="Jo", email=email)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    manage_link = manage_link_for(live_server, email)
    page.goto(manage_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.get_by_text("You have a place.")).to_be_visible()

    page.get_by_role("button", name="Cancel my booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to cancel?")
    expect(page.get_by_role("link", name="No, keep my booking")).to_be_visible()
    page.get_by_role("button", name="Yes, cancel my booking").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Booking cancelled")
    page.goto(manage_link)
    expect(page.get_by_text("This booking has been cancelled.")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel my booking")).to_have_count(0)
