"""Public calendar files: per-event download, the feed, and the event page's links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.calendar_checks import (
    assert_calendar_links_match,
    assert_download_is_valid,
    assert_feed_is_valid,
    event_times_utc,
)
from tests.conftest import FROZEN_NOW, base_config
from tests.factories import Factory
from tests.pages import check_page, text_of
from webinar import create_app
from webinar.models import EventStatus

JOIN_LINK = "https://meet.example.org/room"
LONDON = ZoneInfo("Europe/London")


def test_an_event_downloads_as_one_event_to_import_without_the_joining_link(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(calendar_sequence=2)

    response = client.get(f"/events/{event.slug}/calendar.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response.headers["Content-Disposition"]
    # No calendar name (Outlook would open a new calendar), no METHOD and no ORGANIZER.
    calendar = assert_download_is_valid(response.data)
    (entry,) = calendar.events
    assert str(entry["UID"]) == f"event-{event.id}@localhost"
    assert entry["SEQUENCE"] == 2
    assert event_times_utc(entry) == (event.starts_at_utc, event.ends_at_utc)
    assert JOIN_LINK.encode() not in response.data


def test_drafts_have_no_calendar_file(client: FlaskClient, factory: Factory) -> None:
    event = factory.event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404


def test_the_feed_lists_upcoming_and_recent_events_and_marks_cancellations(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    upcoming = factory.event()
    cancelled = factory.event(status=EventStatus.CANCELLED)
    recent = factory.event(starts_at_utc=FROZEN_NOW - timedelta(days=3))
    factory.event(starts_at_utc=FROZEN_NOW - timedelta(days=90))  # long gone
    factory.event(status=EventStatus.DRAFT)

    response = client.get("/calendar.ics")

    calendar = assert_feed_is_valid(response.data, name=app.config["SERVICE_NAME"])
    by_uid = {str(entry["UID"]): entry for entry in calendar.events}
    assert set(by_uid) == {f"event-{e.id}@localhost" for e in (upcoming, cancelled, recent)}
    assert by_uid[f"event-{cancelled.id}@localhost"]["STATUS"] == "CANCELLED"
    assert by_uid[f"event-{cancelled.id}@localhost"]["SUMMARY"] == f"Cancelled: {cancelled.title}"
    assert by_uid[f"event-{upcoming.id}@localhost"]["STATUS"] == "CONFIRMED"
    assert by_uid[f"event-{upcoming.id}@localhost"]["SUMMARY"] == upcoming.title
    assert JOIN_LINK.encode() not in response.data


def test_the_subscribe_page_gives_https_and_webcal_links(client: FlaskClient) -> None:
    page = check_page(client.get("/calendar"))

    webcal = page.select_one("#webcal-link")
    assert webcal is not None and webcal["href"] == "webcal://localhost/calendar.ics"
    assert text_of(page.select_one("#feed-url")) == "http://localhost/calendar.ics"
    footer = page.select_one("footer")
    assert footer is not None and footer.find("a", string="Calendar feed") is not None
    steps = text_of(page.select_one("#refresh-steps"))
    assert '"Every hour"' in steps and '"Every 60 minutes"' in steps and '"Hourly"' in steps


@pytest.mark.parametrize(
    ("local_start", "expected_start_utc"),
    [
        (datetime(2026, 12, 2, 18), datetime(2026, 12, 2, 18, tzinfo=UTC)),
        (datetime(2027, 6, 15, 18), datetime(2027, 6, 15, 17, tzinfo=UTC)),
    ],
    ids=["GMT-December", "BST-June"],
)
def test_the_event_page_download_feed_and_links_give_the_same_instant(
    client: FlaskClient, factory: Factory, local_start: datetime, expected_start_utc: datetime
) -> None:
    starts = local_start.replace(tzinfo=LONDON).astimezone(UTC)
    event = factory.event(starts_at_utc=starts, ends_at_utc=starts + timedelta(hours=1))
    expected = (expected_start_utc, expected_start_utc + timedelta(hours=1))

    page = check_page(client.get(f"/events/{event.slug}"))
    download = assert_download_is_valid(client.get(f"/events/{event.slug}/calendar.ics").data)
    feed = assert_feed_is_valid(client.get("/calendar.ics").data, name="16 Days of Action events")

    (entry,) = download.events
    assert event_times_utc(entry) == expected
    assert [event_times_utc(e) for e in feed.events if e["UID"] == entry["UID"]] == [expected]
    links = {text_of(a): str(a["href"]) for a in page.select("#add-to-calendar a")}
    assert links["Download a calendar file (.ics)"] == f"/events/{event.slug}/calendar.ics"
    assert links["Google Calendar"].startswith("https://calendar.google.com/")
    assert links["Outlook.com"].startswith("https://outlook.live.com/")
    assert links["Outlook (work or school account)"].startswith("https://outlook.office.com/")
    assert_calendar_links_match("\n".join(links.values()), entry)
    assert JOIN_LINK not in page.decode()
    assert "you will have 2 entries" in text_of(page.select_one("main"))


def test_a_cancelled_event_page_offers_no_calendar_links(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(status=EventStatus.CANCELLED)
    page = check_page(client.get(f"/events/{event.slug}"))
    assert page.select_one("#add-to-calendar") is None


def test_the_development_email_list_does_not_exist_in_production(tmp_path: Path) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'prod.sqlite'}", tmp_path)
    config.update(TESTING=False, DEBUG=False)
    app = create_app(config)

    assert "dev" not in app.blueprints
    assert app.test_client().get("/dev/emails").status_code == 404


def test_calendar_apps_can_cache_the_feed_and_ask_whether_it_changed(
    client: FlaskClient, factory: Factory, frozen_time: object
) -> None:
    event = factory.event()
    first = client.get("/calendar.ics")
    etag = first.headers["ETag"]
    # Kept, but checked with the server each time: a cancellation reaches the next poll.
    assert first.headers["Cache-Control"] == "no-cache"

    unchanged = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304

    # Changed behind the site's back, not by a service: the cache's short life still ends.
    frozen_time.shift(timedelta(minutes=5))  # type: ignore[attr-defined]
    event.title = "A new title"
    from webinar.extensions import db

    db.session.commit()
    changed = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert b"A new title" in changed.get_data()


def test_pages_are_still_never_cached(client: FlaskClient, factory: Factory) -> None:
    event = factory.event()

    assert client.get(f"/events/{event.slug}").headers["Cache-Control"] == "no-store"
