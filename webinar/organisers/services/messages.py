"""Messages from organisers to the people registered for an event."""

from __future__ import annotations

import enum

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Event, Organiser, Registration, RegistrationStatus
from webinar.notifications import emails
from webinar.organisers.audit import AuditAction, record


class Audience(enum.StrEnum):
    ALL = "all"
    BOOKED = "booked"
    WAITING = "waiting"


class NobodyToMessage(Exception):
    """Nobody is in the chosen group."""


def recipients(event: Event, audience: Audience) -> list[Registration]:
    statuses = {
        Audience.ALL: [RegistrationStatus.BOOKED, RegistrationStatus.WAITING],
        Audience.BOOKED: [RegistrationStatus.BOOKED],
        Audience.WAITING: [RegistrationStatus.WAITING],
    }[audience]
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .where(Registration.status.in_(statuses))
            .order_by(Registration.id)
        )
    )


def send_message(
    *, event: Event, audience: Audience, subject: str, body: str, organiser: Organiser
) -> int:
    """Queue the message for everyone in the group; returns how many were queued."""
    people = recipients(event, audience)
    if not people:
        raise NobodyToMessage
    queued = emails.message_from_organiser_to_attendees(
        people, event=event, subject=subject, body=body
    )
    record(
        AuditAction.MESSAGE_QUEUED,
        organiser=organiser,
        event=event,
        record_count=queued,
        # Not the subject: organisers write names into it, and the audit log is kept
        # after the purge (docs/safety.md#retention).
        detail=f"To {audience.value}",
    )
    return queued
