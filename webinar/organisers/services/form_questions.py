"""The organisers' questions on an event's form: add, change, hide or remove; audited."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select

from webinar.extensions import db
from webinar.models import AnswerKind, Event, FormAnswer, FormQuestion, Organiser
from webinar.organisers.audit import AuditAction, record
from webinar.page_version import public_pages_changed

MAX_SHOWN = 5


class TooManyQuestions(Exception):
    """The form already shows five questions."""


class AlreadyAnswered(Exception):
    """Someone has answered: the question can be hidden, not removed."""


def list_form_questions(event: Event) -> list[FormQuestion]:
    return list(
        db.session.scalars(
            select(FormQuestion).where(FormQuestion.event_id == event.id).order_by(FormQuestion.id)
        )
    )


def answer_count(question: FormQuestion) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(FormAnswer)
            .where(FormAnswer.question_id == question.id)
        )
        or 0
    )


def _shown_count(event_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(FormQuestion)
            .where(FormQuestion.event_id == event_id)
            .where(FormQuestion.hidden.is_(False))
        )
        or 0
    )


def add_form_question(
    *,
    event: Event,
    text: str,
    kind: AnswerKind,
    choices: str,
    required: bool,
    organiser: Organiser,
) -> FormQuestion:
    if _shown_count(event.id) >= MAX_SHOWN:
        raise TooManyQuestions
    question = FormQuestion(
        event_id=event.id,
        text=text,
        kind=kind,
        choices=choices if kind == AnswerKind.CHOICE else "",
        required=required,
    )
    db.session.add(question)
    db.session.flush()
    public_pages_changed()  # the registration form is kept for anonymous visitors
    record(
        AuditAction.FORM_QUESTION_ADDED,
        organiser=organiser,
        event=event,
        detail=f"{text} ({kind.label.lower()}, {'required' if required else 'optional'})",
    )
    return question


def change_form_question(
    *,
    event: Event,
    question: FormQuestion,
    text: str,
    choices: str,
    required: bool,
    hidden: bool,
    organiser: Organiser,
) -> None:
    """The kind is fixed once added: answers given so far must still make sense."""
    if question.hidden and not hidden and _shown_count(question.event_id) >= MAX_SHOWN:
        raise TooManyQuestions
    before = (question.text, question.choices, question.required, question.hidden)
    question.text = text
    if question.kind == AnswerKind.CHOICE:
        question.choices = choices
    question.required = required
    question.hidden = hidden
    if before != (question.text, question.choices, question.required, question.hidden):
        state = "hidden" if hidden else ("required" if required else "optional")
        public_pages_changed()
        record(
            AuditAction.FORM_QUESTION_CHANGED,
            organiser=organiser,
            event=event,
            detail=f"{text} ({state})",
        )


def remove_form_question(*, event: Event, question: FormQuestion, organiser: Organiser) -> None:
    """Only while nobody has answered it: one DELETE that checks, so an answer arriving
    at the same moment either stops the removal or never lands."""
    answered = exists().where(FormAnswer.question_id == question.id)
    result = db.session.execute(
        delete(FormQuestion)
        .where(FormQuestion.id == question.id)
        .where(~answered)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise AlreadyAnswered
    public_pages_changed()
    record(
        AuditAction.FORM_QUESTION_REMOVED,
        organiser=organiser,
        event=event,
        detail=question.text,
    )
    db.session.expunge(question)
