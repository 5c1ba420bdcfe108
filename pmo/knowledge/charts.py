"""The maturity trend chart (server-rendered SVG: one line per dimension over the assessments) and the meaning of
each maturity level."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pmo.knowledge.models import Dimension

LEVELS = {
    1: ("Initial", "Ad hoc: each project works its own way; results depend on individuals."),
    2: ("Repeatable", "Basic practices are used on most projects, but not consistently or by everyone."),
    3: ("Defined", "A documented standard is used by every project and the PMO checks that it is."),
    4: ("Managed", "The standard is measured: figures show how well it works and steer decisions."),
    5: ("Optimising", "Measures drive continuous improvement; lessons change the standard."),
}

# One colour per dimension (colour-blind safe palette, Okabe-Ito), and a dash pattern so print works too.
STYLE = {
    Dimension.GOVERNANCE: ("#0072B2", ""),
    Dimension.METHOD: ("#E69F00", "6 3"),
    Dimension.RESOURCES: ("#009E73", "2 3"),
    Dimension.BENEFITS: ("#CC79A7", "8 3 2 3"),
    Dimension.RISK: ("#D55E00", "4 2"),
    Dimension.REPORTING: ("#3d3d3d", "1 3"),
}

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 16, 40


def _y(level: float) -> float:
    return TOP + (5 - level) * (HEIGHT - TOP - BOTTOM) / 4


def maturity_trend_svg(trend: list[dict[str, Any]]) -> SafeString:
    """An SVG line chart of each dimension's level (1-5) over the assessments, oldest left; empty string when
    there is no assessment. `trend` is pmo.knowledge.selectors.maturity_trend()."""
    if not trend:
        return mark_safe("")
    n = len(trend)
    plot_w = WIDTH - LEFT - RIGHT - 16
    days = [row["assessment"].assessed_on.toordinal() for row in trend]
    span = days[-1] - days[0]

    def x(i: int) -> float:
        """Time runs left to right: assessments sit at their dates."""
        return LEFT + 8 + (plot_w / 2 if span == 0 else (days[i] - days[0]) * plot_w / span)

    out = [
        f'<svg class="maturity-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Maturity level per dimension over {n} assessment{"s" if n != 1 else ""}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">'
    ]
    for level in range(1, 6):
        y = _y(level)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ee"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#5b6474">{level}</text>')
    last_label = 0.0
    for i in reversed(range(n)):  # the newest keeps its label when two are too close to print both
        a = trend[i]["assessment"]
        if i != n - 1 and last_label - x(i) < 56:
            continue
        out.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#5b6474">'
            f"{a.assessed_on:%b %Y}</text>"
        )
        last_label = x(i)
    out.append(
        f'<text x="12" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2:.1f}" fill="#5b6474" '
        f'transform="rotate(-90 12 {TOP + (HEIGHT - TOP - BOTTOM) / 2:.1f})" text-anchor="middle">Level</text>'
    )
    dims = list(Dimension)
    # Lines that sit on the same level would hide each other: nudge each dimension by a pixel or two.
    for k, dimension in enumerate(dims):
        colour, dash = STYLE[dimension]
        offset = (k - (len(dims) - 1) / 2) * 1.6
        points = [
            (x(i), _y(row["levels"][dimension]) + offset)
            for i, row in enumerate(trend)
            if row["levels"].get(dimension) is not None
        ]
        label = escape(str(dimension.label))
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}>'
                f"<title>{label}</title></polyline>"
            )
        for i, row in enumerate(trend):
            level = row["levels"].get(dimension)
            if level is None:
                continue
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{_y(level) + offset:.1f}" r="3.5" fill="{colour}">'
                f"<title>{label}: level {level} ({row['assessment'].assessed_on:%d %b %Y})</title></circle>"
            )
        ly = TOP + 8 + k * 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        last = trend[-1]["levels"].get(dimension)
        out.append(
            f'<line x1="{WIDTH - RIGHT + 14}" x2="{WIDTH - RIGHT + 38}" y1="{ly}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
            f'<text x="{WIDTH - RIGHT + 44}" y="{ly + 4}" fill="#1f2633">{label}'
            f"{f' · {last}' if last is not None else ''}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))
