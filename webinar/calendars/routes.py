"""Public calendar files: one event's .ics, the subscribable feed and its page."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template
from werkzeug.wrappers import Response as BaseResponse

from webinar.calendars.queries import RECENT, list_feed_events
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
from webinar.page_cache import cached_page, valid_until
from webinar.urls import public_url

blueprint = Blueprint("calendars", __name__)


def _calendar_response(data: bytes, *, filename: str, cache_control: str) -> BaseResponse:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = cache_control
    # The ETag, and 304 when unchanged, come from cached_page.
    return response


def _stamp(events: list[Event]) -> datetime:
    """DTSTAMP: when the newest change was made, so an unchanged calendar is unchanged."""
    return max((event.updated_at_utc for event in events), default=utc_now())


@blueprint.get("/events/<slug>/calendar.ics")
@cached_page
def download_event(slug: str) -> BaseResponse:
    event = get_public_event(slug)
    if event is None:
        abort(404)
    # One event to import, not a calendar: no name, METHOD or people (docs/calendar.md#downloads).
    data = build_download(published_entry(event), dtstamp_utc=_stamp([event]))
    # A one-off import that the browser saves as a file: it keeps no copy of its own, like
    # every page (docs/safety.md#cached-pages).
    return _calendar_response(data, filename=f"{event.slug}.ics", cache_control="no-store")


@blueprint.get("/calendar.ics")
@limiter.limit("120 per minute")
@cached_page
def feed() -> BaseResponse:
    now = utc_now()
    events = list(list_feed_events(now=now))
    # An event leaves the feed RECENT after it ends.
    valid_until(min((event.ends_at_utc + RECENT for event in events), default=None))
    entries = [published_entry(event) for event in events]
    data = build_feed(
        entries, calendar_name=current_app.config["SERVICE_NAME"], dtstamp_utc=_stamp(events)
    )
    # Calendar apps poll it: they may keep it but ask each time whether it changed (ETag),
    # so a change or cancellation reaches them at their next poll (docs/calendar.md#the-feed).
    return _calendar_response(data, filename="events.ics", cache_control="no-cache")


@blueprint.get("/calendar")
@cached_page
def subscribe() -> str:
    feed_url = public_url("calendars.feed")
    webcal_url = "webcal://" + feed_url.partition("://")[2]
    return render_template("calendars/subscribe.html", feed_url=feed_url, webcal_url=webcal_url)


# The event page's "Add to your calendar" links (templates/calendars/_add_to_calendar.html).
blueprint.add_app_template_global(published_entry, "published_calendar_entry")
blueprint.add_app_template_global(google_calendar_link)
blueprint.add_app_template_global(outlook_calendar_link)
