"""The feedback form: three questions, all answerable without JavaScript."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webinar.feedback.answers import LEARNED_CHOICES
from webinar.form_fields import TEXT_MAX
from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import RadioInput

USEFULNESS_LABELS = {
    "5": "5 – very useful",
    "4": "4",
    "3": "3",
    "2": "2",
    "1": "1 – not useful",
}


class FeedbackForm(FlaskForm):
    usefulness = RadioField(
        "How useful was the event?",
        widget=RadioInput(),
        choices=[SelectChoice(value, label) for value, label in USEFULNESS_LABELS.items()],
        invalid_choice_message="Select how useful the event was",
        validators=[InputRequired(message="Select how useful the event was")],
    )
    learned_where_to_get_help = RadioField(
        "Did you learn where to get help?",
        widget=RadioInput(),
        choices=[SelectChoice(value, label) for value, label in LEARNED_CHOICES.items()],
        invalid_choice_message="Select whether you learned where to get help",
        validators=[InputRequired(message="Select whether you learned where to get help")],
    )
    what_to_change = TextAreaField(
        "What should we change? (optional)",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Do not include your name or anything that could identify you.",
        validators=[
            Optional(),
            Length(max=TEXT_MAX, message=f"Your answer must be {TEXT_MAX} characters or fewer"),
            PlainText(
                "Your answer must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )
    submit = SubmitField("Send feedback", widget=GovSubmitInput())
