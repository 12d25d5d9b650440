"""Lay out small server-rendered SVG charts (no script, no inline style)."""

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 400, 170
LEFT, TOP, BOTTOM = 28, 10, 22
BAR_GAP = 2


@dataclass(frozen=True)
class Series:
    """One kind of bar: the action it counts, its label and CSS class."""

    action: str
    label: str
    css_class: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    title: str


def weekly_bar_chart(*, weeks: list[dict[str, Any]], series: list[Series]) -> dict:
    """Return the geometry of a grouped bar chart of weekly counts.

    weeks is the output of ``audit_weekly_counts``: one group of bars per week,
    one bar per series. Coordinates are in a ``WIDTH`` x ``HEIGHT`` viewBox.
    """
    plot_height = HEIGHT - TOP - BOTTOM
    group_width = (WIDTH - LEFT) / max(len(weeks), 1)
    bar_width = (group_width * 0.7 - BAR_GAP * (len(series) - 1)) / len(series)
    peak = max((week["counts"][s.action] for week in weeks for s in series), default=0)
    scale = plot_height / max(peak, 1)
    bars, labels = [], []
    for i, week in enumerate(weeks):
        group_x = LEFT + i * group_width + group_width * 0.15
        for j, s in enumerate(series):
            n = week["counts"][s.action]
            height = n * scale
            bars.append(
                Bar(
                    x=round(group_x + j * (bar_width + BAR_GAP), 2),
                    y=round(TOP + plot_height - height, 2),
                    width=round(bar_width, 2),
                    height=round(height, 2),
                    css_class=s.css_class,
                    title=f"{s.label}, week of {week['week']:%d %b}: {n}",
                )
            )
        labels.append(
            {
                "x": round(LEFT + (i + 0.5) * group_width, 2),
                "text": f"{week['week']:%d %b}",
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "baseline": TOP + plot_height,
        "top": TOP,
        "label_y": HEIGHT - 6,
        "peak": peak,
        "bars": bars,
        "labels": labels,
        "series": series,
        "total": sum(week["counts"][s.action] for week in weeks for s in series),
    }
