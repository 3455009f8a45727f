"""Organisers and personal joining links: first use, replacing one link, moving the
meeting without changing anyone's link (docs/safety.md#personal-joining-links)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.calendar_checks import assert_invite_is_valid, assert_is_update_of
from tests.factories import Factory, join_url
from tests.notifications.helpers import bodies, send_now, use_smtp
from tests.organisers.conftest import sign_in
from tests.organisers.test_events import event_form
from tests.pages import check_page, parse, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser

STARTS = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def test_the_attendee_list_shows_when_a_joining_link_was_first_used(
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    joined = factory.registration(event, name="Ash")
    factory.registration(event, name="Bo")
    frozen_time.move_to(STARTS - timedelta(minutes=2))
    assert client.get(join_url(joined)).status_code == 200
    # Requests in a test share the fixture's app context, where Flask-Login keeps the
    # anonymous visitor it found; a real browser's next request starts afresh.
    g.pop("_login_user", None)

    response = sign_in(client, organiser).get(f"/organisers/events/{event.id}/attendees")
    assert response.status_code == 200, response.location
    page = parse(response)

    rows = {text_of(row.find("td")): row for row in page.select("tbody tr")}
    assert "Joining link first used 5:58pm on Wednesday 2 December 2026" in text_of(rows["Ash"])
    assert rows["Bo"].find(attrs={"data-joined": True}) is None


def test_replacing_a_link_ends_the_old_one_and_updates_the_one_calendar_entry(
    app: Flask,
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(starts_at_utc=STARTS)
    ash = factory.registration(event, email="ash@example.com")
    send_now()
    old_link = join_url(ash)
    frozen_time.shift(timedelta(minutes=5))

    response = sign_in(client, organiser).post(
        f"/organisers/events/{event.id}/attendees/{ash.id}/replace-joining-link"
    )
    assert response.status_code == 302
    send_now()

    first, replaced = smtp_server.wait_for(2)
    sender = app.config["MAIL_DEFAULT_SENDER"]
    original = assert_invite_is_valid(first, method="REQUEST", recipient=ash.email, sender=sender)
    update = assert_invite_is_valid(replaced, method="REQUEST", recipient=ash.email, sender=sender)
    assert_is_update_of(update, original)
    db.session.expire_all()
    new_link = join_url(ash)
    assert new_link != old_link
    assert new_link in bodies(replaced)[0] and old_link not in bodies(replaced)[0]
    assert str(update["URL"]) == new_link
    frozen_time.move_to(STARTS)
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "joining_link_replaced" in actions


def test_the_meeting_can_move_without_anyone_s_link_changing_or_an_email(
    app: Flask,
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    smtp_server: SMTPServer,
    frozen_time: time_machine.Coordinates,
) -> None:
    use_smtp(app, smtp_server)
    event = factory.event(starts_at_utc=STARTS, title="Staying safe online")
    ash = factory.registration(event)
    send_now()
    link = join_url(ash)

    form = event_form(title=event.title, joining_link="https://meet.example.org/new-room")
    response = sign_in(client, organiser).post(f"/organisers/events/{event.id}/edit", data=form)
    assert response.status_code == 302
    assert send_now().sent == 0, "nobody needs an email: their link is the same"

    frozen_time.move_to(STARTS)
    db.session.expire_all()
    assert join_url(ash) == link
    page = parse(client.get(link))
    hrefs = [a["href"] for a in page.find_all("a") if "Continue" in text_of(a)]
    assert hrefs == ["https://meet.example.org/new-room"]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "event_changed"


def test_organisers_set_how_early_links_open(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=STARTS, title="Staying safe online")
    form = event_form(title=event.title, join_opens_minutes_before="30")
    sign_in(client, organiser).post(f"/organisers/events/{event.id}/edit", data=form)
    db.session.expire_all()
    assert event.join_opens_minutes_before == 30

    page = check_page(
        client.post(
            f"/organisers/events/{event.id}/edit", data={**form, "join_opens_minutes_before": "999"}
        )
    )
    assert "Minutes before the start must be 240 or fewer" in text_of(page)
