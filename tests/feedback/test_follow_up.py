"""The follow-up after an event reaches attended and absent people with the right text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory, join_url
from tests.notifications.helpers import bodies, send_now, use_smtp
from tests.organisers.conftest import sign_in
from tests.pages import parse, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser
from webinar.registrations.cancellation import cancel_registration

STARTS = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
FORM = {
    "attended_text": "Thank you for coming.",
    "absent_text": "Sorry we missed you.",
    "recording_url": "https://video.example.org/recording",
    "resources_url": "",
    "hours_after_end": "1",
}


def test_attended_and_absent_people_get_their_own_text_an_hour_after_the_end(
    app: Flask,
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(title="Staying safe online", starts_at_utc=STARTS)
    checked_in = factory.registration(event, email="came@example.com")
    joined = factory.registration(event, email="joined@example.com")
    factory.registration(event, email="absent@example.com")
    quiet = factory.registration(event, email="quiet@example.com", discreet=True)
    left = factory.registration(event, email="left@example.com")
    cancel_registration(registration=left, now=datetime.now(UTC))
    db.session.commit()
    send_now()
    smtp_server.clear()

    signed_in = sign_in(client, organiser)
    preview = parse(signed_in.post(f"/organisers/events/{event.id}/follow-up", data=FORM))
    assert text_of(preview.find("h1")) == "Check the follow-up"
    previews = [text_of(p) for p in preview.select("[data-preview]")]
    assert "Thank you for coming." in previews[0] and "Sorry we missed you." in previews[1]
    response = signed_in.post(
        f"/organisers/events/{event.id}/follow-up", data={**FORM, "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert db.session.query(AuditEntry).filter_by(action="follow_up_scheduled").one()

    # During the event: one checked in at the door, one used their joining link.
    frozen_time.move_to(STARTS + timedelta(minutes=5))
    checked_in.attended_at_utc = datetime.now(UTC)
    db.session.commit()
    client.get(join_url(joined))
    frozen_time.move_to(event.ends_at_utc + timedelta(minutes=59))
    assert send_now().sent == 0, "not before an hour after the end"
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))
    send_now()

    received = {m["To"].addresses[0].addr_spec: m for m in smtp_server.wait_for(4)}
    assert set(received) == {
        "came@example.com",
        "joined@example.com",
        "absent@example.com",
        "quiet@example.com",
    }
    for address in ("came@example.com", "joined@example.com"):
        assert "Thank you for coming." in bodies(received[address])[0]
        assert "Sorry we missed you." not in bodies(received[address])[0]
    for address in ("absent@example.com", "quiet@example.com"):
        assert "Sorry we missed you." in bodies(received[address])[0]
    for message in received.values():
        plain = bodies(message)[0]
        assert "https://video.example.org/recording" in plain
        assert re.search(r"http://localhost/feedback/\d+-[\w-]+", plain)
        assert "0808 802 0300" in plain, "help is signposted"
        assert "/join/" not in plain, "the event is over"
    assert received["came@example.com"]["Subject"] == "Thank you for booking: Staying safe online"
    assert received["quiet@example.com"]["Subject"] == "Your booking: a follow-up"
    assert quiet.discreet


def test_someone_given_a_place_after_scheduling_gets_it_and_the_waiting_list_does_not(
    app: Flask,
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(starts_at_utc=STARTS, capacity=1, waiting_list_enabled=True)
    first = factory.registration(event, email="first@example.com")
    factory.registration(event, email="second@example.com")
    factory.registration(event, email="third@example.com")
    send_now()
    smtp_server.clear()
    response = sign_in(client, organiser).post(
        f"/organisers/events/{event.id}/follow-up", data={**FORM, "confirmed": "yes"}
    )
    assert response.status_code == 302

    cancel_registration(registration=first, now=datetime.now(UTC))  # second gets the place
    db.session.commit()
    send_now()
    smtp_server.clear()
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))
    send_now()

    follow_ups = [m for m in smtp_server.wait_for(1) if "Sorry we missed you." in bodies(m)[0]]
    assert [m["To"].addresses[0].addr_spec for m in follow_ups] == ["second@example.com"]
