"""The dashboard's registrations per day, as bars for webinar.charts."""

from __future__ import annotations

from datetime import date

from webinar.charts import Bar


def day_bars(points: list[tuple[date, int]]) -> list[Bar]:
    """The day of the month under each bar; the month's short name where a month starts."""
    return [
        Bar(
            label=f"{day.day} {day:%b}" if index == 0 or day.day == 1 else str(day.day),
            name=f"{day.day} {day:%B}",
            count=count,
        )
        for index, (day, count) in enumerate(points)
    ]
