"""Template tags other pages use: the notification bell, the project's control links, escalated issues."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def plain(value: Any) -> str:
    """A decimal as people write it: 10.000 -> "10", 0.850 -> "0.85"."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)).normalize():f}"
    except (InvalidOperation, ValueError):
        return str(value)


@register.inclusion_tag("changes/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    from pmo.changes.selectors import unread_count

    request = context.get("request")
    return {"unread": unread_count(getattr(request, "user", None))}


@register.inclusion_tag("changes/_project_links.html", takes_context=True)
def project_control_links(context: dict[str, Any], project: Any) -> dict[str, Any]:
    from pmo.changes.models import Issue
    from pmo.changes.selectors import sees_control

    request = context.get("request")
    if not sees_control(getattr(request, "user", None)):
        return {"project": None}
    return {
        "project": project,
        "open_issues": Issue.objects.filter(project=project, status__in=("open", "in_progress")).count(),
    }


@register.inclusion_tag("changes/_escalated.html", takes_context=True)
def escalated_issues(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """On a portfolio's or program's page: the open issues its projects escalated to it."""
    from pmo.changes import selectors
    from pmo.portfolio.models import Portfolio, Program

    request = context.get("request")
    if not selectors.sees_control(getattr(request, "user", None)):
        return {"issues": []}
    if isinstance(obj, Program):
        issues = selectors.escalated_issues(program=obj)
    elif isinstance(obj, Portfolio):
        issues = selectors.escalated_issues(portfolio=obj)
    else:
        return {"issues": []}
    return {"issues": [{"i": i, "overdue": selectors.is_overdue(i)} for i in issues]}
