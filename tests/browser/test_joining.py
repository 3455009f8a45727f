"""A person opens their own joining link in Chromium: the safety page, then the meeting;
after a cancellation the same link leads nowhere (docs/safety.md#personal-joining-links)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ExitSite, LiveServer
from tests.factories import Factory
from webinar.extensions import db
from webinar.joining.tokens import join_token_for
from webinar.registrations.cancellation import cancel_registration

pytestmark = pytest.mark.browser


def _booking(live_server: LiveServer, meeting: str, *, starts_in: timedelta) -> tuple[str, int]:
    """A booked place on an online event; its joining path and its id."""
    with live_server.app.app_context():
        factory = Factory()
        starts = datetime.now(UTC).replace(microsecond=0) + starts_in
        event = factory.event(
            starts_at_utc=starts, ends_at_utc=starts + timedelta(hours=1), joining_link=meeting
        )
        registration = factory.registration(event)
        path = f"/join/{join_token_for(registration.calendar_uid, 0)}"
        registration_id = registration.id
        db.session.remove()
    return path, registration_id


def _cancel(live_server: LiveServer, registration_id: int) -> None:
    from webinar.models import Registration

    with live_server.app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        cancel_registration(registration=registration, now=datetime.now(UTC))
        db.session.commit()
        db.session.remove()


def test_the_link_opens_the_meeting_in_its_window_and_not_after_a_cancellation(
    page: Page, live_server: LiveServer, exit_site: ExitSite
) -> None:
    meeting = f"{exit_site.url}/meeting-room"
    path, registration_id = _booking(live_server, meeting, starts_in=timedelta(minutes=10))

    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you join")
    expect(page.get_by_text("use a nickname")).to_be_visible()
    expect(page.get_by_role("button", name="Emergency Leave this site")).to_be_visible()
    page.get_by_role("button", name="Continue to the meeting").click()
    page.wait_for_url(meeting)
    (visit,) = exit_site.headers_sent_to("/meeting-room")
    assert "referer" not in visit, "the meeting is not told where the person came from"

    _cancel(live_server, registration_id)
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This joining link does not work")
    expect(page.get_by_role("button", name="Continue to the meeting")).to_have_count(0)


def test_the_link_refuses_before_its_window(
    page: Page, live_server: LiveServer, exit_site: ExitSite
) -> None:
    path, _ = _booking(live_server, f"{exit_site.url}/later", starts_in=timedelta(hours=2))

    page.goto(path)

    expect(page.get_by_role("heading", level=1)).to_have_text("It’s not time to join yet")
    expect(page.get_by_role("button", name="Continue to the meeting")).to_have_count(0)
