"""Public calendar files: one event's .ics, the subscribable feed and its page."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from webinar.calendars.queries import list_feed_events
from webinar.events.queries import get_public_event
from webinar.extensions import limiter
from webinar.models import Event, utc_now
from webinar.notifications.entries import published_entry
from webinar.notifications.ics import (
    build_download,
    build_feed,
    google_calendar_link,
    outlook_calendar_link,
)
from webinar.urls import public_url

blueprint = Blueprint("calendars", __name__)


def _calendar_response(data: bytes, *, filename: str) -> BaseResponse:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Public and the same for everyone: calendar apps poll it, so let them cache it briefly
    # and ask "has it changed?" (an ETag) rather than download it each time.
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


def _stamp(events: list[Event]) -> datetime:
    """DTSTAMP: when the newest change was made, so an unchanged calendar is unchanged."""
    return max((event.updated_at_utc for event in events), default=utc_now())


@blueprint.get("/events/<slug>/calendar.ics")
def download_event(slug: str) -> BaseResponse:
    event = get_public_event(slug)
    if event is None:
        abort(404)
    # One event to import, not a calendar: no name, METHOD or people (docs/calendar.md#downloads).
    data = build_download(published_entry(event), dtstamp_utc=_stamp([event]))
    return _calendar_response(data, filename=f"{event.slug}.ics")


@blueprint.get("/calendar.ics")
@limiter.limit("120 per minute")
def feed() -> BaseResponse:
    events = list(list_feed_events(now=utc_now()))
    entries = [published_entry(event) for event in events]
    data = build_feed(
        entries, calendar_name=current_app.config["SERVICE_NAME"], dtstamp_utc=_stamp(events)
    )
    return _calendar_response(data, filename="events.ics")


@blueprint.get("/calendar")
def subscribe() -> str:
    feed_url = public_url("calendars.feed")
    webcal_url = "webcal://" + feed_url.partition("://")[2]
    return render_template("calendars/subscribe.html", feed_url=feed_url, webcal_url=webcal_url)


# The event page's "Add to your calendar" links (templates/calendars/_add_to_calendar.html).
blueprint.add_app_template_global(published_entry, "published_calendar_entry")
blueprint.add_app_template_global(google_calendar_link)
blueprint.add_app_template_global(outlook_calendar_link)
