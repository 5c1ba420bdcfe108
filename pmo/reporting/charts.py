"""Server-rendered SVG charts of the dashboard, the roadmap and the PDF reports (no script, nothing from the
network). Colours are attributes, not classes, so the same SVG draws alike on a page and in WeasyPrint."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

RAG = {"green": "#1f8a4c", "amber": "#c77c02", "red": "#c8372d", "unknown": "#8a93a5"}
SERIES = {"budget": "#8fa9e8", "actual": "#2457d6", "forecast": "#c77c02"}
INK, MUTED, LINE = "#1d2433", "#5d6678", "#e2e6ee"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def _money(value: float) -> str:
    """Short money labels: 1.2M, 850k, 900."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if size >= 1_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:.0f}"


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def _open(width: int, height: int, label: str, css: str, *, fill: bool = False) -> str:
    """The <svg> tag: its natural size, or (fill) as large as its box allows, keeping its proportions."""
    size = 'width="100%" height="100%"' if fill else f'width="{width}" height="{height}"'
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" {size} role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" {FONT} font-size="11">'
    )


def money_bars(
    years: Sequence[Any], *, width: int = 520, height: int = 220, link: Callable[[int], str] | None = None
) -> SafeString:
    """Grouped bars per year: budget, actual and forecast. With `link` (year -> address), each year's column
    (its bars, its label and the space above them) is a link: the dashboard opens the year by project."""
    if not years:
        return mark_safe("")
    left, right, top, bottom = 52, 10, 24, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max(float(max(y.budget, y.actual, y.forecast)) for y in years))
    group = plot_w / len(years)
    bar = min(28.0, group / 4)
    parts = [_open(width, height, "Budget, actual and forecast cost by year", "chart money-bars")]
    for i in range(5):
        level = top_value * i / 4
        y = top + plot_h * (1 - i / 4)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{_money(level)}</text>')
    for i, year in enumerate(years):
        x0 = left + group * i + (group - 3 * bar) / 2
        column = []
        if link is not None:  # the whole column takes the click, not only the bars (a bar may be 0 high)
            column.append(
                f'<rect class="year-hit" x="{left + group * i + 2:.1f}" y="{top}" width="{group - 4:.1f}" '
                f'height="{height - top:.1f}" fill="#fff" fill-opacity="0"><title>{year.year}: open the year by '
                "project</title></rect>"
            )
        for j, name in enumerate(("budget", "actual", "forecast")):
            value = float(getattr(year, name))
            h = plot_h * value / top_value
            x = x0 + j * bar
            column.append(
                f'<rect class="bar bar-{name}" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" fill="{SERIES[name]}"><title>{year.year} {name}: {value:,.0f}</title></rect>'
            )
        underline = ' text-decoration="underline"' if link is not None else ""
        column.append(
            f'<text x="{left + group * i + group / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="{INK}"'
            f"{underline}>{year.year}</text>"
        )
        if link is not None:
            parts.append(
                f'<a href="{escape(link(year.year))}" class="year-link" data-year="{year.year}">{"".join(column)}</a>'
            )
        else:
            parts.extend(column)
    for j, name in enumerate(("budget", "actual", "forecast")):
        x = left + j * 90
        parts.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{SERIES[name]}"/>'
            f'<text x="{x + 14}" y="15" fill="{INK}">{name.capitalize()}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def funnel(
    stages: Sequence[Any], *, width: int = 420, height: int = 170, link: str = "", query: str = ""
) -> SafeString:
    """The proposal pipeline as a funnel: one centred bar per state, as wide as its count; with `link`, each
    bar opens that list filtered on its state (and on `query`, e.g. "portfolio=3", the dashboard's scope)."""
    if not stages:
        return mark_safe("")
    most = max((s.count for s in stages), default=0) or 1
    row = (height - 10) / len(stages)
    parts = [_open(width, height, "Proposals by state", "chart funnel")]
    centre = width / 2 + 60
    span = width - 140
    for i, stage in enumerate(stages):
        w = max(4.0, span * stage.count / most)
        y = 5 + i * row
        shade = ["#c9d6f5", "#9fb6ee", "#6f90e2", "#2457d6"][min(i, 3)]
        bar = (
            f'<rect x="{centre - w / 2:.1f}" y="{y:.1f}" width="{w:.1f}" height="{row - 6:.1f}" rx="3" '
            f'fill="{shade}"><title>{escape(stage.label)}: {stage.count}</title></rect>'
            f'<text x="{centre:.1f}" y="{y + row / 2 + 1:.1f}" text-anchor="middle" '
            f'fill="{INK if i < 2 else "#fff"}" font-weight="bold">{stage.count}</text>'
        )
        if link:
            href = escape(f"{link}?state={stage.state}" + (f"&{query}" if query else ""))
            bar = f'<a href="{href}" class="stage" data-state="{stage.state}">{bar}</a>'
        parts.append(bar)
        parts.append(f'<text x="4" y="{y + row / 2 + 1:.1f}" fill="{INK}">{escape(stage.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bubbles(rows: Sequence[Any], *, width: int = 560, height: int = 340) -> SafeString:
    """Value (planned benefits) across, risk (expected cost of open threats) up, bubble area = budget,
    colour = overall health; each bubble links to its project. Projects without a recorded value stand
    in a band of their own at the left, with a dashed outline."""
    if not rows:
        return mark_safe("")
    band = 84 if any(r.value is None for r in rows) else 0
    left, right, top, bottom = 60 + band, 24, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(r.value) for r in rows if r.value is not None]
    low_v, high_v = min([0.0, *values]), _nice_max(max([1.0, *values]))
    if low_v < 0:
        low_v = -_nice_max(-low_v)
    top_risk = _nice_max(max(float(r.exposure) for r in rows))
    biggest = max((float(r.budget) for r in rows), default=0) or 1.0

    def x(v: float) -> float:
        return left + plot_w * (v - low_v) / (high_v - low_v)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_risk)

    parts = [_open(width, height, "Value against risk, bubble size is budget, colour is health", "chart bubbles")]
    if band:
        parts.append(
            f'<rect x="{60}" y="{top}" width="{band - 8}" height="{plot_h}" fill="#f5f7fa"/>'
            f'<text x="{60 + (band - 8) / 2:.1f}" y="{top + 12}" text-anchor="middle" fill="{MUTED}">'
            "no value yet</text>"
        )
    for i in range(5):
        level = top_risk * i / 4
        parts.append(
            f'<line x1="{60}" x2="{width - right}" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="{LINE}"/>'
            f'<text x="{54}" y="{y(level) + 4:.1f}" text-anchor="end" fill="{MUTED}">{_money(level)}</text>'
        )
        v = low_v + (high_v - low_v) * i / 4
        if values:  # no value anywhere: no scale to show
            parts.append(
                f'<text x="{x(v):.1f}" y="{height - 22}" text-anchor="middle" fill="{MUTED}">{_money(v)}</text>'
            )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="{INK}">'
        "Value (planned benefits)</text>"
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">Risk (expected cost)</text>'
    )
    # Red on top (always clickable), then amber, then the rest; within a colour the big ones behind.
    layer = {"red": 3, "amber": 2, "green": 1}
    ordered = sorted(rows, key=lambda r: (layer.get(r.overall, 0), -float(r.budget), r.project.code))
    unvalued = [r.project.pk for r in sorted(rows, key=lambda r: r.project.code) if r.value is None]
    for r in ordered:
        radius = 4 + 16 * math.sqrt(float(r.budget) / biggest)
        if r.value is None:
            slot = unvalued.index(r.project.pk) % 3
            cx = 60 + (band - 8) * (slot + 0.5) / 3
        else:
            cx = x(float(r.value))
        cy = y(float(r.exposure))
        colour = RAG.get(r.overall, RAG["unknown"])
        dash = ' stroke-dasharray="3 2"' if r.value is None else ""
        title = escape(
            f"{r.project.code} {r.project.name}: health {r.overall}, value "
            f"{'not recorded' if r.value is None else f'{float(r.value):,.0f}'}, "
            f"risk {float(r.exposure):,.0f}, budget {float(r.budget):,.0f}"
        )
        parts.append(
            f'<a href="{escape(r.url)}" class="bubble bubble-{r.overall}" data-project="{escape(r.project.code)}">'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{colour}" fill-opacity="0.55" '
            f'stroke="{colour}" stroke-width="1.5"{dash}><title>{title}</title></circle></a>'
        )
    for r in ordered:  # labels above every bubble, for those with room
        if r.value is None and r.overall != "red":
            continue
        cx = (
            x(float(r.value)) if r.value is not None else 60 + (band - 8) * (unvalued.index(r.project.pk) % 3 + 0.5) / 3
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{y(float(r.exposure)) + 3:.1f}" text-anchor="middle" fill="{INK}" '
            f'font-size="8" pointer-events="none">{escape(r.project.code)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def milestone_timeline(
    milestones: Sequence[Any], first: dt.date, last: dt.date, today: dt.date, *, width: int = 520
) -> SafeString:
    """Milestones across projects on one time axis: a row per project, a diamond per milestone (green done,
    red late, dark due), each linking to its project; the red line is today."""
    if not milestones:
        return mark_safe("")
    codes = sorted({m.project.code for m in milestones})
    urls = {m.project.code: m.url for m in milestones}
    left, right, top, row = 70, 12, 22, 18
    height = top + row * len(codes) + 8
    span = width - left - right
    parts = [_open(width, height, "Milestones across the projects", "chart milestone-timeline")]
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            mx = _day_x(month, first, last, left, span)
            parts.append(
                f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top - 6}" y2="{height - 4}" stroke="{LINE}"/>'
                f'<text x="{mx + 2:.1f}" y="{top - 9}" fill="{MUTED}" font-size="10">{month:%b}</text>'
            )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    for i, code in enumerate(codes):
        y = top + row * i + row / 2
        parts.append(
            f'<a href="{escape(urls[code])}"><text x="4" y="{y + 4:.1f}" fill="{INK}">{escape(code)}</text></a>'
        )
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#f0f2f6"/>')
    tx = _day_x(today, first, last, left, span)
    parts.append(
        f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 6}" y2="{height - 4}" stroke="{RAG["red"]}" stroke-width="1.5"/>'
    )
    fills = {"done": RAG["green"], "late": RAG["red"], "due": INK}
    for m in milestones:
        mx = _day_x(m.day, first, last, left, span)
        y = top + row * codes.index(m.project.code) + row / 2
        parts.append(
            f'<a href="{escape(m.url)}" class="milestone milestone-{m.status}">'
            f'<path d="M{mx:.1f},{y - 6:.1f} l6,6 l-6,6 l-6,-6 z" fill="{fills.get(m.status, INK)}">'
            f"<title>{escape(m.project.code)} {escape(m.name)}: {m.day:%d %b %Y} ({m.status})</title></path></a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def health_grid(rows: Sequence[Any], *, width: int = 520) -> SafeString:
    """The health matrix as a picture (for the PDF): one row per project, a dot per dimension and overall."""
    if not rows:
        return mark_safe("")
    names = ("schedule", "cost", "scope", "risk", "overall")
    row_h, head = 20, 22
    height = head + row_h * len(rows) + 4
    parts = [_open(width, height, "Health of each project", "chart health-grid")]
    col0, step = 230, (width - 240) / len(names)
    for j, name in enumerate(names):
        parts.append(
            f'<text x="{col0 + step * j + step / 2:.1f}" y="14" text-anchor="middle" fill="{MUTED}">'
            f"{name.capitalize()}</text>"
        )
    for i, r in enumerate(rows):
        y = head + row_h * i
        label = escape(f"{r.project.code} {r.project.name}"[:38])
        parts.append(f'<text x="4" y="{y + 14}" fill="{INK}">{label}</text>')
        for j, name in enumerate(names):
            colour = getattr(r, name)
            parts.append(
                f'<rect x="{col0 + step * j + 6:.1f}" y="{y + 3}" width="{step - 12:.1f}" height="{row_h - 6}" rx="3" '
                f'fill="{RAG.get(colour, RAG["unknown"])}"><title>{name}: {colour}</title></rect>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _day_x(day: dt.date, first: dt.date, last: dt.date, left: float, span: float) -> float:
    total = max((last - first).days, 1)
    return left + span * (day - first).days / total


def roadmap(
    lanes: Sequence[Any], links: Sequence[Any], first: dt.date, last: dt.date, today: dt.date, *, fill: bool = False
) -> SafeString:
    """Projects as lanes of a Gantt-like chart: the planned bar (light) under the forecast bar (state colour),
    milestones as diamonds, the today line, and cross-project links as arrows from the provider's deliverable
    to the consumer's task; a late link (the deliverable finishes after the date needed) is drawn red and
    dashed, with the date needed marked on the consumer's lane."""
    width, left, right, top, lane_h = 1100, 250, 20, 34, 34
    height = top + lane_h * max(len(lanes), 1) + 16
    span = width - left - right
    parts = [
        _open(
            width, height, "Roadmap of the projects with their cross-project dependencies", "chart roadmap", fill=fill
        )
    ]
    parts.append(
        "<defs>"
        f'<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/></marker>'
        f'<marker id="arrow-late" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{RAG["red"]}"/></marker>'
        "</defs>"
    )
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            mx = _day_x(month, first, last, left, span)
            parts.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top - 6}" y2="{height - 10}" stroke="{LINE}"/>')
            if month.month in (1, 4, 7, 10) or (last - first).days < 400:
                parts.append(f'<text x="{mx + 3:.1f}" y="{top - 10}" fill="{MUTED}">{month:%b %Y}</text>')
        month = (month + dt.timedelta(days=32)).replace(day=1)
    lane_y = {}
    for i, lane in enumerate(lanes):
        y = top + lane_h * i
        lane_y[lane.project.pk] = y
        if i % 2:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{lane_h}" fill="#f7f9fc"/>')
        text = f"{lane.project.code} {lane.project.name}"
        label = escape(text if len(text) <= 34 else text[:33] + "…")
        parts.append(
            f'<a href="{escape(lane.url)}"><text x="6" y="{y + 21}" fill="{INK}" font-size="12">{label}</text></a>'
        )
        if lane.planned_start and lane.planned_finish:
            x1 = _day_x(lane.planned_start, first, last, left, span)
            x2 = _day_x(lane.planned_finish, first, last, left, span)
            parts.append(
                f'<rect class="planned" x="{x1:.1f}" y="{y + 6}" width="{max(x2 - x1, 2):.1f}" height="8" rx="2" '
                f'fill="#c9d6f5"><title>Planned {lane.planned_start:%d %b %Y} – {lane.planned_finish:%d %b %Y}'
                "</title></rect>"
            )
        if lane.start and lane.finish:
            x1 = _day_x(lane.start, first, last, left, span)
            x2 = _day_x(lane.finish, first, last, left, span)
            parts.append(
                f'<rect class="forecast state-{lane.project.state}" x="{x1:.1f}" y="{y + 15}" '
                f'width="{max(x2 - x1, 2):.1f}" height="12" rx="3" fill="{lane.colour}">'
                f"<title>{escape(lane.project.code)} {escape(lane.state_label)}: forecast "
                f"{lane.start:%d %b %Y} – {lane.finish:%d %b %Y}</title></rect>"
            )
        for m in lane.milestones:
            mx = _day_x(m.day, first, last, left, span)
            fill = {"done": RAG["green"], "late": RAG["red"]}.get(m.status, INK)
            parts.append(
                f'<path d="M{mx:.1f},{y + 14} l6,7 l-6,7 l-6,-7 z" fill="{fill}">'
                f"<title>{escape(m.name)}: {m.day:%d %b %Y} ({m.status})</title></path>"
            )
    tx = _day_x(today, first, last, left, span)
    if left <= tx <= width - right:
        parts.append(
            f'<line class="today" x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 6}" y2="{height - 10}" stroke="{RAG["red"]}" '
            f'stroke-width="1.5"/><text x="{tx + 3:.1f}" y="{height - 2}" fill="{RAG["red"]}">today</text>'
        )
    for link in links:
        if link.provider_project_id not in lane_y or link.consumer_project_id not in lane_y:
            continue
        x1 = _day_x(link.provided, first, last, left, span)
        y1 = lane_y[link.provider_project_id] + 21
        x2 = _day_x(link.needed_by, first, last, left, span)
        y2 = lane_y[link.consumer_project_id] + 21
        colour = RAG["red"] if link.late else MUTED
        marker = "arrow-late" if link.late else "arrow"
        dash = ' stroke-dasharray="5 3"' if link.late else ""
        mid = (x1 + x2) / 2
        parts.append(
            f'<path class="link{" late" if link.late else ""}" d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} '
            f'{mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="{colour}" stroke-width="1.8"{dash} '
            f'marker-end="url(#{marker})"><title>{escape(link.describe)}</title></path>'
        )
        if link.late:
            parts.append(
                f'<circle cx="{x2:.1f}" cy="{y2:.1f}" r="3.5" fill="#fff" stroke="{RAG["red"]}" stroke-width="1.5">'
                f"<title>Needed by {link.needed_by:%d %b %Y}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def decimal(value: Any) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else 0.0
