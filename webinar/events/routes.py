"""Public event pages, served from the page cache (webinar.page_cache)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from webinar.events.queries import (
    availability,
    get_public_event,
    list_upcoming_events,
    next_change_utc,
)
from webinar.models import utc_now
from webinar.page_cache import cached_page, valid_until

blueprint = Blueprint("events", __name__)


@blueprint.get("/")
@cached_page
def list_events() -> str:
    now = utc_now()
    days = list_upcoming_events(now=now)
    valid_until(next_change_utc([event for day in days for event in day.events], now=now))
    return render_template("events/list_events.html", days=days, now=now, availability=availability)


@blueprint.get("/events/<slug>")
@cached_page
def show_event(slug: str) -> str:
    event = get_public_event(slug)
    if event is None:
        abort(404)
    now = utc_now()
    valid_until(next_change_utc([event], now=now))
    return render_template(
        "events/show_event.html", event=event, availability=availability(event, now=now)
    )
