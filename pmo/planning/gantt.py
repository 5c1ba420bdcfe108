"""The Gantt chart of a plan as an SVG document: bars on a time scale, the critical path in red, summary
brackets, milestone diamonds, dependency arrows, baseline bars and a today line. Server-rendered, so it
needs no script (and works under a strict Content-Security-Policy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape

from django.utils import timezone

from pmo.planning.selectors import TaskRow

ROW = 26
BAR = 14
HEADER = 44
LABEL_WIDTH = 280
MAX_WIDTH = 1040  # fits the content card of a 1366-pixel laptop screen


def _fmt(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d %b %Y %H:%M") if value else "—"


def render_gantt(
    rows: Sequence[TaskRow],
    *,
    baseline: Mapping[int, tuple[dt.datetime | None, dt.datetime | None]] | None = None,
    today: dt.datetime | None = None,
    minutes_per_day: int = 480,
) -> str:
    """An SVG Gantt chart of `rows` (already scheduled); an empty plan gives an empty string."""
    dated = [r for r in rows if r.task.start and r.task.finish]
    if not dated:
        return ""
    baseline = baseline or {}
    today = today or timezone.now()
    starts = [r.task.start for r in dated] + [b[0] for b in baseline.values() if b[0]]
    finishes = [r.task.finish for r in dated] + [b[1] for b in baseline.values() if b[1]]
    origin = timezone.localtime(min(starts)).replace(hour=0, minute=0, second=0, microsecond=0)
    origin -= dt.timedelta(days=origin.weekday())  # weeks start on Monday
    end = max(finishes) + dt.timedelta(days=7)
    span_days = max(7.0, (end - origin).total_seconds() / 86400)
    px_per_day = max(0.5, min(36.0, (MAX_WIDTH - LABEL_WIDTH - 20) / span_days))
    width = LABEL_WIDTH + span_days * px_per_day + 20
    height = HEADER + ROW * len(rows) + 10

    def x(value: dt.datetime) -> float:
        return LABEL_WIDTH + (value - origin).total_seconds() / 86400 * px_per_day

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="{width:.0f}" height="{height}" '
        f'viewBox="0 0 {width:.0f} {height}" role="img" aria-label="Gantt chart">',
        '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6b7488"/></marker></defs>',
    ]
    # Time scale: month labels on top, week lines below.
    month = origin.replace(day=1)
    month_width = 30.4 * px_per_day
    label_format = "%b %Y" if month_width >= 62 else "%b %y" if month_width >= 44 else "%b"
    every = 1 if month_width >= 26 else 3  # on long plans, label every quarter
    last_label = -1000.0
    while month < end:
        mx = max(LABEL_WIDTH, x(month))
        if mx - last_label >= 40 and (month.month - 1) % every == 0:
            out.append(f'<text x="{mx + 4:.1f}" y="16" class="g-month">{month.strftime(label_format)}</text>')
            last_label = mx
        out.append(f'<line x1="{mx:.1f}" y1="0" x2="{mx:.1f}" y2="{height}" class="g-month-line"/>')
        month = (month + dt.timedelta(days=32)).replace(day=1)
    week = origin
    while week < end:
        wx = x(week)
        out.append(f'<line x1="{wx:.1f}" y1="24" x2="{wx:.1f}" y2="{height}" class="g-week-line"/>')
        if px_per_day * 7 >= 34:
            out.append(f'<text x="{wx + 3:.1f}" y="38" class="g-week">{week.strftime("%d")}</text>')
        week += dt.timedelta(days=7)
    out.append(f'<line x1="0" y1="{HEADER}" x2="{width:.0f}" y2="{HEADER}" class="g-axis"/>')

    y_of: dict[int, float] = {}
    bar_of: dict[int, tuple[float, float]] = {}
    for index, row in enumerate(rows):
        y = HEADER + index * ROW
        y_of[row.task.pk] = y
        if index % 2:
            out.append(f'<rect x="0" y="{y}" width="{width:.0f}" height="{ROW}" class="g-stripe"/>')
        label = f"{row.wbs}  {row.task.name}"
        if len(label) > 42:
            label = label[:41] + "…"
        weight = ' font-weight="600"' if row.task.is_summary else ""
        out.append(f'<text x="{8 + row.level * 12}" y="{y + 17}" class="g-label"{weight}>{escape(label)}</text>')
    for row in rows:
        task = row.task
        if not (task.start and task.finish):
            continue
        y = y_of[task.pk]
        x1, x2 = x(task.start), x(task.finish)
        bar_of[task.pk] = (x1, x2)
        tip = (
            f"{task.uid} {task.name}\nStart {_fmt(task.start)}\nFinish {_fmt(task.finish)}\n"
            f"Total float {(task.total_float_minutes or 0) / minutes_per_day:g} d"
            + (" · critical" if task.is_critical else "")
        )
        title = f"<title>{escape(tip)}</title>"
        planned = baseline.get(task.uid)
        if planned and planned[0] and planned[1]:
            bx1, bx2 = x(planned[0]), x(planned[1])
            out.append(
                f'<rect x="{bx1:.1f}" y="{y + 19}" width="{max(bx2 - bx1, 2):.1f}" height="4" '
                'class="g-baseline">'
                f"<title>Baseline {_fmt(planned[0])} – {_fmt(planned[1])}</title></rect>"
            )
        if task.is_summary:
            top = y + 7
            out.append(
                f'<path d="M{x1:.1f},{top + 9} L{x1:.1f},{top} L{x2:.1f},{top} L{x2:.1f},{top + 9} '
                f'L{x2 - 5:.1f},{top + 5} L{x1 + 5:.1f},{top + 5} Z" class="g-summary">{title}</path>'
            )
        elif task.duration_minutes == 0:
            cy = y + ROW / 2
            cls = "g-milestone critical" if task.is_critical else "g-milestone"
            out.append(
                f'<path d="M{x1:.1f},{cy - 7} L{x1 + 7:.1f},{cy} L{x1:.1f},{cy + 7} L{x1 - 7:.1f},{cy} Z" '
                f'class="{cls}">{title}</path>'
            )
        else:
            cls = "g-bar critical" if task.is_critical else "g-bar"
            w = max(x2 - x1, 2)
            out.append(
                f'<rect x="{x1:.1f}" y="{y + 5}" width="{w:.1f}" height="{BAR}" rx="3" class="{cls}">{title}</rect>'
            )
            done = float(task.percent_complete or 0) / 100
            if done > 0:
                out.append(f'<rect x="{x1:.1f}" y="{y + 10}" width="{w * done:.1f}" height="4" class="g-progress"/>')
    # Dependency arrows, drawn as elbows from the predecessor's end (or start) to the successor's.
    for row in rows:
        for link in row.links:
            if link.predecessor_id not in bar_of or row.task.pk not in bar_of:
                continue
            px1, px2 = bar_of[link.predecessor_id]
            sx1, sx2 = bar_of[row.task.pk]
            from_x = px1 if link.type in ("SS", "SF") else px2
            to_x = sx2 if link.type in ("FF", "SF") else sx1
            py = y_of[link.predecessor_id] + ROW / 2
            sy = y_of[row.task.pk] + ROW / 2
            bend = from_x + 6
            out.append(
                f'<path d="M{from_x:.1f},{py:.1f} L{bend:.1f},{py:.1f} '
                f'L{bend:.1f},{sy:.1f} L{to_x:.1f},{sy:.1f}" '
                'class="g-link" marker-end="url(#arrow)"/>'
            )
    if origin <= today <= end:
        tx = x(today)
        out.append(f'<line x1="{tx:.1f}" y1="24" x2="{tx:.1f}" y2="{height}" class="g-today"/>')
        out.append(f'<text x="{tx + 3:.1f}" y="{height - 4}" class="g-today-label">today</text>')
    out.append("</svg>")
    return "\n".join(out)
