"""What knowledge shows on other apps' pages (the project, program, portfolio and proposal pages)."""

from typing import Any

from django import template
from django.template.loader import render_to_string

from pmo.core.access import can

register = template.Library()

CLOSURE_STATES = ("closing", "closed", "cancelled")


@register.simple_tag(takes_context=True)
def knowledge_panel(context: dict[str, Any], obj: Any) -> str:
    """The knowledge panel of a detail page: a project's closure status (closing, closed or cancelled) and the
    relevant lessons of similar projects; on a proposal, the relevant lessons. Empty for the rest."""
    meta = getattr(obj, "_meta", None)
    label = meta.label_lower if meta is not None else ""
    request = context.get("request")
    user = getattr(request, "user", None)
    from pmo.knowledge import selectors
    from pmo.knowledge.models import Closure, Lesson

    if label == "portfolio.project":
        closure = selectors.closure_of(obj) if obj.state in CLOSURE_STATES else None
        show_closure = obj.state in CLOSURE_STATES and can(user, "view", Closure)
        lessons = selectors.relevant_lessons_for(obj) if obj.state not in ("closed", "cancelled") else []
        if not show_closure and not lessons:
            return ""
        missing = selectors.closure_missing(closure) if closure and closure.status != Closure.Status.CLOSED else []
        return render_to_string(
            "knowledge/_project_panel.html",
            {
                "project": obj,
                "closure": closure,
                "show_closure": show_closure,
                "missing": missing,
                "lessons": lessons if can(user, "view", Lesson) else [],
                "own_lessons": Lesson.objects.filter(project=obj).count(),
            },
        )
    if label == "selection.proposal":
        if not can(user, "view", Lesson):
            return ""
        return render_to_string("knowledge/_relevant_lessons.html", {"lessons": selectors.relevant_lessons_for(obj)})
    return ""
