""" "Do not add this to my calendar" and "Do not send me reminders", from the registration
form or the manage page, respected by every email."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.calendar_checks import assert_invite_is_valid, calendars_in
from tests.factories import VALID_REGISTRATION, Factory, manage_url
from tests.notifications.helpers import bodies, send_now, use_smtp
from tests.notifications.scenes import SCENES, email_of_kind
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import Registration
from webinar.notifications.kinds import Kind


@pytest.mark.parametrize("kind", sorted(SCENES))
def test_no_email_kind_carries_a_calendar_part_for_someone_who_asked_for_none(
    kind: Kind,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = email_of_kind(
        kind,
        discreet=False,
        app=app,
        smtp=smtp_server,
        factory=factory,
        clock=frozen_time,
        no_calendar=True,
    )

    assert calendars_in(message) == []
    assert all(part.get_content_type() != "text/calendar" for part in message.walk())
    for body in bodies(message):
        assert "calendar.google.com" not in body and "outlook." not in body
        assert "BEGIN:VCALENDAR" not in body


def test_the_registration_form_offers_both_choices_and_they_are_kept(
    app: Flask, client: FlaskClient, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event()
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Do not add this to my calendar" in page and "Do not send me reminders" in page

    client.post(
        f"/events/{event.slug}/register",
        data={**VALID_REGISTRATION, "no_calendar": "y", "no_reminders": "y"},
    )
    send_now()

    confirmation = smtp_server.wait_for(1)[0]
    assert confirmation["Subject"].startswith("Booking confirmed")
    assert calendars_in(confirmation) == []
    assert "so this email has no calendar invitation" in bodies(confirmation)[0]
    registration = db.session.query(Registration).one()
    assert registration.no_calendar and registration.no_reminders


def test_no_reminders_are_sent_to_someone_who_asked_for_none(
    app: Flask,
    client: FlaskClient,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event()
    quiet = factory.registration(event, name="Quiet")
    loud = factory.registration(event, name="Loud")
    send_now()
    client.post(f"{manage_url(quiet)}/change", data={"name": "Quiet", "no_reminders": "y"})
    send_now()

    frozen_time.move_to(event.starts_at_utc - timedelta(minutes=30))
    send_now()

    reminded = {
        m["To"].addresses[0].addr_spec
        for m in smtp_server.wait_for(3)
        if m["Subject"].startswith("Reminder")
    }
    assert reminded == {loud.email}


def test_turning_calendar_invitations_off_removes_the_entry_and_on_adds_it_again(
    app: Flask,
    client: FlaskClient,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event()
    ash = factory.registration(event, name="Ash", email="ash@example.com")
    send_now()
    frozen_time.shift(timedelta(minutes=1))
    client.post(f"{manage_url(ash)}/change", data={"name": "Ash", "no_calendar": "y"})
    send_now()
    frozen_time.shift(timedelta(minutes=1))
    client.post(f"{manage_url(ash)}/change", data={"name": "Ash"})
    send_now()

    _, off, on = smtp_server.wait_for(3)
    sender = app.config["MAIL_DEFAULT_SENDER"]
    removed = assert_invite_is_valid(off, method="CANCEL", recipient=ash.email, sender=sender)
    added = assert_invite_is_valid(on, method="REQUEST", recipient=ash.email, sender=sender)
    assert str(removed["UID"]) == str(added["UID"]) == ash.calendar_uid
    assert added["SEQUENCE"] > removed["SEQUENCE"] > 0
