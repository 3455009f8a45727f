"""Forms for a person's choices: on the registration form and on the manage page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from webinar.form_fields import (
    accessibility_needs_field,
    discreet_field,
    email_field,
    name_field,
)
from webinar.widgets import CheckboxInput, SubmitInput

DISCREET_HINT = (
    "Emails will come from “Bookings” with the subject “Your booking”, and calendar entries "
    "will have a neutral title, so they do not mention this campaign."
)


def no_calendar_field() -> BooleanField:
    return BooleanField(
        "Do not add this to my calendar",
        widget=CheckboxInput(),
        description="Our emails will not include a calendar invitation, so nothing about "
        "this booking appears in a calendar someone else might see.",
    )


def no_reminders_field() -> BooleanField:
    return BooleanField(
        "Do not send me reminders",
        widget=CheckboxInput(),
        description="We will not email you the day before or an hour before. We still "
        "email you if the event changes or is cancelled.",
    )


class ChangeBookingForm(FlaskForm):
    name = name_field(
        "Your name or a nickname",
        required_message="Enter your name or a nickname",
        description="You do not need to give your full name.",
    )
    accessibility_needs = accessibility_needs_field(
        description="Tell us about anything that would help you take part."
    )
    discreet = discreet_field("Send me discreet messages", description=DISCREET_HINT)
    no_calendar = no_calendar_field()
    no_reminders = no_reminders_field()
    submit = SubmitField("Save changes", widget=SubmitInput())


class ChangeEmailForm(FlaskForm):
    email = email_field(
        required_message="Enter your new email address",
        description="We’ll send a link to this address. Nothing changes until you open it.",
    )
    submit = SubmitField("Send the link", widget=SubmitInput())


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField("Use this email address", widget=SubmitInput())
