"""Reads of governance: the methodology a project follows, where it stands, gates and audits."""

from __future__ import annotations

from typing import Any

from pmo.governance.models import ProjectMethodology


def methodology_name(project: Any) -> str | None:
    """The name of the methodology the project follows (e.g. "Hybrid delivery"), None when it has none."""
    if project is None or getattr(project, "pk", None) is None:
        return None
    return (
        ProjectMethodology.objects.filter(project_id=project.pk)
        .values_list("version__methodology__name", flat=True)
        .first()
    )
