"""The fields a template fills from a project's data, and the restricted substitution that fills them.

Templates are rendered by a Django template engine of their own, with no loaders (no `{% include %}` or
`{% extends %}` of files), no autoescaping (the output is plain text, escaped where it is shown) and a plain
dict of strings as context: no model object ever reaches a template.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import VariableNode
from django.utils import timezone

from pmo.core.errors import ValidationFailed

# name -> what it holds (shown in the library as the list of fields a template may use)
FIELDS: dict[str, str] = {
    "project.name": "Project name",
    "project.code": "Project code",
    "project.description": "Description",
    "project.manager": "Project manager",
    "project.sponsor": "Sponsor",
    "project.portfolio": "Portfolio",
    "project.program": "Program (empty when none)",
    "project.unit": "Organisational unit",
    "project.methodology": "Methodology",
    "project.budget": "Budget, e.g. 1,250,000.00",
    "project.currency": "Currency code, e.g. EUR",
    "project.planned_start": "Planned start, e.g. 5 January 2026",
    "project.planned_finish": "Planned finish",
    "project.objectives": "Strategic objectives it serves, comma-separated",
    "project.priority": "Priority",
    "today": "Today's date",
}

_INVALID = "\x00{%s}\x00"
_ENGINE = Engine(loaders=[], autoescape=False, libraries={}, debug=False)
_CHECK_ENGINE = Engine(loaders=[], autoescape=False, libraries={}, debug=False, string_if_invalid=_INVALID)
_FORBIDDEN_TAGS = re.compile(r"{%\s*(load|include|extends|debug|ssi|csrf_token|url|static)\b")


def _date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _money(value: Decimal | None) -> str:
    return f"{value:,.2f}" if value is not None else ""


def project_context(project: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    """The plain-text values of a project that templates may use (see FIELDS)."""
    objectives = ", ".join(str(o.name) for o in project.objectives.all()) if project.pk else ""
    return {
        "project": {
            "name": project.name,
            "code": project.code,
            "description": project.description,
            "manager": project.manager.name if project.manager_id else "",
            "sponsor": project.sponsor.name if project.sponsor_id else "",
            "portfolio": project.portfolio.name if project.portfolio_id else "",
            "program": project.program.name if project.program_id else "",
            "unit": project.org_unit.name if project.org_unit_id else "",
            "methodology": project.get_methodology_display(),
            "budget": _money(project.budget),
            "currency": project.currency,
            "planned_start": _date(project.planned_start),
            "planned_finish": _date(project.planned_finish),
            "objectives": objectives,
            "priority": project.get_priority_display(),
        },
        "today": _date(today or timezone.localdate()),
    }


def sample_context() -> dict[str, Any]:
    """Every field with a placeholder value: used to check a template's text."""
    project: dict[str, str] = {}
    for name in FIELDS:
        if name.startswith("project."):
            project[name.split(".", 1)[1]] = name
    return {"project": project, "today": "today"}


def _compile(engine: Engine, body: str) -> Any:
    match = _FORBIDDEN_TAGS.search(body)
    if match:
        raise ValidationFailed({"body": f"The tag {{% {match.group(1)} %}} is not allowed in a template."})
    try:
        return engine.from_string(body)
    except TemplateSyntaxError as error:
        raise ValidationFailed({"body": f"The template does not read: {error}"}) from error


def check_body(body: str) -> None:
    """Raise ValidationFailed naming the problem when `body` is empty, does not parse, or uses an unknown field."""
    if not body.strip():
        raise ValidationFailed({"body": "Write the template's text."})
    template = _compile(_CHECK_ENGINE, body)
    unknown = sorted(
        {
            node.filter_expression.var.var
            for node in template.nodelist.get_nodes_by_type(VariableNode)
            if hasattr(node.filter_expression.var, "var")
            and node.filter_expression.var.var not in FIELDS
            and node.filter_expression.var.var not in ("project",)
        }
    )
    if unknown:
        raise ValidationFailed(
            {
                "body": f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                f"Use one of: {', '.join(FIELDS)}."
            }
        )
    try:
        template.render(Context(sample_context(), autoescape=False))
    except Exception as error:  # a filter given a bad argument
        raise ValidationFailed({"body": f"The template does not render: {error}"}) from error


def fill(body: str, context: dict[str, Any]) -> str:
    """`body` with its fields filled from `context` (a plain dict, see project_context)."""
    template = _compile(_ENGINE, body)
    return template.render(Context(context, autoescape=False))
