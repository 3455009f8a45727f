"""Specification of webinar.notifications.ics: downloads, the feed, and names in invites."""

from __future__ import annotations

import pytest

from tests.calendar_checks import (
    assert_download_is_valid,
    assert_feed_is_valid,
    parse_calendar,
    single_event,
)
from tests.icaljs import read_with_icaljs
from tests.notifications.test_ics import STAMP, make_entry
from webinar.notifications.ics import build_download, build_feed, build_invite, display_name


def test_a_download_is_one_event_to_import_with_no_method_people_or_calendar_name() -> None:
    data = build_download(make_entry(uid="event-1@events.example.org"), dtstamp_utc=STAMP)

    calendar = assert_download_is_valid(data)
    (event,) = calendar.events
    assert event["UID"] == "event-1@events.example.org"
    for text in (b"METHOD", b"ORGANIZER", b"ATTENDEE", b"X-WR-CALNAME", b"NAME:"):
        assert text not in data


def test_the_feed_is_named_asks_for_hourly_refresh_and_marks_cancellations() -> None:
    entries = [
        make_entry(uid="event-1@events.example.org"),
        make_entry(uid="event-2@events.example.org", cancelled=True),
    ]

    data = build_feed(entries, calendar_name="Campaign events", dtstamp_utc=STAMP)

    calendar = assert_feed_is_valid(data, name="Campaign events")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in data
    assert [event["UID"] for event in calendar.events] == [entry.uid for entry in entries]
    assert [event["STATUS"] for event in calendar.events] == ["CONFIRMED", "CANCELLED"]
    assert [event["SUMMARY"] for event in calendar.events] == [
        entries[0].title,
        f"Cancelled: {entries[1].title}",
    ]
    assert b"ORGANIZER" not in data and b"ATTENDEE" not in data and b"METHOD" not in data


def test_the_feed_may_be_empty() -> None:
    # RFC 5545 asks for at least one component, but a feed with no upcoming events must
    # still load; calendar clients accept an empty VCALENDAR.
    data = build_feed([], calendar_name="Campaign events", dtstamp_utc=STAMP)

    assert assert_feed_is_valid(data, name="Campaign events").events == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Zoë", "Zoë"),
        ("Siobhán O'Brien", "Siobhán O'Brien"),
        ("Smith, Jo; Dr", "Smith, Jo; Dr"),
        ('Ann "Nan" Lee', "Ann “Nan” Lee"),
        ('O"Brien', "O“Brien"),
        ("Kim 🌷 Park", "Kim 🌷 Park"),
        ("Jo^Ann\r\nX", "JoˆAnn X"),
    ],
)
def test_names_are_written_so_every_client_shows_them_as_typed(name: str, shown: str) -> None:
    assert display_name(name) == shown
    data = build_invite(
        make_entry(organizer_name=name),
        method="REQUEST",
        attendee_email="zoe@example.com",
        attendee_name=name,
        dtstamp_utc=STAMP,
    )

    event = single_event(parse_calendar(data))  # icalendar and ical.js read the same CN
    assert event.attendees[0].params["CN"] == shown
    assert event["ORGANIZER"].params["CN"] == shown
    # RFC 6868 escapes, which Outlook and Google show as typed characters.
    assert b"^'" not in data and b"^^" not in data and b"^n" not in data


def test_a_calendar_ical_js_cannot_read_fails_the_checks() -> None:
    with pytest.raises(AssertionError, match=r"ical\.js could not read"):
        read_with_icaljs(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n")
