"""Adding and changing a question on an event's registration form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webinar.models import AnswerKind
from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import CheckboxInput, RadioInput

MAX_OPTIONS = 10


def _text_field() -> StringField:
    return StringField(
        "Question",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="Ask only what you need. Do not ask for anything sensitive, such as "
        "health or why someone is coming.",
        validators=[
            InputRequired(message="Enter the question"),
            Length(max=200, message="Question must be 200 characters or fewer"),
            PlainText("Question must only include letters, numbers, spaces and punctuation"),
        ],
    )


def _choices_field() -> TextAreaField:
    return TextAreaField(
        "Choices (for one choice from a list)",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description=f"One choice on each line, 2 to {MAX_OPTIONS} choices",
        validators=[
            Optional(),
            Length(max=2000, message="Choices must be 2000 characters or fewer"),
            PlainText(
                "Choices must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )


def _required_field() -> BooleanField:
    return BooleanField("People must answer it", widget=CheckboxInput())


def _check_choices(kind: str | None, choices: TextAreaField) -> bool:
    if kind != AnswerKind.CHOICE.value:
        return True
    options = [line for line in (choices.data or "").splitlines() if line.strip()]
    if not 2 <= len(options) <= MAX_OPTIONS:
        choices.errors = [*choices.errors, f"Enter 2 to {MAX_OPTIONS} choices, one on each line"]
        return False
    return True


class AddQuestionForm(FlaskForm):
    text = _text_field()
    kind = RadioField(
        "Kind of answer",
        widget=RadioInput(),
        choices=[SelectChoice(kind.value, kind.label) for kind in AnswerKind],
        invalid_choice_message="Select the kind of answer",
        validators=[InputRequired(message="Select the kind of answer")],
    )
    choices = _choices_field()
    required = _required_field()
    submit = SubmitField("Add question", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        return valid and _check_choices(self.kind.data, self.choices)


class ChangeQuestionForm(FlaskForm):
    text = _text_field()
    choices = _choices_field()
    required = _required_field()
    hidden = BooleanField(
        "Hide it from the form",
        widget=CheckboxInput(),
        description="Answers already given are kept and still shown.",
    )
    submit = SubmitField("Save question", widget=GovSubmitInput())

    def __init__(self, *args: Any, kind: AnswerKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        return valid and _check_choices(self.kind.value, self.choices)
