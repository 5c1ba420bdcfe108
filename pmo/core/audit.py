"""The audit trail: services call these inside their transaction, so the record and the change commit
together or not at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pmo.core.access import SystemActor
from pmo.core.models import AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, m2m: dict[str, list[str]] | None = None) -> Snapshot:
    """The business fields of `obj` as JSON-ready values (related records by their display name)."""
    exclude = getattr(obj, "AUDIT_EXCLUDE", frozenset({"id"}))
    data: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        if field.is_relation:
            data[field.name] = _plain(getattr(obj, field.name)) if getattr(obj, field.attname) else None
        elif field.choices:
            data[field.name] = getattr(obj, field.attname)
        else:
            data[field.name] = _plain(getattr(obj, field.attname))
    if m2m:
        data.update({name: sorted(values) for name, values in m2m.items()})
    return data


def diff(before: Snapshot, after: Snapshot) -> dict[str, dict[str, Any]]:
    return {
        name: {"old": before.get(name), "new": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or isinstance(actor, SystemActor):
        return {"actor": None, "actor_name": "system"}
    return {"actor": actor, "actor_name": actor.get_username()}


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: Snapshot | None,
    after: Snapshot | None,
    comment: str = "",
) -> AuditEvent | None:
    """Write one audit event; an update that changed nothing writes none."""
    changes = diff(before or {}, after or {})
    if action == AuditEvent.Action.UPDATE and not changes and not comment:
        return None
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes,
        comment=comment,
    )


def history_of(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events of one record, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")


def readable_changes(model: type[models.Model], changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The changes of an event as people read them: field labels, choice labels, formatted money and dates."""
    rows = []
    for name, change in changes.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # a derived entry such as "predecessors" or "plan replaced"
            field = None
        label = str(getattr(field, "verbose_name", name.replace("_", " "))).capitalize()
        rows.append((label, _readable(field, change.get("old")), _readable(field, change.get("new"))))
    return rows


def _readable(field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(field, models.DecimalField):
        try:
            return f"{Decimal(str(value)):,.2f}".rstrip("0").rstrip(".")
        except ArithmeticError:
            return str(value)
    if isinstance(field, models.DateTimeField):
        try:
            return dt.datetime.fromisoformat(str(value)).strftime("%d %b %Y %H:%M")
        except ValueError:
            return str(value)
    if isinstance(field, models.DateField):
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d %b %Y")
        except ValueError:
            return str(value)
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    return str(value)
