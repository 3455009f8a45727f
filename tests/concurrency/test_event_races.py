"""Organisers changing an event while people register and cancel: no booking slips past.

The organiser's side calls the same services as the organiser routes and commits as they
do; people use the public routes. After every round the invariants must hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flask import Flask

from tests.concurrency.invariants import assert_invariants
from tests.concurrency.races import (
    ROUNDS,
    Step,
    at_once,
    cancel_url,
    full_event,
    in_app_context,
    people,
    post,
    register_form,
)
from tests.conftest import FROZEN_NOW
from tests.organisers.conftest import make_organiser
from webinar.extensions import db
from webinar.models import (
    Event,
    EventStatus,
    Organiser,
    OrganiserRole,
    Registration,
    RegistrationStatus,
)
from webinar.organisers.services import events as event_services
from webinar.organisers.services.attendees import (
    NoPlaceLeft,
    NotWaiting,
    cancel_booking,
    offer_place,
)
from webinar.organisers.services.events import CapacityBelowBookings, HasRegistrations
from webinar.registrations.event_changes import EventCancelled


def no_error_pages(answers: list[object]) -> None:
    assert all(not isinstance(code, int) or code < 500 for code in answers), answers


def as_organiser(
    app: Flask, event_id: int, organiser_id: int, action: Callable[[Event, Organiser], object]
) -> Step:
    """An organiser's action, committed once as the route does; refusals are answers."""

    def work() -> object:
        event = db.session.get(Event, event_id)
        organiser = db.session.get(Organiser, organiser_id)
        assert event is not None and organiser is not None
        try:
            result = action(event, organiser)
            db.session.commit()
            return result
        except (CapacityBelowBookings, HasRegistrations, EventCancelled) as refused:
            db.session.rollback()
            return type(refused).__name__

    return Step(in_app_context(app, work))


def registering(event: Event, count: int) -> list[Step]:
    return [
        Step(post(f"/events/{event.slug}/register", register_form(f"new{n}@example.com")))
        for n in range(count)
    ]


def test_nobody_books_an_event_while_it_is_being_cancelled(any_app: Flask) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER)
    for _ in range(ROUNDS):
        event = full_event(booked=3, waiting=0, capacity=6)
        cancel = as_organiser(
            any_app,
            event.id,
            organiser.id,
            lambda e, o: event_services.cancel_event(event=e, organiser=o),
        )

        answers = at_once(any_app, [*registering(event, 5), cancel])

        no_error_pages(answers)
        assert_invariants([event.id])


def test_nobody_books_an_event_while_it_is_being_unpublished(any_app: Flask) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER)
    for _ in range(ROUNDS):
        event = full_event(booked=0, waiting=0)
        unpublish = as_organiser(
            any_app,
            event.id,
            organiser.id,
            lambda e, o: event_services.unpublish_event(event=e, organiser=o),
        )

        answers = at_once(any_app, [*registering(event, 5), unpublish])

        no_error_pages(answers)
        assert_invariants([event.id])
        db.session.refresh(event)
        if event.status == EventStatus.DRAFT:
            assert answers[-1] is None
        else:
            assert answers[-1] == "HasRegistrations"


def test_people_cancelling_while_the_event_is_cancelled(any_app: Flask) -> None:
    """Both lock the event and the bookings: they must queue up, not deadlock."""
    organiser = make_organiser(OrganiserRole.ORGANISER)
    for _ in range(ROUNDS):
        event = full_event(booked=4, waiting=3)
        leaving = people(event.id, RegistrationStatus.BOOKED)[:2]
        leaving += people(event.id, RegistrationStatus.WAITING)[:1]
        cancel = as_organiser(
            any_app,
            event.id,
            organiser.id,
            lambda e, o: event_services.cancel_event(event=e, organiser=o),
        )

        answers = at_once(any_app, [*(Step(post(cancel_url(r))) for r in leaving), cancel])

        no_error_pages(answers)
        assert_invariants([event.id])


def test_lowering_capacity_while_people_register(any_app: Flask) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER)
    for _ in range(ROUNDS):
        event = full_event(booked=2, waiting=0, capacity=8)
        details = event_services.EventDetails(
            **{name: getattr(event, name) for name in event_services.EventDetails.__annotations__}
        )
        lower = as_organiser(
            any_app,
            event.id,
            organiser.id,
            lambda e, o, d=details: event_services.update_event(
                event=e, details=replace(d, capacity=4), organiser=o, now=FROZEN_NOW
            ),
        )

        answers = at_once(any_app, [*registering(event, 5), lower])

        no_error_pages(answers)
        assert_invariants([event.id])
        db.session.refresh(event)
        assert event.capacity in (4, 8)
        if event.capacity == 4:
            assert event.places_taken == 4


def test_the_same_booking_cancelled_by_its_owner_and_an_organiser_at_once(
    any_app: Flask,
) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER)
    for _ in range(ROUNDS):
        event = full_event(booked=3, waiting=3)
        booked = people(event.id, RegistrationStatus.BOOKED)[0]
        booking_id = booked.id

        def by_organiser(e: Event, o: Organiser, booking_id: int = booking_id) -> object:
            registration = db.session.get(Registration, booking_id)
            assert registration is not None
            return cancel_booking(registration=registration, organiser=o, now=FROZEN_NOW)

        steps = [Step(post(cancel_url(booked))) for _ in range(2)]
        steps += [as_organiser(any_app, event.id, organiser.id, by_organiser) for _ in range(2)]
        answers = at_once(any_app, steps)

        no_error_pages(answers)
        assert_invariants([event.id])
        assert len(people(event.id, RegistrationStatus.WAITING)) == 2


def test_an_organiser_offering_a_place_as_people_leave_and_register(any_app: Flask) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER)
    for _ in range(ROUNDS):
        event = full_event(booked=3, waiting=3)
        booked = people(event.id, RegistrationStatus.BOOKED)[0]
        last_waiting = people(event.id, RegistrationStatus.WAITING)[-1]
        waiting_id = last_waiting.id

        def offer(e: Event, o: Organiser, waiting_id: int = waiting_id) -> object:
            registration = db.session.get(Registration, waiting_id)
            assert registration is not None
            try:
                offer_place(registration=registration, organiser=o, now=FROZEN_NOW)
            except (NoPlaceLeft, NotWaiting) as refused:
                return type(refused).__name__
            return None

        steps = [
            Step(post(cancel_url(booked))),
            Step(post(cancel_url(last_waiting))),
            as_organiser(any_app, event.id, organiser.id, offer),
            *registering(event, 2),
        ]
        answers = at_once(any_app, steps)

        no_error_pages(answers)
        assert_invariants([event.id])
