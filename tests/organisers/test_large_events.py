"""Pages and downloads built to hold at any size: tested small, with the limits made small.

How fast they are with 100,000 bookings is measured by scripts/benchmark_organisers.py
(docs/benchmarks.md), not here.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, update

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import (
    AnswerKind,
    AuditEntry,
    Event,
    FormAnswer,
    FormQuestion,
    Organiser,
    OrganiserRole,
    Registration,
    RegistrationStatus,
)
from webinar.organisers import attendee_pages, queries, spreadsheets
from webinar.organisers.attendee_pages import list_attendees
from webinar.organisers.queries import STATUS_ORDER, AttendeeFilter
from webinar.organisers.services import exports
from webinar.registrations.cancellation import cancel_registration

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TODAY_6PM = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def event_with_every_status(factory: Factory) -> Event:
    """7 booked (two of them moved up from the waiting list at the same moment), 2 waiting,
    2 cancelled; each registered a minute after the last."""
    event = factory.event(capacity=7, waiting_list_enabled=True)
    people = [
        factory.registration(event, name=f"Person {number:02}", now=NOW + timedelta(minutes=number))
        for number in range(11)
    ]
    for person in people[:2]:
        cancel_registration(registration=person, now=NOW + timedelta(hours=1))
    db.session.commit()
    return event


def in_list_order(event: Event) -> list[Registration]:
    """Booked, waiting, requested, cancelled; within each, by when they got that status."""
    return sorted(
        db.session.scalars(select(Registration).where(Registration.event_id == event.id)),
        key=lambda booking: (
            STATUS_ORDER.index(booking.status),
            booking.status_changed_at_utc,
            booking.id,
        ),
    )


def all_pages(event: Event, **filters: object) -> list[list[str]]:
    pages, number = [], 1
    while True:
        page = list_attendees(event, page=number, **filters)  # type: ignore[arg-type]
        pages.append([registration.name for registration in page.registrations])
        if page.page == page.pages:
            return pages
        number += 1


def test_every_page_in_turn_shows_each_booking_once_in_the_lists_order(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attendee_pages, "PAGE_SIZE", 3)
    event = event_with_every_status(Factory())
    everyone = [registration.name for registration in in_list_order(event)]
    assert everyone[:7] == [f"Person {number:02}" for number in (2, 3, 4, 5, 6, 7, 8)]
    assert everyone[7:] == ["Person 09", "Person 10", "Person 00", "Person 01"]

    pages = all_pages(event, search="", status=AttendeeFilter.ALL)

    assert [len(page) for page in pages] == [3, 3, 3, 2]
    assert [name for page in pages for name in page] == everyone
    # A page past the end shows the last page.
    beyond = list_attendees(event, search="", status=AttendeeFilter.ALL, page=99)
    assert [registration.name for registration in beyond.registrations] == pages[-1]
    waiting = all_pages(event, search="", status=AttendeeFilter.WAITING)
    assert waiting == [["Person 09", "Person 10"]]
    found = all_pages(event, search="person 0", status=AttendeeFilter.ALL)
    assert [name for page in found for name in page] == [n for n in everyone if n != "Person 10"]


def test_check_in_shows_the_first_names_and_a_search_finds_the_rest(
    client: FlaskClient,
    check_in_staff: Organiser,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queries, "CHECK_IN_NAMES", 3)
    event = factory.event(starts_at_utc=TODAY_6PM)
    for name in ("Eve Evans", "Ann Smith", "Dee Jones", "Cat Brown", "Bob Green"):
        factory.registration(event, name=name)
    sign_in(client, check_in_staff)
    db.session.commit()

    page = check_page(client.get(f"/organisers/check-in/{event.id}"))
    buttons = [text_of(button) for button in page.select("ul form[method=post] button")]
    assert buttons == ["Check in Ann Smith", "Check in Bob Green", "Check in Cat Brown"]
    assert text_of(page.select_one("[data-showing]")) == (
        "Showing 3 of 5 people, by name. Search by name or booking code to find someone else."
    )
    assert text_of(page.select_one("[data-checked-in]")) == "0 of 5 checked in"

    found = check_page(client.get(f"/organisers/check-in/{event.id}", query_string={"q": "eve"}))
    buttons = [text_of(button) for button in found.select("ul form[method=post] button")]
    assert buttons == ["Check in Eve Evans"]
    assert found.select_one("[data-showing]") is None


def test_the_downloads_read_in_batches_and_hold_every_row_and_answer_in_order(
    client: FlaskClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "EXPORT_BATCH", 2)
    monkeypatch.setattr(spreadsheets, "CSV_CHUNK_ROWS", 2)
    event = event_with_every_status(Factory())
    question = FormQuestion(event_id=event.id, text="Heard from?", kind=AnswerKind.TEXT)
    db.session.add(question)
    db.session.flush()
    everyone = in_list_order(event)
    for registration in everyone[::2]:
        db.session.add(
            FormAnswer(registration_id=registration.id, question_id=question.id, value="=radio")
        )
    sign_in(client, organiser)
    db.session.commit()

    response = client.get(f"/organisers/events/{event.id}/attendees.csv")
    assert response.is_streamed
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    workbook = client.get(f"/organisers/events/{event.id}/attendees.xlsx").get_data()

    assert table[0][-1] == "Heard from?"
    assert [row[0] for row in table[1:]] == [registration.name for registration in everyone]
    assert [row[1] for row in table[1:]] == [registration.email for registration in everyone]
    assert [row[-1] for row in table[1:]] == ["'=radio", ""] * 5 + ["'=radio"]
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    cells = [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]
    # The same table; the workbook marks formula-like text with a quote prefix instead.
    assert [[cell.removeprefix("'") for cell in row] for row in table] == cells
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(entry.action, entry.record_count) for entry in entries] == [
        ("attendees_exported", 11),
        ("attendees_exported", 11),
    ]


def test_the_app_starts_without_loading_the_workbook_writer() -> None:
    """Only a workbook download needs XlsxWriter, so the app starts without it."""
    program = (
        "import sys; from webinar import create_app; "
        "create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        "print('xlsxwriter' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_check_in_search_escapes_wildcards(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM)
    factory.registration(event, name="Ann 50%")
    factory.registration(event, name="Bob 500")
    sign_in(client, organiser)
    db.session.commit()
    page = check_page(client.get(f"/organisers/check-in/{event.id}", query_string={"q": "50%"}))
    buttons = [text_of(button) for button in page.select("ul form[method=post] button")]
    assert buttons == ["Check in Ann 50%"]
    assert db.session.scalar(select(Registration.name).where(Registration.name == "Ann 50%"))


def test_a_booking_that_moves_up_during_a_download_is_in_it_once(pg_app: Flask) -> None:
    """The statuses are read one after another; they must all read the same moment."""
    event = Factory().event(capacity=1, waiting_list_enabled=True)
    booked = Factory().registration(event)
    waiting = Factory().registration(event)
    assert waiting.status == RegistrationStatus.WAITING
    export = exports.export_attendees(
        event=event, organiser=make_organiser(OrganiserRole.ORGANISER)
    )
    db.session.commit()  # as the route does: the audit entry first

    rows = iter(export.rows)
    first = next(rows)  # the booked list is being read...
    with db.engine.begin() as elsewhere:  # ...when an organiser moves the other one up
        elsewhere.execute(
            update(Registration)
            .where(Registration.id == waiting.id)
            .values(status=RegistrationStatus.BOOKED)
        )
    names = [first[0], *(row[0] for row in rows)]
    db.session.rollback()

    assert sorted(names) == sorted([booked.name, waiting.name])
