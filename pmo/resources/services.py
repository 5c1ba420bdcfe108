"""Writes for people and organisational units."""

from __future__ import annotations

from typing import Any

from pmo.core.errors import ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.resources.models import OrgUnit, Person

ORG_UNIT_FIELDS = ("code", "name", "parent")
PERSON_FIELDS = ("name", "email", "job_title", "org_unit", "user", "active")


def org_unit_create(*, actor: Any, **fields: Any) -> OrgUnit:
    return record_create(actor=actor, model=OrgUnit, fields=fields, allowed=ORG_UNIT_FIELDS)


def org_unit_update(*, actor: Any, org_unit: OrgUnit, expected_version: int | None = None, **changes: Any) -> OrgUnit:
    parent = changes.get("parent")
    while parent is not None:
        if parent.pk == org_unit.pk:
            raise ValidationFailed({"parent": "A unit cannot sit inside itself or one of its own sub-units."})
        parent = parent.parent
    return record_update(
        actor=actor, obj=org_unit, changes=changes, allowed=ORG_UNIT_FIELDS, expected_version=expected_version
    )


def org_unit_delete(*, actor: Any, org_unit: OrgUnit) -> None:
    record_delete(actor=actor, obj=org_unit)


def person_create(*, actor: Any, **fields: Any) -> Person:
    return record_create(actor=actor, model=Person, fields=fields, allowed=PERSON_FIELDS)


def person_update(*, actor: Any, person: Person, expected_version: int | None = None, **changes: Any) -> Person:
    return record_update(
        actor=actor, obj=person, changes=changes, allowed=PERSON_FIELDS, expected_version=expected_version
    )


def person_delete(*, actor: Any, person: Person) -> None:
    record_delete(actor=actor, obj=person)
