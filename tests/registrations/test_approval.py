"""Events by approval: requests hold no place, organisers approve or decline from the
attendee list, every outcome is emailed, and approval obeys the booking rules."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.notifications.helpers import bodies, send_now, use_smtp
from tests.organisers.conftest import flashed_messages, make_organiser, sign_in
from tests.pages import check_page, field_errors, text_of
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import (
    AuditEntry,
    Event,
    EventAccess,
    OrganiserRole,
    Registration,
    RegistrationStatus,
    utc_now,
)
from webinar.notifications.kinds import Kind
from webinar.registrations.approval import NotRequested, approve_request
from webinar.registrations.places import NoPlaceLeft


def by_approval(factory: Factory, **values: Any) -> Event:
    event = factory.event(**values)
    event.access = EventAccess.APPROVAL
    db.session.commit()
    return event


def kinds() -> list[str]:
    from webinar.models import OutboxMessage

    return list(
        db.session.scalars(
            select(OutboxMessage.kind)
            .where(OutboxMessage.kind != Kind.REMINDER)
            .order_by(OutboxMessage.id)
        )
    )


def decide(client: FlaskClient, registration: Registration, **data: str) -> Any:
    url = f"/organisers/events/{registration.event_id}/attendees/{registration.id}/decide"
    return client.post(url, data=data)


def test_a_request_holds_no_place_and_looks_like_any_registration(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = by_approval(factory, capacity=1)
    page = check_page(client.get(f"/events/{event.slug}"))
    assert "The organisers approve each place." in text_of(page)
    first = submit_registration(event, email="first@example.com")
    repeat = submit_registration(event, email="first@example.com")
    open_event = factory.event()
    booked = submit_registration(open_event, email="first@example.com")
    # The same "Check your email" page for a request, a repeat and a booking.
    assert first.location == repeat.location == f"/events/{event.slug}/check-your-email"
    assert booked.location == f"/events/{open_event.slug}/check-your-email"
    registration = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id)
    ).one()
    assert registration.status == RegistrationStatus.REQUESTED
    assert event.places_taken == 0
    assert kinds()[:2] == [Kind.PLACE_REQUESTED, Kind.ALREADY_REGISTERED]


def test_the_request_emails_say_what_happens_next(
    app: Flask, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = by_approval(factory)
    factory.registration(event, email="sam@example.com")
    factory.registration(event, email="sam@example.com")
    send_now()
    first, repeat = (bodies(message)[0] for message in smtp_server.wait_for(2))
    assert "You have asked for a place at:" in first
    assert "We will email you when they have decided." in first
    assert "You have already asked for a place at:" in repeat


def test_approving_takes_a_place_and_emails_an_invitation_with_the_message(
    app: Flask, client: FlaskClient, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = by_approval(factory, capacity=2)
    registration = factory.registration(event, name="Ann Smith")
    sign_in(client, make_organiser(OrganiserRole.ORGANISER))
    page = check_page(client.get(f"/organisers/events/{event.id}/attendees"))
    assert "Approve or decline the request from Ann Smith" in text_of(page)
    # A request is declined, not cancelled: cancelling would say "booking cancelled".
    assert "Cancel booking for Ann Smith" not in text_of(page)
    form = check_page(
        client.get(f"/organisers/events/{event.id}/attendees/{registration.id}/decide")
    )
    assert text_of(form.find("h1")) == "Request for a place from Ann Smith"
    response = decide(client, registration, decision="approve", message="See you there.")
    assert response.location.endswith(f"/organisers/events/{event.id}/attendees")
    assert flashed_messages(client) == ["Request approved"]
    assert registration.status == RegistrationStatus.BOOKED and event.places_taken == 1
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.detail) == (
        "request_approved",
        f"Registration {registration.id}, with a message",
    )
    send_now()
    message = smtp_server.wait_for(2)[-1]
    plain, _ = bodies(message)
    assert "The organisers have approved your request. You have a place at:" in plain
    assert "See you there." in plain
    assert f"Your booking code is {registration.booking_code[:4]}" in plain  # type: ignore[index]
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())


def test_declining_emails_the_message_and_takes_no_place(
    app: Flask, client: FlaskClient, factory: Factory, smtp_server: SMTPServer
) -> None:
    use_smtp(app, smtp_server)
    event = by_approval(factory)
    registration = factory.registration(event)
    sign_in(client, make_organiser(OrganiserRole.ORGANISER))
    decide(client, registration, decision="decline", message="This session is for staff.")
    assert registration.status == RegistrationStatus.CANCELLED and event.places_taken == 0
    send_now()
    # The "you have asked" email was still waiting: it is no longer worth sending.
    plain, _ = bodies(smtp_server.wait_for(1)[-1])
    assert "The organisers could not give you a place at:" in plain
    assert "This session is for staff." in plain
    assert db.session.scalars(select(AuditEntry.action)).all() == ["request_declined"]


def test_approving_when_full_is_refused_and_a_decided_request_cannot_be_decided_again(
    client: FlaskClient, factory: Factory
) -> None:
    event = by_approval(factory, capacity=1)
    first, second = factory.registration(event), factory.registration(event)
    sign_in(client, make_organiser(OrganiserRole.ORGANISER))
    decide(client, first, decision="approve")
    page = check_page(decide(client, second, decision="approve"))
    assert field_errors(page) == {
        "decision": "There are no places left. Add places to the event first, or decline "
        "the request"
    }
    assert second.status == RegistrationStatus.REQUESTED and event.places_taken == 1
    response = decide(client, first, decision="decline")
    assert response.status_code == 302
    assert "This request has already been decided or withdrawn" in flashed_messages(client)
    assert first.status == RegistrationStatus.BOOKED


def test_a_person_can_withdraw_their_request(client: FlaskClient, factory: Factory) -> None:
    from tests.factories import manage_url

    event = by_approval(factory)
    registration = factory.registration(event)
    page = check_page(client.get(manage_url(registration)))
    assert "You have asked for a place." in text_of(page)
    client.post(manage_url(registration) + "/cancel")
    assert registration.status == RegistrationStatus.CANCELLED and event.places_taken == 0
    assert kinds()[-1] == Kind.REQUEST_WITHDRAWN


def test_two_approvals_at_once_for_the_last_place_give_it_once(any_app: Flask) -> None:
    factory = Factory()
    event = by_approval(factory, capacity=1)
    ids = [factory.registration(event).id for _ in range(6)]
    event_id = event.id
    db.session.remove()

    def attempt(registration_id: int) -> str:
        with any_app.app_context():
            try:
                registration = db.session.get(Registration, registration_id)
                assert registration is not None
                approve_request(registration=registration, message="", now=utc_now())
                db.session.commit()
                return "approved"
            except (NoPlaceLeft, NotRequested):
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, ids))

    assert outcomes.count("approved") == 1
    statuses = db.session.scalars(
        select(Registration.status).where(Registration.event_id == event_id)
    ).all()
    assert statuses.count(RegistrationStatus.BOOKED) == 1
    assert statuses.count(RegistrationStatus.REQUESTED) == 5
    assert db.session.get(Event, event_id).places_taken == 1  # type: ignore[union-attr]


def test_the_same_request_approved_twice_at_once_takes_one_place(any_app: Flask) -> None:
    factory = Factory()
    event = by_approval(factory, capacity=5)
    registration_id = factory.registration(event).id
    event_id = event.id
    db.session.remove()

    def attempt(_: int) -> str:
        with any_app.app_context():
            try:
                registration = db.session.get(Registration, registration_id)
                assert registration is not None
                approve_request(registration=registration, message="", now=utc_now())
                db.session.commit()
                return "approved"
            except (NoPlaceLeft, NotRequested):
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))

    assert outcomes.count("approved") == 1
    assert db.session.get(Event, event_id).places_taken == 1  # type: ignore[union-attr]
