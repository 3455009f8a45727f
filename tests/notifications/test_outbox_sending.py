"""The sender: retries, permanent failures, stale claims, .eml files and purging."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory
from tests.notifications.helpers import rows, send_now, use_smtp
from tests.smtp_server import SMTPServer, _free_port
from webinar.extensions import db
from webinar.models import OutboxStatus
from webinar.notifications import emails
from webinar.notifications.housekeeping import outbox_counts, purge_old_messages
from webinar.notifications.kinds import Kind
from webinar.notifications.sender import retry_delay


@pytest.fixture
def smtp(app: Flask, smtp_server: SMTPServer) -> SMTPServer:
    use_smtp(app, smtp_server)
    return smtp_server


def test_a_4xx_reply_is_retried_later_and_delivered_once(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    factory.registration(factory.event())
    smtp.fail_next(451)

    report = send_now()

    assert report.retrying == 1 and smtp.messages == []
    row = rows(Kind.BOOKING_CONFIRMED)[0]
    assert row.status == OutboxStatus.DUE and row.attempts == 1
    assert "451" in (row.last_error or "")
    assert timedelta(seconds=15) <= row.due_at_utc - row.created_at_utc <= timedelta(seconds=30)
    assert send_now().sent == 0, "not before the backoff"
    frozen_time.shift(timedelta(seconds=31))
    assert send_now().sent == 1
    assert send_now().sent == 0
    assert len(smtp.wait_for(1)) == 1
    assert rows(Kind.BOOKING_CONFIRMED)[0].status == OutboxStatus.SENT


def test_a_5xx_reply_fails_the_message_with_the_reason(smtp: SMTPServer, factory: Factory) -> None:
    factory.registration(factory.event())
    smtp.fail_next(550, text="No such mailbox")

    report = send_now()

    assert report.failed == 1
    row = rows(Kind.BOOKING_CONFIRMED)[0]
    assert row.status == OutboxStatus.FAILED
    assert "550" in (row.last_error or "") and "No such mailbox" in (row.last_error or "")
    assert outbox_counts().failed == 1


def test_registering_while_the_mail_server_is_down_still_works_and_sends_later(
    app: Flask,
    client: FlaskClient,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event()
    app.config.update(smtp_server.flask_config(), MAIL_PORT=_free_port())  # nothing listens
    response = client.post(
        f"/events/{event.slug}/register",
        data={"name": "Jo", "email": "jo@example.com", "consent": "y"},
    )
    assert response.headers["Location"] == f"/events/{event.slug}/check-your-email"

    assert send_now().retrying == 1
    counts = outbox_counts()
    assert (counts.due, counts.retrying, counts.sending, counts.failed) == (0, 1, 0, 0)
    use_smtp(app, smtp_server)  # the server is back
    frozen_time.shift(timedelta(minutes=5))

    assert send_now().sent == 1
    assert smtp_server.wait_for(1)[0]["To"].addresses[0].addr_spec == "jo@example.com"


def test_backoff_grows_and_is_capped(app: Flask) -> None:
    delays = [retry_delay(attempts).total_seconds() for attempts in range(1, 12)]
    assert 15 <= delays[0] <= 30
    assert 60 <= delays[2] <= 120
    assert all(1800 <= delay <= 3600 for delay in delays[8:])


def test_a_row_left_sending_by_a_killed_sender_is_sent_after_the_timeout(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    factory.registration(factory.event())
    row = rows(Kind.BOOKING_CONFIRMED)[0]
    row.status = OutboxStatus.SENDING
    row.claimed_at_utc = row.created_at_utc
    db.session.commit()

    assert send_now().sent == 0
    frozen_time.shift(timedelta(minutes=11))
    assert send_now().sent == 1
    assert smtp.wait_for(1)[0]["Message-ID"] == row.message_id


def test_without_a_mail_server_emails_are_written_as_eml_files(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    factory.registration(factory.event(), email="dev@example.com")

    assert send_now().sent == 1

    files = list(Path(app.config["OUTBOX_EML_DIR"]).glob("*.eml"))
    assert len(files) == 1
    assert b"METHOD:REQUEST" not in files[0].read_bytes()  # base64, like the real thing
    assert b'text/calendar; method="REQUEST"' in files[0].read_bytes()
    page = client.get("/dev/emails")
    assert page.status_code == 200
    assert "Booking confirmed" in page.get_data(as_text=True)
    download = client.get(f"/dev/emails/{files[0].name}")
    assert download.data == files[0].read_bytes()
    assert download.mimetype == "message/rfc822"
    download.close()
    assert client.get("/dev/emails/..%2Fwebinar.sqlite").status_code == 404


def test_sent_and_dropped_emails_are_purged_after_the_retention(
    app: Flask, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event()
    registration = factory.registration(event)
    send_now()
    emails.drop_reminders([registration.id])
    db.session.commit()

    frozen_time.shift(timedelta(days=6))
    assert purge_old_messages() == 0
    frozen_time.shift(timedelta(days=2))
    assert purge_old_messages() == 1  # the confirmation; reminders were due later

    assert [row.kind for row in rows()] == [Kind.REMINDER, Kind.REMINDER]
    assert list(Path(app.config["OUTBOX_EML_DIR"]).glob("*.eml")) == []


@pytest.mark.parametrize(
    ("mail_server", "discreet_sender", "warned"),
    [
        ("smtp.example.org", "", True),
        ("smtp.example.org", "bookings@example.org", False),
        ("", "", False),
    ],
)
def test_outbox_status_warns_when_discreet_emails_would_come_from_the_main_address(
    app: Flask, mail_server: str, discreet_sender: str, warned: bool
) -> None:
    app.config.update(MAIL_SERVER=mail_server, DISCREET_SENDER_EMAIL=discreet_sender)

    result = app.test_cli_runner().invoke(args=["outbox", "status"])

    assert result.exit_code == 0
    assert "due: 0" in result.output
    warning = [line for line in result.output.splitlines() if "DISCREET_SENDER_EMAIL" in line]
    assert bool(warning) == warned
    if warned:
        assert "events@police.example" in warning[0]
