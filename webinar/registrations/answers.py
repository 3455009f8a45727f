"""The organisers' questions on an event's form: the fields, and keeping the answers.

Answers belong to the booking: they go when it is deleted (the foreign key cascades) and
with the retention purge (docs/safety.md#retention).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from wtforms import Field, RadioField, SelectChoice, StringField
from wtforms.validators import InputRequired, Length, Optional

from webinar.extensions import db
from webinar.models import AnswerKind, Event, FormAnswer, FormQuestion, Registration
from webinar.registrations.forms import RegistrationForm
from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import RadioInput, TextInput

ANSWER_MAX = 200
YES_NO = [SelectChoice("Yes", "Yes"), SelectChoice("No", "No")]


def visible_questions(event: Event) -> list[FormQuestion]:
    return list(db.session.scalars(_VISIBLE_QUESTIONS, {"event_id": event.id}))


# Built once: every registration asks (docs/benchmarks.md#statements-built-once).
_VISIBLE_QUESTIONS = (
    select(FormQuestion)
    .where(FormQuestion.event_id == bindparam("event_id"))
    .where(FormQuestion.hidden.is_(False))
    .order_by(FormQuestion.id)
)


def field_name(question: FormQuestion) -> str:
    return f"answer_{question.id}"


def _field(question: FormQuestion) -> Field:
    label = question.text if question.required else f"{question.text} (optional)"
    missing = (
        f"Enter an answer to ‘{question.text}’"
        if question.kind == AnswerKind.TEXT
        else f"Select an answer to ‘{question.text}’"
    )
    presence = InputRequired(message=missing) if question.required else Optional()
    if question.kind == AnswerKind.TEXT:
        return StringField(
            label,
            widget=TextInput(),
            filters=[strip_whitespace],
            validators=[
                presence,
                Length(max=ANSWER_MAX, message=f"Answer must be {ANSWER_MAX} characters or fewer"),
                PlainText("Answer must only include letters, numbers, spaces and punctuation"),
            ],
        )
    if question.kind == AnswerKind.YES_NO:
        choices = YES_NO
    else:
        choices = [SelectChoice(option, option) for option in question.options]
    return RadioField(
        label,
        widget=RadioInput(),
        choices=choices,
        invalid_choice_message=missing,
        validators=[presence],
    )


def registration_form_for(event: Event, questions: list[FormQuestion]) -> RegistrationForm:
    """The registration form with a field for each of the event's questions."""
    if not questions:
        # Most events ask nothing more: no need to build a form class for each request.
        return RegistrationForm()
    fields: dict[str, Any] = {field_name(question): _field(question) for question in questions}
    form_class = type("EventRegistrationForm", (RegistrationForm,), fields)
    form: RegistrationForm = form_class()
    return form


def answers_from(form: RegistrationForm, questions: list[FormQuestion]) -> dict[int, str]:
    """What the person answered, by question; an unanswered optional question has none."""
    answers = {}
    for question in questions:
        value = str(form[field_name(question)].data or "").strip()
        if value:
            answers[question.id] = value
    return answers


def add_answers(registration: Registration, answers: dict[int, str]) -> None:
    """Kept with the booking (or request) they were given with; flushed by the caller."""
    for question_id, value in answers.items():
        db.session.add(
            FormAnswer(registration_id=registration.id, question_id=question_id, value=value)
        )
