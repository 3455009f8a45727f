"""The follow-up email after an event: queued for everyone booked, worded at send time.

Whether someone attended is decided when the email is sent (checked in, or their joining
link was used), so check-ins made after scheduling still count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from webinar.extensions import db
from webinar.feedback.tokens import feedback_token_for
from webinar.models import (
    Event,
    FollowUp,
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationStatus,
)
from webinar.notifications import emails
from webinar.notifications.kinds import Kind
from webinar.urls import public_url


def attended(registration: Registration) -> bool:
    return (
        registration.attended_at_utc is not None or registration.join_first_used_at_utc is not None
    )


def follow_up_for(event: Event) -> FollowUp | None:
    return db.session.scalar(select(FollowUp).where(FollowUp.event_id == event.id))


def schedule_follow_up(follow_up: FollowUp, *, event: Event, now: datetime) -> int:
    """Queue the emails for everyone booked or waiting now, replacing any not yet sent;
    the caller commits. Returns how many people hold a place now.

    People waiting are included because they may yet get a place; when it is sent, only
    people who hold a place get it (webinar.notifications.rendering).
    """
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.event_id == event.id)
        .where(OutboxMessage.kind == Kind.FOLLOW_UP)
        .where(OutboxMessage.status == OutboxStatus.DUE)
        .values(status=OutboxStatus.DROPPED)
        .execution_options(synchronize_session=False)
    )
    active = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .where(Registration.status != RegistrationStatus.CANCELLED)
            .order_by(Registration.id)
        )
    )
    follow_up.scheduled_at_utc = now
    emails.follow_up_to_attendees(active, event=event, due_at_utc=follow_up.send_at_utc)
    return sum(1 for registration in active if registration.status == RegistrationStatus.BOOKED)


def follow_up_context(registration: Registration, event: Event) -> dict[str, Any] | None:
    """What templates/emails/follow_up_to_attendee.* need; None if there is no follow-up."""
    follow_up = follow_up_for(event)
    if follow_up is None:
        return None
    came = attended(registration)
    return {
        "attended": came,
        "follow_up_text": follow_up.attended_text if came else follow_up.absent_text,
        "recording_url": follow_up.recording_url,
        "resources_url": follow_up.resources_url,
        "feedback_url": public_url(
            "feedback.give_feedback", token=feedback_token_for(registration)
        ),
    }
