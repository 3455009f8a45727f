"""Registering, cancelling and the waiting list: the rules and the one commit."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webinar import emails
from webinar.events.queries import accepts_registrations
from webinar.extensions import db
from webinar.filters import to_london
from webinar.models import (
    Event,
    EventStatus,
    OutboxMessage,
    Question,
    Registration,
    RegistrationStatus,
)
from webinar.security import hash_token, manage_token_for
from webinar.validators import normalise_email


class RegistrationClosed(Exception):
    """The event is not taking registrations now."""


class EventFull(Exception):
    """No places left and no waiting list."""


class RegistrationOutcome(enum.StrEnum):
    """Only the email says which of these happened; the visitor sees the same page."""

    BOOKED = "booked"
    WAITING = "waiting"
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
) -> RegistrationOutcome:
    """Book a place, or join the waiting list, and queue the email that says which."""
    if not accepts_registrations(event, now=now):
        raise RegistrationClosed
    email = normalise_email(email)
    existing = active_registration(event_id=event.id, email=email)
    if existing is not None:
        return _already_registered(existing, question=question, now=now)

    booked = take_place(event.id)
    if not booked and not event.waiting_list_enabled:
        db.session.rollback()
        raise EventFull
    registration = new_registration(
        event=event,
        name=name,
        email=email,
        status=RegistrationStatus.BOOKED if booked else RegistrationStatus.WAITING,
        accessibility_needs=accessibility_needs,
        discreet=discreet,
        now=now,
    )
    db.session.add(registration)
    _store_question(event, question, now=now)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone registered the same address a moment ago: same outcome as a repeat.
        db.session.rollback()
        existing = active_registration(event_id=event.id, email=email)
        if existing is None:
            raise
        return _already_registered(existing, question=question, now=now)
    if booked:
        emails.booking_confirmed_to_attendee(registration)
    else:
        emails.added_to_waiting_list_to_attendee(registration)
    db.session.commit()
    return RegistrationOutcome.BOOKED if booked else RegistrationOutcome.WAITING


def new_registration(
    *,
    event: Event,
    name: str,
    email: str,
    status: RegistrationStatus,
    accessibility_needs: str | None,
    discreet: bool,
    now: datetime,
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
    )


#: Someone who knows an address could submit it again and again to flood its owner with
#: "already registered" emails; one an hour is enough to help a person who lost the link.
ALREADY_REGISTERED_EMAIL_INTERVAL = timedelta(hours=1)


def _already_registered(
    existing: Registration, *, question: str | None, now: datetime
) -> RegistrationOutcome:
    _store_question(existing.event, question, now=now)
    recently_told = db.session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.registration_id == existing.id)
        .where(OutboxMessage.kind == emails.ALREADY_REGISTERED)
        .where(OutboxMessage.created_at_utc > now - ALREADY_REGISTERED_EMAIL_INTERVAL)
        .limit(1)
    )
    if recently_told is None:
        emails.already_registered_to_attendee(existing)
    _take_the_same_lock_as_a_booking(existing.event_id)
    db.session.commit()
    return RegistrationOutcome.ALREADY_REGISTERED


def _take_the_same_lock_as_a_booking(event_id: int) -> None:
    """Write and lock what a new booking writes and locks, so a repeat is not much quicker.

    SAFETY.md 2: the answer's timing must not tell a third party that an address was
    already registered. scripts/benchmark_registration_timing.py measures the difference.
    """
    db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(places_taken=Event.places_taken)
        .execution_options(synchronize_session=False)
    )


def take_place(event_id: int) -> bool:
    """Take one place if any is left.

    One conditional UPDATE: it holds under concurrency, where count-then-insert overbooks.
    """
    result = db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .where(Event.places_taken < Event.capacity)
        .values(places_taken=Event.places_taken + 1)
        .execution_options(synchronize_session="fetch")
    )
    taken = result.rowcount == 1  # type: ignore[attr-defined]
    return bool(taken)


def active_registration(*, event_id: int, email: str) -> Registration | None:
    """The booking or waiting-list place this address holds for the event, if any."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.event_id == event_id)
        .where(Registration.email == email)
        .where(Registration.status != RegistrationStatus.CANCELLED)
    )


def _store_question(event: Event, question: str | None, *, now: datetime) -> None:
    if not question or not event.accepts_questions:
        return
    text = question.strip()
    already_asked = db.session.scalar(
        select(Question.id).where(Question.event_id == event.id).where(Question.text == text)
    )
    if already_asked is None:
        # The London day only: an exact time could be matched to a registration.
        day = to_london(now).date()
        received_on = datetime(day.year, day.month, day.day, tzinfo=UTC)
        db.session.add(Question(event=event, text=text, received_on=received_on))


def find_registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.manage_token_hash == hash_token(token))
    )


def cancel_registration(
    *, registration: Registration, now: datetime, by_organiser: bool = False
) -> None:
    """Cancel a booking or leave the waiting list; a freed place goes to the next person."""
    if registration.status == RegistrationStatus.CANCELLED:
        return
    was_booked = registration.status == RegistrationStatus.BOOKED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at_utc = now
    registration.status_changed_at_utc = now
    registration.calendar_sequence += 1
    event = registration.event
    event.cancellations_count += 1
    emails.booking_cancelled_to_attendee(
        registration, had_place=was_booked, by_organiser=by_organiser
    )
    db.session.flush()
    if was_booked:
        release_place(event_id=event.id, now=now)
    db.session.commit()


def release_place(*, event_id: int, now: datetime) -> None:
    """A booked place is free again: it goes to the first person waiting, if anyone is."""
    _give_up_place(event_id)
    promote_from_waiting_list(event_id=event_id, now=now)


def _give_up_place(event_id: int) -> None:
    """Free one confirmed place; never below zero."""
    db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .where(Event.places_taken > 0)
        .values(places_taken=Event.places_taken - 1)
        .execution_options(synchronize_session="fetch")
    )


def promote_from_waiting_list(*, event_id: int, now: datetime) -> list[Registration]:
    """Offer freed places to the people waiting longest, in the caller's transaction."""
    promoted: list[Registration] = []
    while True:
        event = db.session.get(Event, event_id)
        if event is None or event.status != EventStatus.PUBLISHED or event.starts_at_utc <= now:
            return promoted
        waiting = db.session.scalar(
            select(Registration)
            .where(Registration.event_id == event_id)
            .where(Registration.status == RegistrationStatus.WAITING)
            .order_by(Registration.status_changed_at_utc, Registration.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if waiting is None or not take_place(event_id):
            return promoted
        waiting.status = RegistrationStatus.BOOKED
        waiting.status_changed_at_utc = now
        emails.place_offered_to_attendee(waiting)
        db.session.flush()
        db.session.expire(event)
        promoted.append(waiting)
