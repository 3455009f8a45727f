"""Build test data through the same models the app uses."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from webinar.extensions import db
from webinar.joining.tokens import join_token_for
from webinar.models import Event, EventFormat, EventStatus, Registration, utc_now
from webinar.registrations.booking import register_for_event
from webinar.security import manage_token_for

_counter = itertools.count(1)

#: A registration form a person filled in correctly.
VALID_REGISTRATION = {
    "name": "Sam",
    "email": "sam@example.com",
    "accessibility_needs": "",
    "question": "",
    "consent": "y",
}


class Factory:
    def event(self, **overrides: Any) -> Event:
        number = next(_counter)
        starts = overrides.pop("starts_at_utc", None) or _in_four_days_at_six()
        values: dict[str, Any] = {
            "slug": f"event-{number}",
            "title": f"Test event {number}",
            "summary": "A summary of the event.",
            "description": "What happens at the event.",
            "format": EventFormat.ONLINE,
            "status": EventStatus.PUBLISHED,
            "starts_at_utc": starts,
            "ends_at_utc": starts + timedelta(hours=1, minutes=30),
            "joining_link": "https://meet.example.org/room",
            "hosted_by": "The test team",
            "capacity": 50,
            "accessibility_information": "Live captions.",
        }
        values.update(overrides)
        event = Event(**values)
        db.session.add(event)
        db.session.commit()
        return event

    def registration(self, event: Event, **overrides: Any) -> Registration:
        number = next(_counter)
        values: dict[str, Any] = {
            "name": f"Person {number}",
            "email": f"person{number}@example.com",
            "accessibility_needs": None,
            "question": None,
            "discreet": False,
            "now": datetime.now(UTC),
        }
        values.update(overrides)
        register_for_event(event=event, **values)
        db.session.commit()
        registration = (
            db.session.query(Registration)
            .filter_by(event_id=event.id, email=values["email"].strip().lower())
            .one()
        )
        return registration


def manage_url(registration: Registration) -> str:
    """The path of a booking's manage link, as its emails carry it."""
    return f"/booking/{manage_token_for(registration.calendar_uid)}"


def join_url(registration: Registration) -> str:
    """A booking's personal joining link, as its emails and calendar entry carry it."""
    token = join_token_for(registration.calendar_uid, registration.join_token_version)
    return f"http://localhost/join/{token}"


def _in_four_days_at_six() -> datetime:
    """A default start always ahead: 6 pm UTC four days on from now, which under the suite's
    frozen clock (28 November 2026, 10:00) is 2 December 2026, 18:00. Tests on a live
    server run on the real clock, where a fixed date would one day be in the past."""
    return (utc_now() + timedelta(days=4)).replace(hour=18, minute=0, second=0, microsecond=0)
