"""Server-rendered SVG charts of governance (no script): the portfolio's compliance trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 14, 30


def trend_svg(points: list[tuple[dt.date, Decimal | None]], *, target: int = 80) -> SafeString:
    """A line chart of compliance scores (0-100) by month; months without a score leave a gap. The dashed line
    is the target score."""
    if not points:
        return mark_safe("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / 100)

    parts = [
        f'<svg class="governance-trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Compliance score by month" xmlns="http://www.w3.org/2000/svg">'
    ]
    for level in (0, 25, 50, 75, 100):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y(level) + 4:.1f}" text-anchor="end">{level}</text>'
        )
    parts.append(
        f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}"/>'
        f'<text class="target-label" x="{LEFT + 4}" y="{y(target) - 4:.1f}" text-anchor="start">'
        f"target {target}</text>"
    )
    segments: list[list[tuple[float, float]]] = [[]]
    for i, (end, value) in enumerate(points):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 10}" text-anchor="middle">{end:%b}</text>')
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((x(i), y(float(value))))
    for segment in segments:
        if len(segment) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in segment)
            parts.append(f'<polyline class="line" points="{path}"/>')
    for i, (end, value) in enumerate(points):
        if value is not None:
            label = escape(f"{end:%B %Y}: {value}")
            parts.append(
                f'<circle class="dot" cx="{x(i):.1f}" cy="{y(float(value)):.1f}" r="4"><title>{label}</title></circle>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
