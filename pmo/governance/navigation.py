"""The sidebar entry of governance: methodologies, gates and audits."""

from typing import Any

from pmo.core.access import can


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    from pmo.governance.models import Methodology

    if not can(user, "view", Methodology):
        return []
    return [{"label": "Governance", "url": "/governance/", "icon": "⚖", "active": path.startswith("/governance/")}]
