"""The sidebar entry of the resource pool."""

from typing import Any

from pmo.resources.selectors import sees_pool


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    if not sees_pool(user):
        return []
    active = path.startswith("/pool/") or path.startswith("/resource-requests/")
    return [{"label": "Resource pool", "url": "/pool/", "icon": "⚇", "active": active}]
