"""Every email with a calendar part, as received: the MIME shape Gmail sends, one entry per
booking, and a calendar both icalendar and ical.js read the same (docs/calendar.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
import time_machine
from flask import Flask

from tests.calendar_checks import (
    assert_invite_is_valid,
    assert_is_update_of,
    calendar_attachment,
    calendars_in,
    event_times_utc,
    parse_calendar,
    single_event,
)
from tests.factories import Factory, join_url
from tests.notifications.helpers import bodies, cancel_event, change_event, rows, send_now
from tests.notifications.scenes import (
    JOIN_LINK,
    KIM,
    KIM_NAME,
    NEUTRAL_SENDER,
    SCENES,
    STARTS,
    email_of_kind,
)
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.notifications.kinds import KINDS, CalendarPart, Kind
from webinar.registrations.cancellation import cancel_registration

#: What each email with an entry carries (docs/calendar.md#invites-by-email).
METHOD = {
    Kind.BOOKING_CONFIRMED: "REQUEST",
    Kind.PLACE_OFFERED: "REQUEST",
    Kind.REQUEST_APPROVED: "REQUEST",
    Kind.EVENT_CHANGED: "REQUEST",
    Kind.EVENT_CANCELLED: "CANCEL",
    Kind.BOOKING_CANCELLED: "CANCEL",
    Kind.DETAILS_DELETED: "CANCEL",
    Kind.JOINING_LINK_REPLACED: "REQUEST",
}
#: The CN every client shows as written: typographic quotes instead of RFC 6868's ^'.
KIM_CN = "Zoë “Kim” O'Neil, Jr; 🌷"


def test_the_kinds_with_a_calendar_part_are_the_ones_checked_here() -> None:
    # AS_QUEUED kinds depend on the change: tests/changes checks each case.
    fixed = {CalendarPart.NONE, CalendarPart.AS_QUEUED}
    assert {k for k, rule in KINDS.items() if rule.calendar not in fixed} == set(METHOD)


@pytest.mark.parametrize("discreet", [False, True], ids=["named", "discreet"])
@pytest.mark.parametrize("kind", list(METHOD))
def test_every_invite_email_has_the_calendar_inline_and_attached(
    kind: Kind,
    discreet: bool,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = email_of_kind(
        kind, discreet=discreet, app=app, smtp=smtp_server, factory=factory, clock=frozen_time
    )

    sender = NEUTRAL_SENDER if discreet else app.config["MAIL_DEFAULT_SENDER"]
    method = METHOD[kind]
    vevent = assert_invite_is_valid(message, method=method, recipient=KIM, sender=sender)
    (row,) = [row for row in rows(kind) if row.recipient == KIM]
    uid = row.registration.calendar_uid if row.registration else row.payload["calendar_uid"]
    assert (str(vevent["UID"]), vevent["SEQUENCE"]) == (uid, row.calendar_sequence)
    assert event_times_utc(vevent) == (STARTS, STARTS + timedelta(hours=1))
    assert vevent.attendees[0].params["CN"] == KIM_CN
    assert b"^'" not in calendar_attachment(message).get_payload(decode=True)
    if method == "REQUEST":
        personal = join_url(row.registration)
        assert personal in str(vevent["DESCRIPTION"]) and str(vevent["URL"]) == personal
        assert JOIN_LINK not in calendar_attachment(message).get_payload(decode=True).decode()
    for body in bodies(message):
        assert "attached to this email" in body
        if KINDS[kind].own_entries:
            assert "with a link or a calendar file from our website" in body
            assert "by hand" in body


@pytest.mark.parametrize(
    "kind", [kind for kind in SCENES if kind not in METHOD], ids=lambda kind: str(kind)
)
def test_emails_without_an_entry_carry_no_calendar_and_do_not_mention_one(
    kind: Kind,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = email_of_kind(
        kind, discreet=False, app=app, smtp=smtp_server, factory=factory, clock=frozen_time
    )

    assert message.get_content_type() == "multipart/alternative"
    assert calendars_in(message) == []
    for body in bodies(message):
        assert "attached" not in body and "calendar.google.com" not in body


def test_one_entry_per_booking_from_confirmation_to_cancellation(
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    app.config.update(smtp_server.flask_config())
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    kim = factory.registration(event, email=KIM, name=KIM_NAME)
    factory.registration(event, email="sam@example.com")
    for hours in (1, 2):
        send_now()
        frozen_time.shift(timedelta(hours=1))
        change_event(event, ends_at_utc=STARTS + timedelta(hours=1 + hours))
    send_now()
    frozen_time.move_to(STARTS - timedelta(hours=24))
    send_now()  # the reminder
    frozen_time.shift(timedelta(hours=1))
    cancel_event(event)
    send_now()

    received = [m for m in smtp_server.wait_for(10) if m["To"].addresses[0].addr_spec == KIM]
    subjects = [m["Subject"].split(":")[0] for m in received]
    assert subjects == ["Booking confirmed", *["Event changed"] * 2, "Reminder", "Event cancelled"]
    assert calendars_in(received[3]) == [], "a reminder does not send the entry again"
    with_entry = [received[0], received[1], received[2], received[4]]
    methods = ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    sender = app.config["MAIL_DEFAULT_SENDER"]
    entries = [
        assert_invite_is_valid(message, method=method, recipient=KIM, sender=sender)
        for message, method in zip(with_entry, methods, strict=True)
    ]
    for earlier, later in pairwise(entries):
        assert_is_update_of(later, earlier)
    assert [entry["SEQUENCE"] for entry in entries] == [0, 1, 2, 3]
    assert {str(entry["UID"]) for entry in entries} == {kim.calendar_uid}
    sams = [m for m in smtp_server.wait_for(10) if m["To"].addresses[0].addr_spec != KIM]
    sam_uid = single_event(parse_calendar(calendars_in(sams[0])[0]))["UID"]
    assert sam_uid != kim.calendar_uid, "each booking has its own entry"


def test_a_cancelled_booking_keeps_its_entry_uid_after_the_event_changes(
    app: Flask, smtp_server: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    app.config.update(smtp_server.flask_config())
    event = factory.event(starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1))
    kim = factory.registration(event, email=KIM)
    send_now()
    frozen_time.shift(timedelta(hours=1))
    cancel_registration(registration=kim, now=datetime.now(UTC))
    db.session.commit()
    send_now()

    confirmation, cancellation = smtp_server.wait_for(2)
    sender = app.config["MAIL_DEFAULT_SENDER"]
    first = assert_invite_is_valid(confirmation, method="REQUEST", recipient=KIM, sender=sender)
    last = assert_invite_is_valid(cancellation, method="CANCEL", recipient=KIM, sender=sender)
    assert_is_update_of(last, first)
    assert "/join/" not in b"".join(calendars_in(cancellation)).decode()
    assert JOIN_LINK not in b"".join(calendars_in(cancellation)).decode()
