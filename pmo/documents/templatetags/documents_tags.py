"""What documents shows on other apps' pages: on a project's page, a compact card with the charter's status,
the documents counted by status and links to them (and to the version waiting for the reader's approval)."""

from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_panel(context: dict[str, Any], obj: Any) -> str:
    """The documents panel of a detail page (project, proposal, portfolio...); empty where it has none."""
    if getattr(getattr(obj, "_meta", None), "label_lower", "") != "portfolio.project":
        return ""
    from pmo.core.access import can
    from pmo.documents import selectors
    from pmo.documents.models import Document, Status

    request = context.get("request")
    user = getattr(request, "user", None)
    if not selectors.sees_documents(user):
        return ""
    counts = selectors.status_counts(obj)
    pending = selectors.pending_approvals(user).filter(document__project=obj).first()
    return render_to_string(
        "documents/_panel.html",
        {
            "project": obj,
            "charter": selectors.charter_of(obj),
            "counts": [(s, label, counts[s]) for s, label in Status.choices],
            "total": sum(counts.values()),
            "pending": pending,
            "can_add": can(user, "add", Document(project=obj)),
        },
        request=request,
    )
