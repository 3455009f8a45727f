"""Messaging attendees: write, preview with a count, then queue through the outbox."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from tests.pages import check_page, field_errors, text_of
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, OutboxMessage

KIND = "message_from_organiser_to_attendee"


def queued() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == KIND)))


def test_preview_then_send_to_the_waiting_list_only(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(capacity=1, waiting_list_enabled=True)
    factory.registration(event, email="booked@example.com")
    factory.registration(event, email="waiting@example.com", discreet=True)
    sign_in(client, organiser)
    db.session.commit()
    url = f"/organisers/events/{event.id}/message"
    check_page(client.get(url))
    data = {"audience": "waiting", "subject": "More places soon", "body": "Hello.\n\nSee you."}

    preview = check_page(client.post(url, data=data))
    assert text_of(preview.find("h1")) == "Send this message to 1 person?"
    assert "1 of them asked for discreet messages" in preview.get_text()
    assert queued() == []

    response = client.post(url, data={**data, "confirmed": "yes"})
    assert response.status_code == 302
    messages = queued()
    assert [message.recipient for message in messages] == ["waiting@example.com"]
    assert messages[0].payload == {"subject": "More places soon", "body": "Hello.\n\nSee you."}
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.record_count, entry.event_id) == ("message_queued", 1, event.id)


def test_sending_to_everyone(client: FlaskClient, organiser: Organiser, factory: Factory) -> None:
    event = factory.event()
    factory.registration(event)
    factory.registration(event)
    sign_in(client, organiser)
    db.session.commit()
    data = {"audience": "all", "subject": "Hi", "body": "Text", "confirmed": "yes"}
    client.post(f"/organisers/events/{event.id}/message", data=data)
    assert len(queued()) == 2


def test_messages_need_a_group_with_people_a_subject_and_text(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event()
    sign_in(client, organiser)
    db.session.commit()
    url = f"/organisers/events/{event.id}/message"
    page = check_page(client.post(url, data={}))
    assert field_errors(page) == {
        "audience": "Select who should get this message",
        "subject": "Enter a subject",
        "body": "Enter a message",
    }
    nobody = check_page(client.post(url, data={"audience": "all", "subject": "S", "body": "B"}))
    assert field_errors(nobody) == {
        "audience": "Nobody in this group is registered. Choose another."
    }


def test_a_tampered_group_gets_a_plain_message(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event()
    sign_in(client, organiser)
    db.session.commit()
    data = {"audience": "everyone-ever", "subject": "S", "body": "B"}
    page = check_page(client.post(f"/organisers/events/{event.id}/message", data=data))
    assert field_errors(page) == {"audience": "Select who should get this message"}
