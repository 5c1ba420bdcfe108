"""The sidebar entry of reporting: the dashboard (the roadmap and reports are its tabs)."""

from typing import Any

from pmo.reporting.dashboard import sees_dashboard


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    if not sees_dashboard(user):
        return []
    active = path.startswith(("/dashboard/", "/roadmap/", "/reports/"))
    return [{"label": "Dashboard", "url": "/dashboard/", "icon": "◔", "active": active}]
