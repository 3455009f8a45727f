"""Personal data is removed 30 days after an event ends; the counts survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event, OutboxMessage, Question, Registration, RegistrationStatus
from webinar.registrations.queries import find_registration_by_token
from webinar.registrations.retention import purge_personal_data
from webinar.security import manage_token_for

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def booked_event(factory: Factory, *, ended_days_ago: int) -> Event:
    ends = NOW - timedelta(days=ended_days_ago)
    event = factory.event(
        starts_at_utc=ends - timedelta(hours=1), ends_at_utc=ends, accepts_questions=True
    )
    return event


def test_bookings_of_long_finished_events_lose_their_personal_data(
    app: Flask, factory: Factory
) -> None:
    old = booked_event(factory, ended_days_ago=31)
    recent = booked_event(factory, ended_days_ago=29)
    for event in (old, recent):
        # Registered while the event was still ahead.
        factory.registration(
            event,
            email=f"someone-{event.id}@example.com",
            accessibility_needs="Captions",
            question="A question",
            now=event.starts_at_utc - timedelta(days=7),
        )
    old_booking = db.session.scalars(select(Registration).filter_by(event_id=old.id)).one()
    token = manage_token_for(old_booking.calendar_uid)

    result = purge_personal_data(now=NOW, retention_days=30)
    db.session.commit()

    assert (result.events, result.registrations, result.questions) == (1, 1, 1)
    db.session.refresh(old_booking)
    assert old_booking.name == ""
    assert old_booking.email.endswith("@deleted.invalid")
    assert old_booking.accessibility_needs is None
    assert old_booking.status == RegistrationStatus.BOOKED
    assert find_registration_by_token(token) is None
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).filter_by(event_id=old.id)
        )
        == 0
    )
    kept = db.session.scalars(select(Registration).filter_by(event_id=recent.id)).one()
    assert kept.email == f"someone-{recent.id}@example.com"
    assert db.session.query(Question).filter_by(event_id=recent.id).count() == 1


def test_purging_twice_changes_nothing_more(app: Flask, factory: Factory) -> None:
    old = booked_event(factory, ended_days_ago=40)
    factory.registration(old, now=old.starts_at_utc - timedelta(days=1))
    purge_personal_data(now=NOW, retention_days=30)
    db.session.commit()

    again = purge_personal_data(now=NOW, retention_days=30)
    db.session.commit()

    assert again.registrations == 0


def test_the_command_uses_the_configured_retention(app: Flask, factory: Factory) -> None:
    old = booked_event(factory, ended_days_ago=10)
    factory.registration(old, now=old.starts_at_utc - timedelta(days=1))
    app.config["PERSONAL_DATA_RETENTION_DAYS"] = 7

    output = app.test_cli_runner().invoke(args=["purge-personal-data"]).output

    assert "Removed personal data from 1 bookings" in output
