"""Questions on an event's form: up to five, answered when registering, shown to the
organisers, counted, hidden (never removed) once answered, and deleted with the booking."""

from __future__ import annotations

import io
from csv import reader
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import VALID_REGISTRATION, Factory, manage_url
from tests.organisers.conftest import flashed_messages, make_organiser, sign_in
from tests.pages import check_page, field_errors, text_of
from webinar.extensions import db
from webinar.models import (
    AuditEntry,
    Event,
    FormAnswer,
    FormQuestion,
    OrganiserRole,
    Registration,
    utc_now,
)
from webinar.registrations.retention import purge_personal_data

QUESTIONS = [
    {"text": "Which session?", "kind": "choice", "choices": "Morning\nEvening", "required": "y"},
    {"text": "Will you need parking?", "kind": "yes_no"},
    {"text": "How did you hear about us?", "kind": "text"},
]


def organiser_client(client: FlaskClient) -> FlaskClient:
    return sign_in(client, make_organiser(OrganiserRole.ORGANISER))


def add_questions(client: FlaskClient, event: Event) -> list[FormQuestion]:
    for data in QUESTIONS:
        response = client.post(f"/organisers/events/{event.id}/form-questions", data=data)
        assert response.status_code == 302, field_errors(check_page(response))
    return list(db.session.scalars(select(FormQuestion).order_by(FormQuestion.id)))


def register(client: FlaskClient, event: Event, **answers: str) -> Any:
    return client.post(f"/events/{event.slug}/register", data={**VALID_REGISTRATION, **answers})


def test_organisers_add_up_to_five_questions_and_each_is_audited(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    organiser_client(client)
    add_questions(client, event)
    url = f"/organisers/events/{event.id}/form-questions"
    bad_choice = client.post(url, data={"text": "Pick", "kind": "choice", "choices": "Only one"})
    assert field_errors(check_page(bad_choice)) == {
        "choices": "Enter 2 to 10 choices, one on each line"
    }
    for text in ("Fourth?", "Fifth?"):
        client.post(url, data={"text": text, "kind": "text"})
    sixth = check_page(client.post(url, data={"text": "Sixth?", "kind": "text"}))
    assert field_errors(sixth) == {"text": "The form already shows 5 questions. Hide one first"}
    page = check_page(client.get(url))
    assert len(page.select("#form-questions li")) == 5
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["form_question_added"] * 5


def test_answers_are_asked_checked_and_shown_to_the_organisers(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    organiser_client(client)
    add_questions(client, event)
    public = client.application.test_client()
    form = check_page(public.get(f"/events/{event.slug}/register"))
    labels = [text_of(legend) for legend in form.select("legend")]
    assert "Which session?" in labels and "Will you need parking? (optional)" in labels
    missing = check_page(register(public, event))
    assert field_errors(missing)["answer_1"] == "Select an answer to ‘Which session?’"
    made_up = check_page(register(public, event, answer_1="Midnight"))
    assert field_errors(made_up)["answer_1"] == "Select an answer to ‘Which session?’"
    response = register(public, event, answer_1="Evening", answer_2="Yes", answer_3="A poster")
    assert response.location.endswith("/check-your-email")
    answers = db.session.scalars(select(FormAnswer.value).order_by(FormAnswer.id)).all()
    assert answers == ["Evening", "Yes", "A poster"]

    page = check_page(client.get(f"/organisers/events/{event.id}/attendees"))
    headers = [text_of(th) for th in page.select("thead th")]
    assert headers[4:7] == [
        "Which session?",
        "Will you need parking?",
        "How did you hear about us?",
    ]
    row = [text_of(td) for td in page.select("tbody tr")[0].select("td")]
    assert row[4:7] == ["Evening", "Yes", "A poster"]
    csv = client.get(f"/organisers/events/{event.id}/attendees.csv").get_data(as_text=True)
    header, first = list(reader(io.StringIO(csv.lstrip("\ufeff"))))[:2]
    assert header[-3:] == ["Which session?", "Will you need parking?", "How did you hear about us?"]
    assert first[-3:] == ["Evening", "Yes", "A poster"]
    dashboard = check_page(client.get("/organisers/"))
    counts = [text_of(td) for td in dashboard.select("#answer-counts tbody td")]
    assert counts[1:3] == ["Which session?", "Evening: 1"]
    assert counts[4:6] == ["Will you need parking?", "Yes: 1"]


def test_a_repeat_registration_does_not_add_answers(client: FlaskClient, factory: Factory) -> None:
    event = factory.event()
    organiser_client(client)
    add_questions(client, event)
    public = client.application.test_client()
    register(public, event, answer_1="Evening")
    register(public, event, answer_1="Morning")
    assert db.session.scalars(select(FormAnswer.value)).all() == ["Evening"]


def test_an_answered_question_can_be_hidden_but_not_removed(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    organiser_client(client)
    first, second, _ = add_questions(client, event)
    register(client.application.test_client(), event, answer_1="Morning")
    base = f"/organisers/events/{event.id}/form-questions"
    page = check_page(client.get(f"{base}/{first.id}"))
    assert page.find("button", string="Remove question") is None
    client.post(f"{base}/{first.id}/remove")
    assert "People have answered this question, so it can only be hidden" in flashed_messages(
        client
    )
    assert db.session.get(FormQuestion, first.id) is not None
    data = {"text": "Which session?", "choices": "Morning\nEvening", "hidden": "y"}
    assert client.post(f"{base}/{first.id}", data=data).status_code == 302
    form = check_page(client.get(f"/events/{event.slug}/register"))
    assert "Which session?" not in text_of(form)
    attendees = check_page(client.get(f"/organisers/events/{event.id}/attendees"))
    assert "Morning" in text_of(attendees.find("tbody"))
    # Nobody answered the second: it can go.
    client.post(f"{base}/{second.id}/remove")
    assert db.session.get(FormQuestion, second.id) is None
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["form_question_changed", "form_question_removed"]


def test_answers_go_with_the_booking_and_with_the_retention_purge(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    organiser_client(client)
    add_questions(client, event)
    public = client.application.test_client()
    register(public, event, answer_1="Morning", email="one@example.com")
    register(public, event, answer_1="Evening", email="two@example.com")
    first = db.session.scalars(
        select(Registration).where(Registration.email == "one@example.com")
    ).one()
    public.post(f"{manage_url(first)}/delete")
    assert db.session.scalars(select(FormAnswer.value)).all() == ["Evening"]
    event.ends_at_utc = utc_now() - timedelta(days=40)
    event.starts_at_utc = event.ends_at_utc - timedelta(hours=1)
    db.session.commit()
    purge_personal_data(now=utc_now(), retention_days=30)
    db.session.commit()
    assert db.session.scalars(select(FormAnswer)).all() == []
