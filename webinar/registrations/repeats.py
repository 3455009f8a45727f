"""A registration for an address already registered, and questions sent with either."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import Event, OutboxMessage, Question, Registration
from webinar.notifications import emails
from webinar.notifications.kinds import Kind
from webinar.registrations.places import lock_published_event

#: Someone who knows an address could submit it again and again to flood its owner with
#: "already registered" emails; one an hour is enough to help a person who lost the link.
ALREADY_REGISTERED_EMAIL_INTERVAL = timedelta(hours=1)


def already_registered(existing: Registration, *, now: datetime) -> None:
    """A repeat: tell the address's owner (once an hour at most).

    Its question for the panel is stored as anyone's (register_for_event).
    """
    # The same lock as a booking: the answer takes as long (docs/safety.md#response-timing),
    # and repeats of one address queue up, so the once-an-hour check below holds.
    lock_published_event(existing.event_id)
    recently_told = db.session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.registration_id == existing.id)
        .where(OutboxMessage.kind == Kind.ALREADY_REGISTERED)
        .where(OutboxMessage.created_at_utc > now - ALREADY_REGISTERED_EMAIL_INTERVAL)
        .limit(1)
    )
    if recently_told is None:
        emails.already_registered_to_attendee(existing)


def store_question(event: Event, question: str | None, *, now: datetime) -> None:
    """A question for the panel, once per wording."""
    if not question or not event.accepts_questions:
        return
    text = question.strip()
    already_asked = db.session.scalar(
        select(Question.id).where(Question.event_id == event.id).where(Question.text == text)
    )
    if already_asked is None:
        # The London day only: an exact time could be matched to a registration
        # (docs/safety.md#least-data).
        day = to_london(now).date()
        received_on = datetime(day.year, day.month, day.day, tzinfo=UTC)
        db.session.add(Question(event=event, text=text, received_on=received_on))
