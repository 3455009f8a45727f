"""What organisers do to bookings: cancel, offer a place, add by hand, mark attended.

Each action and its audit entry are added to one transaction; the route commits both
or neither. The booking rules themselves live in webinar.registrations.
"""

from __future__ import annotations

from datetime import datetime

from webinar.models import Event, EventStatus, Organiser, Registration, RegistrationStatus
from webinar.organisers.audit import AuditAction, record
from webinar.registrations import places
from webinar.registrations.booking import AlreadyRegistered, RegistrationClosed, add_by_hand
from webinar.registrations.cancellation import cancel_registration
from webinar.registrations.places import NoPlaceLeft
from webinar.registrations.transitions import StatusChanged

__all__ = [
    "AlreadyRegistered",
    "EventNotOpen",
    "NoPlaceLeft",
    "NotBooked",
    "NotWaiting",
]


class NotWaiting(Exception):
    """Only someone on the waiting list can be offered a place."""


class NotBooked(Exception):
    """Only someone with a place can be checked in."""


class EventNotOpen(Exception):
    """The event is a draft or cancelled: its booking emails would never be sent."""


def cancel_booking(*, registration: Registration, organiser: Organiser, now: datetime) -> bool:
    """Cancel as the attendee would: they are emailed and the next person waiting moves up.

    Returns False when it was already cancelled; nothing is audited then.
    """
    status = registration.status
    if not cancel_registration(registration=registration, now=now, by_organiser=True):
        return False
    record(
        AuditAction.BOOKING_CANCELLED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
        detail=f"Registration {registration.id} ({status.value})",
    )
    return True


def offer_place(*, registration: Registration, organiser: Organiser, now: datetime) -> None:
    """Move someone from the waiting list into a free place, out of queue order."""
    if registration.status != RegistrationStatus.WAITING:
        raise NotWaiting
    if registration.event.status != EventStatus.PUBLISHED:
        raise EventNotOpen
    try:
        offered = places.offer_place(registration, now=now)
    except StatusChanged:
        raise NotWaiting from None
    if not offered:
        raise NoPlaceLeft
    record(
        AuditAction.PLACE_OFFERED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
        detail=f"Registration {registration.id}",
    )


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
    try:
        registration = add_by_hand(
            event=event,
            name=name,
            email=email,
            accessibility_needs=accessibility_needs,
            discreet=discreet,
            now=now,
        )
    except RegistrationClosed:
        raise EventNotOpen from None
    record(AuditAction.ATTENDEE_ADDED, organiser=organiser, event=event, record_count=1)
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


def record_reveal(*, event: Event, organiser: Organiser, count: int) -> None:
    """Seeing full email addresses is audited (docs/safety.md#organiser-access)."""
    record(AuditAction.EMAILS_REVEALED, organiser=organiser, event=event, record_count=count)
