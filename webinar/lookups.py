"""Finding what a URL names, or answering 404: shared by every blueprint's routes."""

from __future__ import annotations

from flask import abort

from webinar.events.queries import get_public_event
from webinar.extensions import db
from webinar.models import Event, Registration
from webinar.registrations.queries import find_registration_by_token


def public_event_or_404(slug: str) -> Event:
    """A published or cancelled event; drafts do not exist for the public."""
    event = get_public_event(slug)
    if event is None:
        abort(404)
    return event


def event_or_404(event_id: int) -> Event:
    """Any event, for organisers."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def booking_or_404(token: str) -> Registration:
    """The booking a manage link names (docs/safety.md#manage-links)."""
    registration = find_registration_by_token(token)
    if registration is None:
        abort(404)
    return registration


def attendee_or_404(event: Event, registration_id: int) -> Registration:
    """A booking of this event, for organisers; another event's booking is a 404."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration
