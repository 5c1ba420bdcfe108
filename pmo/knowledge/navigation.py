"""The sidebar entry of knowledge: lessons, search, closures and maturity."""

from typing import Any


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    from pmo.core.access import can
    from pmo.knowledge.models import Closure

    # Requesters read the relevant lessons on their proposals; the sidebar entry is for the other roles.
    if not can(user, "view", Closure):
        return []
    active = path.startswith("/knowledge/")
    return [{"label": "Knowledge", "url": "/knowledge/", "icon": "✎", "active": active}]
