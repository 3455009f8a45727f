"""The organiser queries that differ most between databases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from tests.factories import Factory
from webinar.models import Event
from webinar.notifications.housekeeping import outbox_counts
from webinar.organisers.dashboard_queries import (
    event_figures,
    registrations_per_day,
)
from webinar.organisers.queries import AttendeeFilter, attendee_counts, list_attendees

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _event_with_people(factory: Factory) -> Event:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    factory.registration(event, name="Ann 50%", email="ann@example.com")
    factory.registration(event, name="Bob_", email="bob@example.com")
    return event


def test_search_counts_and_dashboard(any_app: Flask) -> None:
    factory = Factory()
    event = _event_with_people(factory)
    found = list_attendees(event, search="50%", status=AttendeeFilter.ALL, page=1)
    assert [registration.name for registration in found.registrations] == ["Ann 50%"]
    waiting = list_attendees(event, search="", status=AttendeeFilter.WAITING, page=1)
    assert [registration.name for registration in waiting.registrations] == ["Bob_"]
    counts = attendee_counts(event)
    assert (counts.booked, counts.waiting) == (1, 1)
    figures = event_figures(now=NOW)
    assert [(row.booked, row.waiting, row.fill_rate) for row in figures] == [(1, 1, 100)]
    per_day = registrations_per_day(now=NOW)
    assert per_day[-1] == (NOW.date(), 2)
    outbox = outbox_counts(now=NOW)
    assert outbox.failed == 0
    assert outbox.waiting >= 2  # the confirmation and waiting-list emails
    assert outbox_counts(now=NOW + timedelta(days=30)).scheduled == 0
