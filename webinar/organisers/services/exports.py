"""Exports organisers download; each one is audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import (
    Event,
    FormAnswer,
    Organiser,
    Question,
    QuestionStatus,
    Registration,
)
from webinar.organisers.answer_queries import questions_of
from webinar.organisers.audit import AuditAction, record
from webinar.organisers.queries import STATUS_ORDER
from webinar.organisers.services.questions import ALPHABETICAL
from webinar.organisers.spreadsheets import to_csv

ATTENDEE_HEADER = (
    "Name",
    "Email address",
    "Status",
    "Accessibility needs",
    "Discreet messages",
    "Registered (UK time)",
    "Attended (UK time)",
)


def _uk(instant: datetime | None) -> str:
    return to_london(instant).strftime("%Y-%m-%d %H:%M") if instant else ""


#: Rows fetched at a time through a server-side cursor: memory stays flat at any size.
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class AttendeeExport:
    header: tuple[str, ...]
    #: Read from the database as they are consumed, after the audit entry is committed.
    rows: Iterator[tuple[str, ...]]


def export_attendees(*, event: Event, organiser: Organiser) -> AttendeeExport:
    """The attendee list, with a column per question on the form; audited.

    The audit entry counts the bookings now; the rows are read as the download is sent
    (docs/architecture.md#one-event-with-100000-bookings).
    """
    questions = questions_of(event)
    count = db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    record(
        AuditAction.ATTENDEES_EXPORTED, organiser=organiser, event=event, record_count=count or 0
    )
    header = (*ATTENDEE_HEADER, *(question.text for question in questions))
    return AttendeeExport(header, _attendee_rows(event.id, [question.id for question in questions]))


def _attendee_rows(event_id: int, question_ids: list[int]) -> Iterator[tuple[str, ...]]:
    """In the attendee list's order, one status at a time along its index; each question's
    answer joined in, so one query per status reads everything."""
    answers = [aliased(FormAnswer) for _ in question_ids]
    _one_snapshot()
    for status in STATUS_ORDER:
        query = (
            select(*_COLUMNS, *(answer.value for answer in answers))
            .where(Registration.event_id == event_id)
            .where(Registration.status == status)
            .order_by(Registration.status_changed_at_utc, Registration.id)
            .execution_options(yield_per=EXPORT_BATCH)
        )
        for answer, question_id in zip(answers, question_ids, strict=True):
            query = query.outerjoin(
                answer,
                and_(answer.registration_id == Registration.id, answer.question_id == question_id),
            )
        for row in db.session.execute(query):
            name, email, row_status, needs, discreet, created, attended, *values = row
            yield (
                name,
                email,
                row_status.value,
                needs or "",
                "yes" if discreet else "no",
                _uk(created),
                _uk(attended),
                *(value or "" for value in values),
            )


def _one_snapshot() -> None:
    """Every status's query reads the same moment, so a booking that moves from waiting to
    booked while a long download is sent is in it once, not twice or not at all.

    The route commits the audit entry before the rows are read, so this is the start of
    the download's own transaction; PostgreSQL's REPEATABLE READ makes it one snapshot.
    SQLite's read transaction is one snapshot already.
    """
    if db.engine.dialect.name == "postgresql" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


_COLUMNS = (
    Registration.name,
    Registration.email,
    Registration.status,
    Registration.accessibility_needs,
    Registration.discreet,
    Registration.created_at_utc,
    Registration.attended_at_utc,
)


def export_selected_questions(*, event: Event, organiser: Organiser) -> str:
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.event_id == event.id)
            .where(Question.status == QuestionStatus.SELECTED)
            .order_by(*ALPHABETICAL)
        )
    )
    record(
        AuditAction.QUESTIONS_EXPORTED,
        organiser=organiser,
        event=event,
        record_count=len(questions),
    )
    return to_csv(("Question",), [(question.text,) for question in questions])
