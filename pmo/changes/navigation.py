"""The sidebar entries of status reporting, deviations and change control."""

from typing import Any

from pmo.changes.selectors import is_pmo, sees_control


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    if not sees_control(user):
        return []
    items = [{"label": "Deviations", "url": "/deviations/", "icon": "⚑", "active": path.startswith("/deviations/")}]
    if is_pmo(user):
        items.append(
            {
                "label": "Missing reports",
                "url": "/status-reports/missing/",
                "icon": "◷",
                "active": path.startswith("/status-reports/missing/"),
            }
        )
    items.append(
        {"label": "Change board", "url": "/change-board/", "icon": "⇄", "active": path.startswith("/change-board/")}
    )
    return items
