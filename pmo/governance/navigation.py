"""The sidebar entry of governance: methodologies, gates and audits."""

from typing import Any

from pmo.core.access import can


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    from pmo.governance.models import GateReview

    # Requesters may read the methodology library (by its address) but have no use for the governance pages.
    if not can(user, "view", GateReview):
        return []
    return [{"label": "Governance", "url": "/governance/", "icon": "⚖", "active": path.startswith("/governance/")}]
