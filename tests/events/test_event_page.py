"""An event's page: what, when, where, who, accessibility and the right call to action."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from tests.factories import Factory
from tests.pages import check_page, text_of
from webinar.models import EventFormat, EventStatus


def summary(page: object) -> dict[str, str]:
    rows = page.select(".govuk-summary-list__row")  # type: ignore[attr-defined]
    return {
        text_of(row.select_one(".govuk-summary-list__key")): text_of(
            row.select_one(".govuk-summary-list__value")
        )
        for row in rows
    }


def test_online_event_never_shows_the_joining_link(client: FlaskClient, factory: Factory) -> None:
    event = factory.event(joining_link="https://meet.example.org/secret-room")

    response = client.get(f"/events/{event.slug}")

    page = check_page(response)
    assert "secret-room" not in response.get_data(as_text=True)
    details = summary(page)
    assert details["Where"] == "online: the joining link is sent to people who register"
    assert details["When"] == "Wednesday 2 December 2026, 6pm to 7:30pm"
    assert details["Run by"] == "The test team"
    assert "Live captions." in text_of(page.find("main"))


def test_in_person_event_shows_the_venue(client: FlaskClient, factory: Factory) -> None:
    event = factory.event(
        format=EventFormat.IN_PERSON, venue="Central Library, Bedford", joining_link=None
    )

    details = summary(check_page(client.get(f"/events/{event.slug}")))

    assert details["Where"] == "Central Library, Bedford"
    assert details["Format"] == "In person"


@pytest.mark.parametrize(
    ("overrides", "action", "href_ends"),
    [
        ({}, "Register for this event", "/register"),
        (
            {"capacity": 3, "places_taken": 3, "waiting_list_enabled": True},
            "Join the waiting list",
            "/register",
        ),
    ],
)
def test_open_events_offer_a_button(
    client: FlaskClient,
    factory: Factory,
    overrides: dict[str, object],
    action: str,
    href_ends: str,
) -> None:
    event = factory.event(**overrides)

    page = check_page(client.get(f"/events/{event.slug}"))

    button = page.select_one("main a.govuk-button")
    assert button is not None and text_of(button) == action
    assert str(button["href"]).endswith(href_ends)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity": 3, "places_taken": 3}, "This event is full."),
        (
            {"registration_closes_at_utc": datetime(2026, 11, 27, tzinfo=UTC)},
            "Registration for this event has closed.",
        ),
        (
            {"registration_opens_at_utc": datetime(2026, 11, 30, 9, tzinfo=UTC)},
            "Registration opens at 9am on Monday 30 November 2026.",
        ),
        ({"status": EventStatus.CANCELLED}, "This event has been cancelled."),
        ({"starts_at_utc": datetime(2026, 11, 20, 18, tzinfo=UTC)}, "This event has ended."),
    ],
)
def test_closed_events_say_why_and_offer_no_registration(
    client: FlaskClient, factory: Factory, overrides: dict[str, object], message: str
) -> None:
    event = factory.event(**overrides)

    page = check_page(client.get(f"/events/{event.slug}"))

    assert page.select_one("main a.govuk-button") is None
    assert message in text_of(page.find("main"))
    register = client.get(f"/events/{event.slug}/register")
    assert register.status_code == 302
    assert register.headers["Location"].endswith(f"/events/{event.slug}")


def test_drafts_and_unknown_events_are_not_found(client: FlaskClient, factory: Factory) -> None:
    draft = factory.event(status=EventStatus.DRAFT)

    for url in (f"/events/{draft.slug}", "/events/no-such-event", "/events/no-such/register"):
        response = client.get(url)
        assert response.status_code == 404
        assert text_of(check_page(response).find("h1")) == "Page not found"


def test_a_description_typed_in_a_browser_keeps_its_paragraphs(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(description="First paragraph.\r\n\r\nSecond paragraph.")

    page = check_page(client.get(f"/events/{event.slug}"))

    texts = [text_of(p) for p in page.select("main p.govuk-body")]
    assert "First paragraph." in texts and "Second paragraph." in texts
