"""Questions for the panel: kept with no link to who asked them."""

from __future__ import annotations

from sqlalchemy import func, select

from webinar.extensions import db
from webinar.models import Event, Organiser, Question, QuestionStatus
from webinar.organisers.audit import AuditAction, record

#: Alphabetical, never by id or day received: the order questions came in could be
#: matched to the order people registered (docs/safety.md#least-data).
ALPHABETICAL = (func.lower(Question.text), Question.text, Question.id)


def list_questions(event: Event, *, status: QuestionStatus | None) -> list[Question]:
    query = select(Question).where(Question.event_id == event.id)
    if status is not None:
        query = query.where(Question.status == status)
    return list(db.session.scalars(query.order_by(*ALPHABETICAL)))


def set_question_status(
    *, question: Question, status: QuestionStatus, organiser: Organiser
) -> None:
    question.status = status
    record(
        AuditAction.QUESTION_STATUS_CHANGED,
        organiser=organiser,
        event=question.event,
        record_count=1,
        detail=f"Question {question.public_id} marked as {status.value}",
    )
