"""Personal data is removed 30 days after an event ends; the counts survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.factories import Factory
from webinar.extensions import db
from webinar.models import (
    AnswerKind,
    Event,
    FormAnswer,
    FormQuestion,
    OutboxMessage,
    Question,
    Registration,
    RegistrationStatus,
)
from webinar.registrations.queries import find_registration_by_token
from webinar.registrations.retention import purge_in_steps, purge_personal_data
from webinar.security import manage_token_for

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def booked_event(factory: Factory, *, ended_days_ago: int) -> Event:
    ends = NOW - timedelta(days=ended_days_ago)
    event = factory.event(
        starts_at_utc=ends - timedelta(hours=1), ends_at_utc=ends, accepts_questions=True
    )
    return event


def test_bookings_of_long_finished_events_lose_their_personal_data(
    app: Flask, factory: Factory
) -> None:
    old = booked_event(factory, ended_days_ago=31)
    recent = booked_event(factory, ended_days_ago=29)
    for event in (old, recent):
        # Registered while the event was still ahead.
        factory.registration(
            event,
            email=f"someone-{event.id}@example.com",
            accessibility_needs="Captions",
            question="A question",
            now=event.starts_at_utc - timedelta(days=7),
        )
    old_booking = db.session.scalars(select(Registration).filter_by(event_id=old.id)).one()
    token = manage_token_for(old_booking.calendar_uid)

    result = purge_personal_data(now=NOW, retention_days=30)
    db.session.commit()

    assert (result.events, result.registrations, result.questions) == (1, 1, 1)
    db.session.refresh(old_booking)
    assert old_booking.name == ""
    assert old_booking.email.endswith("@deleted.invalid")
    assert old_booking.accessibility_needs is None
    assert old_booking.status == RegistrationStatus.BOOKED
    assert find_registration_by_token(token) is None
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).filter_by(event_id=old.id)
        )
        == 0
    )
    kept = db.session.scalars(select(Registration).filter_by(event_id=recent.id)).one()
    assert kept.email == f"someone-{recent.id}@example.com"
    assert db.session.query(Question).filter_by(event_id=recent.id).count() == 1


def test_purging_twice_changes_nothing_more(app: Flask, factory: Factory) -> None:
    old = booked_event(factory, ended_days_ago=40)
    factory.registration(old, now=old.starts_at_utc - timedelta(days=1))
    purge_personal_data(now=NOW, retention_days=30)
    db.session.commit()

    again = purge_personal_data(now=NOW, retention_days=30)
    db.session.commit()

    assert again.registrations == 0


def test_the_command_uses_the_configured_retention(app: Flask, factory: Factory) -> None:
    old = booked_event(factory, ended_days_ago=10)
    factory.registration(old, now=old.starts_at_utc - timedelta(days=1))
    app.config["PERSONAL_DATA_RETENTION_DAYS"] = 7

    output = app.test_cli_runner().invoke(args=["purge-personal-data"]).output

    assert "Removed personal data from 1 bookings" in output


def _answered(registration: Registration, question: FormQuestion) -> None:
    db.session.add(
        FormAnswer(registration_id=registration.id, question_id=question.id, value="Radio")
    )
    db.session.commit()


def _count(model: type, *conditions: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def test_a_large_purge_goes_in_small_steps_and_carries_on_after_being_stopped(
    any_app: Flask,
) -> None:
    factory = Factory()
    old = booked_event(factory, ended_days_ago=31)
    recent = booked_event(factory, ended_days_ago=29)
    questions = {
        event.id: FormQuestion(event_id=event.id, text="Heard from?", kind=AnswerKind.TEXT)
        for event in (old, recent)
    }
    db.session.add_all(questions.values())
    people = []
    for number in range(5):
        person = factory.registration(
            old,
            name=f"Old {number}",
            email=f"old{number}@example.com",
            accessibility_needs="Captions",
            now=old.starts_at_utc - timedelta(days=3),
        )
        _answered(person, questions[old.id])
        people.append(person)
    kept = factory.registration(recent, now=recent.starts_at_utc - timedelta(days=3))
    _answered(kept, questions[recent.id])
    tokens = [manage_token_for(person.calendar_uid) for person in people]
    statuses = [person.status for person in people]
    assert _count(OutboxMessage, OutboxMessage.event_id == old.id) >= 5

    # Stopped, as a killed command would be, after the first batch of bookings.
    steps = purge_in_steps(now=NOW, retention_days=30, batch_size=2)
    sizes = []
    for step in steps:
        db.session.commit()
        sizes.append(step.registrations)
        if step.registrations:
            break
    steps.close()
    assert sizes[-1] == 2 and len(sizes) > 3  # emails and answers went first, 2 at a time
    assert _count(OutboxMessage, OutboxMessage.event_id == old.id) == 0
    assert _count(FormAnswer, FormAnswer.question_id == questions[old.id].id) == 0
    assert _count(Registration, Registration.email.endswith("@deleted.invalid")) == 2

    rest = [step.registrations for step in purge_in_steps(now=NOW, retention_days=30, batch_size=2)]
    db.session.commit()

    assert [size for size in rest if size] == [2, 1]
    db.session.expire_all()
    for person, token, status in zip(people, tokens, statuses, strict=True):
        db.session.refresh(person)
        assert (person.name, person.accessibility_needs, person.booking_code) == ("", None, None)
        assert person.email == f"{person.id}@deleted.invalid"
        assert person.status == status  # the counts survive
        assert find_registration_by_token(token) is None
    db.session.refresh(kept)
    assert kept.email.endswith("@example.com") and kept.booking_code is not None
    assert _count(OutboxMessage, OutboxMessage.event_id == recent.id) > 0
    assert _count(FormAnswer, FormAnswer.question_id == questions[recent.id].id) == 1
