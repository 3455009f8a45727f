"""Questions for the panel: kept with no link to who asked them."""

from __future__ import annotations

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Event, Question, QuestionStatus


def list_questions(event: Event, *, status: QuestionStatus | None) -> list[Question]:
    query = select(Question).where(Question.event_id == event.id)
    if status is not None:
        query = query.where(Question.status == status)
    return list(db.session.scalars(query.order_by(Question.received_on, Question.id)))


def set_question_status(*, question: Question, status: QuestionStatus) -> None:
    question.status = status
    db.session.commit()
