"""The contents of every table, to prove that a refused or failed operation wrote nothing."""

from __future__ import annotations

from typing import Any

from django.apps import apps


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model's table (all concrete fields, ordered by primary key), by model label.

    Compare two snapshots with ``==``; on a difference, :func:`changed_tables` names the tables."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def changed_tables(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
