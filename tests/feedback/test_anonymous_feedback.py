"""Feedback is anonymous: once per booking, and nothing stored ties an answer to anyone
(docs/safety.md#anonymous-feedback)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from tests.pages import check_page, parse, text_of
from webinar.extensions import db
from webinar.feedback.answers import Answers, FeedbackOutcome, save_answers
from webinar.feedback.tokens import feedback_token_for
from webinar.models import AuditEntry, FeedbackAnswer, FeedbackUsed, Organiser, OutboxMessage
from webinar.registrations.retention import purge_personal_data

STARTS = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
ANSWERS = {"usefulness": "4", "learned_where_to_get_help": "yes", "what_to_change": "More time"}


def test_each_booking_answers_once_and_sees_a_thank_you(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    ash = factory.registration(event)
    path = f"/feedback/{feedback_token_for(ash)}"
    assert client.get(path).status_code == 404, "not before the event"
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))

    form = check_page(client.get(path))
    assert text_of(form.find("h1")) == "Tell us what you thought"
    errors = check_page(client.post(path, data={}))
    assert "Select how useful the event was" in text_of(errors)
    response = client.post(path, data=ANSWERS)
    assert response.location == "/feedback/thank-you"
    assert text_of(check_page(client.get(response.location)).find("h1")) == (
        "Thank you for your feedback"
    )

    again = check_page(client.post(path, data={**ANSWERS, "usefulness": "1"}))
    assert text_of(again.find("h1")) == "You’ve already given feedback"
    assert [a.usefulness for a in db.session.scalars(select(FeedbackAnswer))] == [4]


def test_a_made_up_or_cancelled_link_does_not_work(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    ash = factory.registration(event)
    token = feedback_token_for(ash)
    client.post("/booking/x/cancel")
    frozen_time.move_to(event.ends_at_utc)
    assert client.get(f"/feedback/{event.id}-made-up").status_code == 404
    assert client.get("/feedback/not-a-number").status_code == 404
    other = factory.event(starts_at_utc=STARTS + timedelta(days=1), slug="other")
    assert client.get(f"/feedback/{other.id}-{token.partition('-')[2]}").status_code == 404


def test_nothing_stored_links_an_answer_to_a_booking(
    app: Flask, client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    people = [factory.registration(event) for _ in range(3)]
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))
    rows_before = {
        "audit": db.session.query(AuditEntry).count(),
        "outbox": db.session.query(OutboxMessage).count(),
    }
    for number, person in enumerate(people, start=1):
        client.post(
            f"/feedback/{feedback_token_for(person)}", data={**ANSWERS, "usefulness": str(number)}
        )
        frozen_time.shift(timedelta(minutes=3))

    inspector = inspect(db.engine)
    answer_columns = {column["name"] for column in inspector.get_columns("feedback_answer")}
    assert answer_columns == {
        "id",
        "event_id",
        "usefulness",
        "learned_where_to_get_help",
        "what_to_change",
    }, "no booking, address or time"
    assert {c["name"] for c in inspector.get_columns("feedback_used")} == {"token_hash"}
    assert [fk["referred_table"] for fk in inspector.get_foreign_keys("feedback_answer")] == [
        "event"
    ]
    assert inspector.get_foreign_keys("feedback_used") == []
    for table in inspector.get_table_names():
        if table in ("feedback_answer", "feedback_used"):
            continue
        for fk in inspector.get_foreign_keys(table):
            assert fk["referred_table"] not in ("feedback_answer", "feedback_used"), table

    answers = list(db.session.scalars(select(FeedbackAnswer)))
    ids = [answer.id for answer in answers]
    assert all(len(answer_id) == 32 and not answer_id.isdigit() for answer_id in ids)
    used = set(db.session.scalars(select(FeedbackUsed.token_hash)))
    stored = {
        str(value)
        for row in db.session.execute(text("SELECT * FROM registration"))
        for value in row
    }
    assert not used & stored, "the booking does not store its feedback hash"
    assert db.session.query(AuditEntry).count() == rows_before["audit"], "answering is not logged"
    assert db.session.query(OutboxMessage).count() == rows_before["outbox"]
    for person in people:
        token = feedback_token_for(person)
        for value in stored:
            assert token not in value


def test_organisers_see_counts_a_table_the_comments_and_can_download_them(
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    people = [factory.registration(event) for _ in range(3)]
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))
    comments = ["Shorter talks", "", "A later start"]
    for person, score, comment in zip(people, ("5", "5", "2"), comments, strict=True):
        client.post(
            f"/feedback/{feedback_token_for(person)}",
            data={**ANSWERS, "usefulness": score, "what_to_change": comment},
        )
    frozen_time.move_to(datetime.now(UTC))

    signed_in = sign_in(client, organiser)
    page = parse(signed_in.get(f"/organisers/events/{event.id}/feedback"))
    assert text_of(page.select_one("[data-count=answers]")).startswith("3 answers")
    assert page.find("svg", attrs={"role": "img"}) is not None
    usefulness = {
        text_of(row.find("th")): text_of(row.find("td"))
        for row in page.select("[data-table=usefulness] tbody tr")
    }
    assert usefulness == {"5": "2", "4": "0", "3": "0", "2": "1", "1": "0"}
    assert [text_of(li) for li in page.select("[data-comments] li")] == [
        "A later start",
        "Shorter talks",
    ]
    download = signed_in.get(f"/organisers/events/{event.id}/feedback.csv")
    lines = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0] == ["How useful (1 to 5)", "Learned where to get help", "What to change"]
    assert sorted(lines[1:]) == lines[1:] and len(lines) == 4
    assert db.session.query(AuditEntry).filter_by(action="feedback_exported").one()


def test_free_text_is_deleted_after_the_retention_period(
    client: FlaskClient, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    ash = factory.registration(event)
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))
    client.post(f"/feedback/{feedback_token_for(ash)}", data=ANSWERS)

    purge_personal_data(now=event.ends_at_utc + timedelta(days=91), retention_days=90)
    db.session.commit()

    (answer,) = db.session.scalars(select(FeedbackAnswer))
    assert answer.what_to_change is None and answer.usefulness == 4


def test_the_dashboard_counts_answers_per_event_and_links_to_them(
    client: FlaskClient,
    organiser: Organiser,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    event = factory.event(starts_at_utc=STARTS)
    ash = factory.registration(event)
    frozen_time.move_to(event.ends_at_utc + timedelta(hours=1))
    client.post(f"/feedback/{feedback_token_for(ash)}", data=ANSWERS)

    page = parse(sign_in(client, organiser).get("/organisers/"))

    row = page.select_one("[data-table=events] tbody tr")
    assert row is not None
    link = row.find("a", href=f"/organisers/events/{event.id}/feedback")
    assert link is not None and text_of(link).startswith("1")


def test_a_second_answer_is_refused_by_the_database_on_postgresql(
    pg_app: Flask, frozen_time: time_machine.Coordinates
) -> None:
    event = Factory().event(starts_at_utc=STARTS)
    ash = Factory().registration(event)
    token = feedback_token_for(ash)
    frozen_time.move_to(event.ends_at_utc)
    answers = Answers(usefulness=3, learned_where_to_get_help="no", what_to_change=None)

    first = save_answers(token, answers, now=datetime.now(UTC))
    db.session.commit()
    # As if two tabs had both passed the "already answered" check.
    second = save_answers(token, answers, now=datetime.now(UTC))
    db.session.commit()

    assert (first, second) == (FeedbackOutcome.SAVED, FeedbackOutcome.ALREADY_ANSWERED)
    assert db.session.query(FeedbackAnswer).count() == 1
