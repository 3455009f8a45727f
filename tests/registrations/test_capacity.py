"""Capacity and the waiting list, on SQLite and PostgreSQL, including under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event, OutboxMessage, Registration, RegistrationStatus
from webinar.notifications.kinds import Kind
from webinar.registrations.booking import RegistrationOutcome, register_for_event
from webinar.registrations.cancellation import cancel_registration

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def register(event: Event, email: str) -> RegistrationOutcome:
    result = register_for_event(
        event=event,
        name="Sam",
        email=email,
        accessibility_needs=None,
        question=None,
        discreet=False,
        now=NOW,
    )
    db.session.commit()
    return result


def statuses(event_id: int) -> list[tuple[str, RegistrationStatus]]:
    rows = db.session.execute(
        select(Registration.email, Registration.status)
        .where(Registration.event_id == event_id)
        .order_by(Registration.id)
    )
    return [(email, status) for email, status in rows]


def test_a_full_event_puts_people_on_the_waiting_list(any_app: Flask) -> None:
    event = Factory().event(capacity=2, waiting_list_enabled=True)

    outcomes = [register(event, f"p{n}@example.com") for n in range(4)]

    assert outcomes == [
        RegistrationOutcome.BOOKED,
        RegistrationOutcome.BOOKED,
        RegistrationOutcome.WAITING,
        RegistrationOutcome.WAITING,
    ]
    db.session.refresh(event)
    assert event.places_taken == 2


def test_when_someone_cancels_the_first_person_waiting_gets_the_place(any_app: Flask) -> None:
    event = Factory().event(capacity=1, waiting_list_enabled=True)
    for email in ("booked@example.com", "first@example.com", "second@example.com"):
        register(event, email)
    booked = db.session.scalars(select(Registration).filter_by(email="booked@example.com")).one()

    cancel_registration(registration=booked, now=NOW)
    db.session.commit()

    assert statuses(event.id) == [
        ("booked@example.com", RegistrationStatus.CANCELLED),
        ("first@example.com", RegistrationStatus.BOOKED),
        ("second@example.com", RegistrationStatus.WAITING),
    ]
    db.session.refresh(event)
    assert event.places_taken == 1
    offered = db.session.scalars(
        select(OutboxMessage.recipient).filter_by(kind=Kind.PLACE_OFFERED)
    ).all()
    assert offered == ["first@example.com"]


def test_leaving_the_waiting_list_frees_no_place(any_app: Flask) -> None:
    event = Factory().event(capacity=1, waiting_list_enabled=True)
    register(event, "booked@example.com")
    register(event, "waiting@example.com")
    waiting = db.session.scalars(select(Registration).filter_by(email="waiting@example.com")).one()

    cancel_registration(registration=waiting, now=NOW)
    db.session.commit()

    db.session.refresh(event)
    assert event.places_taken == 1
    assert statuses(event.id)[0] == ("booked@example.com", RegistrationStatus.BOOKED)


def test_the_database_refuses_more_places_than_capacity(any_app: Flask) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    event = Factory().event(capacity=1)
    event.places_taken = 2
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_forty_people_at_once_never_overbook_ten_places(any_app: Flask) -> None:
    event = Factory().event(capacity=10, waiting_list_enabled=True)
    event_id = event.id
    db.session.remove()

    def attempt(number: int) -> RegistrationOutcome:
        with any_app.app_context():
            try:
                fresh = db.session.get(Event, event_id)
                assert fresh is not None
                return register(fresh, f"person{number}@example.com")
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(40)))

    assert outcomes.count(RegistrationOutcome.BOOKED) == 10
    assert outcomes.count(RegistrationOutcome.WAITING) == 30
    booked = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .filter_by(event_id=event_id, status=RegistrationStatus.BOOKED)
    )
    assert booked == 10
    assert db.session.get(Event, event_id).places_taken == 10  # type: ignore[union-attr]


def test_the_same_address_at_once_makes_one_registration(any_app: Flask) -> None:
    event = Factory().event(capacity=10)
    event_id = event.id
    db.session.remove()

    def attempt(_: int) -> RegistrationOutcome:
        with any_app.app_context():
            try:
                fresh = db.session.get(Event, event_id)
                assert fresh is not None
                return register(fresh, "same@example.com")
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(8)))

    assert outcomes.count(RegistrationOutcome.BOOKED) == 1
    assert outcomes.count(RegistrationOutcome.ALREADY_REGISTERED) == 7
    assert db.session.get(Event, event_id).places_taken == 1  # type: ignore[union-attr]
