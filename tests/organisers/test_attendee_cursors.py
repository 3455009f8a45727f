"""A cursor in a Next or Previous link comes back from the browser: whatever it holds, the
list shows the numbered page, never an error, unless it names a real row beside it."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from tests.organisers.test_attendee_pages import (
    event_with_ties_in_every_status,
    link,
    names_on,
    page_label,
    signed_in_client,
)
from tests.pages import check_page
from webinar.extensions import db
from webinar.models import Registration, RegistrationStatus
from webinar.organisers import attendee_pages
from webinar.organisers.attendee_cursors import Cursor, read_cursor, write_cursor
from webinar.security import UNSTORABLE

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WHEN = datetime(2026, 11, 20, 9, 1, 2, 345678, tzinfo=UTC)


def token(plain: str | bytes) -> str:
    """What write_cursor would make of any text: the shape right, the contents anything."""
    data = plain.encode("utf-8", "surrogatepass") if isinstance(plain, str) else plain
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_a_cursor_holds_status_time_and_id_and_reads_back() -> None:
    cursor = Cursor(RegistrationStatus.WAITING, WHEN, 42)
    written = write_cursor(cursor)

    assert base64.urlsafe_b64decode(written + "==").decode() == (
        "waiting|2026-11-20T09:01:02.345678+00:00|42"
    )
    assert read_cursor(written) == cursor
    # A time in another zone is the same instant, read back in UTC.
    in_paris = Cursor(RegistrationStatus.BOOKED, WHEN.astimezone(timezone(timedelta(hours=1))), 7)
    assert read_cursor(write_cursor(in_paris)) == Cursor(RegistrationStatus.BOOKED, WHEN, 7)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("not a cursor", id="garbage"),
        pytest.param("%%%", id="not-base64"),
        pytest.param(token(b"\xff\xfe|x|1"), id="not-utf8"),
        pytest.param(token("vip|2026-11-20T09:00:00+00:00|1"), id="status-not-in-the-list"),
        pytest.param(token("BOOKED|2026-11-20T09:00:00+00:00|1"), id="status-in-capitals"),
        pytest.param(token("booked|2026-11-20T09:00:00|1"), id="time-without-a-zone"),
        pytest.param(token("booked|yesterday|1"), id="time-not-a-time"),
        pytest.param(token("booked|0001-01-01T00:00:00+01:00|1"), id="time-before-year-1-in-utc"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|0"), id="id-zero"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|-1"), id="id-negative"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|1.5"), id="id-not-whole"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|²"), id="id-superscript-digit"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|" + "9" * 19), id="id-too-big"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|1|2"), id="one-part-too-many"),
        pytest.param(token("booked|1"), id="a-part-missing"),
        pytest.param(token("booked|2026-11-20T09:00:00+00:00|1") + "A" * 200, id="too-long"),
    ],
)
def test_anything_but_a_cursor_reads_as_none(text: str) -> None:
    assert read_cursor(text) is None


@PROPERTY
@given(text=st.text(max_size=300))
def test_reading_any_text_gives_a_cursor_or_none(text: str) -> None:
    cursor = read_cursor(text)
    assert cursor is None or read_cursor(write_cursor(cursor)) == cursor


#: Arbitrary text, or a cursor of the right shape holding anything: any status text, time
#: text and id text, with real statuses, times and ids often enough.
CURSORS = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda status, time, number: token(f"{status}|{time}|{number}"),
        st.one_of(st.sampled_from([value.value for value in RegistrationStatus]), st.text()),
        st.one_of(st.datetimes(timezones=st.timezones()).map(datetime.isoformat), st.text()),
        st.one_of(st.integers(), st.text()),
    ),
)


@pytest.fixture
def event_list(app: Flask, monkeypatch: pytest.MonkeyPatch) -> tuple[FlaskClient, str, list[str]]:
    """A signed-in client, the list's address, and the names page 2 shows by number."""
    monkeypatch.setattr(attendee_pages, "PAGE_SIZE", 3)
    event = event_with_ties_in_every_status()
    client = signed_in_client(app)
    url = f"/organisers/events/{event.id}/attendees"
    return client, url, names_on(check_page(client.get(url, query_string={"page": 2})))


def names_of_row(cursor: Cursor | None) -> bool:
    """Whether the cursor names a real booking, exactly as write_cursor would."""
    if cursor is None:
        return False
    row = db.session.get(Registration, cursor.id)
    return row is not None and (row.status, row.status_changed_at_utc) == (
        cursor.status,
        cursor.changed_at,
    )


@PROPERTY
@given(text=CURSORS, direction=st.sampled_from(["after", "before"]))
def test_any_cursor_that_names_no_row_shows_the_numbered_page(
    event_list: tuple[FlaskClient, str, list[str]], text: str, direction: str
) -> None:
    client, url, page_2 = event_list
    response = client.get(url, query_string={"page": 2, direction: text})

    if UNSTORABLE.search(text):  # refused before the list is read, as any address is
        assert response.status_code == 400
        return
    assert response.status_code == 200
    page = check_page(response)
    assert page_label(page) == "Page 2 of 6"
    if not names_of_row(read_cursor(text)):
        assert names_on(page) == page_2


def test_a_cursor_from_another_filter_search_or_page_shows_the_numbered_page(
    event_list: tuple[FlaskClient, str, list[str]],
) -> None:
    client, url, page_2 = event_list
    cancelled = check_page(client.get(url, query_string={"status": "cancelled"}))
    from_cancelled = link(cancelled, "next")
    searched = check_page(client.get(url, query_string={"q": "o"}))
    from_search = link(searched, "next")
    page_4 = check_page(client.get(url, query_string={"page": 4}))
    from_page_4 = link(page_4, "next")
    assert from_cancelled and from_search and from_page_4

    for borrowed in (from_cancelled, from_search, from_page_4):
        cursor = borrowed.partition("after=")[2].partition("&")[0]
        for query in ({"page": 2, "after": cursor}, {"page": 2, "before": cursor}):
            page = check_page(client.get(url, query_string=query))
            assert (page_label(page), names_on(page)) == ("Page 2 of 6", page_2)


def test_a_cursor_whose_booking_has_since_changed_shows_the_numbered_page(
    event_list: tuple[FlaskClient, str, list[str]],
) -> None:
    client, url, _ = event_list
    next_link = link(check_page(client.get(url)), "next")
    assert next_link
    # Olu, the last on page 1, is cancelled before the organiser clicks Next.
    db.session.execute(
        update(Registration)
        .where(Registration.name == "Olu")
        .values(status=RegistrationStatus.CANCELLED, status_changed_at_utc=WHEN)
    )
    db.session.commit()

    page = check_page(client.get(next_link))

    assert (page_label(page), names_on(page)) == ("Page 2 of 6", ["Mo", "Kit", "Quinn"])


def test_both_cursors_at_once_or_a_page_number_out_of_range_show_a_numbered_page(
    event_list: tuple[FlaskClient, str, list[str]],
) -> None:
    client, url, page_2 = event_list
    first = check_page(client.get(url))
    after = str(link(first, "next")).partition("after=")[2]
    page_6 = check_page(client.get(url, query_string={"page": 6}))
    before = str(link(page_6, "prev")).partition("before=")[2].partition("&")[0]

    both = check_page(client.get(url, query_string={"page": 2, "after": after, "before": before}))
    assert names_on(both) == page_2
    # Page 1 has no page before it to have come from; page 9 is page 6, the last.
    on_page_1 = check_page(client.get(url, query_string={"page": 1, "after": after}))
    assert page_label(on_page_1) == "Page 1 of 6"
    assert names_on(on_page_1) == names_on(first)
    past_the_end = check_page(client.get(url, query_string={"page": 9, "before": before}))
    assert (page_label(past_the_end), names_on(past_the_end)) == (
        "Page 6 of 6",
        names_on(page_6),
    )
