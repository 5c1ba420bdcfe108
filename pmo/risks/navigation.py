"""The sidebar entry of the risk registers."""

from typing import Any

from pmo.risks.selectors import sees_risks


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    if not sees_risks(user):
        return []
    active = path.startswith("/risks/")
    return [{"label": "Risks", "url": "/risks/", "icon": "⚠", "active": active}]
