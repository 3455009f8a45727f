"""What cancellation and change emails say, so nobody is left guessing."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from tests.factories import Factory
from tests.notifications.helpers import cancel_event, send_now, use_smtp
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.registrations.cancellation import cancel_registration


def text_of(message: object) -> str:
    body = message.get_body(("plain",))  # type: ignore[attr-defined]
    return str(body.get_content())


def test_a_booking_cancelled_by_the_organisers_says_so_and_who_to_ask(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event()
    registration = factory.registration(event, email="sam@example.com")
    send_now()

    cancel_registration(registration=registration, now=datetime.now(UTC), by_organiser=True)
    db.session.commit()
    send_now()

    text = text_of(smtp_server.wait_for(2)[-1])
    assert "The organisers have cancelled your booking." in text
    assert app.config["CONTACT_EMAIL"] in text
    assert "See your booking:" in text and "Manage or cancel" not in text


def test_a_booking_you_cancel_yourself_does_not_blame_the_organisers(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event()
    registration = factory.registration(event, email="sam@example.com")
    send_now()

    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()
    send_now()

    text = text_of(smtp_server.wait_for(2)[-1])
    assert "The organisers have cancelled" not in text
    assert "Your booking has been cancelled." in text


def test_a_cancelled_event_names_itself_and_offers_no_cancelling(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(title="Summer safety talk")
    factory.registration(event, email="sam@example.com")
    factory.registration(event, email="quiet@example.com", discreet=True)
    send_now()

    cancel_event(event)
    db.session.commit()
    send_now()

    texts = {str(m["To"]): text_of(m) for m in smtp_server.wait_for(4)[-2:]}
    named = next(text for to, text in texts.items() if "sam@" in to)
    discreet = next(text for to, text in texts.items() if "quiet@" in to)
    assert "We’re sorry: Summer safety talk has been cancelled." in named
    assert "We’re sorry: the session you booked has been cancelled." in discreet
    assert all("Manage or cancel" not in text for text in texts.values())


def test_a_discreet_online_booking_points_to_the_joining_link_below(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(venue=None, joining_link="https://meet.example.org/j/1234")
    factory.registration(event, email="quiet@example.com", discreet=True)

    send_now()

    text = text_of(smtp_server.wait_for(1)[0])
    assert "Where: online (the joining link is below)" in text
    assert text.index("Where:") < text.index("Joining link: http://localhost/join/")
    assert "meet.example.org" not in text
