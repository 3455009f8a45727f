"""Booking a place or joining the waiting list: by the person, or by an organiser."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webinar.events.queries import accepts_registrations
from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import (
    Event,
    EventAccess,
    OutboxMessage,
    Question,
    Registration,
    RegistrationStatus,
)
from webinar.notifications import emails, request_emails
from webinar.notifications.kinds import Kind
from webinar.registrations.booking_codes import new_booking_code
from webinar.registrations.places import NoPlaceLeft, lock_published_event, take_place
from webinar.registrations.queries import active_registration
from webinar.security import hash_token, manage_token_for
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
) -> RegistrationOutcome:
    """Book a place, or join the waiting list, and queue the email that says which.

    `no_calendar` and `no_reminders` are the form's choices for a new booking; a repeat
    keeps the booking's own (they are changed from its manage page).
    """
    if not accepts_registrations(event, now=now):
        raise RegistrationClosed
    email = normalise_email(email)
    existing = active_registration(event_id=event.id, email=email)
    if existing is not None:
        return _already_registered(existing, question=question, now=now)
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
        )
    except AlreadyRegistered:
        # Someone registered the same address a moment ago: same outcome as a repeat.
        existing = active_registration(event_id=event.id, email=email)
        if existing is None:
            raise
        return _already_registered(existing, question=question, now=now)
    _store_question(event, question, now=now)
    if registration.status == RegistrationStatus.REQUESTED:
        request_emails.place_requested_to_attendee(registration)
        return RegistrationOutcome.REQUESTED
    if registration.status == RegistrationStatus.BOOKED:
        return RegistrationOutcome.BOOKED  # its confirmation was queued with it
    emails.added_to_waiting_list_to_attendee(registration)
    return RegistrationOutcome.WAITING


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
    )
    registration.added_by_organiser = True
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
        # Drawn before the event's row is locked (see _book_with_place). Two bookings
        # drawing the same unused code at once, about one chance in 10^12, would meet the
        # unique index and the second would fail, as a duplicate would.
        "booking_code": new_booking_code(event.id),
    }
    choices = {"no_calendar": no_calendar, "no_reminders": no_reminders}
    try:
        if not by_approval:
            booked = _book_with_place(details, choices, open_at=open_at)
            if booked is not None:
                return booked
        with db.session.begin_nested():
            if not lock_published_event(event.id, open_at=open_at):
                raise RegistrationClosed
            if not (waiting_list or by_approval):
                raise NoPlaceLeft
            status = RegistrationStatus.REQUESTED if by_approval else RegistrationStatus.WAITING
            registration = _add(details, choices, status=status)
    except IntegrityError:
        raise AlreadyRegistered from None
    return registration


class _NoPlace(Exception):
    """Rolls back the savepoint of a booking that found no place."""


def _book_with_place(
    details: dict[str, Any], choices: dict[str, bool], *, open_at: datetime | None
) -> Registration | None:
    """The booking and its confirmation, then the place; None (and nothing kept) if none.

    Taking the place locks the event's row until commit, and every booking for the event
    queues on that lock, so it comes last: the inserts are made before it, and only the
    commit follows it (docs/benchmarks.md#registrations). Inserting first takes no lock
    another booking waits for while holding the event's row.
    """
    try:
        with db.session.begin_nested():
            registration = _add(details, choices, status=RegistrationStatus.BOOKED)
            emails.booking_confirmed_to_attendee(registration)
            db.session.flush()
            if not take_place(details["event"].id, open_at=open_at):
                raise _NoPlace
    except _NoPlace:
        return None
    return registration


def _add(
    details: dict[str, Any], choices: dict[str, bool], *, status: RegistrationStatus
) -> Registration:
    registration = new_registration(**details, status=status)
    registration.no_calendar = choices["no_calendar"]
    registration.no_reminders = choices["no_reminders"]
    db.session.add(registration)
    db.session.flush()
    return registration


def new_registration(
    *,
    event: Event,
    name: str,
    email: str,
    status: RegistrationStatus,
    accessibility_needs: str | None,
    discreet: bool,
    now: datetime,
    booking_code: str | None = None,
) -> Registration:
    """A booking with its random calendar UID and the hash of its manage-link token."""
    calendar_uid = f"{uuid.uuid4()}@booking"
    return Registration(
        event=event,
        calendar_uid=calendar_uid,
        name=name.strip(),
        email=normalise_email(email),
        status=status,
        accessibility_needs=accessibility_needs or None,
        discreet=discreet,
        created_at_utc=now,
        status_changed_at_utc=now,
        manage_token_hash=hash_token(manage_token_for(calendar_uid)),
        booking_code=booking_code or new_booking_code(event.id),
    )


#: Someone who knows an address could submit it again and again to flood its owner with
#: "already registered" emails; one an hour is enough to help a person who lost the link.
ALREADY_REGISTERED_EMAIL_INTERVAL = timedelta(hours=1)


def _already_registered(
    existing: Registration, *, question: str | None, now: datetime
) -> RegistrationOutcome:
    # The same lock as a booking: the answer takes as long (docs/safety.md#response-timing),
    # and repeats of one address queue up, so the once-an-hour check below holds.
    lock_published_event(existing.event_id)
    _store_question(existing.event, question, now=now)
    recently_told = db.session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.registration_id == existing.id)
        .where(OutboxMessage.kind == Kind.ALREADY_REGISTERED)
        .where(OutboxMessage.created_at_utc > now - ALREADY_REGISTERED_EMAIL_INTERVAL)
        .limit(1)
    )
    if recently_told is None:
        emails.already_registered_to_attendee(existing)
    return RegistrationOutcome.ALREADY_REGISTERED


def _store_question(event: Event, question: str | None, *, now: datetime) -> None:
    if not question or not event.accepts_questions:
        return
    text = question.strip()
    already_asked = db.session.scalar(
        select(Question.id).where(Question.event_id == event.id).where(Question.text == text)
    )
    if already_asked is None:
        # The London day only: an exact time could be matched to a registration
        # (docs/safety.md#least-data).
        day = to_london(now).date()
        received_on = datetime(day.year, day.month, day.day, tzinfo=UTC)
        db.session.add(Question(event=event, text=text, received_on=received_on))
