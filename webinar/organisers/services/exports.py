"""Exports organisers download; each one is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import Event, Organiser, Question, QuestionStatus
from webinar.organisers.answer_queries import answers_by_registration, questions_of
from webinar.organisers.audit import AuditAction, record
from webinar.organisers.queries import attendee_query
from webinar.organisers.services.questions import ALPHABETICAL
from webinar.organisers.spreadsheets import to_csv, to_xlsx

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


def export_attendees(*, event: Event, organiser: Organiser) -> str:
    """The attendee list as CSV, with a column per question on the form; audited."""
    header, rows = _attendee_rows(event=event, organiser=organiser)
    return to_csv(header, rows)


def export_attendees_xlsx(*, event: Event, organiser: Organiser) -> bytes:
    """The attendee list as an Excel workbook; audited."""
    header, rows = _attendee_rows(event=event, organiser=organiser)
    return to_xlsx(header, rows, title="Attendees")


def _attendee_rows(
    *, event: Event, organiser: Organiser
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    registrations = list(db.session.scalars(attendee_query(event)))
    questions = questions_of(event)
    answers = answers_by_registration(registrations)
    rows: list[tuple[str, ...]] = [
        (
            registration.name,
            registration.email,
            registration.status.value,
            registration.accessibility_needs or "",
            "yes" if registration.discreet else "no",
            _uk(registration.created_at_utc),
            _uk(registration.attended_at_utc),
            *(answers[registration.id].get(question.id, "") for question in questions),
        )
        for registration in registrations
    ]
    header = (*ATTENDEE_HEADER, *(question.text for question in questions))
    record(AuditAction.ATTENDEES_EXPORTED, organiser=organiser, event=event, record_count=len(rows))
    return header, rows


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
