"""What organisers do to bookings: cancel, offer a place, add by hand, mark attended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from webinar import emails
from webinar.extensions import db
from webinar.models import Event, EventStatus, Organiser, Registration, RegistrationStatus
from webinar.organisers.audit import AuditAction, record
from webinar.registrations.services import (
    EventFull,
    active_registration,
    cancel_registration,
    new_registration,
    take_place,
)
from webinar.validators import normalise_email

__all__ = [
    "AlreadyRegistered",
    "EventFull",
    "EventNotOpen",
    "NoPlaceLeft",
    "NotBooked",
    "NotWaiting",
]


class NotWaiting(Exception):
    """Only someone on the waiting list can be offered a place."""


class NotBooked(Exception):
    """Only someone with a place can be checked in."""


class NoPlaceLeft(Exception):
    """Every place is taken."""


class AlreadyRegistered(Exception):
    """This email address already has a booking or a place on the waiting list."""


class EventNotOpen(Exception):
    """The event is a draft or cancelled: its booking emails would never be sent."""


def cancel_booking(*, registration: Registration, organiser: Organiser, now: datetime) -> None:
    """Cancel as the attendee would: they are emailed and the next person waiting moves up."""
    record(
        AuditAction.BOOKING_CANCELLED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
        detail=f"Registration {registration.id} ({registration.status.value})",
    )
    cancel_registration(registration=registration, now=now, by_organiser=True)


def offer_place(*, registration: Registration, organiser: Organiser, now: datetime) -> None:
    """Move someone from the waiting list into a free place, out of queue order."""
    if registration.status != RegistrationStatus.WAITING:
        raise NotWaiting
    if registration.event.status != EventStatus.PUBLISHED:
        raise EventNotOpen
    if not take_place(registration.event_id):
        db.session.rollback()
        raise NoPlaceLeft
    registration.status = RegistrationStatus.BOOKED
    registration.status_changed_at_utc = now
    emails.place_offered_to_attendee(registration)
    record(
        AuditAction.PLACE_OFFERED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
        detail=f"Registration {registration.id}",
    )
    db.session.commit()


def add_attendee(
    *,
    event: Event,
    name: str,
    email: str,
    accessibility_needs: str | None,
    discreet: bool,
    organiser: Organiser,
    now: datetime,
) -> Registration:
    """Book someone in by hand (even after registration closes); emailed like anyone else."""
    if event.status != EventStatus.PUBLISHED:
        raise EventNotOpen
    email = normalise_email(email)
    if active_registration(event_id=event.id, email=email) is not None:
        raise AlreadyRegistered
    if not take_place(event.id):
        db.session.rollback()
        raise EventFull
    registration = new_registration(
        event=event,
        name=name,
        email=email,
        status=RegistrationStatus.BOOKED,
        accessibility_needs=accessibility_needs,
        discreet=discreet,
        now=now,
    )
    registration.added_by_organiser = True
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # They registered themselves a moment ago: the partial unique index caught it.
        db.session.rollback()
        raise AlreadyRegistered from None
    emails.booking_confirmed_to_attendee(registration)
    record(AuditAction.ATTENDEE_ADDED, organiser=organiser, event=event, record_count=1)
    db.session.commit()
    return registration


def mark_attended(
    *, registration: Registration, attended: bool, organiser: Organiser, now: datetime
) -> None:
    """Check someone in (or undo a mistaken check-in)."""
    if registration.status != RegistrationStatus.BOOKED:
        raise NotBooked
    registration.attended_at_utc = now if attended else None
    record(
        AuditAction.ATTENDANCE_MARKED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
        detail=f"Registration {registration.id}: "
        + ("checked in" if attended else "check-in undone"),
    )
    db.session.commit()


def record_reveal(*, event: Event, organiser: Organiser, count: int) -> None:
    """Seeing full email addresses is audited (SAFETY.md 6)."""
    record(AuditAction.EMAILS_REVEALED, organiser=organiser, event=event, record_count=count)
    db.session.commit()
