"""Questions for the panel: no link to who asked; select, answer, hide, export."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, Question, QuestionStatus


def test_marking_and_exporting_selected_questions(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)
    factory.registration(
        event, name="Asker", email="asker@example.com", question="=cmd|' /C calc'!A0"
    )
    factory.registration(event, question="How do I report stalking?")
    first, second = db.session.scalars(select(Question).order_by(Question.id)).all()
    sign_in(client, organiser)
    db.session.commit()
    page = check_page(client.get(f"/organisers/events/{event.id}/questions"))
    assert "How do I report stalking?" in page.get_text()
    assert "Asker" not in page.get_text() and "asker@example.com" not in page.get_text()

    url = f"/organisers/events/{event.id}/questions"
    client.post(f"{url}/{first.public_id}", data={"status": "selected"})
    client.post(f"{url}/{second.public_id}", data={"status": "hidden"})
    assert (first.status, second.status) == (QuestionStatus.SELECTED, QuestionStatus.HIDDEN)
    selected = check_page(client.get(url, query_string={"status": "selected"}))
    assert "How do I report stalking?" not in selected.get_text()

    response = client.get(f"/organisers/events/{event.id}/questions.csv")
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table == [["Question"], ["'=cmd|' /C calc'!A0"]]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(entry.action, entry.record_count, entry.detail) for entry in entries] == [
        ("question_status_changed", 1, f"Question {first.public_id} marked as selected"),
        ("question_status_changed", 1, f"Question {second.public_id} marked as hidden"),
        ("questions_exported", 1, ""),
    ]


def test_questions_of_another_event_cannot_be_changed(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)
    other = factory.event()
    factory.registration(event, question="Mine?")
    question = db.session.scalars(select(Question)).one()
    sign_in(client, organiser)
    db.session.commit()
    response = client.post(
        f"/organisers/events/{other.id}/questions/{question.public_id}", data={"status": "answered"}
    )
    assert response.status_code == 404
    assert (
        client.post(
            f"/organisers/events/{event.id}/questions/{question.public_id}",
            data={"status": "bogus"},
        ).status_code
        == 400
    )


def test_questions_give_no_clue_to_who_asked(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    # The order and day received could be matched to the attendee list: neither is shown.
    event = factory.event(accepts_questions=True)
    for question in ("Why is the sky blue?", "are recordings kept?", "How do I start?"):
        factory.registration(event, question=question)
    sign_in(client, organiser)
    db.session.commit()
    page = check_page(client.get(f"/organisers/events/{event.id}/questions"))
    headers = [text_of(header) for header in page.select("table thead th")]
    assert "Received" not in headers
    assert "28 November 2026" not in page.get_text()
    questions = [text_of(row.select_one("td")) for row in page.select("table tbody tr")]
    assert questions == ["are recordings kept?", "How do I start?", "Why is the sky blue?"]


def test_exported_questions_are_in_alphabetical_order(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)
    for question in ("Zebra crossings?", "Apps?"):
        factory.registration(event, question=question)
    for question in db.session.scalars(select(Question)):
        question.status = QuestionStatus.SELECTED
    db.session.commit()
    sign_in(client, organiser)
    db.session.commit()
    response = client.get(f"/organisers/events/{event.id}/questions.csv")
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table == [["Question"], ["Apps?"], ["Zebra crossings?"]]


def test_each_rows_buttons_name_their_own_question(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)
    for text in ("Alpha?", "Beta?"):
        factory.registration(event, question=text)
    sign_in(client, organiser)
    db.session.commit()

    page = check_page(client.get(f"/organisers/events/{event.id}/questions"))

    for number, row in enumerate(page.select("tbody tr"), start=1):
        labels = {text_of(button) for button in row.select("button")}
        assert labels and all(label.endswith(f": question {number}") for label in labels)
