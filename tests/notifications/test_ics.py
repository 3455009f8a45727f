"""Specification of webinar.notifications.ics: invites, published calendars and calendar links."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.calendar_checks import (
    assert_calendar_links_match,
    assert_cancellation_says_only_that,
    assert_has_display_alarm,
    assert_ical_bytes_are_well_formed,
    assert_is_update_of,
    event_times_utc,
    parse_calendar,
    single_event,
)
from webinar.notifications.ics import (
    CalendarEntry,
    build_invite,
    google_calendar_link,
    outlook_calendar_link,
)

LONDON = ZoneInfo("Europe/London")
JOIN_LINK = "https://meet.example.com/j/123?pwd=a,b;c"
STAMP = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def make_entry(**changes: object) -> CalendarEntry:
    """Return an online webinar on a GMT date, with the given fields changed."""
    starts_at = datetime(2026, 12, 2, 18, 0, tzinfo=LONDON)
    entry = CalendarEntry(
        uid="booking-7f3a@events.example.org",
        sequence=0,
        title="Café – talk: housing, rents; what next",
        description=f"Join the webinar: {JOIN_LINK}",
        starts_at_utc=starts_at.astimezone(UTC),
        ends_at_utc=(starts_at + timedelta(hours=1, minutes=30)).astimezone(UTC),
        location="Online",
        url=JOIN_LINK,
        organizer_email="events@example.org",
        organizer_name="Campaign Events, UK",
    )
    return dataclasses.replace(entry, **changes)  # type: ignore[arg-type]


def invite(entry: CalendarEntry, method: str = "REQUEST", **options: object) -> bytes:
    """Return an invite for Zoë, the usual recipient."""
    return build_invite(
        entry,
        method=method,  # type: ignore[arg-type]
        attendee_email="zoe@example.com",
        attendee_name="Zoë O'Brien",
        dtstamp_utc=options.pop("dtstamp_utc", STAMP),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


def test_invite_is_a_well_formed_request_with_one_event() -> None:
    data = invite(make_entry())

    assert_ical_bytes_are_well_formed(data)
    calendar = parse_calendar(data)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["PRODID"] == "-//Bookings//Calendar//EN"
    event = single_event(calendar)
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["UID"] == "booking-7f3a@events.example.org"
    assert "DURATION" not in event
    assert event.decoded("DTSTAMP") == STAMP


def test_invite_names_the_organizer_and_only_the_recipient() -> None:
    event = single_event(parse_calendar(invite(make_entry())))

    assert event["ORGANIZER"] == "mailto:events@example.org"
    assert event["ORGANIZER"].params["CN"] == "Campaign Events, UK"
    [attendee] = event.attendees
    assert attendee == "mailto:zoe@example.com"
    assert attendee.params["CN"] == "Zoë O'Brien"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["RSVP"] == "FALSE"


@pytest.mark.parametrize(
    ("local_start", "expected_start_utc"),
    [
        # GMT: London is UTC+0 in December.
        (datetime(2026, 12, 2, 18, 0), datetime(2026, 12, 2, 18, 0, tzinfo=UTC)),
        # BST: London is UTC+1 in June, so 18:00 there is 17:00Z.
        (datetime(2027, 6, 15, 18, 0), datetime(2027, 6, 15, 17, 0, tzinfo=UTC)),
    ],
)
def test_invite_times_are_utc_and_equal_the_stored_instants(
    local_start: datetime, expected_start_utc: datetime
) -> None:
    starts_at = local_start.replace(tzinfo=LONDON).astimezone(UTC)
    entry = make_entry(starts_at_utc=starts_at, ends_at_utc=starts_at + timedelta(hours=1))

    data = invite(entry)

    calendar = parse_calendar(data)
    event = single_event(calendar)
    assert event_times_utc(event) == (
        expected_start_utc,
        expected_start_utc + timedelta(hours=1),
    )
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert b"TZID" not in data and not list(calendar.walk("VTIMEZONE"))


def test_invite_for_a_webinar_has_url_location_and_join_link_in_description() -> None:
    event = single_event(parse_calendar(invite(make_entry())))

    assert event["URL"] == JOIN_LINK
    assert str(event["URL"]).startswith("https://")
    assert event["LOCATION"] == "Online"
    assert JOIN_LINK in str(event["DESCRIPTION"])


def test_description_gains_the_url_when_it_lacks_it() -> None:
    entry = make_entry(description="Bring questions.", url="https://example.org/events/9")

    event = single_event(parse_calendar(invite(entry)))

    assert event["DESCRIPTION"] == "Bring questions.\n\nhttps://example.org/events/9"


def test_venue_event_without_url_omits_url() -> None:
    entry = make_entry(location="Town Hall, 1 High Street; Leeds", url=None)

    event = single_event(parse_calendar(invite(entry)))

    assert "URL" not in event
    assert event["LOCATION"] == "Town Hall, 1 High Street; Leeds"


def test_commas_semicolons_and_non_ascii_text_survive_a_round_trip() -> None:
    data = invite(make_entry())

    assert "SUMMARY:Café – talk: housing\\, rents\\; what next".encode() in data
    event = single_event(parse_calendar(data))
    assert event["SUMMARY"] == "Café – talk: housing, rents; what next"


def test_long_non_ascii_lines_are_folded_at_75_octets() -> None:
    data = invite(make_entry(title="Café – " + "é" * 200, description="ü " * 300))

    assert_ical_bytes_are_well_formed(data)
    assert single_event(parse_calendar(data))["SUMMARY"] == "Café – " + "é" * 200


def test_invite_reminds_an_hour_before_by_default() -> None:
    event = single_event(parse_calendar(invite(make_entry())))

    assert_has_display_alarm(event)
    [alarm] = event.subcomponents
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-60)


def test_reminder_time_can_be_chosen() -> None:
    event = single_event(parse_calendar(invite(make_entry(), alarm_minutes_before=15)))

    assert event.subcomponents[0].decoded("TRIGGER") == timedelta(minutes=-15)


def test_update_keeps_uid_and_raises_sequence_and_dtstamp() -> None:
    original = single_event(parse_calendar(invite(make_entry())))
    moved = make_entry(
        sequence=1,
        starts_at_utc=datetime(2026, 12, 3, 18, tzinfo=UTC),
        ends_at_utc=datetime(2026, 12, 3, 19, tzinfo=UTC),
    )

    update = parse_calendar(invite(moved, dtstamp_utc=STAMP + timedelta(days=1)))

    assert update["METHOD"] == "REQUEST"
    assert_is_update_of(single_event(update), original)


def test_cancellation_is_method_cancel_with_status_cancelled_and_no_alarm() -> None:
    original = single_event(parse_calendar(invite(make_entry())))
    cancelled = make_entry(sequence=1, cancelled=True)

    calendar = parse_calendar(invite(cancelled, "CANCEL", dtstamp_utc=STAMP + timedelta(1)))

    assert calendar["METHOD"] == "CANCEL"
    event = single_event(calendar)
    assert event["STATUS"] == "CANCELLED"
    assert_is_update_of(event, original)
    # RFC 5546 section 3.2.5: a CANCEL carries no VALARM.
    assert not event.subcomponents
    assert len(event.attendees) == 1
    # Only what identifies the entry: the joining link must not outlive the booking.
    assert_cancellation_says_only_that(event)
    assert JOIN_LINK.encode() not in invite(cancelled, "CANCEL")


def test_a_cancelled_entry_cannot_be_sent_as_a_request() -> None:
    with pytest.raises(ValueError, match="CANCEL"):
        invite(make_entry(cancelled=True), "REQUEST")


def test_unknown_methods_and_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        invite(make_entry(), "PUBLISH")
    with pytest.raises(ValueError, match="timezone-aware"):
        invite(make_entry(starts_at_utc=datetime(2026, 12, 2, 18)))
    with pytest.raises(ValueError, match="end after"):
        invite(make_entry(ends_at_utc=make_entry().starts_at_utc))


def test_invites_are_byte_for_byte_reproducible() -> None:
    assert invite(make_entry()) == invite(make_entry())


@pytest.mark.parametrize("local_start", [datetime(2026, 12, 2, 18), datetime(2027, 6, 15, 18)])
def test_google_and_outlook_links_carry_the_invite_times(local_start: datetime) -> None:
    starts_at = local_start.replace(tzinfo=LONDON).astimezone(UTC)
    entry = make_entry(starts_at_utc=starts_at, ends_at_utc=starts_at + timedelta(hours=2))
    event = single_event(parse_calendar(invite(entry)))
    body = "\n".join(
        [
            google_calendar_link(entry),
            outlook_calendar_link(entry),
            outlook_calendar_link(entry, work_or_school=True),
        ]
    )

    assert_calendar_links_match(body, event)


def test_google_link_prefills_title_details_and_location() -> None:
    link = google_calendar_link(make_entry())

    assert link.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    assert "text=Caf%C3%A9%20%E2%80%93%20talk%3A%20housing%2C%20rents%3B%20what%20next" in link
    assert "dates=20261202T180000Z/20261202T193000Z" in link
    assert "location=Online" in link
    assert "details=Join%20the%20webinar%3A%20https%3A//meet.example.com" in link


def test_outlook_link_prefills_subject_body_and_utc_times() -> None:
    link = outlook_calendar_link(make_entry())

    assert link.startswith("https://outlook.live.com/calendar/0/action/compose?")
    assert "path=/calendar/action/compose&rru=addevent" in link
    assert "startdt=2026-12-02T18%3A00%3A00Z&enddt=2026-12-02T19%3A30%3A00Z" in link
    assert "subject=Caf%C3%A9" in link and "body=Join%20the%20webinar" in link


def test_work_or_school_accounts_get_the_outlook_office_link() -> None:
    personal = outlook_calendar_link(make_entry())
    work = outlook_calendar_link(make_entry(), work_or_school=True)

    assert work.startswith("https://outlook.office.com/calendar/0/action/compose?")
    assert work.partition("?")[2] == personal.partition("?")[2]
