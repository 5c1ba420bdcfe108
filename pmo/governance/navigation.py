"""The sidebar entries of governance."""

from typing import Any


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    return []
