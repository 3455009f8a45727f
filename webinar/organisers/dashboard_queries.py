"""Numbers for the dashboard: fill rates, registrations per day and attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select

from webinar.extensions import db
from webinar.london_time import LONDON, to_london
from webinar.models import (
    Event,
    EventStatus,
    FeedbackAnswer,
    Registration,
    RegistrationStatus,
)

CHART_DAYS = 14


@dataclass(frozen=True)
class EventFigures:
    event: Event
    booked: int
    waiting: int
    attended: int | None  # None until the event has started
    #: Anonymous feedback answers (docs/safety.md#anonymous-feedback).
    feedback: int = 0

    @property
    def fill_rate(self) -> int:
        """Per cent of places taken, rounded down."""
        return self.booked * 100 // self.event.capacity if self.event.capacity else 0


def event_figures(*, now: datetime) -> list[EventFigures]:
    """Published events, soonest first, with their counts."""
    events = db.session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED)
        .order_by(Event.starts_at_utc, Event.id)
    ).all()
    counts = _counts_by_event_and_status()
    attended = _attended_by_event()
    feedback = _feedback_by_event()
    return [
        EventFigures(
            event=event,
            booked=counts.get((event.id, RegistrationStatus.BOOKED), 0),
            waiting=counts.get((event.id, RegistrationStatus.WAITING), 0),
            attended=attended.get(event.id, 0) if event.starts_at_utc <= now else None,
            feedback=feedback.get(event.id, 0),
        )
        for event in events
    ]


def _counts_by_event_and_status() -> dict[tuple[int, RegistrationStatus], int]:
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count()).group_by(
            Registration.event_id, Registration.status
        )
    ).all()
    return {(event_id, status): int(count) for event_id, status, count in rows}


def _attended_by_event() -> dict[int, int]:
    rows = db.session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.status == RegistrationStatus.BOOKED)
        # Checked in at the door, or joined online through their own link.
        .where(
            or_(
                Registration.attended_at_utc.is_not(None),
                Registration.join_first_used_at_utc.is_not(None),
            )
        )
        .group_by(Registration.event_id)
    ).all()
    return {event_id: int(count) for event_id, count in rows}


def _feedback_by_event() -> dict[int, int]:
    rows = db.session.execute(
        select(FeedbackAnswer.event_id, func.count()).group_by(FeedbackAnswer.event_id)
    ).all()
    return {event_id: int(count) for event_id, count in rows}


def registrations_per_day(*, now: datetime, days: int = CHART_DAYS) -> list[tuple[date, int]]:
    """Registrations made on each of the last `days` UK days, oldest first.

    Counted by the database: each UK midnight is turned into a UTC instant here, with its
    GMT or BST offset, and the rows are bucketed between them, the same on every database.
    """
    today = to_london(now).date()
    first = today - timedelta(days=days - 1)
    dates = [first + timedelta(days=offset) for offset in range(days)]
    midnights = [_london_midnight(day) for day in [*dates, today + timedelta(days=1)]]
    created = Registration.created_at_utc
    day_number = case(
        *((created < midnight, number) for number, midnight in enumerate(midnights[1:])),
    )
    rows = db.session.execute(
        select(day_number, func.count())
        .where(created >= midnights[0])
        .where(created < midnights[-1])
        .group_by(day_number)
    ).all()
    counts = {int(number): int(count) for number, count in rows}
    return [(day, counts.get(number, 0)) for number, day in enumerate(dates)]


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)
