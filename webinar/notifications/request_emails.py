"""One function per email about a request for a place at an event by approval.

Like webinar.notifications.emails: each queues its message in the caller's transaction.
"""

from __future__ import annotations

from webinar.models import Registration
from webinar.notifications.emails import key_for, reminders_to_attendee
from webinar.notifications.kinds import Kind
from webinar.notifications.outbox import enqueue


def place_requested_to_attendee(registration: Registration) -> None:
    """At an event by approval: the request arrived; the organisers decide."""
    enqueue(
        kind=Kind.PLACE_REQUESTED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        dedupe_key=key_for(registration, Kind.PLACE_REQUESTED, 0),
    )


def request_approved_to_attendee(registration: Registration, *, message: str) -> None:
    """The organisers approved the request: a place, its invitation and reminders."""
    enqueue(
        kind=Kind.REQUEST_APPROVED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=key_for(registration, Kind.REQUEST_APPROVED, registration.calendar_sequence),
        payload={"message": message},
    )
    reminders_to_attendee(registration)


def request_declined_to_attendee(registration: Registration, *, message: str) -> None:
    enqueue(
        kind=Kind.REQUEST_DECLINED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        dedupe_key=key_for(registration, Kind.REQUEST_DECLINED, 0),
        payload={"message": message},
    )


def request_withdrawn_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=Kind.REQUEST_WITHDRAWN,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        dedupe_key=key_for(registration, Kind.REQUEST_WITHDRAWN, 0),
    )
