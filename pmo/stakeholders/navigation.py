"""The sidebar entries of stakeholders."""

from typing import Any

from pmo.stakeholders.selectors import sees_stakeholders


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    if not sees_stakeholders(user):
        return []
    active = path.startswith(("/stakeholders/", "/benefits/", "/surveys/")) or path.endswith(
        ("/stakeholders/", "/benefits/")
    )
    return [{"label": "Stakeholders", "url": "/stakeholders/", "icon": "☺", "active": active}]
