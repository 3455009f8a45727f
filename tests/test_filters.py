"""Dates and times in Europe/London, in GOV.UK style."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from webinar.london_time import govuk_date, govuk_time, govuk_when


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 12, 2, 18, 0, tzinfo=UTC), "6pm"),
        (datetime(2026, 12, 2, 19, 30, tzinfo=UTC), "7:30pm"),
        (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "midday"),
        (datetime(2026, 12, 2, 0, 0, tzinfo=UTC), "midnight"),
        (datetime(2026, 12, 2, 9, 5, tzinfo=UTC), "9:05am"),
        (datetime(2027, 6, 15, 11, 0, tzinfo=UTC), "midday"),
    ],
)
def test_times(instant: datetime, expected: str) -> None:
    assert govuk_time(instant) == expected


def test_a_late_utc_time_in_summer_is_the_next_day_in_london() -> None:
    assert govuk_date(datetime(2027, 6, 15, 23, 30, tzinfo=UTC)) == "Wednesday 16 June 2027"


def test_an_event_across_midnight_names_both_days() -> None:
    when = govuk_when(
        datetime(2026, 12, 2, 22, 0, tzinfo=UTC), datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    )
    assert when == "Wednesday 2 December 2026, 10pm to Thursday 3 December 2026, 1am"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        govuk_time(datetime(2026, 12, 2, 18, 0))


def test_paragraphs_split_on_blank_lines_whatever_the_line_endings() -> None:
    from webinar.filters import paragraphs

    assert paragraphs("One.\r\n\r\nTwo.\n\nThree.\r\n  \r\nFour.") == [
        "One.",
        "Two.",
        "Three.",
        "Four.",
    ]
    assert paragraphs(None) == []
