"""What governance shows on other apps' pages: on a project, its methodology, phase, next gate, what is due and
what is missing; on a program or portfolio, a compact summary of its gates."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from pmo.core.access import can

register = template.Library()


@register.simple_tag(takes_context=True)
def governance_panel(context: dict[str, Any], obj: Any) -> str:
    """The governance panel of a detail page (project, proposal, portfolio...); empty where it has none."""
    from pmo.governance import selectors
    from pmo.governance.models import Finding, GateCondition, GateReview, ProjectMethodology

    request = context.get("request")
    user = getattr(request, "user", None)
    label = getattr(getattr(obj, "_meta", None), "label_lower", "")
    if label not in ("portfolio.project", "portfolio.program", "portfolio.portfolio"):
        return ""
    if user is None or not can(user, "view", GateReview):
        return ""
    today = timezone.localdate()
    if label == "portfolio.project":
        audit = selectors.compliance(obj)
        return render_to_string(
            "governance/_project_panel.html",
            {
                "project": obj,
                "status": selectors.gate_status(obj, today=today),
                "audit": audit,
                "open_findings": Finding.objects.filter(project=obj, status=Finding.Status.OPEN).count(),
                "can_set": can(user, "add", ProjectMethodology(project=obj)),
            },
            request=request,
        )
    reviews = selectors.open_reviews()
    conditions = GateCondition.objects.filter(status=GateCondition.Status.OPEN)
    if label == "portfolio.program":
        reviews = reviews.filter(project__program=obj)
        conditions = conditions.filter(review__project__program=obj)
        portfolio_id = obj.portfolio_id
    else:
        reviews = reviews.filter(project__portfolio=obj)
        conditions = conditions.filter(review__project__portfolio=obj)
        portfolio_id = obj.pk
    rows = list(reviews)
    return render_to_string(
        "governance/_summary_panel.html",
        {
            "reviews": rows,
            "overdue": sum(1 for r in rows if r.planned_date < today),
            "conditions": conditions.count(),
            "portfolio_id": portfolio_id,
            "today": today,
        },
        request=request,
    )


@register.simple_tag
def methodology_choices() -> list[Any]:
    """The latest published version of each active methodology (to choose one when approving a proposal)."""
    from pmo.governance import selectors

    return list(selectors.published_versions())
