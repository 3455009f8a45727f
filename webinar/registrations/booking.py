"""Booking a place or joining the waiting list: by the person, or by an organiser."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from webinar.events.queries import accepts_registrations
from webinar.extensions import db
from webinar.models import (
    Event,
    EventAccess,
    FormAnswer,
    OutboxMessage,
    Registration,
    RegistrationStatus,
)
from webinar.notifications import emails, request_emails
from webinar.registrations.answers import add_answers
from webinar.registrations.booking_codes import (
    draw_booking_code,
    is_booking_code_clash,
)
from webinar.registrations.places import NoPlaceLeft, lock_published_event, take_place
from webinar.registrations.queries import active_registration
from webinar.registrations.records import new_registration
from webinar.registrations.repeats import already_registered, store_question
from webinar.validators import normalise_email


class RegistrationClosed(Exception):
    """The event is not taking registrations now."""


class AlreadyRegistered(Exception):
    """This address already has a booking or a place on the waiting list."""


class RegistrationOutcome(enum.StrEnum):
    """Only the email says which of these happened; the visitor sees the same page."""

    BOOKED = "booked"
    WAITING = "waiting"
    REQUESTED = "requested"
    ALREADY_REGISTERED = "already_registered"


def register_for_event(
    *,
    event: Event,
    name: str,
    email: str,
    accessibility_needs: str | None,
    question: str | None,
    discreet: bool,
    now: datetime,
    no_calendar: bool = False,
    no_reminders: bool = False,
    answers: dict[int, str] | None = None,
) -> RegistrationOutcome:
    """Book a place, or join the waiting list, and queue the email that says which.

    `no_calendar` and `no_reminders` are the form's choices for a new booking; a repeat
    keeps the booking's own (they are changed from its manage page), and the answers to
    the event's own questions given the first time (`answers`: by question id).
    """
    if not accepts_registrations(event, now=now):
        raise RegistrationClosed
    email = normalise_email(email)
    # Before the booking: the place it takes is the last thing before the commit. So a
    # caller that goes on after RegistrationClosed or NoPlaceLeft must roll back, as the
    # route does, or the question is kept.
    store_question(event, question, now=now)
    # No look-up first: the unique index on active addresses says whether this one is
    # registered, one statement fewer for every new booking (docs/benchmarks.md#registrations).
    try:
        registration = _book(
            event=event,
            name=name,
            email=email,
            accessibility_needs=accessibility_needs,
            discreet=discreet,
            now=now,
            waiting_list=event.waiting_list_enabled,
            open_at=now,
            by_approval=event.access == EventAccess.APPROVAL,
            no_calendar=no_calendar,
            no_reminders=no_reminders,
            answers=answers or {},
        )
    except AlreadyRegistered:
        # Registered before, or a moment ago by a request running alongside this one.
        existing = active_registration(event_id=event.id, email=email)
        if existing is None:
            raise
        already_registered(existing, now=now)
        return RegistrationOutcome.ALREADY_REGISTERED
    return _OUTCOMES[registration.status]


_OUTCOMES = {
    RegistrationStatus.BOOKED: RegistrationOutcome.BOOKED,
    RegistrationStatus.WAITING: RegistrationOutcome.WAITING,
    RegistrationStatus.REQUESTED: RegistrationOutcome.REQUESTED,
}


def add_by_hand(
    *,
    event: Event,
    name: str,
    email: str,
    accessibility_needs: str | None,
    discreet: bool,
    now: datetime,
) -> Registration:
    """An organiser books someone in (even after registration closes); emailed as usual."""
    email = normalise_email(email)
    if active_registration(event_id=event.id, email=email) is not None:
        raise AlreadyRegistered
    registration = _book(
        event=event,
        name=name,
        email=email,
        accessibility_needs=accessibility_needs,
        discreet=discreet,
        now=now,
        waiting_list=False,
        open_at=None,
        added_by_organiser=True,
    )
    return registration


def _book(
    *,
    event: Event,
    name: str,
    email: str,
    accessibility_needs: str | None,
    discreet: bool,
    now: datetime,
    waiting_list: bool,
    open_at: datetime | None,
    by_approval: bool = False,
    no_calendar: bool = False,
    no_reminders: bool = False,
    answers: dict[int, str] | None = None,
    added_by_organiser: bool = False,
) -> Registration:
    """Take a place and add the booking with its confirmation, or a waiting-list place.

    `open_at`: registration must be open then (the public); None for an organiser.
    At an event by approval, the request takes no place: approving it does
    (webinar/registrations/approval.py).

    Raises NoPlaceLeft, RegistrationClosed (the event stopped being published), or
    AlreadyRegistered when the partial unique index caught the same address.
    """
    details = {
        "event": event,
        "name": name,
        "email": email,
        "accessibility_needs": accessibility_needs,
        "discreet": discreet,
        "now": now,
        "booking_code": draw_booking_code(),
    }
    choices = {
        "no_calendar": no_calendar,
        "no_reminders": no_reminders,
        "added_by_organiser": added_by_organiser,
        "answers": answers or {},
    }
    for _ in range(BOOKING_CODE_DRAWS):
        try:
            return _book_or_wait(
                details,
                choices,
                open_at=open_at,
                waiting_list=waiting_list,
                by_approval=by_approval,
            )
        except IntegrityError as error:
            if not is_booking_code_clash(error):
                raise AlreadyRegistered from None
            # Another booking for the event has this code (at 100,000 bookings, about one
            # draw in ten million): the savepoint is gone, draw again.
            details["booking_code"] = draw_booking_code()
    raise AssertionError("no unused booking code after several draws")


#: Draws of a booking code before giving up: a clash is one chance in ten million at
#: 100,000 bookings, so three in a row do not happen.
BOOKING_CODE_DRAWS = 3


def _book_or_wait(
    details: dict[str, Any],
    choices: dict[str, Any],
    *,
    open_at: datetime | None,
    waiting_list: bool,
    by_approval: bool,
) -> Registration:
    """A booking with a place, or else a place on the waiting list or a request."""
    if not by_approval:
        booked = _book_with_place(details, choices, open_at=open_at)
        if booked is not None:
            return booked
    if not (waiting_list or by_approval):
        with db.session.begin_nested():
            if not lock_published_event(details["event"].id, open_at=open_at):
                raise RegistrationClosed
            raise NoPlaceLeft
    status = RegistrationStatus.REQUESTED if by_approval else RegistrationStatus.WAITING
    with db.session.begin_nested():
        registration = _add(details, choices, status=status)
        if by_approval:
            request_emails.place_requested_to_attendee(registration)
        else:
            emails.added_to_waiting_list_to_attendee(registration)
    # Inserted before the event's row is locked, in the order a booking takes: two
    # requests for one address taking them in opposite orders would each wait for the
    # other (a deadlock). And locked last, as a booking's place is taken last.
    if not lock_published_event(details["event"].id, open_at=open_at):
        _withdraw(registration)
        raise RegistrationClosed
    return registration


def _book_with_place(
    details: dict[str, Any], choices: dict[str, Any], *, open_at: datetime | None
) -> Registration | None:
    """The booking and its confirmation, then the place; None (and nothing kept) if none.

    Taking the place locks the event's row until commit, and every booking for the event
    queues on that lock, so it is the last statement before the commit: the inserts are
    made, and their savepoint released, before it (docs/architecture.md#the-events-row).
    Without a place, the booking and its emails are deleted again.
    """
    with db.session.begin_nested():
        registration = _add(details, choices, status=RegistrationStatus.BOOKED)
        emails.booking_confirmed_to_attendee(registration)
    if take_place(details["event"].id, open_at=open_at):
        return registration
    _withdraw(registration)
    return None


def _add(
    details: dict[str, Any], choices: dict[str, Any], *, status: RegistrationStatus
) -> Registration:
    """The registration (flushed: the unique index may refuse it) and its answers."""
    registration = new_registration(**details, status=status)
    registration.no_calendar = choices["no_calendar"]
    registration.no_reminders = choices["no_reminders"]
    registration.added_by_organiser = choices["added_by_organiser"]
    db.session.add(registration)
    db.session.flush()
    add_answers(registration, choices["answers"])
    return registration


def _withdraw(registration: Registration) -> None:
    """Nothing is kept of a registration that got no place: its emails and answers go too."""
    for model in (OutboxMessage, FormAnswer):
        db.session.execute(
            delete(model)
            .where(model.registration_id == registration.id)
            .execution_options(synchronize_session="fetch")
        )
    db.session.delete(registration)
    db.session.flush()
