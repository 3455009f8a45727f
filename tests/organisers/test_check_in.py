"""Check-in on the day: today's events, names only, one button per person."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.organisers.conftest import flashed_messages, sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, Registration

#: The tests' frozen "now" is 10am on Saturday 28 November 2026.
TODAY_6PM = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
TOMORROW_6PM = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)


def test_check_in_lists_only_todays_events(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    factory.event(title="Tonight", starts_at_utc=TODAY_6PM)
    factory.event(title="Tomorrow", starts_at_utc=TOMORROW_6PM)
    sign_in(client, check_in_staff)
    db.session.commit()
    page = check_page(client.get("/organisers/check-in"))
    assert "Tonight" in page.get_text()
    assert "Tomorrow" not in page.get_text()


def test_checking_someone_in_with_one_button(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM)
    factory.registration(
        event, name="Ann Smith", email="ann@example.com", accessibility_needs="Step-free access"
    )
    factory.registration(event, name="Bob Jones", email="bob@example.com")
    sign_in(client, check_in_staff)
    db.session.commit()
    page = check_page(client.get(f"/organisers/check-in/{event.id}", query_string={"q": "ann"}))
    buttons = [text_of(button) for button in page.select("ul form[method=post] button")]
    assert buttons == ["Check in Ann Smith"]
    # Names only: no email addresses or accessibility needs at the door.
    assert "ann@example.com" not in page.get_text()
    assert "a***@" not in page.get_text()
    assert "Step-free access" not in page.get_text()

    ann = db.session.scalar(select(Registration).where(Registration.name == "Ann Smith"))
    assert ann is not None
    response = client.post(
        f"/organisers/events/{event.id}/attendees/{ann.id}/attended",
        data={"attended": "yes", "q": "ann"},
    )
    assert response.location.endswith(f"/organisers/check-in/{event.id}?q=ann")
    assert ann.attended_at_utc == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert flashed_messages(client) == ["Checked in"]  # no names in the cookie
    page = check_page(client.get(response.location))
    assert "Ann Smith: checked in" in page.get_text()
    assert text_of(page.select_one("[data-checked-in]")) == "1 of 2 checked in"

    client.post(
        f"/organisers/events/{event.id}/attendees/{ann.id}/attended", data={"attended": "no"}
    )
    assert ann.attended_at_utc is None
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(entry.action, entry.event_id, entry.detail) for entry in entries] == [
        ("attendance_marked", event.id, f"Registration {ann.id}: checked in"),
        ("attendance_marked", event.id, f"Registration {ann.id}: check-in undone"),
    ]
    assert {entry.organiser_id for entry in entries} == {check_in_staff.id}


def test_check_in_staff_cannot_open_other_days(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TOMORROW_6PM)
    sign_in(client, check_in_staff)
    db.session.commit()
    response = client.get(f"/organisers/check-in/{event.id}")
    assert response.status_code == 403
    check_page(response)


def test_organisers_can_check_in_for_any_day(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TOMORROW_6PM)
    sign_in(client, organiser)
    db.session.commit()
    check_page(client.get(f"/organisers/check-in/{event.id}"))


def test_people_on_the_waiting_list_cannot_be_checked_in(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM, capacity=1, waiting_list_enabled=True)
    factory.registration(event)
    waiting = factory.registration(event)
    sign_in(client, organiser)
    db.session.commit()
    response = client.post(
        f"/organisers/events/{event.id}/attendees/{waiting.id}/attended", data={"attended": "yes"}
    )
    assert "cannot be checked in" in check_page(client.get(response.location)).get_text()
    assert waiting.attended_at_utc is None


def test_a_booking_cancelled_after_check_in_no_longer_counts_as_attended(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    from webinar.registrations.cancellation import cancel_registration

    event = factory.event(starts_at_utc=TODAY_6PM)
    ann = factory.registration(event, name="Ann Smith")
    factory.registration(event, name="Bob Jones")
    sign_in(client, check_in_staff)
    db.session.commit()
    client.post(
        f"/organisers/events/{event.id}/attendees/{ann.id}/attended", data={"attended": "yes"}
    )

    cancel_registration(registration=ann, now=datetime(2026, 11, 28, 10, 5, tzinfo=UTC))
    db.session.commit()

    page = check_page(client.get(f"/organisers/check-in/{event.id}"))
    assert text_of(page.select_one("[data-checked-in]")) == "0 of 1 checked in"
