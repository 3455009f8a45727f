"""Who can get a place at an event: the organisers' choice and their access code."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from webinar.models import EventAccess
from webinar.validators import strip_whitespace
from webinar.widgets import RadioInput

ACCESS_CHOICES = [
    (EventAccess.OPEN.value, "Anyone can register"),
    (EventAccess.CODE.value, "People with an access code you give them"),
    (EventAccess.APPROVAL.value, "People you approve: they ask for a place, you decide"),
]
CODE_MIN, CODE_MAX = 6, 40


class EventAccessForm(FlaskForm):
    access = RadioField(
        "Who can get a place?",
        widget=RadioInput(),
        choices=[SelectChoice(value, label) for value, label in ACCESS_CHOICES],
        invalid_choice_message="Select who can get a place",
        validators=[InputRequired(message="Select who can get a place")],
    )
    access_code = StringField(
        "Access code (only for people with an access code)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description=f"{CODE_MIN} to {CODE_MAX} letters, numbers or hyphens. Share it only with "
        "the people you invite. Changing it does not affect anyone already booked.",
        validators=[
            Optional(),
            Length(
                min=CODE_MIN,
                max=CODE_MAX,
                message=f"Access code must be between {CODE_MIN} and {CODE_MAX} characters",
            ),
            Regexp(
                re.compile(r"^[A-Za-z0-9-]+$"),
                message="Access code must only include letters, numbers and hyphens",
            ),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if valid and self.access.data == EventAccess.CODE.value and not self.access_code.data:
            self.access_code.errors = [*self.access_code.errors, "Enter an access code"]
            return False
        return valid
