"""Leaving: cancelling a booking, leaving the waiting list, deleting one's details now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus
from webinar.notifications import emails, request_emails
from webinar.notifications.kinds import WITH_INVITE, Kind
from webinar.registrations.places import lock_event, release_place
from webinar.registrations.transitions import StatusChanged, change_status, lock_registration


def cancel_registration(
    *, registration: Registration, now: datetime, by_organiser: bool = False
) -> bool:
    """Cancel a booking or leave the waiting list; a freed place goes to the next person.

    Returns False when there was nothing to cancel (already cancelled or deleted), so a
    double click cancels once, emails once and frees one place.
    """
    lock_event(registration.event_id)
    status = lock_registration(registration)
    if status is None or status == RegistrationStatus.CANCELLED:
        return False
    try:
        change_status(
            registration,
            expected=status,
            to=RegistrationStatus.CANCELLED,
            now=now,
            raise_sequence=True,
            cancelled_at_utc=now,
        )
    except StatusChanged:
        return False
    had_place = status == RegistrationStatus.BOOKED
    if status == RegistrationStatus.REQUESTED:
        request_emails.request_withdrawn_to_attendee(registration)
    else:
        emails.booking_cancelled_to_attendee(
            registration, had_place=had_place, by_organiser=by_organiser
        )
    if had_place:
        release_place(event_id=registration.event_id, now=now)
    return True


def delete_registration_details(*, registration: Registration, now: datetime) -> bool:
    """Delete the booking and its emails; a freed place goes to the next person waiting.

    Someone who held a place, or whose cancellation is still unsent, gets one last email,
    a METHOD:CANCEL, so the entry leaves their calendar too (docs/safety.md#retention).
    Returns False if it was already gone.
    """
    lock_event(registration.event_id)
    status = lock_registration(registration)
    if status is None:
        return False
    event_id, had_place = registration.event_id, status == RegistrationStatus.BOOKED
    with db.session.begin_nested():
        if had_place or _calendar_cancel_unsent(registration):
            # The last word on this calendar entry: the next SEQUENCE. The row is going,
            # so what the email needs travels in its payload.
            emails.details_deleted_to_attendee(
                registration, sequence=registration.calendar_sequence + 1
            )
        db.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.registration_id == registration.id)
            .execution_options(synchronize_session=False)
        )
        result = db.session.execute(
            delete(Registration)
            .where(Registration.id == registration.id)
            .where(Registration.status == status)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StatusChanged
    db.session.expunge(registration)
    if had_place:
        release_place(event_id=event_id, now=now)
    return True


def _calendar_cancel_unsent(registration: Registration) -> bool:
    """Their cancellation, which removes a calendar entry, is queued but not yet sent.

    Deleting it with their other emails would leave the entry in their calendar (cancel,
    then delete at once, or a moment later), so the deletion email replaces it.
    """
    payloads = db.session.scalars(
        select(OutboxMessage.payload)
        .where(OutboxMessage.registration_id == registration.id)
        .where(OutboxMessage.kind == Kind.BOOKING_CANCELLED)
        .where(OutboxMessage.status.in_([OutboxStatus.DUE, OutboxStatus.SENDING]))
    ).all()
    return any((payload or {}).get(WITH_INVITE) for payload in payloads)
