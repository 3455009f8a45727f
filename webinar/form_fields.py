"""Form fields that more than one form asks for, with one wording and one set of limits."""

from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from webinar.validators import PlainText, email_validators, name_validators, strip_whitespace
from webinar.widgets import CheckboxInput, TextArea, TextInput

#: Free text people type about themselves or for the panel.
TEXT_MAX = 1000


def name_field(label: str, *, required_message: str, description: str = "") -> StringField:
    return StringField(
        label,
        widget=TextInput(),
        filters=[strip_whitespace],
        description=description,
        validators=name_validators(required_message),
    )


def email_field(*, required_message: str, description: str) -> StringField:
    return StringField(
        "Email address",
        widget=TextInput(),
        filters=[strip_whitespace],
        description=description,
        validators=email_validators(required_message),
    )


def accessibility_needs_field(*, description: str = "") -> TextAreaField:
    return TextAreaField(
        "Accessibility needs (optional)",
        widget=TextArea(),
        filters=[strip_whitespace],
        description=description,
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


def discreet_field(label: str, *, description: str) -> BooleanField:
    """Discreet messages: a neutral sender, subject and calendar title."""
    return BooleanField(label, widget=CheckboxInput(), description=description)
