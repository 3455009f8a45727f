"""Booking codes: short, easy to read aloud, unique per event, on the booking page and in
the confirmation email, and gone with the rest of the booking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError

from tests.factories import Factory, manage_url
from tests.notifications.helpers import bodies, html_text, send_now, use_smtp
from tests.pages import check_page, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import Registration, utc_now
from webinar.registrations.booking_codes import ALPHABET, read_booking_code
from webinar.registrations.retention import purge_personal_data


def test_every_booking_gets_8_characters_without_0_o_1_or_i(factory: Factory) -> None:
    event = factory.event()
    codes = [factory.registration(event).booking_code for _ in range(20)]
    assert all(code is not None and len(code) == 8 for code in codes)
    assert not set("".join(code or "" for code in codes)) & set("0O1I")
    assert set("".join(code or "" for code in codes)) <= set(ALPHABET)
    assert len(set(codes)) == 20


def test_codes_are_unique_within_an_event_only(app: Flask, factory: Factory) -> None:
    first, second = factory.event(), factory.event()
    one = factory.registration(first)
    other_event = factory.registration(second)
    other_event.booking_code = one.booking_code
    db.session.commit()  # the same code at another event is fine
    same_event = factory.registration(first)
    same_event.booking_code = one.booking_code
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("typed", ["abcd efgh", "ABCD-EFGH", " AbCdEfGh "])
def test_a_code_is_read_whatever_the_case_spaces_or_dash(typed: str) -> None:
    assert read_booking_code(typed) == "ABCDEFGH"


@pytest.mark.parametrize("typed", ["ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGI", ""])
def test_anything_else_is_not_a_code(typed: str) -> None:
    assert read_booking_code(typed) is None


def test_the_booking_page_shows_the_code_and_its_qr_code(
    client: FlaskClient, factory: Factory
) -> None:
    registration = factory.registration(factory.event())
    code = registration.booking_code or ""
    page = check_page(client.get(manage_url(registration)))
    assert text_of(page.select_one("#booking-code")) == f"{code[:4]} {code[4:]}"
    svg = page.select_one("main svg.app-qr-code")
    assert svg is not None and text_of(svg.find("title")) == "QR code of your booking code"
    assert not page.select("main img") and not page.select("main [style]")


def test_no_code_to_show_once_the_booking_is_cancelled(
    client: FlaskClient, factory: Factory
) -> None:
    registration = factory.registration(factory.event())
    url = manage_url(registration)
    client.post(f"{url}/cancel")
    page = check_page(client.get(url))
    assert page.select_one("#booking-code") is None and page.select_one("main svg") is None


def test_the_confirmation_email_gives_the_code_as_text_without_images(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    registration = factory.registration(factory.event())
    code = registration.booking_code or ""
    send_now()
    plain, html = bodies(smtp_server.wait_for(1)[0])
    sentence = (
        f"Your booking code is {code[:4]} {code[4:]}. Show it or read it out when you arrive."
    )
    assert sentence in plain
    assert sentence in html_text(html)
    assert "<img" not in html and "<svg" not in html


def test_the_place_offered_email_gives_the_code_too(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(capacity=1, waiting_list_enabled=True)
    first = factory.registration(event)
    waiting = factory.registration(event)
    client = app.test_client()
    client.post(f"{manage_url(first)}/cancel")
    send_now()
    db.session.refresh(waiting)
    code = waiting.booking_code or ""
    texts = [bodies(message)[0] for message in smtp_server.wait_for(3)]
    offered = [text for text in texts if "A place became free" in text]
    assert len(offered) == 1
    assert f"Your booking code is {code[:4]} {code[4:]}." in offered[0]


def test_the_retention_purge_removes_the_code(factory: Factory) -> None:
    event = factory.event()
    registration = factory.registration(event)
    event.ends_at_utc = utc_now() - timedelta(days=40)
    event.starts_at_utc = event.ends_at_utc - timedelta(hours=1)
    db.session.commit()
    purge_personal_data(now=utc_now(), retention_days=30)
    db.session.commit()
    assert db.session.get(Registration, registration.id).booking_code is None  # type: ignore[union-attr]


@pytest.mark.parametrize("database", ["app", "pg_app"])
def test_a_code_another_booking_has_is_drawn_again(
    request: pytest.FixtureRequest, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A booking draws its code without asking; the unique index refuses a code in use."""
    app: Flask = request.getfixturevalue(database)
    factory = Factory()
    event = factory.event()
    taken = factory.registration(event, email="first@example.com").booking_code
    assert taken is not None
    draws = iter([taken, "ABCD2345"])
    monkeypatch.setattr("webinar.registrations.booking.draw_booking_code", lambda: next(draws))
    db.session.commit()

    response = app.test_client().post(
        f"/events/{event.slug}/register",
        data={"name": "Sam Example", "email": "second@example.com", "consent": "y"},
    )

    assert response.status_code == 302
    db.session.rollback()
    codes = {
        r.email: r.booking_code for r in db.session.query(Registration).filter_by(event_id=event.id)
    }
    assert codes == {"first@example.com": taken, "second@example.com": "ABCD2345"}


@pytest.mark.parametrize("database", ["app", "pg_app"])
def test_a_repeat_whose_address_mentions_booking_codes_is_not_taken_for_a_code_clash(
    request: pytest.FixtureRequest, database: str
) -> None:
    """PostgreSQL's refusal quotes the row's values: the address must not be read as the
    name of the booking-code index."""
    app: Flask = request.getfixturevalue(database)
    event = Factory().event()
    form = {"name": "Sam Example", "email": "booking_code@example.com", "consent": "y"}
    db.session.commit()

    answers = [app.test_client().post(f"/events/{event.slug}/register", data=form) for _ in "12"]

    assert [answer.status_code for answer in answers] == [302, 302]
    db.session.rollback()
    assert db.session.query(Registration).filter_by(event_id=event.id).count() == 1
