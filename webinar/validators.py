"""Form validators shared by the public and organiser forms, worded the GOV.UK way."""

from __future__ import annotations

import re
from typing import Any

from wtforms import Field, Form
from wtforms.validators import DataRequired, Email, Length, ValidationError

# C0 controls except tab, newline and carriage return; DEL; C1 controls; bidirectional
# overrides that can disguise text; and what no spreadsheet or calendar file can hold:
# surrogates and the Unicode noncharacters (U+FDD0-U+FDEF and U+xFFFE/U+xFFFF in every
# plane), which XML 1.0 refuses, so a name with U+FFFF would break attendees.xlsx.
_NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
_MULTILINE_FORBIDDEN = re.compile(
    f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069{_NONCHARACTERS}]"
)
_SINGLE_LINE_FORBIDDEN = re.compile(
    f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069{_NONCHARACTERS}]"
)


class PlainText:
    """Refuse control characters (and line breaks in single-line fields)."""

    def __init__(self, message: str, *, multiline: bool = False) -> None:
        self.message = message
        self.pattern = _MULTILINE_FORBIDDEN if multiline else _SINGLE_LINE_FORBIDDEN

    def __call__(self, form: Form, field: Field) -> None:
        value: Any = field.data
        if isinstance(value, str) and self.pattern.search(value):
            raise ValidationError(self.message)


def strip_whitespace(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# Web and email addresses: a name is shown in emails from the organisation, so a name
# like "Your account is locked, visit evil.example" must not get through.
_ADDRESS_LIKE = re.compile(
    r"(://|www\.|@|\.(com|org|net|uk|io|co|info|biz|xyz|ru|app|dev|link|me|top|site)\b)",
    re.IGNORECASE,
)


class NoAddresses:
    """Refuse web and email addresses in free text that we put into emails."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        value: Any = field.data
        if isinstance(value, str) and _ADDRESS_LIKE.search(value):
            raise ValidationError(self.message)


class LocalPartLength:
    """RFC 5321 4.5.3.1.1: at most 64 octets before the @, or mail servers refuse it."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        value: Any = field.data
        if isinstance(value, str) and len(value.rpartition("@")[0].encode()) > 64:
            raise ValidationError(self.message)


NAME_MAX = 100
EMAIL_MAX = 254
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def name_validators(required_message: str) -> list[Any]:
    """A person's name or nickname, as it will appear in emails to them."""
    return [
        DataRequired(message=required_message),
        Length(max=NAME_MAX, message=f"Name must be {NAME_MAX} characters or fewer"),
        PlainText("Name must only include letters, numbers, spaces and punctuation"),
        NoAddresses("Name must not include a web address or email address"),
    ]


def email_validators(required_message: str) -> list[Any]:
    """An address we can send to: refused at the form, not bounced later."""
    return [
        DataRequired(message=required_message),
        Length(max=EMAIL_MAX, message=f"Email address must be {EMAIL_MAX} characters or fewer"),
        PlainText(EMAIL_FORMAT),
        LocalPartLength(EMAIL_FORMAT),
        Email(message=EMAIL_FORMAT, check_deliverability=False, allow_smtputf8=False),
    ]


def normalise_email(email: str) -> str:
    """How every address is stored and compared: trimmed and lower-cased."""
    return email.strip().lower()
