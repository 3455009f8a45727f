"""Attendee lists: counts, search, masking and reveal, actions, and the CSV download."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories import Factory
from tests.organisers.conftest import flashed_messages, sign_in
from tests.pages import check_page, field_errors, parse, text_of
from webinar.extensions import db
from webinar.models import (
    AuditEntry,
    Event,
    EventStatus,
    Organiser,
    OutboxMessage,
    Registration,
    RegistrationStatus,
)
from webinar.organisers.attendee_pages import PAGE_SIZE
from webinar.organisers.queries import mask_email
from webinar.organisers.spreadsheets import XLSX_MIMETYPE


def outbox_count(kind: str) -> int:
    return int(db.session.scalar(select(func.count()).where(OutboxMessage.kind == kind)) or 0)


def last_audit() -> AuditEntry:
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    return entry


@pytest.fixture
def signed_in(client: FlaskClient, organiser: Organiser) -> FlaskClient:
    result = sign_in(client, organiser)
    db.session.commit()
    return result


@pytest.fixture
def full_event(factory: Factory) -> Event:
    """Two places, both booked, one person waiting, one cancelled."""
    event = factory.event(capacity=2, waiting_list_enabled=True)
    factory.registration(event, name="Ann Booked", email="ann@example.com")
    factory.registration(
        event, name="Bob Booked", email="bob@example.org", accessibility_needs="Captions"
    )
    factory.registration(event, name="Cat Waiting", email="cat@example.net")
    return event


def rows(page: object) -> list[list[str]]:
    return [
        [text_of(cell) for cell in row.select("td")]
        for row in page.select("table tbody tr")  # type: ignore[attr-defined]
    ]


def test_masking_keeps_only_the_first_letters() -> None:
    assert mask_email("jane.doe@example.com") == "j***@e***.com"
    assert mask_email("x@localhost") == "x***@l***"


def test_the_list_shows_counts_and_masked_emails(signed_in: FlaskClient, full_event: Event) -> None:
    page = check_page(signed_in.get(f"/organisers/events/{full_event.id}/attendees"))
    counts = {str(item["data-count"]): text_of(item) for item in page.select("[data-count]")}
    assert counts == {
        "places": "2",
        "booked": "2",
        "waiting": "1",
        "cancelled": "0",
        "attended": "0",
    }
    text = page.get_text()
    assert "a***@e***.com" in text
    assert "ann@example.com" not in text
    assert "Captions" in text  # organisers see accessibility needs
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_revealing_emails_is_audited(signed_in: FlaskClient, full_event: Event) -> None:
    page = check_page(signed_in.post(f"/organisers/events/{full_event.id}/attendees?status=booked"))
    assert "ann@example.com" in page.get_text()
    assert "cat@example.net" not in page.get_text()  # only the rows on show
    entry = last_audit()
    assert (entry.action, entry.event_id, entry.record_count) == (
        "emails_revealed",
        full_event.id,
        2,
    )


def test_search_and_filter(signed_in: FlaskClient, full_event: Event) -> None:
    url = f"/organisers/events/{full_event.id}/attendees"
    page = check_page(signed_in.get(url, query_string={"q": "bob"}))
    assert [row[0] for row in rows(page)] == ["Bob Booked"]
    page = check_page(signed_in.get(url, query_string={"status": "waiting"}))
    assert [row[0] for row in rows(page)] == ["Cat Waiting"]
    page = check_page(signed_in.get(url, query_string={"q": "%"}))
    assert rows(page) == []


@pytest.mark.parametrize("search", ["example.com", "ann@", "nn@example.com", "@example.org"])
def test_part_of_an_email_address_finds_nobody(
    signed_in: FlaskClient, full_event: Event, search: str
) -> None:
    # Otherwise a search could confirm or rebuild a masked address without the audited reveal.
    url = f"/organisers/events/{full_event.id}/attendees"
    page = check_page(signed_in.get(url, query_string={"q": search}))
    assert rows(page) == []


def test_a_whole_email_address_finds_the_person_in_any_case(
    signed_in: FlaskClient, full_event: Event
) -> None:
    url = f"/organisers/events/{full_event.id}/attendees"
    page = check_page(signed_in.get(url, query_string={"q": " Ann@Example.COM "}))
    assert [row[0] for row in rows(page)] == ["Ann Booked"]
    assert "ann@example.com" not in page.get_text()  # still masked until revealed
    page = check_page(signed_in.get(url, query_string={"q": "booked"}))
    assert [row[0] for row in rows(page)] == ["Ann Booked", "Bob Booked"]


@pytest.mark.parametrize("number", ["\u00b2", "\u0663", "-1", "99999999999999999999999", "x"])
def test_odd_page_numbers_show_the_first_or_last_page(
    signed_in: FlaskClient, full_event: Event, number: str
) -> None:
    url = f"/organisers/events/{full_event.id}/attendees"
    page = check_page(signed_in.get(url, query_string={"page": number, "status": "nonsense"}))
    assert len(rows(page)) == 3


def test_long_lists_are_paginated(signed_in: FlaskClient, factory: Factory) -> None:
    event = factory.event(capacity=PAGE_SIZE + 5)
    for number in range(PAGE_SIZE + 3):
        factory.registration(event, email=f"p{number}@example.com")
    url = f"/organisers/events/{event.id}/attendees"
    first = check_page(signed_in.get(url))
    assert len(rows(first)) == PAGE_SIZE
    assert "Page 1 of 2" in first.get_text()
    second = check_page(signed_in.get(url, query_string={"page": "2"}))
    assert len(rows(second)) == 3


def test_cancelling_a_booking_offers_the_place_to_the_waiting_list(
    signed_in: FlaskClient, full_event: Event
) -> None:
    ann, _, cat = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    url = f"/organisers/events/{full_event.id}/attendees/{ann.id}/cancel"
    page = check_page(signed_in.get(url))
    assert text_of(page.find("h1")) == "Cancel the booking for Ann Booked?"
    response = signed_in.post(url)
    assert ann.status == RegistrationStatus.CANCELLED
    assert cat.status == RegistrationStatus.BOOKED
    assert flashed_messages(signed_in) == ["Booking cancelled. They will be emailed."]
    assert "Booking cancelled" in check_page(signed_in.get(response.location)).get_text()
    assert outbox_count("booking_cancelled_to_attendee") == 1
    assert outbox_count("place_offered_to_attendee") == 1
    assert last_audit().action == "booking_cancelled"


def test_offering_a_place_needs_a_free_place(signed_in: FlaskClient, full_event: Event) -> None:
    cat = db.session.scalar(select(Registration).where(Registration.name == "Cat Waiting"))
    assert cat is not None
    url = f"/organisers/events/{full_event.id}/attendees/{cat.id}/offer-place"
    response = signed_in.post(url)
    assert "There are no places left" in check_page(signed_in.get(response.location)).get_text()
    assert cat.status == RegistrationStatus.WAITING
    full_event.capacity = 3
    db.session.commit()
    signed_in.post(url)
    assert cat.status == RegistrationStatus.BOOKED
    assert flashed_messages(signed_in) == ["Place offered. They will be emailed."]
    assert full_event.places_taken == 3
    assert outbox_count("place_offered_to_attendee") == 1
    assert last_audit().action == "place_offered"


def test_adding_a_person_by_hand(signed_in: FlaskClient, factory: Factory) -> None:
    event = factory.event(capacity=1)
    url = f"/organisers/events/{event.id}/attendees/add"
    check_page(signed_in.get(url))
    data = {"name": "Dee", "email": "Dee@Example.com", "accessibility_needs": ""}
    assert signed_in.post(url, data=data).status_code == 302
    assert flashed_messages(signed_in) == ["Person added. They will be emailed."]
    added = db.session.scalar(select(Registration))
    assert added is not None
    assert (added.email, added.status, added.added_by_organiser) == (
        "dee@example.com",
        RegistrationStatus.BOOKED,
        True,
    )
    assert outbox_count("booking_confirmed_to_attendee") == 1
    assert last_audit().action == "attendee_added"
    again = check_page(signed_in.post(url, data=data))
    assert field_errors(again) == {
        "email": "This email address is already booked or on the waiting list"
    }
    full = check_page(signed_in.post(url, data={**data, "email": "eve@example.com"}))
    assert field_errors(full) == {
        "name": "There are no places left. Add places to the event first."
    }


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (EventStatus.DRAFT, "This event is not published yet, so nobody can be added"),
        (EventStatus.CANCELLED, "This event is cancelled, so nobody can be added"),
    ],
)
def test_nobody_is_added_to_a_draft_or_cancelled_event(
    signed_in: FlaskClient, factory: Factory, status: EventStatus, message: str
) -> None:
    # Their confirmation would never be sent: the sender drops emails for such events.
    event = factory.event(status=status)
    data = {"name": "Dee", "email": "dee@example.com", "accessibility_needs": ""}
    page = check_page(signed_in.post(f"/organisers/events/{event.id}/attendees/add", data=data))
    assert field_errors(page) == {"name": message}
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert outbox_count("booking_confirmed_to_attendee") == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (EventStatus.DRAFT, "This event is not published yet, so no places can be offered"),
        (EventStatus.CANCELLED, "This event is cancelled, so no places can be offered"),
    ],
)
def test_no_place_is_offered_on_a_draft_or_cancelled_event(
    signed_in: FlaskClient, full_event: Event, status: EventStatus, message: str
) -> None:
    cat = db.session.scalar(select(Registration).where(Registration.name == "Cat Waiting"))
    assert cat is not None
    full_event.status, full_event.capacity = status, 3
    db.session.commit()
    response = signed_in.post(f"/organisers/events/{full_event.id}/attendees/{cat.id}/offer-place")
    assert message in check_page(signed_in.get(response.location)).get_text()
    assert cat.status == RegistrationStatus.WAITING
    assert outbox_count("place_offered_to_attendee") == 0


def test_marking_attended_from_the_list(signed_in: FlaskClient, full_event: Event) -> None:
    ann = db.session.scalar(select(Registration).where(Registration.name == "Ann Booked"))
    assert ann is not None
    response = signed_in.post(
        f"/organisers/events/{full_event.id}/attendees/{ann.id}/attended?next=attendees",
        data={"attended": "yes"},
    )
    assert response.location.endswith(f"/organisers/events/{full_event.id}/attendees")
    assert ann.attended_at_utc is not None


def test_the_csv_download_is_complete_formula_safe_and_audited(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    factory.registration(event, name='=HYPERLINK("http://evil")', email="a@example.com")
    factory.registration(
        event, name="Plain Name", email="b@example.com", accessibility_needs="@SUM(1)"
    )
    response = signed_in.get(f"/organisers/events/{event.id}/attendees.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="attendees-{event.slug}.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:3] == ["Name", "Email address", "Status"]
    assert table[1][:3] == ['\'=HYPERLINK("http://evil")', "a@example.com", "booked"]
    assert table[2][3] == "'@SUM(1)"
    entry = last_audit()
    assert (entry.action, entry.event_id, entry.record_count) == (
        "attendees_exported",
        event.id,
        2,
    )


def test_the_excel_download_holds_text_never_formulas_and_is_audited(
    signed_in: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    factory.registration(event, name='=HYPERLINK("http://evil")', email="a@example.com")
    factory.registration(event, name="+44 7700 900000", email="b@example.com")

    response = signed_in.get(f"/organisers/events/{event.id}/attendees.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX_MIMETYPE
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="attendees-{event.slug}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0][:3]] == ["Name", "Email address", "Status"]
    formula, phone = rows[1][0], rows[2][0]
    assert formula.value == '=HYPERLINK("http://evil")' and formula.data_type == "s"
    assert formula.quotePrefix and phone.quotePrefix
    assert all(cell.data_type == "s" for row in rows for cell in row if cell.value is not None)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(response.get_data())).read(
        "xl/worksheets/sheet1.xml"
    )
    entry = last_audit()
    assert (entry.action, entry.event_id, entry.record_count) == (
        "attendees_exported",
        event.id,
        2,
    )


def test_a_registration_from_another_event_is_not_found(
    signed_in: FlaskClient, full_event: Event, factory: Factory
) -> None:
    other = factory.event()
    ann = db.session.scalar(select(Registration).where(Registration.name == "Ann Booked"))
    assert ann is not None
    response = signed_in.get(f"/organisers/events/{other.id}/attendees/{ann.id}/cancel")
    assert response.status_code == 404
    assert parse(response).find("h1") is not None


def test_adding_someone_who_registered_a_moment_ago_is_refused_cleanly(
    organiser: Organiser, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from webinar.organisers.services import attendees
    from webinar.registrations import booking

    event = factory.event(capacity=5)
    factory.registration(event, email="same@example.com")
    # The race: our check ran before their registration committed.
    monkeypatch.setattr(booking, "active_registration", lambda **_: None)

    with pytest.raises(attendees.AlreadyRegistered):
        attendees.add_attendee(
            event=event,
            name="Same Person",
            email="same@example.com",
            accessibility_needs=None,
            discreet=False,
            organiser=organiser,
            now=datetime(2026, 11, 28, 10, tzinfo=UTC),
        )
        db.session.commit()

    db.session.refresh(event)
    assert event.places_taken == 1


def test_the_list_shows_booked_then_waiting_in_queue_order_then_cancelled(
    signed_in: FlaskClient, factory: Factory
) -> None:
    from datetime import UTC, datetime

    from webinar.registrations.cancellation import cancel_registration

    event = factory.event(capacity=2, waiting_list_enabled=True)
    first = factory.registration(event, name="First")
    factory.registration(event, name="Second")
    factory.registration(event, name="Waiting one")
    factory.registration(event, name="Waiting two")
    cancel_registration(registration=first, now=datetime.now(UTC))
    db.session.commit()

    page = check_page(signed_in.get(f"/organisers/events/{event.id}/attendees"))

    names = [text_of(row.select_one("td")) for row in page.select("table tbody tr")]
    assert names == ["Second", "Waiting one", "Waiting two", "First"]
