"""Specification of webinar.notifications.mime, checked on what a real SMTP server received."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_mail import Mail

from tests.calendar_checks import (
    assert_ical_bytes_are_well_formed,
    assert_invite_is_valid,
    assert_is_update_of,
    calendar_attachment,
    calendar_part,
    event_times_utc,
)
from tests.smtp_server import SMTPServer
from webinar.notifications.ics import CalendarEntry, build_invite
from webinar.notifications.mime import InviteMessage, build_message

SENDER = "events@example.org"
RECIPIENT = "zoe@example.com"
JOIN_LINK = "https://meet.example.com/j/123"
STAMP = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def mail(smtp_server: SMTPServer) -> Iterator[Mail]:
    """Return Flask-Mail bound to a minimal app that sends to the test SMTP server."""
    app = Flask(__name__)
    app.config.update(TESTING=True, **smtp_server.flask_config())
    mail = Mail(app)
    with app.app_context():
        yield mail


def make_entry(
    *, local_start: datetime = datetime(2026, 12, 2, 18), **changes: object
) -> CalendarEntry:
    """Return an online webinar starting at a Europe/London wall-clock time."""
    starts_at = local_start.replace(tzinfo=LONDON).astimezone(UTC)
    fields: dict[str, object] = {
        "uid": "booking-7f3a@events.example.org",
        "sequence": 0,
        "title": "Café – talk",
        "description": f"Join the webinar: {JOIN_LINK}",
        "starts_at_utc": starts_at,
        "ends_at_utc": starts_at + timedelta(hours=1),
        "location": "Online",
        "url": JOIN_LINK,
        "organizer_email": SENDER,
        "organizer_name": "Campaign Events",
    }
    fields.update(changes)
    return CalendarEntry(**fields)  # type: ignore[arg-type]


def make_message(
    entry: CalendarEntry | None = None,
    *,
    method: str = "REQUEST",
    dtstamp_utc: datetime = STAMP,
    **changes: object,
) -> InviteMessage:
    """Return a confirmation email, with an invite for ``entry`` when given."""
    calendar = None
    if entry is not None:
        calendar = build_invite(
            entry,
            method=method,  # type: ignore[arg-type]
            attendee_email=RECIPIENT,
            attendee_name="Zoë O'Brien",
            dtstamp_utc=dtstamp_utc,
        )
    arguments: dict[str, object] = {
        "sender_name": "Campaign Events",
        "sender_email": SENDER,
        "recipient_email": RECIPIENT,
        "recipient_name": "Zoë O'Brien",
        "subject": "You’re booked: Café – talk",
        "text_body": f"Join: {JOIN_LINK}",
        "html_body": f'<p>Join: <a href="{JOIN_LINK}">{JOIN_LINK}</a></p>',
        "message_id": "<booking-7f3a.confirmation@events.example.org>",
        "calendar": calendar,
        "calendar_method": method if calendar else None,
        "reply_to": "help@example.org",
    }
    arguments.update(changes)
    return build_message(**arguments)  # type: ignore[arg-type]


def send(mail: Mail, smtp_server: SMTPServer, message: InviteMessage) -> EmailMessage:
    """Send through Flask-Mail and return what the SMTP server received."""
    count = len(smtp_server.messages)
    mail.send(message)
    return smtp_server.wait_for(count + 1)[-1]


def test_confirmation_arrives_as_a_valid_request(mail: Mail, smtp_server: SMTPServer) -> None:
    received = send(mail, smtp_server, make_message(make_entry()))

    event = assert_invite_is_valid(received, method="REQUEST", recipient=RECIPIENT, sender=SENDER)
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert smtp_server.received[-1].mail_from == SENDER
    assert smtp_server.received[-1].rcpt_tos == [RECIPIENT]


def test_mime_is_gmails_shape_the_invite_inline_and_attached(
    mail: Mail, smtp_server: SMTPServer
) -> None:
    received = send(mail, smtp_server, make_message(make_entry()))

    assert received.get_content_type() == "multipart/mixed"
    alternative, attachment = received.iter_parts()
    parts = list(alternative.iter_parts())
    assert [part.get_content_type() for part in parts] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar = parts[-1]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_param("charset") == "UTF-8"
    # Importing flask_mail makes utf-8 default to 8bit; the invite must not follow.
    assert calendar["Content-Transfer-Encoding"] == "base64"
    assert calendar.get_content_disposition() is None
    assert all(part["Content-Transfer-Encoding"] != "8bit" for part in parts)
    assert attachment["Content-Type"] == 'application/ics; name="invite.ics"'
    assert attachment["Content-Disposition"] == 'attachment; filename="invite.ics"'
    assert calendar_attachment(received).get_payload(decode=True) == calendar.get_payload(
        decode=True
    )


def test_calendar_bytes_arrive_unchanged(mail: Mail, smtp_server: SMTPServer) -> None:
    message = make_message(make_entry())

    received = send(mail, smtp_server, message)

    data = calendar_part(received).get_payload(decode=True)
    assert isinstance(data, bytes)
    assert data == message.calendar
    assert_ical_bytes_are_well_formed(data)


def test_headers_carry_names_subject_and_the_stable_message_id(
    mail: Mail, smtp_server: SMTPServer
) -> None:
    received = send(mail, smtp_server, make_message(make_entry()))

    assert received["Subject"] == "You’re booked: Café – talk"
    assert received["From"].addresses[0].display_name == "Campaign Events"
    assert received["To"].addresses[0].display_name == "Zoë O'Brien"
    assert received["To"].addresses[0].addr_spec == RECIPIENT
    assert received["Message-ID"] == "<booking-7f3a.confirmation@events.example.org>"
    assert received["Reply-To"] == "help@example.org"
    assert received["Date"].datetime.tzinfo is not None
    assert smtp_server.received[-1].raw.isascii(), "no 8BITMIME needed"


@pytest.mark.parametrize(
    ("local_start", "expected_start_utc"),
    [
        (datetime(2026, 12, 2, 18), datetime(2026, 12, 2, 18, tzinfo=UTC)),
        (datetime(2027, 6, 15, 18), datetime(2027, 6, 15, 17, tzinfo=UTC)),
    ],
    ids=["GMT", "BST"],
)
def test_received_times_equal_the_stored_instants(
    mail: Mail,
    smtp_server: SMTPServer,
    local_start: datetime,
    expected_start_utc: datetime,
) -> None:
    entry = make_entry(local_start=local_start)

    received = send(mail, smtp_server, make_message(entry))

    event = assert_invite_is_valid(received, method="REQUEST", recipient=RECIPIENT, sender=SENDER)
    assert event_times_utc(event) == (
        expected_start_utc,
        expected_start_utc + timedelta(hours=1),
    )
    assert event_times_utc(event) == (entry.starts_at_utc, entry.ends_at_utc)


def test_join_link_is_in_the_description_and_both_bodies(
    mail: Mail, smtp_server: SMTPServer
) -> None:
    received = send(mail, smtp_server, make_message(make_entry()))

    event = assert_invite_is_valid(received, method="REQUEST", recipient=RECIPIENT, sender=SENDER)
    assert str(event["URL"]).startswith("https://")
    assert event["LOCATION"] == "Online"
    assert JOIN_LINK in str(event["DESCRIPTION"])
    for subtype in ("plain", "html"):
        body = received.get_body((subtype,))
        assert body is not None and JOIN_LINK in body.get_content()


def test_update_then_cancellation_reuse_the_uid(mail: Mail, smtp_server: SMTPServer) -> None:
    first = send(mail, smtp_server, make_message(make_entry()))
    moved = make_entry(sequence=1, local_start=datetime(2026, 12, 3, 18))
    update = send(mail, smtp_server, make_message(moved, dtstamp_utc=STAMP + timedelta(hours=1)))
    cancelled = make_entry(sequence=2, cancelled=True)
    cancel = send(
        mail,
        smtp_server,
        make_message(cancelled, method="CANCEL", dtstamp_utc=STAMP + timedelta(hours=2)),
    )

    first_event = assert_invite_is_valid(
        first, method="REQUEST", recipient=RECIPIENT, sender=SENDER
    )
    update_event = assert_invite_is_valid(
        update, method="REQUEST", recipient=RECIPIENT, sender=SENDER
    )
    cancel_event = assert_invite_is_valid(
        cancel, method="CANCEL", recipient=RECIPIENT, sender=SENDER
    )
    assert_is_update_of(update_event, first_event)
    assert_is_update_of(cancel_event, update_event)
    assert cancel_event["STATUS"] == "CANCELLED"
    assert calendar_part(cancel).get_param("method") == "CANCEL"
    assert calendar_attachment(cancel).get_payload(decode=True) == calendar_part(
        cancel
    ).get_payload(decode=True)


def test_message_without_calendar_is_plain_and_html_alternatives(
    mail: Mail, smtp_server: SMTPServer
) -> None:
    received = send(mail, smtp_server, make_message())

    assert received.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in received.iter_parts()] == [
        "text/plain",
        "text/html",
    ]


def test_as_bytes_writes_the_same_email_as_an_eml_file() -> None:
    message = make_message(make_entry())
    message.date = STAMP.timestamp()

    data = message.as_bytes()

    parsed = message_from_bytes(data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert parsed["Date"].datetime == STAMP
    assert_invite_is_valid(parsed, method="REQUEST", recipient=RECIPIENT, sender=SENDER)


@pytest.mark.parametrize(
    "field", ["subject", "sender_name", "recipient_email", "reply_to", "message_id"]
)
def test_line_breaks_in_header_values_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match="line breaks"):
        make_message(**cast(dict[str, Any], {field: "Hello\r\nBcc: victim@example.com"}))


def test_calendar_method_must_match_the_calendar() -> None:
    with pytest.raises(ValueError, match="does not match"):
        make_message(make_entry(), calendar_method="CANCEL")


def test_message_id_must_be_an_rfc_5322_msg_id() -> None:
    with pytest.raises(ValueError, match="message_id"):
        make_message(message_id="not-an-id")


def test_attachments_are_refused_rather_than_dropped() -> None:
    message = make_message(make_entry())
    message.attach("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n")

    with pytest.raises(ValueError, match="attachments"):
        message.as_bytes()


def test_smtp_server_can_refuse_messages_with_a_chosen_code(
    mail: Mail, smtp_server: SMTPServer
) -> None:
    smtp_server.fail_next(451)
    with pytest.raises(smtplib.SMTPDataError) as temporary:
        mail.send(make_message(make_entry()))
    smtp_server.fail_next(550, text="No such user")
    with pytest.raises(smtplib.SMTPDataError) as permanent:
        mail.send(make_message(make_entry()))

    send(mail, smtp_server, make_message(make_entry()))

    assert temporary.value.smtp_code == 451
    assert permanent.value.smtp_code == 550
    assert len(smtp_server.messages) == 1


def test_a_long_subject_arrives_without_a_leading_space() -> None:
    import email
    from email import policy as email_policy

    from webinar.notifications.mime import build_message as build

    subject = "Booking cancelled: Domestic abuse champions at work: a workshop for employers"
    message = build(
        sender_name="Events",
        sender_email="events@example.org",
        recipient_email="a@example.com",
        subject=subject,
        text_body="x" * 300,
        html_body="<p>" + "y" * 300 + "</p>",
        message_id="<long-subject@example.org>",
    )
    raw = message.as_bytes()

    parsed = email.message_from_bytes(raw, policy=email_policy.default)
    assert parsed["Subject"] == subject
    body = raw.split(b"\r\n\r\n", 1)[1]
    assert all(len(line) <= 76 for line in body.split(b"\r\n")), "encoded bodies keep 76"
