"""The private manage link: see the booking, cancel it, and nothing for anyone else."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory, join_url, manage_url
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import OutboxMessage, Registration, RegistrationStatus
from webinar.notifications.kinds import Kind
from webinar.security import hash_token, manage_token_for


def cancel(client: FlaskClient, registration: Registration) -> Any:
    return client.post(manage_url(registration) + "/cancel")


def test_the_link_carries_no_id_or_email_and_only_its_hash_is_stored(
    app: Flask, factory: Factory
) -> None:
    event = factory.event()
    registration = factory.registration(event, email="sam@example.com")

    token = manage_token_for(registration.calendar_uid)

    assert len(token) >= 43
    assert "sam" not in token and str(registration.id) != token
    assert registration.manage_token_hash == hash_token(token)
    assert token not in {str(v) for v in vars(registration).values()}


def test_the_manage_page_shows_the_booking_and_joining_link(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(joining_link="https://meet.example.org/room-42")
    registration = factory.registration(event)

    page = check_page(client.get(manage_url(registration)))

    text = text_of(page.find("main"))
    assert text_of(page.find("h1")) == "Your booking"
    assert "You have a place." in text
    assert join_url(registration) in text, "their own joining link"
    assert "meet.example.org" not in page.decode(), "never the meeting's own address"
    assert "Wednesday 2 December 2026, 6pm to 7:30pm" in text


def test_someone_waiting_sees_that_and_no_joining_link(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True, joining_link="https://x.example/j")
    factory.registration(event)
    waiting = factory.registration(event)

    page = check_page(client.get(manage_url(waiting)))

    text = text_of(page.find("main"))
    assert "You are on the waiting list" in text
    assert "x.example/j" not in text
    assert "Leave the waiting list" in text


def test_cancelling_asks_first_and_only_a_post_changes_anything(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    registration = factory.registration(event)

    confirm = check_page(client.get(manage_url(registration) + "/cancel"))
    assert text_of(confirm.find("h1")) == "Are you sure you want to cancel?"
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.BOOKED

    response = cancel(client, registration)

    assert response.status_code == 302
    done = check_page(client.get(response.headers["Location"]))
    assert text_of(done.find("h1")) == "Booking cancelled"
    db.session.refresh(registration)
    db.session.refresh(event)
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.calendar_sequence == 1
    assert event.places_taken == 0
    kinds = list(db.session.scalars(select(OutboxMessage.kind)))
    assert kinds.count(Kind.BOOKING_CANCELLED) == 1
    again = check_page(client.get(manage_url(registration)))
    assert "This booking has been cancelled." in text_of(again.find("main"))


def test_unknown_or_mangled_tokens_are_not_found(client: FlaskClient) -> None:
    for token in ("nope", "x" * 43, "x" * 500, "%00", "../../etc"):
        response = client.get(f"/booking/{token}")
        assert response.status_code == 404
        check_page(response)
    assert client.post("/booking/nope/cancel").status_code == 404


def test_a_booking_on_a_cancelled_event_cannot_be_cancelled_again(
    client: FlaskClient, factory: Factory
) -> None:
    from webinar.models import EventStatus

    event = factory.event(capacity=5)
    registration = factory.registration(event)
    event.status = EventStatus.CANCELLED
    db.session.commit()
    rows_before = db.session.query(OutboxMessage).count()

    for response in (
        client.get(manage_url(registration) + "/cancel"),
        cancel(client, registration),
    ):
        assert response.status_code == 302
        assert response.headers["Location"] == manage_url(registration)

    assert db.session.query(OutboxMessage).count() == rows_before
    db.session.refresh(event)
    assert event.places_taken == 1
    page = check_page(client.get(manage_url(registration)))
    assert "This event has been cancelled." in text_of(page.find("main"))


def test_a_hybrid_booking_says_it_is_in_person_and_online(
    client: FlaskClient, factory: Factory
) -> None:
    from webinar.models import EventFormat

    event = factory.event(format=EventFormat.HYBRID, venue="Luton Central Library")
    registration = factory.registration(event)

    page = check_page(client.get(manage_url(registration)))

    assert "Luton Central Library, and online" in text_of(page.find("main"))
