"""The home page: upcoming events grouped by day, in UK time, with what you can do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from tests.factories import Factory
from tests.pages import check_page, text_of
from webinar.models import EventFormat, EventStatus


def test_events_are_grouped_by_day_with_gov_uk_dates_and_times(
    client: FlaskClient, factory: Factory
) -> None:
    factory.event(
        title="Evening webinar",
        starts_at_utc=datetime(2026, 12, 2, 18, 0, tzinfo=UTC),
        ends_at_utc=datetime(2026, 12, 2, 19, 30, tzinfo=UTC),
    )
    factory.event(
        title="Lunchtime talk",
        format=EventFormat.IN_PERSON,
        venue="Central Library",
        starts_at_utc=datetime(2026, 12, 3, 12, 0, tzinfo=UTC),
        ends_at_utc=datetime(2026, 12, 3, 12, 45, tzinfo=UTC),
    )

    page = check_page(client.get("/"))

    days = [text_of(heading) for heading in page.select("main h2.govuk-heading-l")]
    assert days == ["Wednesday 2 December 2026", "Thursday 3 December 2026"]
    text = text_of(page.find("main"))
    assert "Wednesday 2 December 2026, 6pm to 7:30pm" in text
    assert "Thursday 3 December 2026, midday to 12:45pm" in text
    assert "In person" in text


def test_a_summer_event_is_shown_in_british_summer_time(
    client: FlaskClient, factory: Factory
) -> None:
    factory.event(
        title="Summer session",
        starts_at_utc=datetime(2027, 6, 15, 17, 0, tzinfo=UTC),
        ends_at_utc=datetime(2027, 6, 15, 18, 0, tzinfo=UTC),
    )

    page = check_page(client.get("/"))

    assert "Tuesday 15 June 2027, 6pm to 7pm" in text_of(page.find("main"))


def test_past_drafts_are_not_listed_and_cancelled_events_say_so(
    client: FlaskClient, factory: Factory
) -> None:
    factory.event(
        title="Yesterday",
        starts_at_utc=datetime(2026, 11, 27, 18, 0, tzinfo=UTC),
    )
    factory.event(title="Not ready yet", status=EventStatus.DRAFT)
    factory.event(title="Called off", status=EventStatus.CANCELLED)

    text = text_of(check_page(client.get("/")).find("main"))

    assert "Yesterday" not in text
    assert "Not ready yet" not in text
    assert "Called off" in text and "Cancelled" in text


def test_each_event_has_a_tag_for_what_you_can_do(client: FlaskClient, factory: Factory) -> None:
    factory.event(title="Plenty of room", capacity=100)
    factory.event(title="Nearly full", capacity=10, places_taken=8)
    factory.event(
        title="Full with waiting list", capacity=5, places_taken=5, waiting_list_enabled=True
    )
    factory.event(title="Full no list", capacity=5, places_taken=5)
    factory.event(
        title="Closed early",
        registration_closes_at_utc=datetime(2026, 11, 27, tzinfo=UTC),
    )
    factory.event(
        title="Opens later",
        registration_opens_at_utc=datetime(2026, 11, 30, 9, tzinfo=UTC),
    )

    page = check_page(client.get("/"))

    tags = {
        text_of(item.find("h3")): text_of(item.select_one(".govuk-tag"))
        for item in page.select(".app-event-list__item")
    }
    assert tags == {
        "Plenty of room": "Places available",
        "Nearly full": "Places available",
        "Full with waiting list": "Full – waiting list open",
        "Full no list": "Full",
        "Closed early": "Registration closed",
        "Opens later": "Registration not open yet",
    }


def test_an_event_that_has_started_is_closed_for_registration(
    client: FlaskClient, factory: Factory
) -> None:
    now = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    factory.event(
        title="Happening now",
        starts_at_utc=now - timedelta(minutes=30),
        ends_at_utc=now + timedelta(minutes=30),
    )

    page = check_page(client.get("/"))

    assert text_of(page.select_one("main .govuk-tag")) == "Registration closed"


def test_no_events_says_so(client: FlaskClient) -> None:
    page = check_page(client.get("/"))
    assert "There are no events coming up" in text_of(page.find("main"))


def test_the_number_of_places_left_is_never_shown(client: FlaskClient, factory: Factory) -> None:
    """A count would drop for a new address and not for a registered one.

    docs/safety.md#no-enumeration
    """
    event = factory.event(capacity=5)
    factory.registration(event, email="known@example.com")

    def tag() -> str:
        page = check_page(client.get(f"/events/{event.slug}"))
        return text_of(page.select_one("main .govuk-tag"))

    before = tag()
    client.post(
        f"/events/{event.slug}/register",
        data={"name": "X", "email": "known@example.com", "consent": "y"},
    )
    after_repeat = tag()
    client.post(
        f"/events/{event.slug}/register",
        data={"name": "Y", "email": "new@example.com", "consent": "y"},
    )
    after_new = tag()

    assert before == after_repeat == after_new == "Places available"
