"""Deleting one's details from the email link; addresses that cannot be emailed."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.notifications.helpers import rows, send_now
from tests.pages import check_page, field_errors
from webinar.extensions import db
from webinar.models import Registration, RegistrationStatus
from webinar.notifications.kinds import Kind
from webinar.security import manage_token_for


def test_deleting_details_frees_the_place_and_cancels_the_calendar_entry(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    booked = factory.registration(event, email="gone@example.com")
    factory.registration(event, email="next@example.com")
    token = manage_token_for(booked.calendar_uid)
    manage = check_page(client.get(f"/booking/{token}"))
    assert manage.find("a", string="Delete my details now") is not None

    confirm = check_page(client.get(f"/booking/{token}/delete"))
    response = client.post(f"/booking/{token}/delete")

    assert confirm.find("h1") is not None
    assert response.headers["Location"] == "/details-deleted"
    check_page(client.get("/details-deleted"))
    remaining = db.session.scalars(select(Registration)).all()
    assert [(r.email, r.status) for r in remaining] == [
        ("next@example.com", RegistrationStatus.BOOKED)
    ]
    assert all(
        row.recipient != "gone@example.com" for row in rows() if row.kind != Kind.DETAILS_DELETED
    )
    (goodbye,) = rows(Kind.DETAILS_DELETED)
    assert goodbye.registration_id is None and goodbye.recipient == "gone@example.com"
    send_now()
    assert client.get(f"/booking/{token}").status_code == 404


def test_deleting_needs_a_post(client: FlaskClient, factory: Factory) -> None:
    registration = factory.registration(factory.event())
    client.get(f"/booking/{manage_token_for(registration.calendar_uid)}/delete")
    assert db.session.scalars(select(Registration)).one() is not None


@pytest.mark.parametrize("address", ["name@localhost", "a@b", "name@@example.com"])
def test_addresses_that_cannot_be_emailed_are_refused(
    client: FlaskClient, factory: Factory, address: str
) -> None:
    event = factory.event()

    response = client.post(
        f"/events/{event.slug}/register",
        data={"name": "Jo", "email": address, "consent": "y"},
    )

    assert response.status_code == 200
    errors = field_errors(check_page(response))
    assert errors["email"] == "Enter an email address in the correct format, like name@example.com"
    assert rows() == []
