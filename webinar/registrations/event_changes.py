"""What a change to a whole event does to its bookings' calendar entries.

Each booking has its own calendar entry (UID) with its own SEQUENCE; a change of time or
place, or a cancellation, raises every active booking's SEQUENCE and sends the update
(docs/calendar.md#one-entry-per-booking). The event's own SEQUENCE is for the public feed.
"""

from __future__ import annotations

from sqlalchemy import select, update

from webinar.extensions import db
from webinar.models import Event, EventStatus, Registration, RegistrationStatus
from webinar.notifications import emails
from webinar.page_version import public_pages_changed


class EventCancelled(Exception):
    """The event is cancelled: it cannot be changed, published, unpublished or cancelled."""


def event_changed(event: Event) -> int:
    """The time or place changed: update everyone's entry; returns how many were emailed."""
    registrations = _raise_sequences(event)
    return emails.event_changed_to_attendees(registrations, event=event)


def cancel_event(event: Event) -> int:
    """Cancel for everyone (once); returns how many people were sent a cancellation."""
    result = db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .where(Event.status != EventStatus.CANCELLED)
        .values(status=EventStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise EventCancelled
    public_pages_changed()
    registrations = _raise_sequences(event)
    return emails.event_cancelled_to_attendees(registrations, event=event)


def _raise_sequences(event: Event) -> list[Registration]:
    """Raise the event's and each active booking's SEQUENCE by SQL increments."""
    db.session.flush()
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(calendar_sequence=Event.calendar_sequence + 1)
        .execution_options(synchronize_session=False)
    )
    active = (
        Registration.event_id == event.id,
        Registration.status != RegistrationStatus.CANCELLED,
    )
    db.session.execute(
        update(Registration)
        .where(*active)
        .values(calendar_sequence=Registration.calendar_sequence + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(event)
    return list(
        db.session.scalars(
            select(Registration)
            .where(*active)
            .order_by(Registration.id)
            .execution_options(populate_existing=True)
        )
    )
