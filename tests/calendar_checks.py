"""Reusable checks that the calendars a client receives are ones it accepts.

Each calendar is read by two independent parsers, `icalendar` and Mozilla's ical.js (the
parser Thunderbird uses, run with node), which must agree, also after writing it again.
The numbers refer to the checks listed in docs/calendar.md#how-we-test.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage, Message
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar, Component, Event

from tests.icaljs import assert_parsers_agree, read_with_icaljs

ZERO = timedelta(0)
SINGLE_VEVENT_PROPERTIES = (
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "ORGANIZER",
    "SEQUENCE",
    "STATUS",
)
STATUS_FOR_METHOD = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}
_LINK = re.compile(r"https://[^\s\"'<>]+")
OUTLOOK_HOSTS = ("outlook.live.com", "outlook.office.com")


def assert_invite_is_valid(
    message: EmailMessage, *, method: str, recipient: str, sender: str
) -> Event:
    """Assert checks 1-7, 11 and 14's status on a received invite; return its VEVENT."""
    part = calendar_part(message)
    assert part.get_param("method") == method, "1: MIME method must equal METHOD"
    assert str(part.get_param("charset")).upper() == "UTF-8", "2: charset=UTF-8"
    assert part["Content-Transfer-Encoding"].lower() in ("base64", "quoted-printable")
    assert part["Content-Disposition"] is None, "the alternative is inline"
    _assert_is_last_alternative(message, part)
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    assert calendar_attachment(message).get_payload(decode=True) == data, "3: same file"

    calendar = parse_calendar(data)
    assert calendar["METHOD"] == method, "5: METHOD"
    event = single_event(calendar)
    for name in SINGLE_VEVENT_PROPERTIES:
        assert _count(event, name) == 1, f"6: exactly one {name}"
    assert _count(event, "DURATION") == 0, "6: DTEND, never DURATION"
    assert event.stamp is not None and event.stamp.utcoffset() == ZERO, "6: DTSTAMP UTC"
    assert_times_are_not_floating(calendar, event)

    sender_address = _address(message, "From")
    assert sender_address == sender.lower()
    organizer = event.organizer
    assert organizer is not None
    assert organizer.lower() == f"mailto:{sender_address}", "6: ORGANIZER is From"
    assert organizer.params.get("CN"), "6: ORGANIZER has a CN"

    assert _address(message, "To") == recipient.lower()
    attendees = event.attendees
    assert len(attendees) == 1, "7: only the recipient is an ATTENDEE"
    assert attendees[0].lower() == f"mailto:{recipient.lower()}", "7: ATTENDEE is To"
    assert attendees[0].params.get("RSVP") == "FALSE", "7: no reply is asked for"
    assert "PARTSTAT" in attendees[0].params

    assert event.status == STATUS_FOR_METHOD[method], "8/14: STATUS"
    if method == "REQUEST":
        assert_has_display_alarm(event)
    else:
        assert_cancellation_says_only_that(event)
    return event


def assert_cancellation_says_only_that(event: Event) -> None:
    """Assert check 14: a CANCEL identifies the entry and says it is cancelled, no more."""
    assert event.status == "CANCELLED"
    for name in ("DESCRIPTION", "LOCATION", "URL"):
        assert name not in event, f"14: {name} in a CANCEL"
    assert not event.walk("VALARM"), "14: an alarm in a CANCEL"


def calendar_part(message: Message) -> Message:
    """Return the one text/calendar part (check 1)."""
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, f"1: expected one text/calendar part, found {len(parts)}"
    return parts[0]


def calendar_attachment(message: Message) -> Message:
    """Return the invite.ics attachment, checking the shape Gmail sends (check 3)."""
    assert message.get_content_type() == "multipart/mixed", "3: multipart/mixed"
    children = message.get_payload()
    assert isinstance(children, list) and len(children) == 2, "3: alternative + attachment"
    alternative, attachment = children
    assert alternative.get_content_type() == "multipart/alternative"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_param("name") == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment["Content-Transfer-Encoding"].lower() == "base64"
    return attachment


def calendars_in(message: Message) -> list[bytes]:
    """Every calendar file a client can open in the message: the alternative and the file."""
    found = []
    for part in message.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            found.append(data)
    return found


def assert_ical_bytes_are_well_formed(data: bytes) -> None:
    """Assert check 4: CRLF only, no blank lines, lines folded at 75 octets."""
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data[: -len(b"\r\n")].split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        assert b"\r" not in line and b"\n" not in line, f"line {number}: bare CR or LF"
        assert line, f"line {number} is empty"
        assert len(line) <= 75, f"line {number} is {len(line)} octets: {line!r}"
    data.decode("utf-8")  # RFC 5545 section 3.1.4: the default charset is UTF-8.


def parse_calendar(data: bytes) -> Calendar:
    """Assert check 5 in both parsers, and their round trip; return icalendar's reading.

    The bytes are well formed (check 4); icalendar finds no errors; VERSION 2.0, a PRODID,
    METHOD at most once and before the first component; ical.js reads the same events,
    and each parser reads what the other writes again the same way.
    """
    assert_ical_bytes_are_well_formed(data)
    calendar = Calendar.from_ical(data)
    for component in calendar.walk():
        # from_ical is tolerant: it records what it could not parse instead of raising.
        assert not component.errors, f"{component.name}: {component.errors}"
    assert calendar["VERSION"] == "2.0"
    assert calendar.get("PRODID")
    unfolded = re.sub(rb"\r\n[ \t]", b"", data).split(b"\r\n")
    method_lines = [i for i, line in enumerate(unfolded) if line.startswith(b"METHOD:")]
    first_component = next(
        (i for i, line in enumerate(unfolded) if i and line.startswith(b"BEGIN:")),
        len(unfolded),
    )
    assert len(method_lines) <= 1 and all(i < first_component for i in method_lines), "5"
    read_by_icaljs, written_by_icalendar = read_with_icaljs(data, calendar.to_ical())
    assert_parsers_agree(calendar, read_by_icaljs)
    assert_parsers_agree(Calendar.from_ical(read_by_icaljs["written_again"]), read_by_icaljs)
    assert_parsers_agree(calendar, written_by_icalendar)
    return calendar


def single_event(calendar: Calendar) -> Event:
    """Return the calendar's only VEVENT."""
    events = calendar.events
    assert len(events) == 1, f"5: expected one VEVENT, found {len(events)}"
    return events[0]


def assert_times_are_not_floating(calendar: Calendar, event: Event) -> None:
    """Assert check 9's first half: aware times, and a VTIMEZONE for every TZID."""
    timezone_ids = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for name in ("DTSTART", "DTEND"):
        assert isinstance(event.decoded(name), datetime), f"{name} is a date-time"
        assert event.decoded(name).tzinfo is not None, f"9: {name} is floating"
        timezone_id = event[name].params.get("TZID")
        assert timezone_id is None or timezone_id in timezone_ids, f"no VTIMEZONE {name}"


def event_times_utc(event: Event) -> tuple[datetime, datetime]:
    """Return DTSTART and DTEND converted to UTC (check 9)."""
    return (
        event.decoded("DTSTART").astimezone(UTC),
        event.decoded("DTEND").astimezone(UTC),
    )


def assert_has_display_alarm(event: Event) -> None:
    """Assert check 11: a DISPLAY VALARM with a DESCRIPTION and a negative TRIGGER."""
    alarms = [part for part in event.subcomponents if part.name == "VALARM"]
    assert alarms, "11: no VALARM"
    for alarm in alarms:
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm.get("DESCRIPTION")
        assert alarm.decoded("TRIGGER") < ZERO, "11: the reminder comes before the start"


def assert_is_update_of(update: Event, original: Event) -> None:
    """Assert checks 13/14: same UID, higher SEQUENCE, later DTSTAMP."""
    assert update.uid == original.uid
    assert update.sequence > original.sequence
    assert update.stamp is not None and original.stamp is not None
    assert update.stamp > original.stamp


def assert_calendar_links_match(body: str, event: Event) -> None:
    """Assert check 12: Google and both Outlook links carry the VEVENT's times."""
    starts_at, ends_at = event_times_utc(event)
    links = [html.unescape(link) for link in _LINK.findall(body)]
    google = [link for link in links if link.startswith("https://calendar.google.com/")]
    assert google, "12: no Google Calendar link"
    for link in google:
        dates = _query_value(link, "dates")
        assert dates == f"{starts_at:%Y%m%dT%H%M%SZ}/{ends_at:%Y%m%dT%H%M%SZ}"
    for host in OUTLOOK_HOSTS:
        outlook = [link for link in links if urlsplit(link).netloc == host]
        assert outlook, f"12: no {host} link"
        for link in outlook:
            assert _parse_instant(_query_value(link, "startdt")) == starts_at
            assert _parse_instant(_query_value(link, "enddt")) == ends_at


def assert_download_is_valid(data: bytes) -> Calendar:
    """Assert one event to import: a plain calendar that is not named (MS-OXCICAL)."""
    calendar = _assert_plain_calendar(data)
    assert len(calendar.events) == 1
    for name in ("NAME", "X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert name not in calendar, f"a single event carries {name}"
    return calendar


def assert_feed_is_valid(data: bytes, *, name: str) -> Calendar:
    """Assert the subscribed calendar: plain, named, refreshed every hour."""
    calendar = _assert_plain_calendar(data)
    assert calendar["NAME"] == name and calendar["X-WR-CALNAME"] == name
    refresh = calendar["REFRESH-INTERVAL"]
    assert refresh.params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    (reading,) = read_with_icaljs(data)
    assert (reading["refresh_interval"], reading["refresh_value_type"]) == ("PT1H", "duration")
    assert reading["published_ttl"] == "PT1H" and reading["calendar_name"] == name
    return calendar


def _assert_plain_calendar(data: bytes) -> Calendar:
    """Assert an RFC 5545 object to import: no METHOD, no ORGANIZER, no ATTENDEE."""
    calendar = parse_calendar(data)
    assert "METHOD" not in calendar, "iTIP PUBLISH needs an ORGANIZER; a file has none"
    for event in calendar.events:
        for name in ("ORGANIZER", "ATTENDEE", "DURATION"):
            assert _count(event, name) == 0, f"{name} in a calendar file"
        assert_times_are_not_floating(calendar, event)
        cancelled = event["STATUS"] == "CANCELLED"
        assert str(event["SUMMARY"]).startswith("Cancelled: ") == cancelled
    return calendar


def _assert_is_last_alternative(message: Message, part: Message) -> None:
    """Assert check 3: the part ends a multipart/alternative with plain text and HTML."""
    parents = [
        candidate
        for candidate in message.walk()
        if candidate.is_multipart() and any(child is part for child in candidate.get_payload())
    ]
    assert len(parents) == 1
    parent = parents[0]
    assert parent.get_content_type() == "multipart/alternative", "3: parent"
    children = parent.get_payload()
    assert isinstance(children, list)
    assert children[-1] is part, "3: the calendar is the last alternative"
    types = [child.get_content_type() for child in children if isinstance(child, Message)]
    assert "text/plain" in types and "text/html" in types, f"3: {types}"


def _count(component: Component, name: str) -> int:
    """Return how many times a property occurs directly on the component."""
    value = component.get(name)
    if value is None:
        return 0
    return len(value) if isinstance(value, list) else 1


def _address(message: EmailMessage, header: str) -> str:
    """Return the single address in a header, lower-cased."""
    addresses = message[header].addresses
    assert len(addresses) == 1, f"{header} must name one address"
    return str(addresses[0].addr_spec).lower()


def _query_value(link: str, name: str) -> str:
    """Return one query parameter of a link."""
    values = parse_qs(urlsplit(link).query).get(name)
    assert values and len(values) == 1, f"{name} missing from {link}"
    return values[0]


def _parse_instant(value: str) -> datetime:
    """Return an ISO 8601 instant (with Z or an offset) as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value} is floating"
    return parsed.astimezone(UTC)
