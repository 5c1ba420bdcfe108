"""What reporting shows on other apps' pages: on a project's page, its status report PDF; on a portfolio's
or program's page, links to its dashboard and roadmap."""

from typing import Any

from django import template
from django.template.loader import render_to_string

from pmo.core.access import can

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_panel(context: dict[str, Any], obj: Any) -> str:
    """The reporting panel of a detail page (project, program, portfolio); empty where it has none."""
    from pmo.reporting.dashboard import sees_dashboard
    from pmo.reporting.models import ReportArchive

    request = context.get("request")
    user = getattr(request, "user", None)
    label = getattr(getattr(obj, "_meta", None), "label_lower", "")
    if user is None or label not in ("portfolio.project", "portfolio.portfolio", "portfolio.program"):
        return ""
    if not sees_dashboard(user):
        return ""
    data: dict[str, Any] = {"obj": obj, "kind": label.split(".")[1]}
    if label == "portfolio.project":
        if obj.state in ("proposed", "cancelled"):
            return ""
        data["can_report"] = can(user, "produce_report", ReportArchive) and can(user, "view_financials", obj)
        if not data["can_report"]:
            return ""
    return render_to_string("reporting/_panel.html", data, request=request)
