"""iCalendar invites (iTIP REQUEST/CANCEL), published feeds and add-to-calendar links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlencode

from icalendar import Alarm, Calendar, Event, vCalAddress
from icalendar.enums import STATUS

# RFC 5545 section 3.7.3: a globally unique identifier of the product that made the file.
# Neutral on purpose: it sits in the calendar data of people who asked for discretion.
PRODUCT_ID = "-//Bookings//Calendar//EN"

InviteMethod = Literal["REQUEST", "CANCEL"]


@dataclass(frozen=True)
class CalendarEntry:
    """One event as it appears in a calendar, with instants stored in UTC."""

    #: Stable per booking (or per event for PUBLISH); updates and cancellations reuse it.
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
    organizer_email: str
    organizer_name: str
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
    event = _build_event(
        entry,
        dtstamp_utc=dtstamp_utc,
        status=STATUS.CANCELLED if method == "CANCEL" else STATUS.CONFIRMED,
    )
    # Only the recipient is listed: naming other attendees would leak who else booked.
    event.attendees = [
        vCalAddress.new(
            attendee_email,
            cn=attendee_name,
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            # We do not process iTIP REPLY messages, so we do not ask for them.
            rsvp=False,
        )
    ]
    if method == "REQUEST":
        # RFC 5546 section 3.2.5: a CANCEL carries no VALARM, so only REQUEST gets one.
        event.add_component(_build_alarm(title=entry.title, minutes_before=alarm_minutes_before))
    return _serialise(_build_calendar(method=method, events=[event]))


def build_published_calendar(
    entries: Sequence[CalendarEntry], *, calendar_name: str, dtstamp_utc: datetime
) -> bytes:
    """Return a METHOD:PUBLISH calendar for downloads and subscribable feeds."""
    # RFC 5546 section 3.2.1: PUBLISH keeps ORGANIZER and has no ATTENDEE.
    events = [
        _build_event(
            entry,
            dtstamp_utc=dtstamp_utc,
            status=STATUS.CANCELLED if entry.cancelled else STATUS.CONFIRMED,
        )
        for entry in entries
    ]
    calendar = _build_calendar(method="PUBLISH", events=events)
    # RFC 7986 NAME plus the X-WR-CALNAME extension that Apple, Google and Outlook read.
    calendar.calendar_name = calendar_name
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


def outlook_calendar_link(entry: CalendarEntry) -> str:
    """Return an Outlook on the web link that pre-fills this event."""
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
    return "https://outlook.live.com/calendar/0/action/compose?" + _query(parameters)


def _build_event(entry: CalendarEntry, *, dtstamp_utc: datetime, status: STATUS) -> Event:
    """Return the VEVENT shared by invites and published calendars."""
    starts_at, ends_at = _utc_interval(entry)
    return Event.new(
        uid=entry.uid,
        # RFC 5546 section 2.1.4: SEQUENCE is written even at 0 so clients order updates.
        sequence=entry.sequence,
        stamp=_as_utc(dtstamp_utc, name="dtstamp_utc"),
        # UTC times need no VTIMEZONE; Outlook has shown events an hour late when a
        # VTIMEZONE was missing or written as RDATE lists.
        start=starts_at,
        end=ends_at,
        summary=entry.title,
        description=_details(entry),
        location=entry.location,
        url=entry.url,
        organizer=vCalAddress.new(entry.organizer_email, cn=entry.organizer_name),
        status=status,
    )


def _build_alarm(*, title: str, minutes_before: int) -> Alarm:
    """Return a display reminder that fires before the event starts."""
    alarm = Alarm.new(description=f"Reminder: {title}")
    # RFC 5545 section 3.6.6: a DISPLAY alarm needs ACTION, TRIGGER and DESCRIPTION.
    alarm.ACTION = "DISPLAY"
    alarm.TRIGGER = timedelta(minutes=-minutes_before)
    return alarm


def _build_calendar(*, method: str, events: Sequence[Event]) -> Calendar:
    """Return a VCALENDAR with METHOD written before its first component."""
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
