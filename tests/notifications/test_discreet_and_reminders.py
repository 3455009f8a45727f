"""Discreet messages reveal nothing of the campaign; reminders go on time, or not at all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import unquote

import pytest
import time_machine
from flask import Flask

from tests.calendar_checks import (
    assert_invite_is_valid,
    calendar_attachment,
    calendar_part,
    calendars_in,
    single_event,
)
from tests.calendar_checks import parse_calendar as parse
from tests.factories import Factory
from tests.notifications.helpers import (
    CAMPAIGN_WORDS,
    bodies,
    cancel_event,
    change_event,
    first_lines,
    html_text,
    london,
    preview_lines,
    send_now,
    statuses,
    use_smtp,
)
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import Event, EventFormat, OutboxStatus
from webinar.notifications import emails
from webinar.notifications.kinds import Kind
from webinar.registrations.cancellation import cancel_registration

NEUTRAL_SENDER = "bookings@example.org"
STARTS = london(2026, 12, 2, 18)


@pytest.fixture
def smtp(app: Flask, smtp_server: SMTPServer) -> SMTPServer:
    use_smtp(app, smtp_server)
    app.config["DISCREET_SENDER_EMAIL"] = NEUTRAL_SENDER
    return smtp_server


def campaign_event(factory: Factory) -> Event:
    return factory.event(
        title="16 Days of Action: stalking awareness with Bedfordshire Police",
        summary="Recognising stalking and domestic abuse.",
        starts_at_utc=STARTS,
        ends_at_utc=STARTS + timedelta(hours=1),
        discreet_title="Online session",
    )


def assert_reveals_nothing(message: EmailMessage, event: Event) -> None:
    """Scan everything a person (or someone reading over their shoulder) could see."""
    from_header = message["From"]
    assert from_header.addresses[0].display_name == "Bookings"
    assert from_header.addresses[0].addr_spec == NEUTRAL_SENDER
    assert message["Subject"].startswith("Your booking")
    visible = [message["Subject"], str(from_header), *bodies(message)]
    for data in calendars_in(message):  # the inline invite and invite.ics
        visible.append(data.decode())
        if "METHOD:REQUEST" in visible[-1]:
            assert single_event(parse(data))["SUMMARY"] == "Online session"
    for text in visible:
        lowered = text.lower()
        for word in (*CAMPAIGN_WORDS, event.title.lower()):
            assert word not in lowered, f"{word!r} in {text[:200]!r}"


def test_every_discreet_email_reveals_nothing_of_the_campaign(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = campaign_event(factory)
    registration = factory.registration(event, email="kim@example.com", discreet=True)
    send_now()
    frozen_time.shift(timedelta(hours=1))
    change_event(event, venue=None)
    send_now()
    frozen_time.move_to(STARTS - timedelta(hours=24))
    send_now()
    frozen_time.shift(timedelta(hours=1))
    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()
    send_now()

    messages = smtp.wait_for(4)
    assert [m["Subject"] for m in messages] == [
        "Your booking",
        "Your booking: update",
        "Your booking: reminder",
        "Your booking: cancelled",
    ]
    for message in messages:
        assert_reveals_nothing(message, event)
    assert_invite_is_valid(
        messages[0], method="REQUEST", recipient="kim@example.com", sender=NEUTRAL_SENDER
    )
    assert_invite_is_valid(
        messages[3], method="CANCEL", recipient="kim@example.com", sender=NEUTRAL_SENDER
    )
    reminder = bodies(messages[2])[0]
    assert "http://localhost/join/" in reminder, "the reminder has the personal joining link"
    assert "meet.example.org" not in reminder


VENUE = "Police Headquarters, Woburn Road, Kempston"


def test_a_discreet_invite_says_where_to_find_the_venue_instead_of_naming_it(
    smtp: SMTPServer, factory: Factory
) -> None:
    event = campaign_event(factory)
    event.format = EventFormat.HYBRID
    event.venue = VENUE
    factory.registration(event, email="kim@example.com", discreet=True)

    send_now()

    message = smtp.wait_for(1)[0]
    plain, html = bodies(message)
    preview = preview_lines(message)
    assert any(line.startswith("Where: see your booking page") for line in preview)
    assert not [line for line in preview if "woburn" in line.lower() or "meet." in line]
    vevent = single_event(parse(calendar_part(message).get_payload(decode=True)))
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        assert "woburn" not in str(vevent.get(name, "")).lower(), name
    assert "meet.example.org" not in str(vevent["SUMMARY"])
    assert vevent["ORGANIZER"].params["CN"] == "Bookings"
    attached = single_event(parse(calendar_attachment(message).get_payload(decode=True)))
    assert attached["SUMMARY"] == "Online session"
    assert attached["LOCATION"] == "See your booking email"
    assert calendar_attachment(message).get_filename() == "invite.ics"
    links = re.findall(r"https://[^\s\"<>]+", plain + html)
    assert all("woburn" not in unquote(link).lower() for link in links)
    assert not [link for link in links if "calendar" in link], "no add-to-calendar links"
    # They still get their joining link, below the first lines.
    assert "http://localhost/join/" in plain and "http://localhost/join/" in html
    assert "meet.example.org" not in plain + html
    manage = [line for line in plain.splitlines() if "/booking/" in line]
    assert manage, "the manage link, whose page shows the venue"


def test_a_discreet_organiser_message_starts_well_below_a_neutral_preamble(
    smtp: SMTPServer, factory: Factory
) -> None:
    event = campaign_event(factory)
    registration = factory.registration(event, email="kim@example.com", discreet=True)
    send_now()
    smtp.clear()
    emails.message_from_organiser_to_attendees(
        [registration],
        event=event,
        subject="16 Days: stalking awareness",
        body="Stalking and domestic abuse: the police panel starts at 6pm.\n\nBring questions.",
    )
    db.session.commit()

    send_now()

    message = smtp.wait_for(1)[0]
    plain, html = bodies(message)
    assert message["Subject"] == "Your booking: a message"
    for lines in (first_lines(plain, 8), first_lines(html_text(html), 8)):
        assert lines[1] == "You have a message about your booking."
        assert not [line for line in lines if "stalking" in line.lower()], lines
    assert "Stalking and domestic abuse: the police panel starts at 6pm." in plain
    assert "Bring questions." in html


def test_the_same_event_is_named_for_people_who_did_not_ask_for_discretion(
    smtp: SMTPServer, factory: Factory
) -> None:
    event = campaign_event(factory)
    factory.registration(event, email="lee@example.com")

    send_now()

    message = smtp.wait_for(1)[0]
    assert event.title in message["Subject"]
    summary = single_event(parse(calendar_part(message).get_payload(decode=True)))["SUMMARY"]
    assert summary == event.title


def test_reminders_are_sent_24_hours_and_1_hour_before(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    factory.registration(event, email="ash@example.com")
    send_now()

    frozen_time.move_to(STARTS - timedelta(hours=24, minutes=1))
    assert send_now().sent == 0
    frozen_time.move_to(STARTS - timedelta(hours=24))
    assert send_now().sent == 1
    frozen_time.move_to(STARTS - timedelta(hours=1))
    assert send_now().sent == 1

    reminders = smtp.wait_for(3)[1:]
    for reminder in reminders:
        assert reminder["Subject"].startswith(f"Reminder: {event.title}")
        assert "http://localhost/join/" in bodies(reminder)[0]
        assert "meet.example.org" not in bodies(reminder)[0]
        assert all(part.get_content_type() != "text/calendar" for part in reminder.walk())
    assert statuses(Kind.REMINDER) == [OutboxStatus.SENT, OutboxStatus.SENT]


def test_reminders_are_dropped_when_the_booking_is_cancelled(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    registration = factory.registration(event)
    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()

    frozen_time.move_to(STARTS - timedelta(minutes=30))
    send_now()

    assert statuses(Kind.REMINDER) == [OutboxStatus.DROPPED, OutboxStatus.DROPPED]
    assert all("Reminder" not in m["Subject"] for m in smtp.messages)


def test_reminders_are_dropped_when_the_event_is_cancelled(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    factory.registration(event)
    cancel_event(event)
    db.session.commit()

    frozen_time.move_to(STARTS - timedelta(minutes=30))
    send_now()

    assert statuses(Kind.REMINDER) == [OutboxStatus.DROPPED, OutboxStatus.DROPPED]


def test_a_moved_event_moves_its_reminders(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    factory.registration(event)
    later_start = STARTS + timedelta(days=2)
    change_event(event, starts_at_utc=later_start, ends_at_utc=later_start + timedelta(hours=1))

    frozen_time.move_to(STARTS - timedelta(hours=1))
    send_now()
    assert not any("Reminder" in m["Subject"] for m in smtp.messages)
    frozen_time.move_to(later_start - timedelta(hours=1))
    send_now()

    assert sum("Reminder" in m["Subject"] for m in smtp.messages) == 2


def test_a_reminder_is_not_sent_after_the_event_started(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    factory.registration(event)
    send_now()

    frozen_time.move_to(STARTS + timedelta(minutes=10))  # the sender was down until now
    send_now()

    assert statuses(Kind.REMINDER) == [OutboxStatus.DROPPED, OutboxStatus.DROPPED]
