"""Dates and times in Europe/London, written the GOV.UK way.

Instants are stored in UTC (`starts_at_utc`); this module is the one place that turns
them into London time for pages, emails, forms and exports.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def to_london(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("Expected an aware datetime")
    return instant.astimezone(LONDON)


def govuk_time(instant: datetime) -> str:
    """'6pm', '7:30pm', 'midday', 'midnight' (GOV.UK style guide: times)."""
    local = to_london(instant)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.minute:
        return f"{hour}:{local.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def govuk_date(value: datetime | date) -> str:
    """'Wednesday 26 November 2026'."""
    day = to_london(value).date() if isinstance(value, datetime) else value
    return f"{day:%A} {day.day} {day:%B %Y}"


def govuk_date_short(value: datetime | date) -> str:
    """'26 November 2026'."""
    day = to_london(value).date() if isinstance(value, datetime) else value
    return f"{day.day} {day:%B %Y}"


def govuk_when(starts_at_utc: datetime, ends_at_utc: datetime) -> str:
    """'Wednesday 26 November 2026, 6pm to 7:30pm' (or across two days)."""
    start, end = to_london(starts_at_utc), to_london(ends_at_utc)
    if start.date() == end.date():
        return f"{govuk_date(start)}, {govuk_time(start)} to {govuk_time(end)}"
    return f"{govuk_date(start)}, {govuk_time(start)} to {govuk_date(end)}, {govuk_time(end)}"


def govuk_datetime(instant: datetime) -> str:
    """'6pm on Wednesday 26 November 2026'."""
    return f"{govuk_time(instant)} on {govuk_date(instant)}"
