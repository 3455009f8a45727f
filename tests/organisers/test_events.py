"""Running events: UK times in, UTC stored; impossible edits refused; people told of changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from tests.pages import check_page, error_summary, field_errors, parse, text_of
from webinar.extensions import db
from webinar.models import (
    AuditEntry,
    Event,
    EventStatus,
    Organiser,
    OutboxMessage,
    RegistrationStatus,
)

EVENT_CHANGED = "event_changed_to_attendee"
EVENT_CANCELLED = "event_cancelled_to_attendee"


def event_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Staying safe online",
        "summary": "How to protect your accounts and devices.",
        "description": "A talk and questions.",
        "format": "online",
        "date": ["2", "12", "2026"],
        "start_time": "6pm",
        "end_time": "19:30",
        "venue": "",
        "joining_link": "https://meet.example.org/room",
        "hosted_by": "Bedfordshire Police",
        "capacity": "40",
        "waiting_list_enabled": "y",
        "opens_date": ["", "", ""],
        "opens_time": "",
        "closes_date": ["", "", ""],
        "closes_time": "",
        "accessibility_information": "Live captions.",
        "discreet_title": "Appointment",
    }
    data.update(overrides)
    return data


def outbox_count(kind: str) -> int:
    return int(db.session.scalar(select(func.count()).where(OutboxMessage.kind == kind)) or 0)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def signed_in(client: FlaskClient, organiser: Organiser) -> FlaskClient:
    result = sign_in(client, organiser)
    db.session.commit()
    return result


def test_creating_an_event_stores_uk_times_as_utc(signed_in: FlaskClient) -> None:
    check_page(signed_in.get("/organisers/events/new"))
    response = signed_in.post("/organisers/events/new", data=event_form())
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event is not None
    assert event.status == EventStatus.DRAFT
    assert event.slug == "staying-safe-online"
    # December is GMT: 6pm in London is 6pm UTC.
    assert event.starts_at_utc == datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    assert event.ends_at_utc == datetime(2026, 12, 2, 19, 30, tzinfo=UTC)
    assert audit_actions() == ["event_created"]


def test_summer_times_are_british_summer_time(signed_in: FlaskClient) -> None:
    form = event_form(
        date=["1", "6", "2027"],
        closes_date=["1", "6", "2027"],
        closes_time="midday",
    )
    signed_in.post("/organisers/events/new", data=form)
    event = db.session.scalar(select(Event))
    assert event is not None
    assert event.starts_at_utc == datetime(2027, 6, 1, 17, 0, tzinfo=UTC)
    assert event.registration_closes_at_utc == datetime(2027, 6, 1, 11, 0, tzinfo=UTC)
    # The form shows them back in UK time.
    page = parse(signed_in.get(f"/organisers/events/{event.id}/edit"))
    start_time = page.select_one("#start_time")
    assert start_time is not None and start_time.get("value") == "18:00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title"),
        ({"end_time": "5pm"}, "end_time", "End time must be after the start time"),
        (
            {"start_time": "25:00"},
            "start_time",
            "Enter the start time in the correct format, like 6pm or 18:30",
        ),
        ({"date": ["31", "2", "2026"]}, "date", "Date of the event must be a real date"),
        ({"date": ["", "", ""]}, "date", "Enter the date of the event"),
        ({"capacity": "0"}, "capacity", "Number of places must be between 1 and 100000"),
        ({"capacity": "ten"}, "capacity", "Number of places must be a whole number, like 50"),
        ({"joining_link": ""}, "joining_link", "Enter the joining link for an online event"),
        ({"format": "in_person"}, "venue", "Enter the venue for an event in person"),
        (
            {"closes_date": ["3", "12", "2026"], "closes_time": "9am"},
            "closes_time",
            "Registration must close before the event starts",
        ),
        (
            {"closes_date": ["2", "12", "2026"], "closes_time": "6:30pm"},
            "closes_time",
            "Registration must close before the event starts",
        ),
        (
            {"opens_date": ["2", "12", "2026"], "opens_time": "7pm"},
            "opens_time",
            "Registration must open before the event starts",
        ),
        (
            {
                "opens_date": ["1", "12", "2026"],
                "opens_time": "9am",
                "closes_date": ["1", "12", "2026"],
                "closes_time": "9am",
            },
            "closes_time",
            "Registration must close after it opens",
        ),
        (
            {"date": ["2", "12", "99999999999999999999"]},
            "date",
            "Date of the event must be a real date",
        ),
        (
            {"joining_link": "http://meet.example.org/room"},
            "joining_link",
            "Enter a joining link that starts with https://",
        ),
        (
            {"joining_link": "javascript:alert(1)"},
            "joining_link",
            "Enter a joining link in the correct format, like https://example.com",
        ),
        ({"date": ["27", "11", "2026"]}, "date", "The event must end in the future"),
        ({"format": "webinar"}, "format", "Select the event’s format"),
        ({"format": ""}, "format", "Select the event’s format"),
        (
            {"opens_date": ["1", "12", "2026"], "opens_time": ""},
            "opens_time",
            "Enter the time registration opens",
        ),
    ],
)
def test_impossible_events_are_refused_with_a_clear_message(
    signed_in: FlaskClient, overrides: dict[str, Any], field: str, message: str
) -> None:
    page = check_page(signed_in.post("/organisers/events/new", data=event_form(**overrides)))
    assert field_errors(page)[field] == message
    assert message in error_summary(page)
    assert text_of(page.find("title")).startswith("Error: ")
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_publish_and_unpublish(signed_in: FlaskClient, factory: Factory) -> None:
    event = factory.event(status=EventStatus.DRAFT)
    check_page(signed_in.get(f"/organisers/events/{event.id}"))
    check_page(signed_in.get(f"/organisers/events/{event.id}/preview"))
    signed_in.post(f"/organisers/events/{event.id}/publish")
    assert event.status == EventStatus.PUBLISHED
    signed_in.post(f"/organisers/events/{event.id}/unpublish")
    assert event.status == EventStatus.DRAFT
    assert audit_actions() == ["event_published", "event_unpublished"]


def test_events_people_registered_for_cannot_be_unpublished(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    factory.registration(event)
    response = signed_in.post(f"/organisers/events/{event.id}/unpublish")
    page = check_page(signed_in.get(response.location))
    assert "cannot be unpublished" in page.get_text()
    assert event.status == EventStatus.PUBLISHED


def test_changing_the_time_asks_first_then_emails_everyone(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=datetime(2026, 12, 2, 18, 0, tzinfo=UTC))
    factory.registration(event)
    factory.registration(event)
    sequence = event.calendar_sequence
    form = event_form(title=event.title, start_time="5pm")

    confirm = check_page(signed_in.post(f"/organisers/events/{event.id}/edit", data=form))
    assert text_of(confirm.find("h1")) == "Email 2 people about this change?"
    assert outbox_count(EVENT_CHANGED) == 0
    assert event.starts_at_utc == datetime(2026, 12, 2, 18, 0, tzinfo=UTC)

    hidden = {
        str(field["name"]): field.get("value")
        for field in confirm.select("form input[type=hidden]")
        if field.get("name") != "date"
    }
    assert hidden["confirmed"] == "yes"
    response = signed_in.post(
        f"/organisers/events/{event.id}/edit", data={**form, "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert event.starts_at_utc == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    assert event.calendar_sequence == sequence + 1
    assert outbox_count(EVENT_CHANGED) == 2
    page = check_page(signed_in.get(response.location))
    assert "2 people will be emailed an updated invite" in page.get_text()
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "event_changed" and entry.record_count == 2


def test_changing_only_the_description_emails_nobody(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=datetime(2026, 12, 2, 18, 0, tzinfo=UTC))
    factory.registration(event)
    form = event_form(title=event.title, description="New words.")
    response = signed_in.post(f"/organisers/events/{event.id}/edit", data=form)
    assert response.status_code == 302
    assert event.description == "New words."
    assert outbox_count(EVENT_CHANGED) == 0


def test_capacity_cannot_go_below_the_bookings(signed_in: FlaskClient, factory: Factory) -> None:
    event = factory.event(starts_at_utc=datetime(2026, 12, 2, 18, 0, tzinfo=UTC), capacity=5)
    for _ in range(3):
        factory.registration(event)
    form = event_form(title=event.title, capacity="2")
    page = check_page(signed_in.post(f"/organisers/events/{event.id}/edit", data=form))
    assert field_errors(page)["capacity"] == (
        "Number of places must be at least 3, the number of people already booked"
    )
    assert event.capacity == 5


def test_cancelling_says_how_many_will_be_emailed_then_emails_them(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    factory.registration(event)
    factory.registration(event)  # waiting
    page = check_page(signed_in.get(f"/organisers/events/{event.id}/cancel"))
    assert "2 people will be emailed" in page.get_text()
    signed_in.post(f"/organisers/events/{event.id}/cancel")
    assert event.status == EventStatus.CANCELLED
    assert outbox_count(EVENT_CANCELLED) == 2
    assert audit_actions()[-1] == "event_cancelled"
    # A cancelled event cannot be edited any more.
    response = signed_in.get(f"/organisers/events/{event.id}/edit")
    assert response.status_code == 302


def test_the_event_list_shows_drafts_too(signed_in: FlaskClient, factory: Factory) -> None:
    factory.event(title="Draft talk", status=EventStatus.DRAFT)
    page = check_page(signed_in.get("/organisers/events"))
    assert "Draft talk" in page.get_text()


def test_unknown_events_are_not_found(signed_in: FlaskClient) -> None:
    assert signed_in.get("/organisers/events/999").status_code == 404


def test_more_places_are_offered_to_the_waiting_list_in_queue_order(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    factory.registration(event, name="Booked")
    first = factory.registration(event, name="Waiting first")
    second = factory.registration(event, name="Waiting second")
    third = factory.registration(event, name="Waiting third")
    form = event_form(title=event.title, capacity="3")

    confirm = check_page(signed_in.post(f"/organisers/events/{event.id}/edit", data=form))
    assert "2 people on the waiting list will be offered places" in confirm.get_text()
    assert event.capacity == 1

    response = signed_in.post(
        f"/organisers/events/{event.id}/edit", data={**form, "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert (first.status, second.status, third.status) == (
        RegistrationStatus.BOOKED,
        RegistrationStatus.BOOKED,
        RegistrationStatus.WAITING,
    )
    assert event.places_taken == 3
    assert outbox_count("place_offered_to_attendee") == 2
    page = check_page(signed_in.get(response.location))
    assert "2 people on the waiting list have been offered places" in page.get_text()


def test_more_places_on_a_draft_offer_nothing(signed_in: FlaskClient, factory: Factory) -> None:
    event = factory.event(capacity=1, status=EventStatus.DRAFT)
    response = signed_in.post(
        f"/organisers/events/{event.id}/edit", data=event_form(title=event.title, capacity="3")
    )
    assert response.status_code == 302
    assert event.capacity == 3
    assert outbox_count("place_offered_to_attendee") == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_time": "1:30am", "end_time": "3am"}, "start_time"),
        ({"start_time": "0:30", "end_time": "1:15am"}, "end_time"),
        ({"opens_date": ["28", "3", "2027"], "opens_time": "1am"}, "opens_time"),
        ({"closes_date": ["28", "3", "2027"], "closes_time": "01:59"}, "closes_time"),
    ],
)
def test_a_time_skipped_when_the_clocks_go_forward_is_refused(
    signed_in: FlaskClient, overrides: dict[str, Any], field: str
) -> None:
    form = event_form(date=["28", "3", "2027"], start_time="2pm", end_time="3pm")
    page = check_page(signed_in.post("/organisers/events/new", data={**form, **overrides}))
    assert field_errors(page)[field] == (
        "Enter a time that exists in the UK – the clocks go forward at 1am on 28 March 2027"
    )
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_times_around_the_clocks_going_forward_are_compared_in_utc(
    signed_in: FlaskClient,
) -> None:
    # 00:30 GMT to 02:15 BST is 45 minutes, not 1 hour 45.
    form = event_form(date=["28", "3", "2027"], start_time="00:30", end_time="2:15am")
    assert signed_in.post("/organisers/events/new", data=form).status_code == 302
    event = db.session.scalar(select(Event))
    assert event is not None
    assert event.starts_at_utc == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert event.ends_at_utc == datetime(2027, 3, 28, 1, 15, tzinfo=UTC)


def test_a_time_that_happens_twice_when_the_clocks_go_back_is_the_first(
    signed_in: FlaskClient,
) -> None:
    # 31 October 2027: 1:30am happens in BST, then again in GMT. We take the first (BST).
    form = event_form(date=["31", "10", "2027"], start_time="1:30am", end_time="3am")
    assert signed_in.post("/organisers/events/new", data=form).status_code == 302
    event = db.session.scalar(select(Event))
    assert event is not None
    assert event.starts_at_utc == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert event.ends_at_utc == datetime(2027, 10, 31, 3, 0, tzinfo=UTC)


def test_an_end_before_the_start_in_utc_is_refused_when_the_clocks_go_back(
    signed_in: FlaskClient,
) -> None:
    # 1:50am (BST, the first one) to 1:10am: on the clock it goes backwards, and so in UTC.
    form = event_form(date=["31", "10", "2027"], start_time="1:50am", end_time="1:10am")
    page = check_page(signed_in.post("/organisers/events/new", data=form))
    assert field_errors(page)["end_time"] == "End time must be after the start time"


def test_a_past_event_can_be_edited_without_moving_its_date(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    form = event_form(title=event.title, date=["20", "11", "2026"], description="Thank you.")
    response = signed_in.post(f"/organisers/events/{event.id}/edit", data=form)
    assert response.status_code == 302
    assert event.description == "Thank you."
    moved = event_form(title=event.title, date=["21", "11", "2026"])
    page = check_page(signed_in.post(f"/organisers/events/{event.id}/edit", data=moved))
    assert field_errors(page)["date"] == "The event must end in the future"
    assert event.starts_at_utc == datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
