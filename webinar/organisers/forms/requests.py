"""Approving or declining a request for a place, with an optional message."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import RadioInput

MESSAGE_MAX = 2000


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Give them a place?",
        widget=RadioInput(),
        choices=[
            SelectChoice("approve", "Yes, approve: they get a place"),
            SelectChoice("decline", "No, decline"),
        ],
        invalid_choice_message="Select whether to approve or decline",
        validators=[InputRequired(message="Select whether to approve or decline")],
    )
    message = TextAreaField(
        "Message to them (optional)",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Added to the email that tells them. Do not include anything you would "
        "not want someone else who reads their email to see.",
        validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=f"Message must be {MESSAGE_MAX} characters or fewer"),
            PlainText(
                "Message must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())
