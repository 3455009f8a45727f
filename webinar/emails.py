"""One function per email. Each queues its message in the outbox, in the caller's
transaction; rendering and sending happen later (see webinar.outbox)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Event, Registration, RegistrationStatus
from webinar.outbox_queue import enqueue

BOOKING_CONFIRMED = "booking_confirmed_to_attendee"
ADDED_TO_WAITING_LIST = "added_to_waiting_list_to_attendee"
PLACE_OFFERED = "place_offered_to_attendee"
ALREADY_REGISTERED = "already_registered_to_attendee"
BOOKING_CANCELLED = "booking_cancelled_to_attendee"


def _key(registration: Registration, kind: str, sequence: int) -> str:
    return f"registration:{registration.id}:{kind}:{sequence}"


def booking_confirmed_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=BOOKING_CONFIRMED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=_key(registration, BOOKING_CONFIRMED, registration.calendar_sequence),
    )


def added_to_waiting_list_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=ADDED_TO_WAITING_LIST,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        dedupe_key=_key(registration, ADDED_TO_WAITING_LIST, 0),
    )


def place_offered_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=PLACE_OFFERED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=_key(registration, PLACE_OFFERED, registration.calendar_sequence),
    )


def already_registered_to_attendee(registration: Registration) -> None:
    # No dedupe key: each attempt tells the mailbox owner, who may have lost the link.
    enqueue(
        kind=ALREADY_REGISTERED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
    )


def booking_cancelled_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=BOOKING_CANCELLED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=_key(registration, BOOKING_CANCELLED, registration.calendar_sequence),
    )


EVENT_CHANGED = "event_changed_to_attendee"
EVENT_CANCELLED = "event_cancelled_to_attendee"
MESSAGE_FROM_ORGANISER = "message_from_organiser_to_attendee"


def _active_registrations(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .where(Registration.status != RegistrationStatus.CANCELLED)
            .order_by(Registration.id)
        )
    )


def event_changed_to_attendees(event: Event) -> int:
    """An updated invite (same UID, higher SEQUENCE) to everyone booked or waiting."""
    registrations = _active_registrations(event)
    for registration in registrations:
        registration.calendar_sequence += 1
        enqueue(
            kind=EVENT_CHANGED,
            recipient=registration.email,
            registration=registration,
            event=event,
            calendar_sequence=registration.calendar_sequence,
            dedupe_key=_key(registration, EVENT_CHANGED, registration.calendar_sequence),
        )
    return len(registrations)


def event_cancelled_to_attendees(event: Event) -> int:
    """A METHOD:CANCEL for the same calendar entry, to everyone booked or waiting."""
    registrations = _active_registrations(event)
    for registration in registrations:
        registration.calendar_sequence += 1
        enqueue(
            kind=EVENT_CANCELLED,
            recipient=registration.email,
            registration=registration,
            event=event,
            calendar_sequence=registration.calendar_sequence,
            dedupe_key=_key(registration, EVENT_CANCELLED, registration.calendar_sequence),
        )
    return len(registrations)


def message_from_organiser_to_attendees(
    registrations: Sequence[Registration], *, event: Event, subject: str, body: str
) -> int:
    """An organiser's message; the text travels in the payload."""
    for registration in registrations:
        enqueue(
            kind=MESSAGE_FROM_ORGANISER,
            recipient=registration.email,
            registration=registration,
            event=event,
            payload={"subject": subject, "body": body},
        )
    return len(registrations)
