"""Next and Previous on the attendee list carry the row they start from, and show exactly
the pages the page numbers show (docs/architecture.md#one-event-with-100000-bookings).

Tested small, with the page size made small, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import Event, OrganiserRole, Registration, RegistrationStatus
from webinar.organisers import attendee_pages
from webinar.organisers.queries import STATUS_ORDER

BASE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
#: Each person, the status, the minute (after BASE) they got it, and whether they came.
#: Created in this order, so ids rise as names fall: a tie in time must go by id. Three
#: bookings share minute 1, two on the waiting list minute 2, two requests minute 4.
PEOPLE = [
    ("Quinn", RegistrationStatus.BOOKED, 5, True),
    ("Pat", RegistrationStatus.BOOKED, 1, False),
    ("Olu", RegistrationStatus.BOOKED, 1, True),
    ("Nia", RegistrationStatus.BOOKED, 1, True),
    ("Mo", RegistrationStatus.BOOKED, 3, False),
    ("Lee", RegistrationStatus.BOOKED, 0, True),
    ("Kit", RegistrationStatus.BOOKED, 3, False),
    ("Jo", RegistrationStatus.WAITING, 2, False),
    ("Ivy", RegistrationStatus.WAITING, 2, False),
    ("Hal", RegistrationStatus.WAITING, 9, False),
    ("Gus", RegistrationStatus.REQUESTED, 4, False),
    ("Fay", RegistrationStatus.REQUESTED, 4, False),
    ("Eve", RegistrationStatus.REQUESTED, 1, False),
    ("Dee", RegistrationStatus.CANCELLED, 8, False),
    ("Cat", RegistrationStatus.CANCELLED, 7, False),
    ("Bob", RegistrationStatus.CANCELLED, 7, False),
    ("Ann", RegistrationStatus.CANCELLED, 6, False),
]


def event_with_ties_in_every_status() -> Event:
    factory = Factory()
    event = factory.event(capacity=50)
    for name, status, minute, came in PEOPLE:
        person = factory.registration(event, name=name, email=f"{name.lower()}@example.com")
        db.session.execute(
            update(Registration)
            .where(Registration.id == person.id)
            .values(
                status=status,
                status_changed_at_utc=BASE + timedelta(minutes=minute),
                attended_at_utc=BASE if came else None,
            )
        )
    db.session.commit()
    return event


def in_list_order(event: Event) -> list[str]:
    """Everyone, sorted in Python the way the list is meant to be."""
    people = db.session.query(Registration).filter_by(event_id=event.id).all()
    people.sort(key=lambda p: (STATUS_ORDER.index(p.status), p.status_changed_at_utc, p.id))
    return [person.name for person in people]


def signed_in_client(app: Flask) -> FlaskClient:
    client = sign_in(app.test_client(), make_organiser(OrganiserRole.ORGANISER))
    db.session.commit()
    return client


def names_on(page: BeautifulSoup) -> list[str]:
    return [text_of(row.select_one("td")) for row in page.select("table tbody tr")]


def page_label(page: BeautifulSoup) -> str:
    return text_of(page.select_one("nav.govuk-pagination p"))


def link(page: BeautifulSoup, rel: str) -> str | None:
    anchor = page.select_one(f"nav.govuk-pagination a[rel={rel}]")
    return None if anchor is None else str(anchor["href"])


def arguments_of(href: str) -> dict[str, str]:
    return {
        key: values[0]
        for key, values in parse_qs(urlsplit(href).query, keep_blank_values=True).items()
    }


def numbered_pages(client: FlaskClient, url: str, filters: dict[str, str]) -> list[Any]:
    """Every page, by its number: what Next and Previous must show."""
    pages, number = [], 1
    while True:
        page = check_page(client.get(url, query_string={**filters, "page": number}))
        pages.append(page)
        if link(page, "next") is None:
            return pages
        number += 1


def refuse_offset(*_: object, **__: object) -> list[int]:
    raise AssertionError("a page reached by Next or Previous was counted in with OFFSET")


FILTERS = [
    pytest.param({}, id="everyone"),
    pytest.param({"status": "booked"}, id="booked"),
    pytest.param({"status": "cancelled"}, id="cancelled"),
    pytest.param({"status": "attended"}, id="attended"),
    pytest.param({"q": "a"}, id="search"),
    pytest.param({"q": "o", "status": "all"}, id="search-all"),
]


@pytest.mark.parametrize("page_size", [2, 3])
@pytest.mark.parametrize("filters", FILTERS)
def test_next_then_previous_show_each_numbered_page_in_turn(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch, page_size: int, filters: dict[str, str]
) -> None:
    monkeypatch.setattr(attendee_pages, "PAGE_SIZE", page_size)
    event = event_with_ties_in_every_status()
    client = signed_in_client(any_app)
    url = f"/organisers/events/{event.id}/attendees"
    numbered = numbered_pages(client, url, filters)
    assert len(numbered) >= 2
    expected = [(page_label(page), names_on(page)) for page in numbered]
    # From here on, a page read by counting rows in would fail the test.
    monkeypatch.setattr(attendee_pages, "_ids_of_page", refuse_offset)

    walked, page = [expected[0]], numbered[0]
    while (href := link(page, "next")) is not None:
        arguments = arguments_of(href)
        # The search and filter, the next page's number, and where it starts.
        assert arguments == {"q": "", "status": "all"} | filters | {
            "page": str(len(walked) + 1),
            "after": arguments["after"],
        }
        page = check_page(client.get(href))
        walked.append((page_label(page), names_on(page)))
    assert walked == expected

    back = [walked[-1]]
    while (href := link(page, "prev")) is not None:
        arguments = arguments_of(href)
        assert arguments == {"q": "", "status": "all"} | filters | {
            "page": str(len(expected) - len(back)),
            "before": arguments["before"],
        }
        page = check_page(client.get(href))
        back.append((page_label(page), names_on(page)))
    assert back == expected[::-1]


def test_the_list_goes_by_status_then_time_then_id_across_every_boundary(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attendee_pages, "PAGE_SIZE", 4)
    event = event_with_ties_in_every_status()
    client = signed_in_client(any_app)
    url = f"/organisers/events/{event.id}/attendees"
    page = check_page(client.get(url))
    names = names_on(page)
    while (href := link(page, "next")) is not None:
        page = check_page(client.get(href))
        names += names_on(page)

    assert names == in_list_order(event)
    # Ties in time go by id (here the reverse of the names): Pat, Olu, Nia at minute 1.
    assert names == [
        *("Lee", "Pat", "Olu", "Nia", "Mo", "Kit", "Quinn"),  # booked
        *("Jo", "Ivy", "Hal"),  # waiting
        *("Eve", "Gus", "Fay"),  # requested
        *("Ann", "Cat", "Bob", "Dee"),  # cancelled
    ]


def test_revealing_addresses_on_a_page_reached_by_next_shows_that_same_page(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The addresses shown, and recorded in the audit log, are those of the people on
    screen: the Reveal button keeps where Next started the page."""
    monkeypatch.setattr(attendee_pages, "PAGE_SIZE", 3)
    event = event_with_ties_in_every_status()
    client = signed_in_client(any_app)
    first = check_page(client.get(f"/organisers/events/{event.id}/attendees"))
    next_href = link(first, "next")
    assert next_href is not None
    second = check_page(client.get(next_href))
    monkeypatch.setattr(attendee_pages, "_ids_of_page", refuse_offset)

    form = second.select_one("form[method=post]")
    assert form is not None
    revealed = check_page(client.post(str(form["action"])))

    assert names_on(revealed) == names_on(second)
    table = text_of(revealed.select_one("table"))
    assert all(f"{name.lower()}@example.com" in table for name in names_on(second))


def test_the_list_order_names_every_status_a_booking_can_have() -> None:
    """A status left out would be counted in the totals but never listed or exported."""
    assert set(STATUS_ORDER) == set(RegistrationStatus)
