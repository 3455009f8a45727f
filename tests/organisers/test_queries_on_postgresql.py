"""The organiser queries that differ most between databases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, text
from sqlalchemy.event import listen, remove

from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event, Registration, RegistrationStatus
from webinar.notifications.housekeeping import outbox_counts
from webinar.organisers.attendee_cursors import read_cursor
from webinar.organisers.attendee_pages import list_attendees
from webinar.organisers.dashboard_queries import (
    event_figures,
    registrations_per_day,
)
from webinar.organisers.queries import AttendeeFilter, attendee_counts

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


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "registered", "expected"),
    [
        pytest.param(
            # The clocks go back at 2am BST on Sunday 25 October 2026: a 25-hour day.
            _utc(2026, 11, 1, 12, 0),
            [
                _utc(2026, 10, 18, 22, 59),  # 11:59pm BST on the 18th: before the chart
                _utc(2026, 10, 18, 23, 30),  # 12:30am BST on the 19th
                _utc(2026, 10, 24, 22, 30),  # 11:30pm BST on the 24th
                _utc(2026, 10, 24, 23, 30),  # 12:30am BST on the 25th
                _utc(2026, 10, 25, 23, 30),  # 11:30pm GMT on the 25th
                _utc(2026, 10, 26, 0, 0),  # midnight GMT: the 26th
                _utc(2026, 11, 1, 11, 0),
            ],
            {date(2026, 10, 19): 1, date(2026, 10, 24): 1, date(2026, 10, 25): 2}
            | {date(2026, 10, 26): 1, date(2026, 11, 1): 1},
            id="autumn",
        ),
        pytest.param(
            # The clocks go forward at 1am GMT on Sunday 29 March 2026: a 23-hour day.
            _utc(2026, 4, 5, 12, 0),
            [
                _utc(2026, 3, 28, 23, 30),  # 11:30pm GMT on the 28th
                _utc(2026, 3, 29, 22, 59),  # 11:59pm BST on the 29th
                _utc(2026, 3, 29, 23, 30),  # 12:30am BST on the 30th
                _utc(2026, 4, 5, 22, 59),  # 11:59pm BST today: after now, still today
            ],
            {date(2026, 3, 28): 1, date(2026, 3, 29): 1, date(2026, 3, 30): 1}
            | {date(2026, 4, 5): 1},
            id="spring",
        ),
    ],
)
def test_registrations_per_day_follow_uk_days_across_the_clock_change(
    any_app: Flask, now: datetime, registered: list[datetime], expected: dict[date, int]
) -> None:
    factory = Factory()
    event = factory.event(capacity=20)
    for instant in registered:
        factory.registration(event, now=instant)

    per_day = registrations_per_day(now=now)

    assert len(per_day) == 14
    assert per_day[-1][0] == now.date()
    assert {day: count for day, count in per_day if count} == expected


def test_a_middle_page_reached_by_next_is_a_seek_along_the_index_not_an_offset(
    pg_app: Flask,
) -> None:
    """What PostgreSQL plans for Next from the middle of 5,000 bookings: start in the
    list's index at the row the link names and read one page (no OFFSET, no sort)."""
    event = Factory().event(capacity=5000)
    db.session.execute(
        insert(Registration),
        [
            {
                "event_id": event.id,
                "calendar_uid": f"uid-{number}",
                "name": f"Person {number}",
                "email": f"person{number}@example.com",
                "status": RegistrationStatus.BOOKED,
                "manage_token_hash": f"{number:064}",
                "status_changed_at_utc": NOW + timedelta(seconds=number // 3),  # ties
            }
            for number in range(5000)
        ],
    )
    db.session.commit()
    db.session.execute(text("ANALYZE registration"))
    middle = list_attendees(event, search="", status=AttendeeFilter.ALL, page=50)
    assert middle.next is not None

    statements: list[tuple[str, Any]] = []

    def record(_: Any, __: Any, statement: str, parameters: Any, *___: Any) -> None:
        statements.append((statement, parameters))

    listen(db.engine, "before_cursor_execute", record)
    try:
        following = list_attendees(
            event, search="", status=AttendeeFilter.ALL, page=51, after=read_cursor(middle.next)
        )
    finally:
        remove(db.engine, "before_cursor_execute", record)
    by_number = list_attendees(event, search="", status=AttendeeFilter.ALL, page=51)
    assert following.registrations == by_number.registrations

    assert not any("OFFSET" in statement.upper() for statement, _ in statements)
    key = "(registration.status_changed_at_utc, registration.id) >"
    [(statement, parameters)] = [(s, p) for s, p in statements if key in s]
    explained = db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters)
    plan = "\n".join(row[0] for row in explained)
    assert "Sort" not in plan, plan
    assert "Index Only Scan using ix_registration_event_status_changed" in plan or (
        "Index Scan using ix_registration_event_status_changed" in plan
    ), plan
    seek = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "ROW(status_changed_at_utc, id) >" in seek, plan
