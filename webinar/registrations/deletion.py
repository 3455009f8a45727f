"""Deleting a person's details now, from the link in every email (SAFETY.md 5)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from webinar import emails
from webinar.extensions import db
from webinar.models import OutboxMessage, Registration, RegistrationStatus
from webinar.registrations.services import release_place


def delete_registration_details(*, registration: Registration, now: datetime) -> None:
    """Delete the booking and its emails; a freed place goes to the next person waiting.

    Only counts survive (cancellations_count). Someone who held a place gets one last
    email, a METHOD:CANCEL, so the entry leaves their calendar too.
    """
    event = registration.event
    was_booked = registration.status == RegistrationStatus.BOOKED
    if registration.status != RegistrationStatus.CANCELLED:
        event.cancellations_count += 1
    if was_booked:
        emails.details_deleted_to_attendee(registration)
    db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(registration)
    db.session.flush()
    if was_booked:
        release_place(event_id=event.id, now=now)
    db.session.commit()
