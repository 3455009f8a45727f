"""The event's row is locked as late as possible, and a registration without a place
leaves nothing behind.

Every booking for an event queues on its row, so the statement that takes the place is the
last one before the commit (docs/architecture.md#the-events-row).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select, update

from tests.factories import Factory
from webinar.extensions import db
from webinar.models import (
    AnswerKind,
    Event,
    EventStatus,
    FormAnswer,
    FormQuestion,
    OutboxMessage,
    Question,
    Registration,
    RegistrationStatus,
)
from webinar.notifications.kinds import Kind
from webinar.registrations.booking import (
    RegistrationClosed,
    RegistrationOutcome,
    add_by_hand,
    register_for_event,
)
from webinar.registrations.places import NoPlaceLeft

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent to the database, COMMIT included, in order."""
    sent: list[str] = []
    engine = db.engine

    def before(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        sent.append(" ".join(statement.split())[:60])

    def commit(_conn):  # type: ignore[no-untyped-def]
        sent.append("COMMIT")

    sqlalchemy_event.listen(engine, "before_cursor_execute", before)
    sqlalchemy_event.listen(engine, "commit", commit)
    try:
        yield sent
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", before)
        sqlalchemy_event.remove(engine, "commit", commit)


def register(event: Event, email: str, **extra: object) -> RegistrationOutcome:
    outcome = register_for_event(
        event=event,
        name="Sam",
        email=email,
        accessibility_needs=None,
        question=extra.pop("question", None),  # type: ignore[arg-type]
        discreet=False,
        now=NOW,
        **extra,  # type: ignore[arg-type]
    )
    db.session.commit()
    return outcome


def add_alex(event: Event) -> Registration:
    """An organiser books Alex in by hand."""
    return add_by_hand(
        event=event,
        name="Alex",
        email="alex@example.com",
        accessibility_needs=None,
        discreet=False,
        now=NOW,
    )


def question_for(event: Event) -> FormQuestion:
    question = FormQuestion(
        event_id=event.id,
        text="Your team",
        kind=AnswerKind.TEXT,
        required=False,
        created_at_utc=NOW,
    )
    db.session.add(question)
    db.session.commit()
    return question


def test_taking_the_place_is_the_last_statement_before_the_commit(any_app: Flask) -> None:
    event = Factory().event(capacity=10, accepts_questions=True)
    question = question_for(event)

    with statements() as sent:
        register(
            event, "sam@example.com", question="Will it be recorded?", answers={question.id: "A"}
        )

    takes_place = [n for n, s in enumerate(sent) if s.startswith("UPDATE event SET places_taken")]
    assert len(takes_place) == 1
    assert sent[takes_place[0] + 1 :] == ["COMMIT"]
    # The question, the answer and the emails were all written before it.
    written = " ".join(sent[: takes_place[0]])
    for table in ("INSERT INTO question", "INSERT INTO form_answer", "INSERT INTO outbox_message"):
        assert table in written


def test_joining_the_waiting_list_locks_the_event_last_too(any_app: Flask) -> None:
    event = Factory().event(capacity=1, waiting_list_enabled=True)
    register(event, "booked@example.com")

    with statements() as sent:
        outcome = register(event, "waiting@example.com")

    assert outcome == RegistrationOutcome.WAITING
    assert sent[-2].startswith("UPDATE event SET places_taken")
    assert sent[-1] == "COMMIT"


def test_someone_who_finds_the_event_full_gets_only_the_waiting_list_email(
    any_app: Flask,
) -> None:
    event = Factory().event(capacity=1, waiting_list_enabled=True)
    question = question_for(event)
    register(event, "booked@example.com")

    outcome = register(event, "waiting@example.com", answers={question.id: "Outreach"})

    assert outcome == RegistrationOutcome.WAITING
    waiting = db.session.scalars(select(Registration).filter_by(email="waiting@example.com")).one()
    assert waiting.status == RegistrationStatus.WAITING
    kinds = db.session.scalars(
        select(OutboxMessage.kind).filter_by(recipient="waiting@example.com")
    ).all()
    # No confirmation or reminders of the booking that found no place.
    assert kinds == [Kind.ADDED_TO_WAITING_LIST]
    answers = db.session.execute(select(FormAnswer.registration_id, FormAnswer.value)).all()
    assert [tuple(answer) for answer in answers] == [(waiting.id, "Outreach")]
    db.session.refresh(event)
    assert event.places_taken == 1


def test_an_organiser_adding_someone_to_a_full_event_leaves_nothing_behind(
    any_app: Flask,
) -> None:
    event = Factory().event(capacity=1)
    register(event, "booked@example.com")

    with pytest.raises(NoPlaceLeft):
        add_alex(event)
    # Even if the request went on to commit something else.
    db.session.commit()

    registrations = db.session.scalar(select(func.count()).select_from(Registration))
    messages = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).filter_by(recipient="alex@example.com")
    )
    assert (registrations, messages) == (1, 0)
    db.session.refresh(event)
    assert event.places_taken == 1


def test_an_organiser_adding_someone_takes_the_place_last_too(any_app: Flask) -> None:
    event = Factory().event(capacity=10)

    with statements() as sent:
        registration = add_alex(event)
        db.session.commit()

    assert sent[-2].startswith("UPDATE event SET places_taken")
    assert sent[-1] == "COMMIT"
    assert registration.added_by_organiser


def test_a_repeat_registration_still_sends_its_question_to_the_panel(any_app: Flask) -> None:
    event = Factory().event(accepts_questions=True)
    register(event, "sam@example.com")

    outcome = register(event, "sam@example.com", question="Is there a recording?")

    assert outcome == RegistrationOutcome.ALREADY_REGISTERED
    asked = db.session.scalars(select(Question.text).filter_by(event_id=event.id)).all()
    assert asked == ["Is there a recording?"]


def test_joining_the_list_of_an_event_closed_a_moment_ago_leaves_nothing_behind(
    any_app: Flask,
) -> None:
    event = Factory().event(capacity=1, waiting_list_enabled=True)
    register(event, "booked@example.com")
    # Unpublished by an organiser after this request read the event.
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(status=EventStatus.DRAFT)
        .execution_options(synchronize_session=False)
    )

    with pytest.raises(RegistrationClosed):
        register(event, "late@example.com")
    # Even if the request went on to commit something else.
    db.session.commit()

    people = db.session.scalars(select(Registration.email)).all()
    messages = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).filter_by(recipient="late@example.com")
    )
    assert (people, messages) == (["booked@example.com"], 0)
