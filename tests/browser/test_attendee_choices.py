"""In Chromium: changing a booking from its manage link, and anonymous feedback without
JavaScript, each with the quick exit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.factories import Factory
from webinar.extensions import db
from webinar.feedback.tokens import feedback_token_for
from webinar.models import FeedbackAnswer, Registration
from webinar.security import manage_token_for

pytestmark = pytest.mark.browser


def _booking(live_server: LiveServer, *, starts_in: timedelta) -> tuple[int, str, str]:
    with live_server.app.app_context():
        factory = Factory()
        later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        event = factory.event(starts_at_utc=later, ends_at_utc=later + timedelta(hours=1))
        registration = factory.registration(event, name="Sam")
        # Booked while registration was open; then the event is moved to when we need it.
        event.starts_at_utc = datetime.now(UTC).replace(microsecond=0) + starts_in
        event.ends_at_utc = event.starts_at_utc + timedelta(hours=1)
        db.session.commit()
        result = (
            registration.id,
            f"/booking/{manage_token_for(registration.calendar_uid)}",
            f"/feedback/{feedback_token_for(registration)}",
        )
        db.session.remove()
    return result


def test_a_person_turns_on_discreet_messages_and_off_reminders_keeping_their_place(
    page: Page, live_server: LiveServer
) -> None:
    registration_id, manage, _ = _booking(live_server, starts_in=timedelta(days=2))

    page.goto(manage)
    page.get_by_role("link", name="Change your details or choices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your booking")
    expect(page.get_by_role("button", name="Emergency Leave this site")).to_be_visible()
    page.get_by_label("Send me discreet messages").check()
    page.get_by_label("Do not send me reminders").check()
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.get_by_text("Your changes have been saved.")).to_be_visible()
    expect(page.get_by_text("You have a place.")).to_be_visible()
    with live_server.app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        assert registration.discreet and registration.no_reminders
        assert registration.calendar_sequence == 1, "the entry's title changed"
        db.session.remove()


def test_feedback_works_without_javascript(no_js_page: Page, live_server: LiveServer) -> None:
    _, _, feedback = _booking(live_server, starts_in=timedelta(hours=-2))
    page = no_js_page

    page.goto(feedback)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you thought")
    expect(page.get_by_role("button", name="Emergency Leave this site")).to_be_visible()
    page.get_by_label("4").check()
    page.get_by_label("Not sure").check()
    page.get_by_label("What should we change? (optional)").fill("Slides before the talk")
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert "/feedback/thank-you" in page.url
    with live_server.app.app_context():
        texts = [answer.what_to_change for answer in db.session.query(FeedbackAnswer)]
        assert "Slides before the talk" in texts
        db.session.remove()
