"""Adding a person by hand, and messaging attendees."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from webinar.form_fields import (
    accessibility_needs_field,
    discreet_field,
    email_field,
    name_field,
)
from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import RadioInput


class AddAttendeeForm(FlaskForm):
    name = name_field("Name or nickname", required_message="Enter their name or a nickname")
    email = email_field(
        required_message="Enter their email address",
        description="They’ll be emailed their booking and a link to manage or cancel it.",
    )
    accessibility_needs = accessibility_needs_field()
    discreet = discreet_field(
        "Send them discreet messages",
        description="A neutral sender, subject and calendar title.",
    )
    submit = SubmitField("Add person", widget=GovSubmitInput())


AUDIENCES = [
    ("all", "Everyone booked or on the waiting list"),
    ("booked", "People with a place"),
    ("waiting", "People on the waiting list"),
]


class MessageForm(FlaskForm):
    audience = RadioField(
        "Who should get this message?",
        widget=RadioInput(),
        choices=[SelectChoice(value, label) for value, label in AUDIENCES],
        invalid_choice_message="Select who should get this message",
        validators=[InputRequired(message="Select who should get this message")],
    )
    subject = StringField(
        "Subject",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="People who asked for discreet messages see “Your booking” instead.",
        validators=[
            InputRequired(message="Enter a subject"),
            Length(max=150, message="Subject must be 150 characters or fewer"),
            PlainText("Subject must only include letters, numbers, spaces and punctuation"),
        ],
    )
    body = TextAreaField(
        "Message",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            InputRequired(message="Enter a message"),
            Length(max=5000, message="Message must be 5000 characters or fewer"),
            PlainText(
                "Message must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )
    submit = SubmitField("Preview message", widget=GovSubmitInput())
