"""Signing in, passwords and accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from webinar.models import OrganiserRole
from webinar.organisers.passwords import MAX_LENGTH, MIN_LENGTH
from webinar.validators import email_validators, strip_whitespace
from webinar.widgets import CheckboxInput, RadioInput

ROLE_CHOICES = [
    (OrganiserRole.ADMIN.value, "Admin: everything, including accounts and the audit log"),
    (OrganiserRole.ORGANISER.value, "Organiser: events, attendees, messages and questions"),
    (OrganiserRole.CHECK_IN.value, "Check-in: today’s check-in lists only"),
]


def _email_field(label: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=email_validators("Enter an email address"),
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        description=f"Use at least {MIN_LENGTH} characters. A few unrelated words is a good "
        "way to make a long password you can remember.",
        validators=[
            InputRequired(message="Enter a new password"),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=f"Password must be between {MIN_LENGTH} and {MAX_LENGTH} characters",
            ),
        ],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        "Confirm the new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm the new password"),
            EqualTo("new_password", message="Passwords must match"),
        ],
    )


class SignInForm(FlaskForm):
    email = _email_field("Email address")
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter your password"),
            Length(max=MAX_LENGTH, message="Enter a correct email address and password"),
        ],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )
    new_password = _new_password_field("New password")
    confirm_password = _confirm_field()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class CreateAccountForm(FlaskForm):
    email = _email_field("Email address")
    role = RadioField(
        "Role",
        widget=RadioInput(),
        choices=[SelectChoice(value, label) for value, label in ROLE_CHOICES],
        invalid_choice_message="Select a role",
        validators=[InputRequired(message="Select a role")],
    )
    new_password = _new_password_field("Temporary password")
    confirm_password = _confirm_field()
    submit = SubmitField("Create account", widget=GovSubmitInput())


class ChangeAccountForm(FlaskForm):
    role = RadioField(
        "Role",
        widget=RadioInput(),
        choices=[SelectChoice(value, label) for value, label in ROLE_CHOICES],
        invalid_choice_message="Select a role",
        validators=[InputRequired(message="Select a role")],
    )
    active = BooleanField(
        "This account can sign in",
        widget=CheckboxInput(),
        description="Untick to switch the account off. Its audit entries are kept.",
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    new_password = _new_password_field("New password")
    confirm_password = _confirm_field()
    submit = SubmitField("Set password", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that does one thing; the page around it says what."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
