"""People cancelling, deleting and registering at the same moment never overbook or leak.

Each race from the issue runs several rounds on SQLite and PostgreSQL through the real
routes, one thread and one client per request; after each round every invariant in
tests.concurrency.invariants must hold and nobody may have seen an error page.
"""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.concurrency.invariants import assert_invariants
from tests.concurrency.races import (
    ROUNDS,
    Step,
    at_once,
    cancel_url,
    delete_url,
    full_event,
    people,
    post,
    register_form,
)
from webinar.extensions import db
from webinar.models import OutboxMessage, Registration, RegistrationStatus
from webinar.notifications.kinds import Kind
from webinar.registrations import booking

withdraw = booking._withdraw


def deletion_emails(calendar_uid: str) -> int:
    payloads = db.session.scalars(
        select(OutboxMessage.payload).filter_by(kind=Kind.DETAILS_DELETED)
    ).all()
    return sum((payload or {}).get("calendar_uid") == calendar_uid for payload in payloads)


def no_error_pages(answers: list[object]) -> None:
    assert all(isinstance(code, int) and code < 500 for code in answers), answers


def test_a_booked_person_cancelling_as_the_first_waiting_person_leaves(any_app: Flask) -> None:
    for _ in range(ROUNDS):
        event = full_event()
        booked = people(event.id, RegistrationStatus.BOOKED)[0]
        first_waiting = people(event.id, RegistrationStatus.WAITING)[0]

        answers = at_once(
            any_app, [Step(post(cancel_url(booked))), Step(post(cancel_url(first_waiting)))]
        )

        no_error_pages(answers)
        assert_invariants([event.id])
        assert len(people(event.id, RegistrationStatus.BOOKED)) == 3
        assert len(people(event.id, RegistrationStatus.WAITING)) == 1


def test_cancelling_and_deleting_the_same_booking_at_once(any_app: Flask) -> None:
    for _ in range(ROUNDS):
        event = full_event()
        booked = people(event.id, RegistrationStatus.BOOKED)[0]
        calendar_uid = booked.calendar_uid

        answers = at_once(any_app, [Step(post(cancel_url(booked))), Step(post(delete_url(booked)))])

        no_error_pages(answers)
        assert_invariants([event.id])
        assert len(people(event.id, RegistrationStatus.BOOKED)) == 3
        # Whichever came first, the entry leaves their calendar: the deletion email
        # carries the METHOD:CANCEL (their cancellation email went with their details).
        assert deletion_emails(calendar_uid) == 1


def test_yes_delete_my_details_three_times_at_once(any_app: Flask) -> None:
    for _ in range(ROUNDS):
        event = full_event()
        booked = people(event.id, RegistrationStatus.BOOKED)[0]

        answers = at_once(any_app, [Step(post(delete_url(booked))) for _ in range(3)])

        no_error_pages(answers)
        assert_invariants([event.id])
        assert len(people(event.id, RegistrationStatus.BOOKED)) == 3
        assert len(people(event.id, RegistrationStatus.WAITING)) == 2


def test_a_double_click_on_cancel_or_delete_changes_the_booking_once(any_app: Flask) -> None:
    """Two raw POSTs 5–20 ms apart, as a browser without JavaScript sends them."""
    for delay in (0.005, 0.02):
        for url_for in (cancel_url, delete_url):
            event = full_event()
            booked = people(event.id, RegistrationStatus.BOOKED)[0]
            url = url_for(booked)

            answers = at_once(any_app, [Step(post(url)), Step(post(url), delay=delay)])

            no_error_pages(answers)
            assert_invariants([event.id])
            assert len(people(event.id, RegistrationStatus.BOOKED)) == 3
            assert len(people(event.id, RegistrationStatus.WAITING)) == 2


def test_everyone_booked_cancelling_at_once_moves_the_whole_waiting_list_up(
    any_app: Flask,
) -> None:
    event = full_event(booked=6, waiting=6)
    urls = [cancel_url(r) for r in people(event.id, RegistrationStatus.BOOKED)]
    urls += [cancel_url(r) for r in people(event.id, RegistrationStatus.WAITING)[3:]]

    answers = at_once(any_app, [Step(post(url)) for url in urls])

    no_error_pages(answers)
    assert_invariants([event.id])
    db.session.refresh(event)
    assert event.places_taken == 3
    assert len(people(event.id, RegistrationStatus.WAITING)) == 0


def test_the_same_address_at_once_as_places_are_taken_and_freed_registers_it_once(
    any_app: Flask,
) -> None:
    """A double click (and more) on a full event while others book and cancel.

    A booking inserts itself and then waits for the event's row; joining the waiting list
    must take the same order, or two requests for one address can wait for each other
    (one saw the event full, the next saw a place a cancellation had just freed) until
    PostgreSQL ends one with a deadlock error: a 500 for the visitor.
    """
    for round_number in range(ROUNDS * 3):
        event = full_event(booked=3, waiting=0)
        event_id = event.id
        url = f"/events/{event.slug}/register"
        email = f"twice-{round_number}@example.com"
        cancels = [
            Step(post(cancel_url(person)), delay=0.001 * n)
            for n, person in enumerate(people(event_id, RegistrationStatus.BOOKED))
        ]
        others = [
            Step(post(url, register_form(f"other-{round_number}-{n}@example.com")))
            for n in range(2)
        ]
        twice = [Step(post(url, register_form(email)), delay=0.0005 * n) for n in range(5)]

        answers = at_once(any_app, cancels + others + twice)

        no_error_pages(answers)
        assert answers == [302] * len(answers)
        registered = [
            person.email
            for status in (RegistrationStatus.BOOKED, RegistrationStatus.WAITING)
            for person in people(event_id, status)
        ]
        assert registered.count(email) == 1
        assert len(registered) == 2 + 1
        assert_invariants([event_id])


def test_a_cancellation_waits_for_a_registration_that_found_the_event_full(
    pg_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Held still at the worst moment: registering has found the event full and its
    # waiting-list place is not in yet. A cancellation then must not free the place and
    # find nobody waiting: it locks the event's row FOR UPDATE, which waits for the
    # registration's transaction (its INSERT holds a KEY SHARE lock on the event's row,
    # through the foreign key), so the place goes to the person who was joining the list.
    # PostgreSQL only: on SQLite the cancellation waits for the one writer anyway.
    event = full_event(booked=2, waiting=0)
    found_full, cancelled = threading.Event(), threading.Event()
    cancelled_while_held: list[bool] = []

    def withdraw_then_hold(registration: Registration) -> None:
        withdraw(registration)
        found_full.set()
        cancelled_while_held.append(cancelled.wait(timeout=0.5))

    monkeypatch.setattr(booking, "_withdraw", withdraw_then_hold)
    booked = people(event.id, RegistrationStatus.BOOKED)[0]

    def cancel_once_full(client: FlaskClient) -> int:
        assert found_full.wait(timeout=10)
        try:
            return post(cancel_url(booked))(client)
        finally:
            cancelled.set()

    url = f"/events/{event.slug}/register"
    registering = Step(post(url, register_form("late@example.com")))
    answers = at_once(pg_app, [registering, Step(cancel_once_full)])

    no_error_pages(answers)
    assert cancelled_while_held == [False]
    assert_invariants([event.id])
    late = db.session.scalars(select(Registration).filter_by(email="late@example.com")).one()
    assert late.status == RegistrationStatus.BOOKED
