"""A bar chart of counts by label, drawn on the server as SVG (no JavaScript)."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 480
HEIGHT = 200
LABEL_SPACE = 36


def count_chart(points: list[tuple[str, int]], *, title: str) -> Markup:
    """One bar per label; the table beside it is the accessible alternative."""
    if not points:
        return Markup("")
    highest = max(count for _, count in points) or 1
    slot = WIDTH / len(points)
    usable = HEIGHT - 2 * LABEL_SPACE
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="feedback-chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="feedback-chart-title">{escape(title)}</title>',
    ]
    for index, (label, count) in enumerate(points):
        height = round(usable * count / highest)
        x = round(index * slot + slot * 0.15, 1)
        y = HEIGHT - LABEL_SPACE - height
        centre = round(index * slot + slot / 2, 1)
        parts += [
            f'<rect class="app-chart__bar" x="{x}" y="{y}" width="{round(slot * 0.7, 1)}" '
            f'height="{height}"><title>{escape(label)}: {count}</title></rect>',
            f'<text class="app-chart__label" x="{centre}" y="{y - 6}" '
            f'text-anchor="middle">{count}</text>',
            f'<text class="app-chart__label" x="{centre}" y="{HEIGHT - LABEL_SPACE + 20}" '
            f'text-anchor="middle">{escape(label)}</text>',
        ]
    parts.append("</svg>")
    # Every piece of text in `parts` is escaped or a number we formatted ourselves.
    return Markup("".join(parts))  # noqa: S704
