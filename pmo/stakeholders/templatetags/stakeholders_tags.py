"""What stakeholders shows on other apps' pages (the project, program, portfolio and proposal pages)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from pmo.core.access import can

register = template.Library()

KINDS = {"portfolio.project": "project", "portfolio.program": "program", "portfolio.portfolio": "portfolio"}


@register.simple_tag(takes_context=True)
def stakeholders_panel(context: dict[str, Any], obj: Any) -> str:
    """The stakeholders panel of a project, program or portfolio page: benefits (realised against planned, on a
    project; on a programme, rolled up over its projects with each KPI's progress), the register's size,
    engagement gaps and overdue communications, with links; "" for the rest."""
    meta = getattr(obj, "_meta", None)
    kind = KINDS.get(meta.label_lower if meta is not None else "")
    request = context.get("request")
    user = getattr(request, "user", None)
    from pmo.stakeholders import selectors

    if kind is None or getattr(obj, "pk", None) is None or not selectors.sees_stakeholders(user):
        return ""
    with_projects = kind == "program"
    stakeholders = list(selectors.stakeholders_of(obj, with_projects=with_projects))
    due = selectors.due_items(selectors.items_of(obj, with_projects=with_projects), within_days=0)
    line = None
    program_groups: list[selectors.RollupGroup] = []
    if kind == "project":
        line = selectors.benefit_line(obj)
    elif kind == "program":  # its projects' benefits, closed projects included
        program_groups = selectors.rollup_by_program(selectors.benefits_rollup(program=obj))
    return render_to_string(
        "stakeholders/_panel.html",
        {
            "obj": obj,
            "kind": kind,
            "line": line,
            "program_groups": program_groups,
            "financial": can(user, "view_financials", obj),
            "stakeholders": len(stakeholders),
            "gaps": sum(1 for s in stakeholders if s.engagement_gap),
            "overdue": sum(1 for i in due if selectors.is_overdue(i)),
            "register_url": reverse(f"stakeholders-{kind}", args=[obj.pk]),
        },
    )


@register.filter
def kpi(value: Any) -> str:
    """A KPI value without trailing zeros, thousands grouped: Decimal("174000.0000") -> "174,000"."""
    from pmo.stakeholders.charts import fmt

    return "" if value is None else fmt(value)
