"""The API of the methodology library: methodologies, versions, phases, requirements, criteria, publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, Ref, ref
from pmo.governance import services
from pmo.governance.api._common import _get, _may_list
from pmo.governance.models import (
    Criterion,
    Methodology,
    MethodologyVersion,
    Phase,
    Requirement,
)
from pmo.portfolio.models import Methodology as Kind

router = Router()


class VersionRef(Schema):
    id: int
    number: int
    state: str
    published_at: dt.datetime | None


class MethodologyOut(Schema):
    id: int
    name: str
    kind: Kind
    description: str
    active: bool
    versions: list[VersionRef]


def methodology_out(m: Methodology) -> dict[str, Any]:
    return {
        "id": m.pk,
        "name": m.name,
        "kind": m.kind,
        "description": m.description,
        "active": m.active,
        "versions": [
            {"id": v.pk, "number": v.number, "state": v.state, "published_at": v.published_at}
            for v in m.versions.order_by("-number")
        ],
    }


class MethodologyIn(Schema):
    name: str
    kind: Kind
    description: str = ""


class RequirementOut(Schema):
    id: int
    name: str
    type: Requirement.Type
    template_name: str


class CriterionOut(Schema):
    id: int
    order: int
    text: str


class PhaseOut(Schema):
    id: int
    order: int
    name: str
    gate_name: str
    typical_weeks: int
    description: str
    requirements: list[RequirementOut]
    criteria: list[CriterionOut]


class VersionOut(Schema):
    id: int
    methodology: Ref
    number: int
    state: str
    notes: str
    published_at: dt.datetime | None
    phases: list[PhaseOut]


def phase_out(p: Phase) -> dict[str, Any]:
    return {
        "id": p.pk,
        "order": p.order,
        "name": p.name,
        "gate_name": p.gate_name,
        "typical_weeks": p.typical_weeks,
        "description": p.description,
        "requirements": [
            {"id": r.pk, "name": r.name, "type": r.type, "template_name": r.template_name} for r in p.requirements.all()
        ],
        "criteria": [{"id": c.pk, "order": c.order, "text": c.text} for c in p.criteria.all()],
    }


def version_out(v: MethodologyVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "methodology": ref(v.methodology),
        "number": v.number,
        "state": v.state,
        "notes": v.notes,
        "published_at": v.published_at,
        "phases": [phase_out(p) for p in v.phases.prefetch_related("requirements", "criteria")],
    }


@router.get("/methodologies", response={200: list[MethodologyOut], **ERRORS}, operation_id="methodologies_list")
def list_methodologies(request: HttpRequest) -> Any:
    _may_list(request, Methodology)
    return [methodology_out(m) for m in Methodology.objects.order_by("kind", "name")]


@router.post(
    "/methodologies",
    response={201: MethodologyOut, **ERRORS},
    operation_id="methodologies_create",
    summary="A new methodology, with an empty draft version 1",
)
def create_methodology(request: HttpRequest, payload: MethodologyIn) -> Any:
    m = services.methodology_create(actor=request.user, **payload.dict())
    return 201, methodology_out(m)


@router.get("/methodologies/{int:pk}", response={200: MethodologyOut, **ERRORS}, operation_id="methodologies_get")
def get_methodology(request: HttpRequest, pk: int) -> Any:
    return methodology_out(_get(request, Methodology, pk))


@router.post(
    "/methodologies/{int:pk}/versions",
    response={201: VersionOut, **ERRORS},
    operation_id="methodologies_new_version",
    summary="Start the next draft version, a copy of the latest published one",
)
def new_version(request: HttpRequest, pk: int) -> Any:
    return 201, version_out(services.version_draft(actor=request.user, methodology=_get(request, Methodology, pk)))


@router.get(
    "/methodology-versions/{int:pk}", response={200: VersionOut, **ERRORS}, operation_id="methodology_versions_get"
)
def get_version(request: HttpRequest, pk: int) -> Any:
    return version_out(_get(request, MethodologyVersion, pk))


class PhaseIn(Schema):
    name: str
    gate_name: str
    typical_weeks: int = Field(4, ge=1, le=260)
    description: str = ""


@router.post(
    "/methodology-versions/{int:pk}/phases",
    response={201: PhaseOut, **ERRORS},
    operation_id="methodology_versions_add_phase",
    summary="Add a phase (and its gate) at the end of a draft version",
)
def add_phase(request: HttpRequest, pk: int, payload: PhaseIn) -> Any:
    phase = services.phase_add(actor=request.user, version=_get(request, MethodologyVersion, pk), **payload.dict())
    return 201, phase_out(phase)


@router.delete("/methodology-phases/{int:pk}", response={204: None, **ERRORS}, operation_id="methodology_phases_delete")
def delete_phase(request: HttpRequest, pk: int) -> Any:
    services.phase_delete(actor=request.user, phase=_get(request, Phase, pk))
    return 204, None


class RequirementIn(Schema):
    name: str
    type: Requirement.Type = Requirement.Type.DOCUMENT
    template_name: str = ""


@router.post(
    "/methodology-phases/{int:pk}/requirements",
    response={201: RequirementOut, **ERRORS},
    operation_id="methodology_phases_add_requirement",
)
def add_requirement(request: HttpRequest, pk: int, payload: RequirementIn) -> Any:
    r = services.requirement_add(actor=request.user, phase=_get(request, Phase, pk), **payload.dict())
    return 201, {"id": r.pk, "name": r.name, "type": r.type, "template_name": r.template_name}


class CriterionIn(Schema):
    text: str


@router.post(
    "/methodology-phases/{int:pk}/criteria",
    response={201: CriterionOut, **ERRORS},
    operation_id="methodology_phases_add_criterion",
)
def add_criterion(request: HttpRequest, pk: int, payload: CriterionIn) -> Any:
    c = services.criterion_add(actor=request.user, phase=_get(request, Phase, pk), text=payload.text)
    return 201, {"id": c.pk, "order": c.order, "text": c.text}


class PublishIn(Schema):
    notes: str = ""


@router.post(
    "/methodology-versions/{int:pk}/publish",
    response={200: VersionOut, **ERRORS},
    operation_id="methodology_versions_publish",
    summary="Publish a draft version (PMO director); it never changes afterwards",
)
def publish_version(request: HttpRequest, pk: int, payload: PublishIn) -> Any:
    v = services.version_publish(actor=request.user, version=_get(request, MethodologyVersion, pk), notes=payload.notes)
    return version_out(v)


class PhasePatch(Schema):
    name: str | None = None
    gate_name: str | None = None
    typical_weeks: int | None = Field(None, ge=1, le=260)
    description: str | None = None


@router.patch(
    "/methodology-phases/{int:pk}", response={200: PhaseOut, **ERRORS}, operation_id="methodology_phases_update"
)
def update_phase(request: HttpRequest, pk: int, payload: PhasePatch) -> Any:
    changes = payload.dict(exclude_unset=True)
    phase = services.phase_update(actor=request.user, phase=_get(request, Phase, pk), changes=changes)
    return phase_out(phase)


@router.delete(
    "/methodology-requirements/{int:pk}",
    response={204: None, **ERRORS},
    operation_id="methodology_requirements_delete",
)
def delete_requirement(request: HttpRequest, pk: int) -> Any:
    services.requirement_delete(actor=request.user, requirement=_get(request, Requirement, pk))
    return 204, None


@router.delete(
    "/methodology-criteria/{int:pk}", response={204: None, **ERRORS}, operation_id="methodology_criteria_delete"
)
def delete_criterion(request: HttpRequest, pk: int) -> Any:
    services.criterion_delete(actor=request.user, criterion=_get(request, Criterion, pk))
    return 204, None
