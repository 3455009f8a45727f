"""Public event pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from webinar.events.queries import availability, get_public_event, list_upcoming_events
from webinar.models import utc_now

blueprint = Blueprint("events", __name__)


@blueprint.get("/")
def list_events() -> str:
    now = utc_now()
    return render_template(
        "events/list_events.html",
        days=list_upcoming_events(now=now),
        now=now,
        availability=availability,
    )


@blueprint.get("/events/<slug>")
def show_event(slug: str) -> str:
    event = get_public_event(slug)
    if event is None:
        abort(404)
    now = utc_now()
    return render_template(
        "events/show_event.html", event=event, availability=availability(event, now=now)
    )
