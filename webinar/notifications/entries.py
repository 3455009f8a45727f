"""Turning events and bookings into calendar entries: what each person's calendar shows."""

from __future__ import annotations

from webinar.models import Event, EventStatus
from webinar.notifications.ics import CalendarEntry
from webinar.urls import public_url, site_domain


def location_of(event: Event) -> str:
    if event.venue:
        return event.venue
    return "Online" if event.format.is_online else ""


def published_entry(event: Event) -> CalendarEntry:
    """The event as anyone may see it: no joining link and no people (docs/calendar.md)."""
    page = public_url("events.show_event", slug=event.slug)
    cancelled = event.status == EventStatus.CANCELLED
    description = f"{event.summary}\n\nDetails and registration: {page}"
    if cancelled:
        description = f"This event has been cancelled.\n\n{event.summary}\n\nDetails: {page}"
    return CalendarEntry(
        uid=f"event-{event.id}@{site_domain()}",
        sequence=event.calendar_sequence,
        title=event.title,
        description=description,
        starts_at_utc=event.starts_at_utc,
        ends_at_utc=event.ends_at_utc,
        location=location_of(event) or None,
        url=page,
        cancelled=cancelled,
    )


def booking_entry(
    event: Event,
    *,
    calendar_uid: str,
    discreet: bool,
    sequence: int,
    sender: tuple[str, str],
    cancelled: bool = False,
    join_url: str | None = None,
) -> CalendarEntry:
    """One person's calendar entry (UID per booking), discreet when they asked.

    `join_url` is the booking's personal joining link; the meeting's own address never
    goes into a calendar (docs/safety.md#personal-joining-links).
    """
    join_link = join_url if event.format.is_online else None
    if discreet:
        # Calendars are often shared or glanced at: a neutral title, no campaign text,
        # and no link to the event page (its address names the event).
        # The venue too can name the organisation ("Police Headquarters"): the booking
        # page shows it, so the entry only says where to look.
        title = event.discreet_title
        description = f"Joining link: {join_link}" if join_link else "See your booking email."
        location = "See your booking email" if event.venue else location_of(event)
        url = join_link
    else:
        title = event.title
        page = public_url("events.show_event", slug=event.slug)
        description = event.summary + (f"\n\nJoining link: {join_link}" if join_link else "")
        location = location_of(event)
        url = join_link or page
    return CalendarEntry(
        uid=calendar_uid,
        sequence=sequence,
        title=title,
        description=description,
        starts_at_utc=event.starts_at_utc,
        ends_at_utc=event.ends_at_utc,
        location=location or None,
        url=url,
        organizer_email=sender[1],
        organizer_name=sender[0],
        cancelled=cancelled,
    )
