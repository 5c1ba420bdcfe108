"""Every create, update and delete of business data leaves who, when and each field's old and new value,
in the same transaction as the change."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core import audit
from pmo.core.errors import StaleVersion, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.portfolio import services
from pmo.portfolio.models import Project


def test_creation_records_every_field(org):
    events = list(audit.history_of(org["p1"]))
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.actor_name, event.object_repr) == ("create", "system", "P1 Mobile app")
    assert event.changes["name"] == {"old": None, "new": "Mobile app"}
    assert event.changes["budget"] == {"old": None, "new": "1250000.00"}
    assert event.changes["planned_start"] == {"old": None, "new": "2026-01-05"}
    assert event.changes["manager"] == {"old": None, "new": "Pm"}
    assert event.changes["objectives"] == {"old": None, "new": ["SO1 Grow revenue"]}
    assert "version" not in event.changes and "created_at" not in event.changes


def test_update_records_only_changed_fields_with_old_and_new(roles, org):
    pm = roles[Role.PROJECT_MANAGER]
    services.project_update(
        actor=pm, project=org["p1"], name="Mobile app 2.0", budget=Decimal("1300000"), health="amber"
    )
    event = audit.history_of(org["p1"]).first()
    assert event.action == "update"
    assert event.actor == pm
    assert event.actor_name == "pm"
    assert event.changes == {
        "budget": {"old": "1250000.00", "new": "1300000"},
        "health": {"old": "unknown", "new": "amber"},
        "name": {"old": "Mobile app", "new": "Mobile app 2.0"},
    }
    assert Project.objects.get(pk=org["p1"].pk).version == 2


def test_update_that_changes_nothing_writes_no_event(roles, org):
    services.project_update(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], name="Mobile app")
    assert audit.history_of(org["p1"]).count() == 1


def test_delete_is_recorded_with_the_old_values(roles, org):
    project = org["p1"]
    pk = project.pk
    services.project_delete(actor=roles[Role.PMO_DIRECTOR], project=project)
    assert not Project.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.filter(object_id=str(pk), action="delete").get()
    assert event.changes["code"] == {"old": "P1", "new": None}
    assert event.actor_name == "director"


def test_failed_validation_writes_neither_change_nor_audit(roles, org):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as error:
        services.project_update(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], currency="eu")
    assert error.value.fields == {"currency": ["Use a three-letter ISO 4217 code such as EUR."]}
    assert Project.objects.get(pk=org["p1"].pk).currency == "EUR"
    assert AuditEvent.objects.count() == before


def test_denied_write_changes_nothing(roles, org):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.project_update(actor=roles[Role.EXECUTIVE], project=org["p1"], name="Hijacked")
    assert Project.objects.get(pk=org["p1"].pk).name == "Mobile app"
    assert AuditEvent.objects.count() == before


def test_stale_version_is_refused(roles, org):
    pm = roles[Role.PROJECT_MANAGER]
    services.project_update(actor=pm, project=org["p1"], name="First writer", expected_version=1)
    stale = Project.objects.get(pk=org["p1"].pk)
    with pytest.raises(StaleVersion) as error:
        services.project_update(actor=pm, project=stale, name="Second writer", expected_version=1)
    assert "version 1, it is now version 2" in error.value.message
    assert Project.objects.get(pk=org["p1"].pk).name == "First writer"
