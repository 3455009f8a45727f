"""The second factor's forms: a code, and an admin's requirement for check-in staff."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from webinar.widgets import CheckboxInput


class SetUpForm(FlaskForm):
    code = StringField(
        "Code from the app",
        widget=GovTextInput(),
        description="The 6-digit code the app shows now",
        validators=[
            InputRequired(message="Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )
    submit = SubmitField("Turn on", widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
        validators=[
            InputRequired(message="Enter the code from your authenticator app"),
            Length(max=40, message="Enter a correct code"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RequireForm(FlaskForm):
    required = BooleanField(
        "Must use an authenticator app to sign in",
        widget=CheckboxInput(),
        description="They will be asked to set one up the next time they use a page.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
