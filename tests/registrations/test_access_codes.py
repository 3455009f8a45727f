"""Events by access code: the organisers choose it, the form asks for it, the public page
says how to get a place and never shows the code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import check_page, field_errors, text_of
from webinar.extensions import db
from webinar.models import (
    AuditEntry,
    Event,
    EventAccess,
    OrganiserRole,
    Registration,
    RegistrationStatus,
)


def with_code(factory: Factory, code: str = "GARDEN-2026") -> Event:
    event = factory.event()
    event.access = EventAccess.CODE
    event.access_code = code
    db.session.commit()
    return event


def test_organisers_choose_an_access_code_and_the_log_does_not_keep_it(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    sign_in(client, make_organiser(OrganiserRole.ORGANISER))
    url = f"/organisers/events/{event.id}/access"
    page = check_page(client.post(url, data={"access": "code"}))
    assert field_errors(page) == {"access_code": "Enter an access code"}
    response = client.post(url, data={"access": "code", "access_code": "GARDEN-2026"})
    assert response.location.endswith(f"/organisers/events/{event.id}")
    assert (event.access, event.access_code) == (EventAccess.CODE, "GARDEN-2026")
    page = check_page(client.get(response.location))
    assert "People with the access code (code: GARDEN-2026)" in text_of(page.find("dl"))
    client.post(url, data={"access": "code", "access_code": "ORCHARD-2026"})
    details = list(db.session.scalars(select(AuditEntry.detail).order_by(AuditEntry.id)))
    assert details == ["open to code, new access code", "new access code"]
    assert not any("GARDEN" in detail or "ORCHARD" in detail for detail in details)


def test_the_public_page_says_how_to_get_a_place_without_the_code(
    client: FlaskClient, factory: Factory
) -> None:
    event = with_code(factory)
    page = check_page(client.get(f"/events/{event.slug}"))
    assert "You need an access code to register." in text_of(page)
    assert "GARDEN" not in page.decode()


def test_the_form_asks_for_the_code_and_a_wrong_one_is_an_error(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = with_code(factory)
    form = check_page(client.get(f"/events/{event.slug}/register"))
    assert form.select_one("input[name=access_code]") is not None
    missing = check_page(submit_registration(event))
    assert field_errors(missing) == {"access_code": "Enter the access code the organisers gave you"}
    wrong = check_page(submit_registration(event, access_code="GARDEN-2025"))
    assert field_errors(wrong) == {
        "access_code": "The access code is not correct. Check it with the person who invited you"
    }
    assert db.session.scalars(select(Registration)).all() == []
    response = submit_registration(event, access_code=" garden-2026 ")
    assert response.location.endswith(f"/events/{event.slug}/check-your-email")
    assert db.session.scalars(select(Registration.status)).all() == [RegistrationStatus.BOOKED]


def test_a_changed_code_replaces_the_old_one(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = with_code(factory)
    event.access_code = "ORCHARD-2026"
    db.session.commit()
    assert field_errors(check_page(submit_registration(event, access_code="GARDEN-2026")))
    assert submit_registration(event, access_code="ORCHARD-2026").status_code == 302


def test_open_events_ask_for_no_code(client: FlaskClient, factory: Factory) -> None:
    event = factory.event()
    form = check_page(client.get(f"/events/{event.slug}/register"))
    assert form.select_one("input[name=access_code]") is None
    assert "access code" not in text_of(check_page(client.get(f"/events/{event.slug}")))
