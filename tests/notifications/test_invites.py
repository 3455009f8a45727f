"""Confirmation, update and cancellation invites, checked against docs/calendar.md on what a
real SMTP server received."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from tests.calendar_checks import (
    assert_invite_is_valid,
    assert_is_update_of,
    calendar_attachment,
    calendar_part,
    event_times_utc,
    parse_calendar,
    single_event,
)
from tests.factories import Factory, join_url
from tests.notifications.helpers import (
    SENDER,
    bodies,
    cancel_event,
    change_event,
    london,
    rows,
    send_now,
    use_smtp,
)
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import EventFormat, OutboxStatus, Registration
from webinar.notifications.kinds import Kind
from webinar.registrations.cancellation import cancel_registration
from webinar.security import manage_token_for

JOIN_LINK = "https://meet.example.org/room"


@pytest.fixture
def smtp(app: Flask, smtp_server: SMTPServer) -> SMTPServer:
    use_smtp(app, smtp_server)
    return smtp_server


@pytest.mark.parametrize(
    "starts_at_utc",
    [london(2026, 12, 2, 18), london(2027, 6, 15, 18)],
    ids=["GMT-December", "BST-June"],
)
def test_confirmation_is_an_invite_mail_clients_accept(
    smtp: SMTPServer, factory: Factory, starts_at_utc: datetime
) -> None:
    event = factory.event(
        starts_at_utc=starts_at_utc, ends_at_utc=starts_at_utc + timedelta(hours=1)
    )
    registration = factory.registration(event, email="Zoe@Example.com", name="Zoë")

    report = send_now()

    assert report.sent == 1
    received = smtp.wait_for(1)[0]
    invite = assert_invite_is_valid(
        received, method="REQUEST", recipient="zoe@example.com", sender=SENDER
    )
    assert invite["SEQUENCE"] == 0 and invite["STATUS"] == "CONFIRMED"
    assert str(invite["UID"]) == registration.calendar_uid
    assert event_times_utc(invite) == (event.starts_at_utc, event.ends_at_utc)
    assert starts_at_utc.hour == (18 if starts_at_utc.month == 12 else 17)
    personal = join_url(registration)
    assert str(invite["URL"]) == personal and invite["LOCATION"] == "Online"
    assert personal in str(invite["DESCRIPTION"])
    assert JOIN_LINK not in received.as_string(), "the meeting's own address is never sent"
    token = manage_token_for(registration.calendar_uid)
    attached = single_event(parse_calendar(calendar_attachment(received).get_payload(decode=True)))
    assert event_times_utc(attached) == (event.starts_at_utc, event.ends_at_utc)
    for body in bodies(received):
        assert personal in body
        # The invite makes the entry; a link would make a second one (docs/calendar.md).
        assert "calendar.google.com" not in body and "outlook." not in body
        assert "The invitation attached to this email adds this booking to your calendar" in body
        assert "does not change your booking: nobody reads the answers" in body
        assert f"http://localhost/booking/{token}" in body
        assert f"http://localhost/booking/{token}/delete" in body
        for number in ("999", "101", "0808 802 0300", "0808 2000 247"):
            assert number in body
        assert "<img" not in body.lower()
    assert received["Subject"] == f"Booking confirmed: {event.title}"
    assert received["Message-ID"] == rows(Kind.BOOKING_CONFIRMED)[0].message_id


def test_a_resent_confirmation_keeps_its_uid_and_message_id(
    smtp: SMTPServer, factory: Factory
) -> None:
    factory.registration(factory.event())
    send_now()
    row = rows(Kind.BOOKING_CONFIRMED)[0]
    row.status = OutboxStatus.DUE  # as if the first delivery was not recorded
    db.session.commit()

    send_now()

    first, again = smtp.wait_for(2)
    assert first["Message-ID"] == again["Message-ID"]
    assert calendar_part(first).get_payload(decode=True) == calendar_part(again).get_payload(
        decode=True
    )


def test_update_then_cancellation_change_the_same_calendar_entry(
    app: Flask, smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event()
    registration = factory.registration(event, email="sam@example.com")
    send_now()
    frozen_time.shift(timedelta(hours=1))
    new_start = london(2026, 12, 3, 19)
    assert change_event(event, starts_at_utc=new_start, ends_at_utc=new_start + timedelta(hours=2))
    send_now()
    frozen_time.shift(timedelta(hours=1))
    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()
    send_now()

    first, update, cancel = smtp.wait_for(3)
    original = assert_invite_is_valid(
        first, method="REQUEST", recipient="sam@example.com", sender=SENDER
    )
    updated = assert_invite_is_valid(
        update, method="REQUEST", recipient="sam@example.com", sender=SENDER
    )
    cancelled = assert_invite_is_valid(
        cancel, method="CANCEL", recipient="sam@example.com", sender=SENDER
    )
    assert_is_update_of(updated, original)
    assert event_times_utc(updated) == (new_start, new_start + timedelta(hours=2))
    for body in bodies(update):
        # The invitation updates the entry; a link would add a second one.
        assert "calendar.google.com" not in body and "outlook." not in body
        assert "updates the entry in your calendar" in body
        assert "that entry has not changed. Change it by hand." in body
    for body in bodies(cancel):
        assert "removes the entry from your calendar" in body
        assert "that entry is still there. Delete it by hand." in body
    assert_is_update_of(cancelled, updated)
    # Clients apply an update or a cancellation only from the entry's own organizer.
    assert original["ORGANIZER"] == updated["ORGANIZER"] == cancelled["ORGANIZER"]
    assert JOIN_LINK not in calendar_part(cancel).get_payload(decode=True).decode()
    assert cancelled["STATUS"] == "CANCELLED"
    assert calendar_part(cancel).get_param("method") == "CANCEL"
    assert update["Subject"].startswith("Event changed:")
    assert cancel["Subject"].startswith("Booking cancelled:")


def test_event_cancellation_cancels_each_booking_and_tells_the_waiting_list(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    factory.registration(event, email="booked@example.com")
    factory.registration(event, email="waiting@example.com")
    send_now()
    frozen_time.shift(timedelta(minutes=5))

    assert cancel_event(event) == 2
    send_now()

    messages = smtp.wait_for(4)
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in messages[2:]}
    booked = by_recipient["booked@example.com"]
    assert_invite_is_valid(booked, method="CANCEL", recipient="booked@example.com", sender=SENDER)
    waiting = by_recipient["waiting@example.com"]
    assert all(part.get_content_type() != "text/calendar" for part in waiting.walk())
    assert "/join/" not in bodies(booked)[0], "no joining link for a cancelled event"
    for body in (*bodies(booked), *bodies(waiting)):
        # Either may have added the event from the event page before booking.
        assert "that entry is still there. Delete it by hand." in body
    assert Kind.REMINDER not in {row.kind for row in rows() if row.status == OutboxStatus.DUE}


def test_waiting_list_emails_carry_no_invite_until_a_place_is_offered(
    smtp: SMTPServer, factory: Factory
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    first = factory.registration(event, email="first@example.com")
    factory.registration(event, email="second@example.com")
    send_now()
    waiting = smtp.wait_for(2)[1]
    assert waiting["Subject"].startswith("You’re on the waiting list")
    assert all(part.get_content_type() != "text/calendar" for part in waiting.walk())
    assert "/join/" not in waiting.as_string() and JOIN_LINK not in waiting.as_string()

    cancel_registration(registration=first, now=datetime.now(UTC))
    db.session.commit()
    send_now()

    offered = [
        m for m in smtp.wait_for(4) if m["To"].addresses[0].addr_spec == "second@example.com"
    ]
    assert_invite_is_valid(
        offered[-1], method="REQUEST", recipient="second@example.com", sender=SENDER
    )
    second = db.session.scalars(
        select(Registration).where(Registration.email == "second@example.com")
    ).one()
    assert join_url(second) in bodies(offered[-1])[0]


def test_in_person_confirmation_has_the_venue_and_no_joining_link(
    smtp: SMTPServer, factory: Factory
) -> None:
    event = factory.event(
        format=EventFormat.IN_PERSON, venue="Town Hall, Bedford", joining_link=None
    )
    factory.registration(event, email="pat@example.com")

    send_now()

    invite = assert_invite_is_valid(
        smtp.wait_for(1)[0], method="REQUEST", recipient="pat@example.com", sender=SENDER
    )
    assert invite["LOCATION"] == "Town Hall, Bedford"
    assert str(invite["URL"]).startswith("http://localhost/events/")
