"""Geometry of the server-rendered SVG charts of the national overview (no JavaScript).

The charts are decoration for sighted readers: the tables next to them hold the same numbers
and are the primary content, so the templates mark every chart ``aria-hidden``. Values are
Decimals; only the drawing uses floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from leerwerk.reporting.selectors import format_number

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 230
BAR_AREA = 380
VALUE_WIDTH = 110
BAR_CHART_WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH

LINE_WIDTH = 640
LINE_HEIGHT = 260
LINE_MARGIN_LEFT = 60
LINE_MARGIN_RIGHT = 90
LINE_MARGIN_TOP = 20
LINE_MARGIN_BOTTOM = 40


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown (Dutch format)
    y: float
    width: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    value_x: float


def bar_chart(items: list[tuple[str, Decimal | int | None, str]]) -> BarChart:
    """Horizontal bars: (label, value, value as text) per item; a missing value draws no bar."""
    largest = max((float(v) for _label, v, _text in items if v is not None), default=0.0)
    bars = []
    for index, (label, value, text) in enumerate(items):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = 0.0 if value is None or largest <= 0 else float(value) / largest * BAR_AREA
        bars.append(Bar(label, text, y, round(width, 1), y + BAR_HEIGHT * 0.75))
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return BarChart(bars, BAR_CHART_WIDTH, height, LABEL_WIDTH, LABEL_WIDTH + BAR_AREA + 6)


@dataclass(frozen=True)
class Point:
    label: str
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    text: str
    y: float


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    path: str  # the polyline's points attribute
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    ticks: list[Tick]


def line_chart(items: list[tuple[str, Decimal | int | None, str]], *, unit: str) -> LineChart:
    """A line over the items (label on the x-axis, value, value as text). Missing values are
    skipped (the line joins the points that exist); the y-axis starts at zero."""
    plot_width = LINE_WIDTH - LINE_MARGIN_LEFT - LINE_MARGIN_RIGHT
    plot_height = LINE_HEIGHT - LINE_MARGIN_TOP - LINE_MARGIN_BOTTOM
    largest = max((float(v) for _label, v, _text in items if v is not None), default=0.0)
    top_value = largest if largest > 0 else 1.0
    step = plot_width / max(len(items) - 1, 1)
    bottom = LINE_MARGIN_TOP + plot_height
    points = []
    for index, (label, value, text) in enumerate(items):
        x = LINE_MARGIN_LEFT + index * step if len(items) > 1 else LINE_MARGIN_LEFT + plot_width / 2
        y = bottom if value is None else bottom - float(value) / top_value * plot_height
        points.append(Point(label, text if value is not None else "–", round(x, 1), round(y, 1)))
    path = " ".join(
        f"{p.x},{p.y}" for p, (_l, v, _t) in zip(points, items, strict=True) if v is not None
    )
    ticks = [
        Tick(
            text=format_number(Decimal(str(round(top_value * share, 2))), unit),
            y=round(bottom - share * plot_height, 1),
        )
        for share in (0.0, 0.5, 1.0)
    ]
    return LineChart(
        points=points,
        path=path,
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        left=LINE_MARGIN_LEFT,
        right=LINE_WIDTH - LINE_MARGIN_RIGHT,
        top=LINE_MARGIN_TOP,
        bottom=bottom,
        ticks=ticks,
    )
