"""Reminders for large events start early, so every one has gone by its time.

docs/architecture.md#reminders-for-large-events: an event's reminders fall due over
capacity / REMINDERS_PER_SECOND seconds before their nominal time, each at a point fixed
by its booking, and at most a quarter of the hours before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask

from tests.factories import Factory
from tests.notifications.helpers import change_event, london, rows, send_now, use_smtp
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import OutboxStatus
from webinar.notifications.kinds import Kind
from webinar.registrations.cancellation import cancel_registration

STARTS = london(2026, 12, 2, 18)
ONE_HOUR_BEFORE = STARTS - timedelta(hours=1)


def one_hour_reminders(factory: Factory, *, capacity: int, people: int = 12) -> list[timedelta]:
    """How long before 1 hour before the start each booking's 1-hour reminder falls due."""
    event = factory.event(
        capacity=capacity, starts_at_utc=STARTS, ends_at_utc=STARTS + timedelta(hours=1)
    )
    for number in range(people):
        factory.registration(event, email=f"person{number}@example.com")
    reminders = [row for row in rows(Kind.REMINDER) if row.payload == {"hours_before": 1}]
    return [ONE_HOUR_BEFORE - row.due_at_utc for row in reminders]


def test_a_small_events_reminders_fall_due_within_a_second_of_their_time(
    app: Flask, factory: Factory
) -> None:
    leads = one_hour_reminders(factory, capacity=50)

    assert all(timedelta(0) <= lead <= timedelta(seconds=0.5) for lead in leads)


def test_a_large_events_reminders_are_spread_over_the_minutes_before_their_time(
    app: Flask, factory: Factory
) -> None:
    leads = one_hour_reminders(factory, capacity=70_000)

    # 70,000 places at 100 a second: up to 700 seconds early, never late.
    assert all(timedelta(0) <= lead <= timedelta(seconds=700) for lead in leads)
    assert len(set(leads)) == len(leads), "each booking at its own moment"
    assert max(leads) - min(leads) > timedelta(minutes=3), "spread, not bunched"


def test_a_one_hour_reminder_never_starts_more_than_15_minutes_early(
    app: Flask, factory: Factory
) -> None:
    leads = one_hour_reminders(factory, capacity=10_000_000)

    assert all(timedelta(0) <= lead <= timedelta(minutes=15) for lead in leads)
    assert max(leads) > timedelta(minutes=5)


def test_with_no_rate_set_every_reminder_falls_due_at_its_time(
    app: Flask, factory: Factory
) -> None:
    app.config["REMINDERS_PER_SECOND"] = 0

    leads = one_hour_reminders(factory, capacity=70_000, people=3)

    assert leads == [timedelta(0)] * 3


def test_a_moved_events_reminders_keep_each_bookings_place_in_the_spread(
    app: Flask, factory: Factory
) -> None:
    leads = one_hour_reminders(factory, capacity=70_000, people=3)
    event = rows(Kind.REMINDER)[0].registration.event  # type: ignore[union-attr]
    later = STARTS + timedelta(days=1)

    change_event(event, starts_at_utc=later, ends_at_utc=later + timedelta(hours=1))

    queued = [
        row
        for row in rows(Kind.REMINDER)
        if row.status == OutboxStatus.DUE and row.payload == {"hours_before": 1}
    ]
    assert [later - timedelta(hours=1) - row.due_at_utc for row in queued] == leads


@pytest.mark.parametrize("cancel", ["booking", "nothing"])
def test_an_early_reminder_is_still_only_sent_to_people_still_booked(
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
    cancel: str,
) -> None:
    use_smtp(app, smtp_server)
    leads = one_hour_reminders(factory, capacity=70_000, people=1)
    send_now()  # the confirmation
    if cancel == "booking":
        registration = rows(Kind.REMINDER)[0].registration
        assert registration is not None
        cancel_registration(registration=registration, now=datetime.now(UTC))
        db.session.commit()
        send_now()  # the cancellation

    frozen_time.move_to(ONE_HOUR_BEFORE - leads[0] - timedelta(seconds=1))
    send_now()  # the 24-hour reminder, if still booked
    frozen_time.move_to(ONE_HOUR_BEFORE - leads[0])
    report = send_now()

    assert report.sent == (1 if cancel == "nothing" else 0)
    reminders = [m for m in smtp_server.messages if m["Subject"].startswith("Reminder")]
    assert len(reminders) == (2 if cancel == "nothing" else 0)
