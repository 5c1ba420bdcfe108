"""The sidebar entry of documents: the template and policy library (project documents open from a project)."""

from typing import Any


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    from pmo.core.access import can
    from pmo.documents.models import DocumentTemplate

    if not can(user, "view", DocumentTemplate):
        return []
    active = path.startswith("/document-templates/")
    return [{"label": "Templates", "url": "/document-templates/", "icon": "▤", "active": active}]
