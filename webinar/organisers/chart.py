"""A bar chart drawn on the server as SVG: no JavaScript, no third parties."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 240
LABEL_SPACE = 40


def bar_chart(points: list[tuple[date, int]], *, title: str) -> Markup:
    """One bar per day, labelled with its count; the table beside it carries the detail."""
    if not points:
        return Markup("")
    highest = max(count for _, count in points) or 1
    slot = WIDTH / len(points)
    usable = HEIGHT - 2 * LABEL_SPACE
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, (day, count) in enumerate(points):
        height = round(usable * count / highest)
        x = round(index * slot + slot * 0.15, 1)
        y = HEIGHT - LABEL_SPACE - height
        width = round(slot * 0.7, 1)
        centre = round(index * slot + slot / 2, 1)
        parts += [
            f'<rect class="app-chart__bar" x="{x}" y="{y}" width="{width}" height="{height}">'
            f"<title>{day.day} {day:%B}: {count}</title></rect>",
            f'<text class="app-chart__label" x="{centre}" y="{y - 6}" '
            f'text-anchor="middle">{count}</text>',
            f'<text class="app-chart__label" x="{centre}" y="{HEIGHT - LABEL_SPACE + 20}" '
            f'text-anchor="middle">{_day_label(day, first=index == 0)}</text>',
        ]
    parts.append("</svg>")
    # Every piece of text in `parts` is escaped or a number we formatted ourselves.
    return Markup("".join(parts))  # noqa: S704


def _day_label(day: date, *, first: bool) -> str:
    """The day of the month; the month's short name where a month starts, to stay legible."""
    return f"{day.day} {day:%b}" if first or day.day == 1 else str(day.day)
