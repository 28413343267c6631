"""Inline SVG charts, laid out in Python and drawn by a template: no JavaScript, no library.

A rate over time is a line with its 95 % interval as a shaded band: a wide band says "few
ratings, do not read much into this point". Periods without data are gaps, not zeros. Every point
links to the tickets behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from feedbackloop.insight.stats import Rate

WIDTH = 640
HEIGHT = 220
PAD_LEFT = 40
PAD_RIGHT = 12
PAD_TOP = 12
PAD_BOTTOM = 28
Y_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Point:
    """One period on the chart; `y`, `low`, `high` are SVG coordinates (None: no data)."""

    x: float
    y: float | None
    low: float | None
    high: float | None
    label: str
    text: str
    href: str


@dataclass(frozen=True)
class Chart:
    """Everything the template draws."""

    width: int
    height: int
    points: list[Point]
    lines: list[str]
    bands: list[str]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    plot_left: int = PAD_LEFT
    plot_right: int = WIDTH - PAD_RIGHT

    @property
    def has_data(self) -> bool:
        return any(point.y is not None for point in self.points)


def rate_chart(series: Sequence[tuple[str, Rate, str]]) -> Chart:
    """A 0–100 % chart of (label, rate, link) per period, oldest first."""
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(1, len(series) - 1)
    points = [_point(PAD_LEFT + (i * step if len(series) > 1 else step / 2), label, rate, href)
              for i, (label, rate, href) in enumerate(series)]
    runs = _runs(points)
    every = max(1, -(-len(points) // MAX_X_LABELS))
    return Chart(
        width=WIDTH, height=HEIGHT, points=points,
        lines=[" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in runs],
        bands=[_band(run) for run in runs],
        y_ticks=[(_y(tick), f"{tick * 100:.0f}%") for tick in Y_TICKS],
        x_labels=[(p.x, p.label) for i, p in enumerate(points) if i % every == 0],
    )


def _y(fraction: float) -> float:
    return PAD_TOP + (1 - fraction) * (HEIGHT - PAD_TOP - PAD_BOTTOM)


def _point(x: float, label: str, rate: Rate, href: str) -> Point:
    if not rate.n or rate.value is None:
        return Point(x, None, None, None, label, "no data", href)
    text = f"{rate.value * 100:.1f}% [{rate.low * 100:.1f}–{rate.high * 100:.1f}] n={rate.n}"
    return Point(x, _y(rate.value), _y(rate.low), _y(rate.high), label, text, href)


def _runs(points: list[Point]) -> list[list[Point]]:
    """Consecutive points with data: each run is drawn as its own line and band (gaps stay gaps)."""
    runs: list[list[Point]] = [[]]
    for point in points:
        if point.y is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(point)
    return [run for run in runs if run]


def _band(run: list[Point]) -> str:
    """The interval as a polygon: along the upper bounds, back along the lower ones."""
    if len(run) == 1:  # a lone point: a narrow bar so its interval still shows
        p = run[0]
        corners = ((p.x - 4, p.high), (p.x + 4, p.high), (p.x + 4, p.low), (p.x - 4, p.low))
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    upper = [f"{p.x:.1f},{p.high:.1f}" for p in run]
    lower = [f"{p.x:.1f},{p.low:.1f}" for p in reversed(run)]
    return " ".join(upper + lower)
