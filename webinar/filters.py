"""Jinja filters: GOV.UK dates and times, and paragraphs of typed text."""

from __future__ import annotations

import re

from flask import Flask

from webinar.london_time import (
    govuk_date,
    govuk_date_short,
    govuk_datetime,
    govuk_time,
    govuk_when,
)

_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)\s*(?:\r\n|\r|\n)")


def paragraphs(text: str | None) -> list[str]:
    """Split typed text on blank lines, whatever line endings the browser sent."""
    return [part.strip() for part in _BLANK_LINES.split(text or "") if part.strip()]


def booking_code(code: str | None) -> str:
    """'ABCD EFGH': two groups of four are easier to read aloud."""
    return f"{code[:4]} {code[4:]}" if code else ""


def register(app: Flask) -> None:
    app.add_template_filter(booking_code)
    app.add_template_filter(govuk_time)
    app.add_template_filter(paragraphs)
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_date_short)
    app.add_template_filter(govuk_datetime)
    app.add_template_global(govuk_when)
