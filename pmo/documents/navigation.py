"""The sidebar entries of documents."""

from typing import Any


def nav_items(user: Any, path: str) -> list[dict[str, Any]]:
    return []
