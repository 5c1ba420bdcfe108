"""The methodology library: drafts, publication, immutability, new versions, and what a project keeps."""

import datetime as dt
from typing import Any

import pytest

from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.governance import selectors, services
from pmo.governance.models import MethodologyVersion, ProjectMethodology
from tests.governance.conftest import build_methodology


def test_a_new_methodology_starts_with_an_empty_draft(db: Any) -> None:
    methodology = services.methodology_create(actor=SYSTEM, name="Agile delivery", kind="agile")
    assert [(v.number, v.state) for v in methodology.versions.all()] == [(1, "draft")]
    assert AuditEvent.objects.filter(object_repr="Agile delivery", action="create").count() == 1


def test_names_are_unique_and_kinds_checked(db: Any) -> None:
    services.methodology_create(actor=SYSTEM, name="Agile delivery", kind="agile")
    with pytest.raises(ValidationFailed) as error:
        services.methodology_create(actor=SYSTEM, name="agile delivery", kind="agile")
    assert error.value.fields == {"name": ["A methodology named 'agile delivery' already exists."]}
    with pytest.raises(ValidationFailed) as error:
        services.methodology_create(actor=SYSTEM, name="Spiral", kind="spiral")
    assert error.value.fields == {"kind": ["Choose one of: waterfall, agile, hybrid."]}


def test_a_draft_is_built_phase_by_phase_and_published(db: Any) -> None:
    version = build_methodology()
    assert version.state == "published"
    assert version.notes == "First edition"
    phases = [(p.order, p.name, p.gate_name, p.typical_weeks) for p in version.phases.all()]
    assert phases == [(1, "Define", "Business case", 6), (2, "Build", "Release", 12)]
    define = version.phases.get(order=1)
    assert [r.name for r in define.requirements.all()] == ["Project charter", "Business case"]
    assert [c.text for c in define.criteria.all()] == [
        "Business case approved by the sponsor",
        "Risks identified and owned",
    ]


def test_publishing_needs_phases_and_a_checklist_per_gate(db: Any) -> None:
    methodology = services.methodology_create(actor=SYSTEM, name="Waterfall", kind="waterfall")
    version = methodology.versions.get()
    with pytest.raises(ValidationFailed) as error:
        services.version_publish(actor=SYSTEM, version=version)
    assert error.value.fields == {"phases": ["Add at least one phase before publishing."]}
    services.phase_add(actor=SYSTEM, version=version, name="Initiate", gate_name="Charter")
    with pytest.raises(ValidationFailed) as error:
        services.version_publish(actor=SYSTEM, version=version)
    assert error.value.fields == {"criteria": ["Give each gate at least one criterion; missing: Initiate."]}
    version.refresh_from_db()
    assert version.state == "draft"


def test_a_published_version_never_changes(db: Any) -> None:
    version = build_methodology()
    define = version.phases.get(order=1)
    with pytest.raises(Conflict):
        services.phase_add(actor=SYSTEM, version=version, name="Late", gate_name="Late")
    with pytest.raises(Conflict):
        services.criterion_add(actor=SYSTEM, phase=define, text="More")
    with pytest.raises(Conflict):
        services.requirement_delete(actor=SYSTEM, requirement=define.requirements.first())
    with pytest.raises(Conflict):
        services.version_publish(actor=SYSTEM, version=version)
    assert define.criteria.count() == 2
    assert version.phases.count() == 2


def test_editing_makes_a_new_draft_and_running_projects_keep_their_version(org: dict[str, Any]) -> None:
    v1 = build_methodology()
    services.project_methodology_set(actor=SYSTEM, project=org["p1"], version=v1)
    v2 = services.version_draft(actor=SYSTEM, methodology=v1.methodology)
    assert (v2.number, v2.state) == (2, "draft")
    assert [(p.name, p.criteria.count(), p.requirements.count()) for p in v2.phases.all()] == [
        ("Define", 2, 2),
        ("Build", 1, 1),
    ]
    with pytest.raises(Conflict):
        services.version_draft(actor=SYSTEM, methodology=v1.methodology)
    build = v2.phases.get(order=2)
    services.criterion_add(actor=SYSTEM, phase=build, text="Operations signed the run book")
    services.phase_delete(actor=SYSTEM, phase=v2.phases.get(order=1))
    assert [(p.order, p.name) for p in v2.phases.all()] == [(1, "Build")]
    services.version_publish(actor=SYSTEM, version=v2, notes="Define merged into Build")
    # P1 still follows v1, untouched; a new project gets v2.
    tracking = ProjectMethodology.objects.get(project=org["p1"])
    assert tracking.methodology_version == v1
    assert tracking.current_phase.name == "Define"
    assert v1.phases.count() == 2
    assert selectors.latest_published("hybrid") == v2
    org["p2"].methodology = "hybrid"
    org["p2"].save()
    p2 = services.project_methodology_set(actor=SYSTEM, project=org["p2"])
    assert p2.methodology_version == v2


def test_requirements_may_name_a_template_of_the_documents_library(db: Any) -> None:
    methodology = services.methodology_create(actor=SYSTEM, name="Waterfall", kind="waterfall")
    phase = services.phase_add(actor=SYSTEM, version=methodology.versions.get(), name="Initiate", gate_name="Charter")
    with pytest.raises(ValidationFailed) as error:
        services.requirement_add(actor=SYSTEM, phase=phase, name="Charter", template_name="No such template")
    assert error.value.fields == {"template_name": ["No template named 'No such template' in the documents library."]}


def test_project_methodology_defaults_to_the_latest_published_of_its_kind(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.project_methodology_set(actor=SYSTEM, project=org["p1"])
    assert error.value.fields == {"version": ["No published waterfall methodology: choose one."]}
    waterfall = build_methodology("Waterfall classic", "waterfall")
    build_methodology("Hybrid delivery", "hybrid")
    tracking = services.project_methodology_set(actor=SYSTEM, project=org["p1"])
    assert tracking.methodology_version == waterfall
    assert tracking.phase_started == dt.date(2026, 1, 5)  # P1's planned start
    review = org["p1"].gate_reviews.get()
    assert (review.phase.name, review.planned_date, review.state) == ("Define", dt.date(2026, 2, 16), "open")
    assert selectors.methodology_name(org["p1"]) == "Waterfall classic"
    assert selectors.methodology_name(org["p2"]) is None
    with pytest.raises(Conflict):
        services.project_methodology_set(actor=SYSTEM, project=org["p1"], version=waterfall)


def test_a_draft_cannot_be_followed(org: dict[str, Any]) -> None:
    draft = build_methodology(publish=False)
    with pytest.raises(ValidationFailed) as error:
        services.project_methodology_set(actor=SYSTEM, project=org["p1"], version=draft)
    assert error.value.fields == {
        "version": ["Hybrid delivery v1 is a draft: only published versions can be followed."]
    }
    assert not ProjectMethodology.objects.exists()
    assert MethodologyVersion.objects.get().state == "draft"
