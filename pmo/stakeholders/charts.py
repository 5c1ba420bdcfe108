"""Server-rendered SVG charts: a benefit's KPI over time (baseline, target, measurements) and the trend of a
project's survey averages. Each returns the coordinates a template draws; no JavaScript."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pmo.stakeholders.selectors import BenefitRow, SurveyResult


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class KpiChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    baseline_y: float
    target_y: float
    target_x: float
    points: tuple[Point, ...]
    polyline: str
    baseline_label: str
    target_label: str
    start_label: str
    end_label: str


def fmt(value: Decimal) -> str:
    """Decimal("174000.0000") -> "174,000"; Decimal("13.2000") -> "13.2"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


def kpi_chart(row: BenefitRow, *, width: int = 340, height: int = 150) -> KpiChart:
    """Baseline (dashed), target (line), target date (marker) and the measurements (line with dots)."""
    b = row.benefit
    left, top, right, bottom = 46, 12, width - 12, height - 22
    dates = [m.measured_on for m in row.measurements] + [b.target_date]
    start = min(dates) - dt.timedelta(days=15)
    end = max(dates) + dt.timedelta(days=15)
    values = [m.value for m in row.measurements] + [b.baseline_value, b.target_value]
    low, high = min(values), max(values)
    span = high - low or Decimal(1)
    low, high = low - span / 10, high + span / 10

    def x_of(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / max(1, (end - start).days), 1)

    def y_of(value: Decimal) -> float:
        return round(float(bottom - (bottom - top) * (value - low) / (high - low)), 1)

    points = tuple(
        Point(x_of(m.measured_on), y_of(m.value), f"{m.measured_on:%d %b %Y}: {fmt(m.value)} {b.unit}".strip())
        for m in row.measurements
    )
    return KpiChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        baseline_y=y_of(b.baseline_value),
        target_y=y_of(b.target_value),
        target_x=x_of(b.target_date),
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        baseline_label=fmt(b.baseline_value),
        target_label=fmt(b.target_value),
        start_label=f"{start:%b %Y}",
        end_label=f"{end:%b %Y}",
    )


def survey_trend(results: list[SurveyResult], *, width: int = 420, height: int = 160) -> dict[str, Any] | None:
    """The line of the period averages on a 1..5 scale; None with fewer than one answered period."""
    answered = [r for r in results if r.average is not None]
    if not answered:
        return None
    left, top, right, bottom = 34, 12, width - 16, height - 26
    n = len(answered)

    def x_of(index: int) -> float:
        return round(left + (right - left) * (index + 0.5) / n, 1)

    def y_of(value: Decimal) -> float:
        return round(float(bottom - (bottom - top) * (value - 1) / 4), 1)

    points = [
        {"x": x_of(i), "y": y_of(r.average), "label": r.survey.period, "avg": r.average, "count": r.count}
        for i, r in enumerate(answered)
        if r.average is not None
    ]
    grid = [{"y": y_of(Decimal(v)), "label": v} for v in range(1, 6)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "bottom": bottom,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": grid,
    }
