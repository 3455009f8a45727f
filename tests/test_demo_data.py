"""`flask demo-data`: this year's campaign while it lasts, always with events ahead."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from tests.pages import check_page, text_of
from webinar.demo import campaign_year, load_demo_data, webinar_day
from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import Event, EventFormat, OutboxMessage, RegistrationStatus


def test_loading_twice_changes_nothing(app: Flask) -> None:
    assert load_demo_data(today=date(2026, 11, 28)) == 6
    assert load_demo_data(today=date(2026, 11, 28)) == 0
    assert db.session.query(Event).count() == 6


def test_the_command_loads_the_campaign(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert "Added 6 demo events." in result.output
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert "Demo events already loaded." in result.output


def test_the_campaign_has_the_webinar_and_a_mix_of_formats(app: Flask) -> None:
    load_demo_data(today=date(2026, 11, 28))
    db.session.commit()

    events = db.session.scalars(select(Event)).all()

    webinar = next(e for e in events if "webinar" in e.slug)
    assert "Stalking Prevention & Intervention Unit" in webinar.hosted_by
    assert webinar.accepts_questions and webinar.format == EventFormat.ONLINE
    assert {e.format for e in events} >= {
        EventFormat.ONLINE,
        EventFormat.IN_PERSON,
        EventFormat.DROP_IN,
    }
    small = [e for e in events if e.capacity <= 20]
    assert small and all(e.waiting_list_enabled for e in small)
    days = {to_london(e.starts_at_utc).date() for e in events}
    assert len(days) == len(events)
    assert all(date(2026, 11, 25) <= day <= date(2026, 12, 10) for day in days)


def test_this_years_campaign_while_a_week_of_it_is_left() -> None:
    assert campaign_year(date(2026, 11, 1)) == 2026
    assert campaign_year(date(2026, 12, 3)) == 2026
    assert campaign_year(date(2026, 12, 4)) == 2027
    assert campaign_year(date(2026, 12, 25)) == 2027


def test_the_webinar_is_always_on_a_wednesday_still_ahead() -> None:
    assert webinar_day(date(2026, 11, 28), 2026) == date(2026, 12, 2)
    assert webinar_day(date(2026, 11, 1), 2026) == date(2026, 11, 25)
    assert webinar_day(date(2026, 12, 3), 2026) == date(2026, 12, 9)
    # Next year's campaign starts on Thursday 25 November 2027: the first Wednesday is 1 December.
    assert webinar_day(date(2026, 12, 20), 2027) == date(2027, 12, 1)
    for day in (date(2026, 12, 2), date(2026, 12, 3)):
        found = webinar_day(day, campaign_year(day))
        assert found > day and found.weekday() == 2


def test_a_newcomer_sees_a_drop_in_ahead_and_a_full_event_with_a_waiting_list(
    app: Flask,
) -> None:
    load_demo_data(today=date(2026, 11, 28))
    db.session.commit()

    page = check_page(app.test_client().get("/"))

    items = {
        text_of(item.find("h3")): text_of(item) for item in page.select(".app-event-list__item")
    }
    assert any("Drop-in" in text for text in items.values())
    full = [title for title, text in items.items() if "Full – waiting list open" in text]
    assert full == ["Domestic abuse champions at work: a workshop for employers"]
    workshop = db.session.scalars(select(Event).filter_by(capacity=12)).one()
    statuses = [r.status for r in workshop.registrations]
    assert statuses.count(RegistrationStatus.BOOKED) == workshop.places_taken == 12
    assert statuses.count(RegistrationStatus.WAITING) == 2
    assert all(r.email.endswith("@example.invalid") for r in workshop.registrations)
    assert db.session.query(OutboxMessage).count() == 0
