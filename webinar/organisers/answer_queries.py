"""People's answers to the organisers' questions: per booking, and counted per event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from webinar.extensions import db
from webinar.models import AnswerKind, Event, FormAnswer, FormQuestion, Registration


def questions_of(event: Event) -> list[FormQuestion]:
    """Every question, hidden ones too: their answers are still shown."""
    return list(
        db.session.scalars(
            select(FormQuestion).where(FormQuestion.event_id == event.id).order_by(FormQuestion.id)
        )
    )


def answers_by_registration(
    registrations: Sequence[Registration],
) -> dict[int, dict[int, str]]:
    """{registration id: {question id: answer}} for these bookings."""
    ids = [registration.id for registration in registrations]
    answers: dict[int, dict[int, str]] = defaultdict(dict)
    if not ids:
        return answers
    rows = db.session.execute(
        select(FormAnswer.registration_id, FormAnswer.question_id, FormAnswer.value).where(
            FormAnswer.registration_id.in_(ids)
        )
    )
    for registration_id, question_id, value in rows:
        answers[registration_id][question_id] = value
    return answers


@dataclass(frozen=True)
class AnswerCounts:
    event: Event
    question: FormQuestion
    #: (answer, how many), most given first; for choices and yes or no only.
    counts: list[tuple[str, int]]
    answered: int


def answer_counts(events: Sequence[Event]) -> list[AnswerCounts]:
    """For the dashboard: how people answered each question with set answers."""
    if not events:
        return []
    by_id = {event.id: event for event in events}
    questions = db.session.scalars(
        select(FormQuestion)
        .where(FormQuestion.event_id.in_(list(by_id)))
        .where(FormQuestion.kind != AnswerKind.TEXT)
        .order_by(FormQuestion.event_id, FormQuestion.id)
    ).all()
    rows = db.session.execute(
        select(FormAnswer.question_id, FormAnswer.value, func.count())
        .where(FormAnswer.question_id.in_([question.id for question in questions]))
        .group_by(FormAnswer.question_id, FormAnswer.value)
    ).all()
    tallies: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, value, count in rows:
        tallies[question_id][value] = int(count)
    result = []
    for question in questions:
        tally = tallies.get(question.id, {})
        ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
        result.append(
            AnswerCounts(by_id[question.event_id], question, ordered, sum(tally.values()))
        )
    return result
