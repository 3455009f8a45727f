"""A new email address is used only once someone opens the link sent to it."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.calendar_checks import assert_invite_is_valid, assert_is_update_of
from tests.factories import Factory, manage_url
from tests.notifications.helpers import bodies, send_now, use_smtp
from tests.pages import check_page, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db


def _confirmation_path(body: str) -> str:
    (path,) = re.findall(r"http://localhost(/booking/confirm-email/[\w.-]+)", body)
    return path


def test_the_address_changes_only_when_the_new_mailbox_confirms_it(
    app: Flask,
    client: FlaskClient,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(title="Staying safe online")
    ash = factory.registration(event, name="Ash", email="old@example.com")
    send_now()
    frozen_time.shift(timedelta(minutes=2))

    page = check_page(
        client.post(f"{manage_url(ash)}/change-email", data={"email": "New@Example.com"})
    )
    send_now()
    assert text_of(page.find("h1")) == "Check your new email address"
    first, confirm = smtp_server.wait_for(2)
    assert confirm["To"].addresses[0].addr_spec == "new@example.com"
    assert confirm["Subject"] == "Confirm your new email address"
    for body in bodies(confirm):
        assert "Ash" not in body and "Staying safe online" not in body
    db.session.expire_all()
    assert ash.email == "old@example.com", "nothing changes before the link is opened"

    path = _confirmation_path(bodies(confirm)[0])
    check_page(client.get(path))  # a mail scanner opening the link changes nothing
    db.session.expire_all()
    assert ash.email == "old@example.com"

    response = client.post(path)
    assert response.location.endswith(manage_url(ash))
    send_now()

    db.session.expire_all()
    assert ash.email == "new@example.com"
    changed = smtp_server.wait_for(3)[2]
    assert changed["To"].addresses[0].addr_spec == "new@example.com"
    assert "- Email address" in bodies(changed)[0]
    sender = app.config["MAIL_DEFAULT_SENDER"]
    original = assert_invite_is_valid(
        first, method="REQUEST", recipient="old@example.com", sender=sender
    )
    moved = assert_invite_is_valid(
        changed, method="REQUEST", recipient="new@example.com", sender=sender
    )
    assert_is_update_of(moved, original)
    assert all(m["To"].addresses[0].addr_spec != "old@example.com" for m in [changed, confirm])


def test_a_confirmation_link_expires_after_24_hours(
    app: Flask,
    client: FlaskClient,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    ash = factory.registration(factory.event(), email="old@example.com")
    client.post(f"{manage_url(ash)}/change-email", data={"email": "new@example.com"})
    send_now()
    path = _confirmation_path(bodies(smtp_server.wait_for(2)[1])[0])

    frozen_time.shift(timedelta(hours=24, minutes=1))
    response = client.post(path)

    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)
    db.session.expire_all()
    assert ash.email == "old@example.com"


def test_a_tampered_link_changes_nothing(client: FlaskClient, factory: Factory) -> None:
    ash = factory.registration(factory.event(), email="old@example.com")
    response = client.post("/booking/confirm-email/eyJ1aWQiOiJ4In0.bad.signature")
    assert response.status_code == 404
    db.session.expire_all()
    assert ash.email == "old@example.com"
