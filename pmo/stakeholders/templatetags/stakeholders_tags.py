"""What stakeholders shows on other apps' pages (the project, program, portfolio and proposal pages)."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def stakeholders_panel(context: dict[str, Any], obj: Any) -> str:
    """The stakeholders panel of a detail page (project, proposal, portfolio...); empty where it has none."""
    return ""
