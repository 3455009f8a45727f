"""Bar charts drawn on the server as SVG: no JavaScript, no third parties.

Each page that has a chart also shows its figures in a table, the accessible alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 240
LABEL_SPACE = 40


@dataclass(frozen=True)
class Bar:
    #: Under the bar: short, to stay legible when there are many bars.
    label: str
    #: What hovering over the bar says, before its count.
    name: str
    count: int


def bar_chart(bars: list[Bar], *, title: str) -> Markup:
    """One bar per item, its count above it and its label below."""
    if not bars:
        return Markup("")
    highest = max(bar.count for bar in bars) or 1
    slot = WIDTH / len(bars)
    usable = HEIGHT - 2 * LABEL_SPACE
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        height = round(usable * bar.count / highest)
        x = round(index * slot + slot * 0.15, 1)
        y = HEIGHT - LABEL_SPACE - height
        width = round(slot * 0.7, 1)
        centre = round(index * slot + slot / 2, 1)
        parts += [
            f'<rect class="app-chart__bar" x="{x}" y="{y}" width="{width}" height="{height}">'
            f"<title>{escape(bar.name)}: {bar.count}</title></rect>",
            f'<text class="app-chart__label" x="{centre}" y="{y - 6}" '
            f'text-anchor="middle">{bar.count}</text>',
            f'<text class="app-chart__label" x="{centre}" y="{HEIGHT - LABEL_SPACE + 20}" '
            f'text-anchor="middle">{escape(bar.label)}</text>',
        ]
    parts.append("</svg>")
    # Every piece of text in `parts` is escaped or a number we formatted ourselves.
    return Markup("".join(parts))  # noqa: S704
