"""iCalendar invites (iTIP REQUEST/CANCEL), downloads, the feed and add-to-calendar links.

Why each file has the shape it has: docs/calendar.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import cycle
from typing import Any, Literal
from urllib.parse import quote, urlencode

from icalendar import Alarm, Calendar, Event, vCalAddress, vText
from icalendar.enums import STATUS

# RFC 5545 section 3.7.3: a globally unique identifier of the product that made the file.
# Neutral on purpose: it sits in the calendar data of people who asked for discretion.
PRODUCT_ID = "-//Bookings//Calendar//EN"
#: How often a subscribed calendar should be fetched again (docs/calendar.md#the-feed).
FEED_REFRESH = timedelta(hours=1)
#: Outlook on the web: personal accounts, then work or school (Microsoft 365) accounts.
OUTLOOK_COM = "https://outlook.live.com/calendar/0/action/compose"
OUTLOOK_OFFICE = "https://outlook.office.com/calendar/0/action/compose"
CANCELLED_PREFIX = "Cancelled: "

InviteMethod = Literal["REQUEST", "CANCEL"]


@dataclass(frozen=True)
class CalendarEntry:
    """One event as it appears in a calendar, with instants stored in UTC."""

    #: Stable per booking (or per event for downloads); updates and cancellations reuse it.
    uid: str
    #: RFC 5546 section 2.1.4: raise on every update or cancellation of the same UID.
    sequence: int
    title: str
    #: Plain text; for online events it includes the join link.
    description: str
    starts_at_utc: datetime
    ends_at_utc: datetime
    #: Venue text, or "Online" for online events.
    location: str | None
    #: The https join link (online) or the event page.
    url: str | None
    #: Only invites name an organizer; downloads and the feed have none.
    organizer_email: str | None = None
    organizer_name: str | None = None
    cancelled: bool = False


def build_invite(
    entry: CalendarEntry,
    *,
    method: InviteMethod,
    attendee_email: str,
    attendee_name: str,
    dtstamp_utc: datetime,
    alarm_minutes_before: int = 60,
) -> bytes:
    """Return an iTIP REQUEST or CANCEL calendar addressed to one attendee."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported iTIP method {method!r}")
    if method == "REQUEST" and entry.cancelled:
        # A REQUEST with STATUS:CANCELLED leaves the event in calendars (cal.com bug);
        # RFC 5546 section 3.2.5 says a cancellation is METHOD:CANCEL.
        raise ValueError("A cancelled entry must be sent with method CANCEL")
    if alarm_minutes_before <= 0:
        raise ValueError("alarm_minutes_before must be positive")
    if not entry.organizer_email or not entry.organizer_name:
        raise ValueError("An invite needs an organizer (RFC 5546 section 3.2.2)")
    if method == "CANCEL":
        event = _build_cancellation(entry, dtstamp_utc=dtstamp_utc)
    else:
        event = _build_event(entry, dtstamp_utc=dtstamp_utc, title=entry.title)
        # RFC 5546 section 3.2.5: a CANCEL carries no VALARM, so only REQUEST gets one.
        event.add_component(_build_alarm(title=entry.title, minutes_before=alarm_minutes_before))
    event.organizer = vCalAddress.new(entry.organizer_email, cn=display_name(entry.organizer_name))
    # Only the recipient is listed: naming other attendees would leak who else booked.
    event.attendees = [
        vCalAddress.new(
            attendee_email,
            cn=display_name(attendee_name),
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            # Replies are not read (docs/calendar.md#replies), so none is asked for.
            rsvp=False,
        )
    ]
    return _serialise(_build_calendar(method=method, events=[event]))


def build_download(entry: CalendarEntry, *, dtstamp_utc: datetime) -> bytes:
    """Return one event as a plain iCalendar object to import: no METHOD, no people.

    No calendar name either: Outlook opens a file with X-WR-CALNAME as a new calendar
    (MS-OXCICAL), and one event is not a calendar (docs/calendar.md#downloads).
    """
    return _serialise(_build_calendar(events=[_published_event(entry, dtstamp_utc)]))


def build_feed(
    entries: Sequence[CalendarEntry], *, calendar_name: str, dtstamp_utc: datetime
) -> bytes:
    """Return the subscribable calendar: named, with a refresh hint, no METHOD, no people."""
    calendar = _build_calendar(events=[_published_event(entry, dtstamp_utc) for entry in entries])
    # RFC 7986 NAME plus the X-WR-CALNAME extension that Apple, Google and Outlook read.
    calendar.calendar_name = calendar_name
    # RFC 7986 REFRESH-INTERVAL, and X-PUBLISHED-TTL which Outlook reads instead.
    calendar.add("REFRESH-INTERVAL", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vText("PT1H"))
    return _serialise(calendar)


def google_calendar_link(entry: CalendarEntry) -> str:
    """Return a Google Calendar link that pre-fills this event."""
    starts_at, ends_at = _utc_interval(entry)
    parameters = {
        "action": "TEMPLATE",
        "text": entry.title,
        "dates": f"{starts_at:%Y%m%dT%H%M%SZ}/{ends_at:%Y%m%dT%H%M%SZ}",
        "details": _details(entry),
        "location": entry.location or "",
    }
    return "https://calendar.google.com/calendar/render?" + _query(parameters)


def outlook_calendar_link(entry: CalendarEntry, *, work_or_school: bool = False) -> str:
    """Return an Outlook on the web link that pre-fills this event.

    Personal Microsoft accounts use outlook.live.com; work or school (Microsoft 365)
    accounts only open outlook.office.com.
    """
    starts_at, ends_at = _utc_interval(entry)
    parameters = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.title,
        # "Z" rather than "+00:00": a "+" in a query string can be read as a space.
        "startdt": f"{starts_at:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{ends_at:%Y-%m-%dT%H:%M:%SZ}",
        "body": _details(entry),
        "location": entry.location or "",
    }
    return (OUTLOOK_OFFICE if work_or_school else OUTLOOK_COM) + "?" + _query(parameters)


def display_name(name: str) -> str:
    """Return a CN= value every client shows as written.

    A double quote cannot appear in a parameter value; RFC 6868 writes it as ^' and "^"
    as ^^, which Outlook and Google show literally. Typographic quotes and a look-alike
    circumflex need no escape; line breaks and control characters are dropped.
    """
    name = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", name).split())
    quotes = cycle("“”")
    name = re.sub('"', lambda _: next(quotes), name)
    return name.replace("^", "ˆ")


def _published_event(entry: CalendarEntry, dtstamp_utc: datetime) -> Event:
    """A VEVENT for anyone to import: a cancelled one says so in its title."""
    title = CANCELLED_PREFIX + entry.title if entry.cancelled else entry.title
    return _build_event(entry, dtstamp_utc=dtstamp_utc, title=title)


def _build_event(entry: CalendarEntry, *, dtstamp_utc: datetime, title: str) -> Event:
    """Return the VEVENT shared by REQUEST invites, downloads and the feed."""
    return Event.new(
        **_identity(entry, dtstamp_utc=dtstamp_utc, title=title),
        description=_details(entry),
        location=entry.location,
        url=entry.url,
        status=STATUS.CANCELLED if entry.cancelled else STATUS.CONFIRMED,
    )


def _build_cancellation(entry: CalendarEntry, *, dtstamp_utc: datetime) -> Event:
    """Return a CANCEL's VEVENT: what identifies the entry and that it is cancelled.

    No description, place or link: the joining link must not outlive the booking.
    """
    return Event.new(
        **_identity(entry, dtstamp_utc=dtstamp_utc, title=entry.title),
        status=STATUS.CANCELLED,
    )


def _identity(entry: CalendarEntry, *, dtstamp_utc: datetime, title: str) -> dict[str, Any]:
    """Return the properties every VEVENT we write has."""
    starts_at, ends_at = _utc_interval(entry)
    return {
        "uid": entry.uid,
        # RFC 5546 section 2.1.4: SEQUENCE is written even at 0 so clients order updates.
        "sequence": entry.sequence,
        "stamp": _as_utc(dtstamp_utc, name="dtstamp_utc"),
        # UTC times need no VTIMEZONE; Outlook has shown events an hour late when a
        # VTIMEZONE was missing or written as RDATE lists.
        "start": starts_at,
        "end": ends_at,
        "summary": title,
    }


def _build_alarm(*, title: str, minutes_before: int) -> Alarm:
    """Return a display reminder that fires before the event starts."""
    alarm = Alarm.new(description=f"Reminder: {title}")
    # RFC 5545 section 3.6.6: a DISPLAY alarm needs ACTION, TRIGGER and DESCRIPTION.
    alarm.ACTION = "DISPLAY"
    alarm.TRIGGER = timedelta(minutes=-minutes_before)
    return alarm


def _build_calendar(*, events: Sequence[Event], method: str | None = None) -> Calendar:
    """Return a VCALENDAR, with METHOD (only for iTIP) written before its first component."""
    calendar = Calendar.new(prodid=PRODUCT_ID, method=method, subcomponents=events)
    # Calendar.new adds a random RFC 7986 calendar UID; it would make every copy differ
    # and is not part of iTIP, so drop it.
    calendar.pop("UID", None)
    return calendar


def _serialise(calendar: Calendar) -> bytes:
    """Return the calendar as RFC 5545 bytes: CRLF lines folded at 75 octets."""
    data: bytes = calendar.to_ical()
    return data


def _details(entry: CalendarEntry) -> str:
    """Return the description, adding the URL when the description lacks it."""
    if entry.url and entry.url not in entry.description:
        return f"{entry.description}\n\n{entry.url}".strip()
    return entry.description


def _utc_interval(entry: CalendarEntry) -> tuple[datetime, datetime]:
    """Return the entry's start and end in UTC, refusing an end before the start."""
    starts_at = _as_utc(entry.starts_at_utc, name="starts_at_utc")
    ends_at = _as_utc(entry.ends_at_utc, name="ends_at_utc")
    if ends_at <= starts_at:
        raise ValueError("An event must end after it starts")
    return starts_at, ends_at


def _as_utc(moment: datetime, *, name: str) -> datetime:
    """Return an aware datetime in UTC; naive ones would become floating times."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)


def _query(parameters: dict[str, str]) -> str:
    """Return a percent-encoded query string (spaces as %20, not "+")."""
    return urlencode(parameters, quote_via=quote, safe="/")
