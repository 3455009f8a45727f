"""Date and time inputs in UK time, worded the GOV.UK way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field, Form
from wtforms.fields import DateField, IntegerField
from wtforms.validators import StopValidation, ValidationError

from webinar.london_time import LONDON, to_london

_TWELVE_HOUR = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)$")
_TWENTY_FOUR_HOUR = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def parse_time(text: str | None) -> time | None:
    """'6pm', '6:30pm', '18:30', '18.30', 'midday', 'midnight' as a time, else None."""
    value = (text or "").strip().lower().replace(" ", "")
    if value in ("midday", "noon", "12noon"):
        return time(12, 0)
    if value == "midnight":
        return time(0, 0)
    if match := _TWELVE_HOUR.match(value):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if match[3] == "pm" else 0), minute)
    if match := _TWENTY_FOUR_HOUR.match(value):
        hour, minute = int(match[1]), int(match[2])
        return time(hour, minute) if hour <= 23 and minute <= 59 else None
    return None


def format_time(value: time) -> str:
    """The 24-hour form an organiser can edit: '18:30'."""
    return f"{value.hour:02d}:{value.minute:02d}"


class TimeDoesNotExist(ValueError):
    """A UK time skipped when the clocks go forward, like 1:30am on 28 March 2027."""


def london_to_utc(day: date, at: time) -> datetime:
    """UK wall-clock time to a UTC instant (GMT or BST as it applies on that day).

    A skipped time does not survive the round trip through UTC, so it is refused rather
    than quietly moved an hour. A time in the hour the clocks go back happens twice; fold=0
    (the default) always takes the first, in BST, so the same answers give the same instant.
    """
    local = datetime.combine(day, at, tzinfo=LONDON)
    instant = local.astimezone(UTC)
    if instant.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeDoesNotExist
    return instant


def time_exists_in_london(day: date, at: time) -> bool:
    try:
        london_to_utc(day, at)
    except TimeDoesNotExist:
        return False
    return True


def utc_to_london_parts(instant: datetime | None) -> tuple[date | None, str]:
    if instant is None:
        return None, ""
    local = to_london(instant)
    return local.date(), format_time(local.time())


class UKDateField(DateField):
    """Three inputs (day, month, year); blank is allowed here and required by a validator."""

    def __init__(self, label: str, *, name_in_errors: str, **kwargs: Any) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.name_in_errors = name_in_errors

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(value).strip() for value in valuelist][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        if not all(parts):
            raise ValueError(f"{self.name_in_errors} must include a day, month and year")
        try:
            day, month, year = (int(part) for part in parts)
            self.data = date(year, month, day)
        except (ValueError, OverflowError) as error:
            # OverflowError: a year too big for a C int, like 99999999999999999999.
            raise ValueError(f"{self.name_in_errors} must be a real date") from error
        if not 2000 <= year <= 2100:
            self.data = None
            raise ValueError(f"{self.name_in_errors} must be a real date")


class RequiredDate:
    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


class UKTime:
    """A time like 6pm or 18:30, if one was entered."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and parse_time(field.data) is None:
            raise ValidationError(self.message)


class HttpsOnly:
    """A link people open must be encrypted; runs after the URL check, if that passed."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and not field.errors and not field.data.lower().startswith("https://"):
            raise ValidationError(self.message)


class WholeNumberField(IntegerField):
    def __init__(self, label: str, *, message: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip().replace(",", "") if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = int(text)
        except ValueError as error:
            raise ValueError(self.message) from error
