"""Reading the events that go into the public calendar feed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Event, EventStatus

#: Ended events stay in the feed this long, so a subscriber's past entries do not vanish.
RECENT = timedelta(days=30)


def list_feed_events(*, now: datetime) -> list[Event]:
    """Published and cancelled events, upcoming or recent; cancelled ones say so."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
            .where(Event.ends_at_utc > now - RECENT)
            .order_by(Event.starts_at_utc, Event.id)
        )
    )
