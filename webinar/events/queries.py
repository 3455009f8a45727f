"""Reading events for the public pages."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import bindparam, select

from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import Event, EventStatus


class Availability(enum.StrEnum):
    PLACES_LEFT = "places_left"
    WAITING_LIST = "waiting_list"
    FULL = "full"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    PAST = "past"


def availability(event: Event, *, now: datetime) -> Availability:
    """What a visitor can do about this event right now.

    Never the number of places left: it would change when a new address registers and
    not when a registered one tries again, telling a third party which it was.
    """
    if event.status == EventStatus.CANCELLED:
        return Availability.CANCELLED
    if event.ends_at_utc <= now:
        return Availability.PAST
    if event.registration_opens_at_utc and now < event.registration_opens_at_utc:
        return Availability.NOT_OPEN_YET
    closes = event.registration_closes_at_utc or event.starts_at_utc
    if now >= min(closes, event.starts_at_utc):
        return Availability.CLOSED
    if event.is_full:
        return Availability.WAITING_LIST if event.waiting_list_enabled else Availability.FULL
    return Availability.PLACES_LEFT


def next_change_utc(events: list[Event], *, now: datetime) -> datetime | None:
    """When the availability of any of these events next changes by the clock alone."""
    moments = [
        moment
        for event in events
        for moment in (
            event.registration_opens_at_utc,
            event.registration_closes_at_utc,
            event.starts_at_utc,
            event.ends_at_utc,
        )
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


def accepts_registrations(event: Event, *, now: datetime) -> bool:
    return availability(event, now=now) in (
        Availability.PLACES_LEFT,
        Availability.WAITING_LIST,
    )


@dataclass(frozen=True)
class EventDay:
    day: date
    events: list[Event]


def list_upcoming_events(*, now: datetime) -> list[EventDay]:
    """Published and cancelled events that have not ended, grouped by London day."""
    events = db.session.scalars(
        select(Event)
        .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
        .where(Event.ends_at_utc > now)
        .order_by(Event.starts_at_utc, Event.id)
    ).all()
    return [
        EventDay(day=day, events=list(group))
        for day, group in groupby(events, key=lambda event: to_london(event.starts_at_utc).date())
    ]


def get_public_event(slug: str) -> Event | None:
    """A published or cancelled event; drafts do not exist for the public."""
    return db.session.scalar(_PUBLIC_EVENT, {"slug": slug})


# Built once: every public request about an event starts here
# (docs/benchmarks.md#statements-built-once).
_PUBLIC_EVENT = (
    select(Event)
    .where(Event.slug == bindparam("slug"))
    .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
)
