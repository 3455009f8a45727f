"""The registration and cancellation forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webinar.form_fields import (
    TEXT_MAX,
    accessibility_needs_field,
    discreet_field,
    email_field,
    name_field,
)
from webinar.registrations.change_forms import no_calendar_field, no_reminders_field
from webinar.validators import PlainText, strip_whitespace
from webinar.widgets import CheckboxInput, SubmitInput, TextArea, TextInput


class RegistrationForm(FlaskForm):
    #: Only on events where the organisers give out an access code; removed otherwise.
    access_code = StringField(
        "Access code",
        widget=TextInput(),
        filters=[strip_whitespace],
        description="The code the organisers gave you",
        validators=[
            InputRequired(message="Enter the access code the organisers gave you"),
            Length(max=40, message="Enter the access code the organisers gave you"),
        ],
    )
    name = name_field(
        "Your name or a nickname",
        required_message="Enter your name or a nickname",
        description="You do not need to give your full name.",
    )
    email = email_field(
        required_message="Enter your email address",
        description="We’ll send your booking details and any joining link here.",
    )
    accessibility_needs = accessibility_needs_field(
        description="Tell us about anything that would help you take part, such as "
        "captions, a British Sign Language interpreter or step-free access."
    )
    question = TextAreaField(
        "Question for the panel (optional)",
        widget=TextArea(),
        filters=[strip_whitespace],
        description="Questions are kept separately from your booking, without your name or "
        "email address. The panel may not answer every question.",
        validators=[
            Optional(),
            Length(max=TEXT_MAX, message=f"Question must be {TEXT_MAX} characters or fewer"),
            PlainText(
                "Question must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )
    discreet = discreet_field(
        "Send me discreet messages",
        description="Emails will come from “Bookings” with the subject “Your booking”, and "
        "calendar entries will have a neutral title, so they do not mention this campaign.",
    )
    no_calendar = no_calendar_field()
    no_reminders = no_reminders_field()
    consent = BooleanField(
        "I have read the privacy notice and agree to my details being used to manage my booking",
        widget=CheckboxInput(),
        validators=[
            InputRequired(
                message="Confirm you have read the privacy notice and agree to your details "
                "being used to manage your booking"
            )
        ],
    )
    submit = SubmitField("Register", widget=SubmitInput())


class CancelForm(FlaskForm):
    submit = SubmitField("Yes, cancel my booking", widget=SubmitInput())


class DeleteDetailsForm(FlaskForm):
    submit = SubmitField("Yes, delete my details", widget=SubmitInput())
