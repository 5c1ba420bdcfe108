"""The sidebar entries of stakeholders."""

from typing import Any


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    return []
