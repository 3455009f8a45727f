"""A NUL byte, or a character no database or file can hold, is refused, never a 500.

PostgreSQL refuses NUL in text, so these run on PostgreSQL.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import check_page, field_errors
from webinar.extensions import db
from webinar.models import OrganiserRole, Registration


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/events/%00", 404),
        ("/events/a%00b/register", 404),
        ("/booking/%00", 404),
        ("/booking/abc%00/cancel", 404),
        ("/?q=%00", 400),
        ("/events/x?%00=1", 400),
    ],
)
def test_a_nul_byte_in_a_public_address_is_refused(pg_app: Flask, url: str, status: int) -> None:
    response = pg_app.test_client().get(url)
    assert response.status_code == status
    assert "Sorry, there is a problem with the service" not in response.get_data(as_text=True)


def test_a_nul_byte_in_organiser_searches_and_question_ids_is_refused(pg_app: Flask) -> None:
    event = Factory().event()
    client = sign_in(pg_app.test_client(), make_organiser(OrganiserRole.ORGANISER))
    db.session.commit()
    for url in (
        f"/organisers/events/{event.id}/attendees?q=%00",
        f"/organisers/check-in/{event.id}?q=a%00b",
        f"/organisers/events/{event.id}/attendees?status=%00",
        "/organisers/audit-log?page=%00",
    ):
        assert client.get(url).status_code == 400, url
    question = f"/organisers/events/{event.id}/questions/abc%00def"
    assert client.post(question, data={"status": "selected"}).status_code == 404
    assert client.post(
        f"/organisers/events/{event.id}/questions/x", data={"status": "sel\x00ected"}
    ).status_code in (400, 404)


def test_a_nul_byte_in_a_public_form_is_refused(pg_app: Flask) -> None:
    event = Factory().event()
    response = pg_app.test_client().post(
        f"/events/{event.slug}/register",
        data={"name": "Bob\x00", "email": "bob@example.com", "consent": "y"},
    )
    assert response.status_code == 400
    assert db.session.query(Registration).count() == 0


@pytest.mark.parametrize("name", ["Bob\uffff", "Bob\ufffe", "Bob\ufdd0"])
def test_names_with_noncharacters_are_refused_with_a_form_error(pg_app: Flask, name: str) -> None:
    event = Factory().event()
    response = pg_app.test_client().post(
        f"/events/{event.slug}/register",
        data={"name": name, "email": "bob@example.com", "consent": "y"},
    )
    page = check_page(response)
    assert field_errors(page).get("name") == (
        "Name must only include letters, numbers, spaces and punctuation"
    )
    assert db.session.query(Registration).count() == 0
