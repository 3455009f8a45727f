"""Registering: the same answer for everyone, and only the email says what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.pages import check_page, text_of
from webinar.extensions import db, limiter
from webinar.models import OutboxMessage, Registration, RegistrationStatus
from webinar.notifications.kinds import Kind


def outbox_kinds() -> list[tuple[str, str]]:
    """What was queued to send now (reminders are scheduled for later)."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind != Kind.REMINDER).order_by(OutboxMessage.id)
    )
    return [(row.kind, row.recipient) for row in rows]


def test_registering_books_a_place_and_queues_the_confirmation(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(capacity=10)

    response = submit_registration(event, email="  Sam@Example.COM ", discreet="y")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.slug}/check-your-email"
    page = check_page(client.get(response.headers["Location"]))
    assert text_of(page.find("h1")) == "Check your email"
    registration = db.session.scalars(select(Registration)).one()
    assert registration.email == "sam@example.com"
    assert registration.status == RegistrationStatus.BOOKED
    assert registration.discreet is True
    db.session.refresh(event)
    assert event.places_taken == 1
    assert (Kind.BOOKING_CONFIRMED, "sam@example.com") in outbox_kinds()


def test_new_repeated_and_waiting_registrations_look_identical(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)

    first = submit_registration(event, email="first@example.com")
    repeat = submit_registration(event, email="FIRST@example.com")
    waiting = submit_registration(event, email="second@example.com")

    for response in (first, repeat, waiting):
        assert response.status_code == first.status_code == 302
        assert response.headers["Location"] == first.headers["Location"]
        assert response.get_data() == first.get_data()
        assert set(response.headers.keys()) == set(first.headers.keys())
    assert outbox_kinds() == [
        (Kind.BOOKING_CONFIRMED, "first@example.com"),
        (Kind.ALREADY_REGISTERED, "first@example.com"),
        (Kind.ADDED_TO_WAITING_LIST, "second@example.com"),
    ]
    assert db.session.query(Registration).count() == 2


def test_registering_again_after_cancelling_makes_a_new_booking(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event()
    first = factory.registration(event, email="sam@example.com")
    from tests.registrations.test_manage_booking import cancel

    cancel(client, first)
    submit_registration(event, email="sam@example.com")

    statuses = sorted(r.status for r in db.session.scalars(select(Registration)))
    assert statuses == [RegistrationStatus.BOOKED, RegistrationStatus.CANCELLED]


def test_a_full_event_without_a_waiting_list_turns_people_away_kindly(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(capacity=1)
    factory.registration(event)

    response = submit_registration(event, email="late@example.com")

    assert response.status_code == 302
    page = check_page(client.get(response.headers["Location"]))
    assert "This event is full." in text_of(page.find("main"))
    assert db.session.query(Registration).count() == 1


def test_repeated_attempts_cannot_flood_the_mailbox_owner(
    client: FlaskClient, factory: Factory, frozen_time: Any, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event()
    factory.registration(event, email="owner@example.com")

    for _ in range(5):
        assert submit_registration(event, email="owner@example.com").status_code == 302
    frozen_time.shift(timedelta(hours=1, minutes=1))
    submit_registration(event, email="owner@example.com")

    told = [kind for kind, _ in outbox_kinds() if kind == Kind.ALREADY_REGISTERED]
    assert len(told) == 2


def test_registration_attempts_are_rate_limited(
    app: Flask, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(capacity=100)
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)

    codes = [submit_registration(event, email=f"p{n}@example.com").status_code for n in range(11)]

    assert codes[:10] == [302] * 10
    assert codes[10] == 429
    page = check_page(submit_registration(event, email="more@example.com"))
    assert text_of(page.find("h1")) == "Too many attempts"
