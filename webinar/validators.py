"""Form validators shared by the public and organiser forms, worded the GOV.UK way."""

from __future__ import annotations

import re
from typing import Any

from wtforms import Field, Form
from wtforms.validators import ValidationError

# C0 controls except tab, newline and carriage return; DEL; C1 controls; and
# bidirectional overrides that can disguise text.
_MULTILINE_FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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
