"""Checking in by booking code, typed or scanned: a name and "Checked in", never an email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, Registration

TODAY_6PM = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def spaced(code: str | None) -> str:
    assert code is not None
    return f"{code[:4].lower()} {code[4:].lower()}"


def test_a_code_checks_the_person_in_and_shows_their_name_only(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM)
    ann = factory.registration(event, name="Ann Smith", email="ann@example.com")
    sign_in(client, check_in_staff)
    response = client.post(
        f"/organisers/check-in/{event.id}/code", data={"code": spaced(ann.booking_code)}
    )
    page = check_page(response)
    assert text_of(page.select_one("#check-in-result")) == "Ann Smith Checked in"
    assert "ann@example.com" not in page.get_text() and "a***@" not in page.get_text()
    assert text_of(page.select_one("[data-checked-in]")) == "1 of 1 checked in"
    assert ann.attended_at_utc == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "attendance_marked"
    assert entry.detail == f"Registration {ann.id}: checked in by booking code"


def test_a_second_scan_says_when_they_were_checked_in(
    client: FlaskClient,
    check_in_staff: Organiser,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM)
    ann = factory.registration(event, name="Ann Smith")
    sign_in(client, check_in_staff)
    url, data = f"/organisers/check-in/{event.id}/code", {"code": ann.booking_code}
    client.post(url, data=data)
    frozen_time.shift(timedelta(minutes=20))
    page = check_page(client.post(url, data=data))
    result = text_of(page.select_one("#check-in-result"))
    assert result == "Ann Smith Already checked in at 10am"
    assert db.session.scalars(select(AuditEntry)).all()[-1].action == "attendance_marked"
    assert len(db.session.scalars(select(AuditEntry)).all()) == 1


def test_a_code_from_another_event_or_a_typo_is_an_error(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    tonight = factory.event(starts_at_utc=TODAY_6PM)
    elsewhere = factory.registration(factory.event(starts_at_utc=TODAY_6PM))
    sign_in(client, check_in_staff)
    for code in (elsewhere.booking_code, "not a code"):
        page = check_page(
            client.post(f"/organisers/check-in/{tonight.id}/code", data={"code": code})
        )
        assert text_of(page.select_one("#code-error")) == (
            "Error: No booking for this event has this code"
        )
        assert page.select_one("#check-in-result") is None
    assert elsewhere.attended_at_utc is None


def test_someone_without_a_place_is_not_checked_in(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM, capacity=1, waiting_list_enabled=True)
    factory.registration(event)
    waiting = factory.registration(event, name="Wai Ting")
    sign_in(client, check_in_staff)
    page = check_page(
        client.post(f"/organisers/check-in/{event.id}/code", data={"code": waiting.booking_code})
    )
    assert text_of(page.select_one("#check-in-result")) == (
        "Wai Ting Does not have a place at this event"
    )
    assert waiting.attended_at_utc is None


def test_search_finds_a_person_by_code_as_well_as_by_name(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM)
    ann = factory.registration(event, name="Ann Smith")
    factory.registration(event, name="Bob Jones")
    sign_in(client, check_in_staff)
    page = check_page(
        client.get(f"/organisers/check-in/{event.id}", query_string={"q": spaced(ann.booking_code)})
    )
    buttons = [text_of(button) for button in page.select("ul form[method=post] button")]
    assert buttons == ["Check in Ann Smith"]


def test_only_the_check_in_page_may_use_the_camera(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    event = factory.event(starts_at_utc=TODAY_6PM)
    sign_in(client, check_in_staff)
    page = client.get(f"/organisers/check-in/{event.id}")
    assert page.headers["Permissions-Policy"].startswith("camera=(self)")
    other = client.get("/organisers/check-in")
    assert other.headers["Permissions-Policy"].startswith("camera=()")
    form = check_page(page).select_one("form[action$='/code']")
    assert form is not None and form.select_one("input[name=code]") is not None
    # The scanner stays hidden until its script finds the browser can scan.
    assert form.select_one("[data-scanner]").has_attr("hidden")  # type: ignore[union-attr]


def test_a_code_someone_else_just_checked_in_is_not_checked_in_again(
    client: FlaskClient, check_in_staff: Organiser, factory: Factory
) -> None:
    from webinar.organisers.services.check_in import CodeOutcome, check_in_by_code

    event = factory.event(starts_at_utc=TODAY_6PM)
    ann = factory.registration(event, name="Ann Smith")
    # Another phone checked them in a moment ago: the UPDATE is conditional, so no second
    # check-in and no second audit entry.
    db.session.execute(
        Registration.__table__.update()  # type: ignore[attr-defined]
        .where(Registration.__table__.c.id == ann.id)  # type: ignore[attr-defined]
        .values(attended_at_utc=datetime(2026, 11, 28, 9, 59, tzinfo=UTC))
    )
    result = check_in_by_code(
        event=event, code=ann.booking_code or "", organiser=check_in_staff, now=datetime.now(UTC)
    )
    assert result.outcome == CodeOutcome.ALREADY_CHECKED_IN
    assert result.checked_in_at_utc == datetime(2026, 11, 28, 9, 59, tzinfo=UTC)
    assert db.session.scalars(select(AuditEntry)).all() == []
