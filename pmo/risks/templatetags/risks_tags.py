"""Template tags of the risk pages and of the pages risks show on: score badges, the trend sparkline, the
project's Risks tab and link, and the risks escalated to a program or portfolio."""

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

ARROWS = {"up": ("↑", "Score went up"), "down": ("↓", "Score went down"), "steady": ("→", "Score unchanged")}


@register.simple_tag
def sparkline(scores: Sequence[int], width: int = 64, height: int = 18) -> str:
    """The score's history as a small line (the last eight ratings, scaled to their range), the last point
    marked; nothing for a risk rated once."""
    points = list(scores)[-8:]
    if len(points) < 2:
        return ""
    step = (width - 4) / (len(points) - 1)
    low, high = min(points), max(points)

    def y(score: int) -> float:
        if high == low:
            return height / 2
        return round(height - 2 - (height - 4) * (score - low) / (high - low), 1)

    coords = " ".join(f"{round(2 + i * step, 1)},{y(s)}" for i, s in enumerate(points))
    last_x, last_y = round(2 + (len(points) - 1) * step, 1), y(points[-1])
    label = "Score history: " + ", ".join(str(s) for s in points)
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<title>{}</title><polyline points="{}"/><circle cx="{}" cy="{}" r="2"/></svg>',
        width,
        height,
        width,
        height,
        label,
        label,
        coords,
        last_x,
        last_y,
    )


@register.simple_tag
def trend_arrow(trend: str) -> str:
    if trend not in ARROWS:
        return format_html('<span class="trend trend-new" title="{}">new</span>', "Rated once")
    arrow, title = ARROWS[trend]
    return format_html('<span class="trend trend-{}" title="{}" aria-label="{}">{}</span>', trend, title, title, arrow)


@register.simple_tag
def score_badge(score: int | None, rating: str) -> str:
    if not score:
        return format_html('<span class="muted">{}</span>', "—")
    return format_html('<span class="score score-{}" title="{}">{}</span>', rating, rating.capitalize(), score)


@register.simple_tag
def level_list(levels: Sequence[Any]) -> str:
    return format_html_join(", ", "{}", ((f"{lv.level} {lv.label}",) for lv in levels))


@register.inclusion_tag("risks/_tab.html", takes_context=True)
def risk_tab(context: dict[str, Any], project: Any, tab: str = "") -> dict[str, Any]:
    """The Risks tab beside a project's status, issues and change requests."""
    from pmo.risks import selectors
    from pmo.risks.models import Risk

    request = context.get("request")
    user = getattr(request, "user", None)
    if not selectors.sees_risks(user):
        return {"project": None}
    count = selectors.visible(user, Risk.objects.filter(project=project, status=Risk.Status.OPEN)).count()
    return {"project": project, "active": tab == "risks", "analysis": tab == "analysis", "open_risks": count}


@register.inclusion_tag("risks/_project_link.html", takes_context=True)
def project_risk_link(context: dict[str, Any], project: Any) -> dict[str, Any]:
    return risk_tab(context, project)


@register.inclusion_tag("risks/_escalated.html", takes_context=True)
def escalated_risks(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """On a portfolio's or program's page: the open risks escalated to it (critical or shared project risks,
    and its own register)."""
    from pmo.portfolio.models import Portfolio, Program
    from pmo.risks import selectors

    request = context.get("request")
    user = getattr(request, "user", None)
    if not selectors.sees_risks(user) or not isinstance(obj, Portfolio | Program):
        return {"rows": []}
    if isinstance(obj, Program):
        risks = selectors.escalated(program=obj)
        portfolio_id = obj.portfolio_id
    else:
        risks = selectors.escalated(portfolio=obj)
        portfolio_id = obj.pk
    return {
        "rows": selectors.rows(selectors.visible(user, risks)),
        "obj": obj,
        "portfolio_id": portfolio_id,
        "is_portfolio": isinstance(obj, Portfolio),
    }
