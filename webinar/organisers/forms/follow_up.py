"""The follow-up form: two texts, optional links, and when to send."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from webinar.organisers.forms.fields import HttpsOnly, WholeNumberField
from webinar.validators import PlainText, strip_whitespace


def _text(label: str, missing: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description=description,
        validators=[
            InputRequired(message=f"Enter {missing}"),
            Length(max=5000, message=f"{label} must be 5000 characters or fewer"),
            PlainText(
                f"{label} must only include letters, numbers, spaces and punctuation",
                multiline=True,
            ),
        ],
    )


def _link(label: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(max=500, message=f"{label} must be 500 characters or fewer"),
            URL(
                message=f"Enter the {label.lower()} in the correct format, like https://example.com"
            ),
            HttpsOnly(f"Enter a {label.lower()} that starts with https://"),
        ],
    )


class FollowUpForm(FlaskForm):
    attended_text = _text(
        "Message for people who attended",
        "a message for people who attended",
        "People who were checked in, or whose joining link was used.",
    )
    absent_text = _text(
        "Message for people who did not attend",
        "a message for people who did not attend",
        "Everyone else who had a place.",
    )
    recording_url = _link("Recording link (optional)")
    resources_url = _link("Resources link (optional)")
    hours_after_end = WholeNumberField(
        "Send this many hours after the event ends",
        widget=GovTextInput(),
        message="Hours after the end must be a whole number, like 1",
        validators=[
            InputRequired(message="Enter how many hours after the end to send"),
            NumberRange(min=0, max=720, message="Hours after the end must be 720 or fewer"),
        ],
    )
    preview = SubmitField("Preview", widget=GovSubmitInput())
