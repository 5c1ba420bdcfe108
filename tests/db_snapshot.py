"""The contents of every table, to prove that a refused or failed operation wrote nothing."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model's table, many-to-many tables included (every column as the database stores it,
    ordered by primary key), by model label.

    Compare two snapshots with ``==``; on a difference, :func:`changed_tables` names the tables. Read with plain
    SQL: a tenth of the time of the ORM, which the permission matrix tests call a few thousand times."""
    quote = connection.ops.quote_name
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):  # many-to-many tables too
            if model._meta.managed and not model._meta.proxy:
                cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}")
                rows[model._meta.label] = [tuple(row) for row in cursor.fetchall()]
    return rows


def changed_tables(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
