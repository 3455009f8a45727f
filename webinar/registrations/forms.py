"""The registration and cancellation forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webinar.validators import PlainText, email_validators, name_validators, strip_whitespace
from webinar.widgets import CheckboxInput

TEXT_MAX = 1000


class RegistrationForm(FlaskForm):
    name = StringField(
        "Your name or a nickname",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="You do not need to give your full name.",
        validators=name_validators("Enter your name or a nickname"),
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="We’ll send your booking details and any joining link here.",
        validators=email_validators("Enter your email address"),
    )
    accessibility_needs = TextAreaField(
        "Accessibility needs (optional)",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Tell us about anything that would help you take part, such as "
        "captions, a British Sign Language interpreter or step-free access.",
        validators=[
            Optional(),
            Length(
                max=TEXT_MAX,
                message=f"Accessibility needs must be {TEXT_MAX} characters or fewer",
            ),
            PlainText(
                "Accessibility needs must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )
    question = TextAreaField(
        "Question for the panel (optional)",
        widget=GovTextArea(),
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
    discreet = BooleanField(
        "Send me discreet messages",
        widget=CheckboxInput(),
        description="Emails will come from “Bookings” with the subject “Your booking”, and "
        "calendar entries will have a neutral title, so they do not mention this campaign.",
    )
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
    submit = SubmitField("Register", widget=GovSubmitInput())


class CancelForm(FlaskForm):
    submit = SubmitField("Yes, cancel my booking", widget=GovSubmitInput())


class DeleteDetailsForm(FlaskForm):
    submit = SubmitField("Yes, delete my details", widget=GovSubmitInput())
