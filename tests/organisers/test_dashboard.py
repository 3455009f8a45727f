"""The dashboard's numbers, checked against data we know."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import update

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import Organiser, OutboxMessage, OutboxStatus
from webinar.notifications.outbox import enqueue

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_fill_rate_waiting_list_attendance_and_registrations_per_day(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    upcoming = factory.event(title="Upcoming", capacity=4, waiting_list_enabled=True)
    for _ in range(3):
        factory.registration(upcoming, now=NOW - timedelta(days=1))
    factory.registration(upcoming, now=NOW)
    factory.registration(upcoming, now=NOW)  # waiting
    past = factory.event(title="Earlier", capacity=10, starts_at_utc=NOW - timedelta(days=2))
    attendees = [factory.registration(past, now=NOW - timedelta(days=5, hours=1)) for _ in range(2)]
    attendees[0].attended_at_utc = past.starts_at_utc
    db.session.commit()

    sign_in(client, organiser)
    db.session.commit()
    page = check_page(client.get("/organisers/"))
    table = page.select_one("[data-table=events]")
    assert table is not None
    rows = {
        text_of(row.find("th")).split(" ")[0]: [text_of(cell) for cell in row.select("td")]
        for row in table.select("tbody tr")
    }
    assert rows == {
        "Earlier": ["10", "2", "20%", "–", "1 of 2", "0"],
        "Upcoming": ["4", "4", "100%", "1", "Not started", "0"],
    }

    per_day = page.select_one("[data-table=per-day]")
    assert per_day is not None
    counts = {
        text_of(row.select("td")[0]): text_of(row.select("td")[1])
        for row in per_day.select("tbody tr")
    }
    assert len(counts) == 14
    assert counts["Saturday 28 November 2026"] == "2"
    assert counts["Friday 27 November 2026"] == "3"
    assert counts["Monday 23 November 2026"] == "2"
    assert counts["Sunday 22 November 2026"] == "0"

    svg = page.select_one("svg.app-chart")
    assert svg is not None and svg.get("role") == "img"
    assert len(svg.select("rect")) == 14


def test_outbox_counts(client: FlaskClient, organiser: Organiser, factory: Factory) -> None:
    event = factory.event()
    db.session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
    for status, due in [
        (OutboxStatus.FAILED, NOW),
        (OutboxStatus.FAILED, NOW),
        (OutboxStatus.DUE, NOW),
        (OutboxStatus.SENDING, NOW),
        (OutboxStatus.DUE, NOW + timedelta(days=1)),
    ]:
        message = enqueue(kind="test", recipient="x@example.com", event=event, due_at_utc=due)
        message.status = status
    db.session.commit()
    sign_in(client, organiser)
    db.session.commit()
    page = check_page(client.get("/organisers/"))
    outbox = {str(item["data-outbox"]): text_of(item) for item in page.select("[data-outbox]")}
    assert outbox == {
        "waiting": "2 waiting to be sent",
        "scheduled": "1 scheduled for later, such as reminders",
        "failed": "2 failed",
    }
    assert "Some emails could not be sent" in page.get_text()


def test_check_in_staff_go_straight_to_check_in(
    client: FlaskClient, check_in_staff: Organiser
) -> None:
    sign_in(client, check_in_staff)
    db.session.commit()
    response = client.get("/organisers/")
    assert response.location.endswith("/organisers/check-in")
