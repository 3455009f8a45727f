"""Events by approval: the organisers approve or decline each request for a place.

A request holds no place. Approving takes one exactly as booking does (take_place: one
conditional UPDATE on the event, published and with a place left) and moves the booking
from "requested" with a conditional UPDATE, both in one savepoint: two organisers
approving the same request, or the last place, cannot both succeed
(docs/architecture.md#changes-of-state).
"""

from __future__ import annotations

from datetime import datetime

from webinar.extensions import db
from webinar.models import Registration, RegistrationStatus
from webinar.notifications import request_emails
from webinar.registrations.places import NoPlaceLeft, take_place
from webinar.registrations.transitions import StatusChanged, change_status


class NotRequested(Exception):
    """The request was already approved, declined or withdrawn."""


def approve_request(*, registration: Registration, message: str, now: datetime) -> None:
    """Raises NoPlaceLeft (full, or no longer published) or NotRequested; emails on success."""
    try:
        with db.session.begin_nested():
            if not take_place(registration.event_id):
                raise NoPlaceLeft
            change_status(
                registration,
                expected=RegistrationStatus.REQUESTED,
                to=RegistrationStatus.BOOKED,
                now=now,
            )
    except StatusChanged:
        raise NotRequested from None
    request_emails.request_approved_to_attendee(registration, message=message)


def decline_request(*, registration: Registration, message: str, now: datetime) -> None:
    """Raises NotRequested if someone decided first; emails the person otherwise."""
    try:
        change_status(
            registration,
            expected=RegistrationStatus.REQUESTED,
            to=RegistrationStatus.CANCELLED,
            now=now,
            cancelled_at_utc=now,
        )
    except StatusChanged:
        raise NotRequested from None
    request_emails.request_declined_to_attendee(registration, message=message)
