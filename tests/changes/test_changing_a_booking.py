"""A person changes their booking from its manage link, without cancelling it."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.calendar_checks import assert_invite_is_valid, assert_is_update_of, calendars_in
from tests.factories import Factory, manage_url
from tests.notifications.helpers import bodies, send_now, use_smtp
from tests.pages import check_page, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db

NEUTRAL_SENDER = "bookings@example.org"


def _form(**changes: str) -> dict[str, str]:
    return {"name": "Ash", "accessibility_needs": "", **changes}


def test_a_change_is_confirmed_on_screen_and_by_email_and_keeps_the_place(
    app: Flask, client: FlaskClient, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(title="Staying safe online")
    ash = factory.registration(event, name="Ash", email="ash@example.com")
    send_now()

    form = check_page(client.get(f"{manage_url(ash)}/change"))
    assert text_of(form.find("h1")) == "Change your booking"
    response = client.post(
        f"{manage_url(ash)}/change", data=_form(accessibility_needs="Live captions")
    )
    page = check_page(client.get(response.location))
    send_now()

    assert "Your changes have been saved" in text_of(page)
    assert "Live captions" in text_of(page) and "You have a place." in text_of(page)
    changed = smtp_server.wait_for(2)[1]
    assert changed["Subject"] == "Booking changed: Staying safe online"
    assert "- Accessibility needs" in bodies(changed)[0]
    assert "Live captions" not in changed.as_string(), "names what changed, not the value"
    assert calendars_in(changed) == [], "the calendar entry does not show accessibility needs"


def test_turning_discreet_messages_on_updates_the_one_calendar_entry(
    app: Flask,
    client: FlaskClient,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    app.config["DISCREET_SENDER_EMAIL"] = NEUTRAL_SENDER
    event = factory.event(title="Stalking awareness", discreet_title="Online session")
    ash = factory.registration(event, name="Ash", email="ash@example.com")
    send_now()
    frozen_time.shift(timedelta(minutes=5))

    client.post(f"{manage_url(ash)}/change", data=_form(discreet="y"))
    send_now()

    first, changed = smtp_server.wait_for(2)
    original = assert_invite_is_valid(
        first, method="REQUEST", recipient="ash@example.com", sender="events@police.example"
    )
    update = assert_invite_is_valid(
        changed, method="REQUEST", recipient="ash@example.com", sender=NEUTRAL_SENDER
    )
    assert_is_update_of(update, original)
    assert str(update["UID"]) == ash.calendar_uid
    assert str(update["SUMMARY"]) == "Online session"
    assert changed["Subject"] == "Your booking: changed"
    assert "stalking" not in changed.as_string().lower()
    db.session.expire_all()
    assert ash.discreet and ash.calendar_sequence == 1


def test_nothing_changes_for_a_cancelled_booking(client: FlaskClient, factory: Factory) -> None:
    event = factory.event()
    ash = factory.registration(event, name="Ash")
    client.post(f"{manage_url(ash)}/cancel")

    response = client.post(f"{manage_url(ash)}/change", data=_form(name="Someone else"))

    assert response.status_code == 302
    db.session.expire_all()
    assert ash.name == "Ash"


def test_a_name_is_still_required(client: FlaskClient, factory: Factory) -> None:
    ash = factory.registration(factory.event(), name="Ash")
    page = check_page(client.post(f"{manage_url(ash)}/change", data=_form(name="")))
    assert "Enter your name or a nickname" in text_of(page)


def test_organisers_see_the_current_choices(
    client: FlaskClient, factory: Factory, app: Flask
) -> None:
    from tests.organisers.conftest import make_organiser, sign_in
    from tests.pages import parse
    from webinar.models import OrganiserRole

    event = factory.event()
    ash = factory.registration(event, name="Ash")
    client.post(f"{manage_url(ash)}/change", data=_form(discreet="y", no_reminders="y"))

    organiser = make_organiser(OrganiserRole.ORGANISER)
    page = parse(sign_in(client, organiser).get(f"/organisers/events/{event.id}/attendees"))

    (choices,) = page.select("[data-choices]")
    assert text_of(choices) == "Asked for discreet messages, no reminders"


def test_someone_waiting_changes_their_name_and_gets_no_calendar_part(
    app: Flask, client: FlaskClient, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(capacity=1, waiting_list_enabled=True)
    factory.registration(event)
    waiting = factory.registration(event, name="Ash", email="wait@example.com")
    send_now()
    smtp_server.clear()

    client.post(f"{manage_url(waiting)}/change", data=_form(name="A"))
    send_now()

    (changed,) = smtp_server.wait_for(1)
    assert changed["To"].addresses[0].addr_spec == "wait@example.com"
    assert "- Your name or nickname" in bodies(changed)[0]
    assert calendars_in(changed) == [], "people waiting have no calendar entry"
    db.session.expire_all()
    assert waiting.name == "A" and waiting.calendar_sequence == 0
