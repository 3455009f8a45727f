"""`flask demo-data`: this year's campaign while it lasts, always with events ahead."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from webinar.demo import campaign_year, load_demo_data, webinar_day
from webinar.extensions import db
from webinar.filters import to_london
from webinar.models import Event, EventFormat


def test_loading_twice_changes_nothing(app: Flask) -> None:
    assert load_demo_data(today=date(2026, 11, 28)) == 5
    assert load_demo_data(today=date(2026, 11, 28)) == 0
    assert db.session.query(Event).count() == 5


def test_the_command_loads_the_campaign(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert "Added 5 demo events." in result.output
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert "Demo events already loaded." in result.output


def test_the_campaign_has_the_webinar_and_a_mix_of_formats(app: Flask) -> None:
    load_demo_data(today=date(2026, 11, 28))

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
    assert webinar_day(date(2026, 12, 20), 2027) == date(2027, 11, 25) or (
        webinar_day(date(2026, 12, 20), 2027).weekday() == 2
    )
    for day in (date(2026, 12, 2), date(2026, 12, 3)):
        found = webinar_day(day, campaign_year(day))
        assert found > day and found.weekday() == 2
