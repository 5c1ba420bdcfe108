import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from pmo.api.crud import Resource, register
from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.access import can, require
from pmo.portfolio import selectors, services
from pmo.portfolio.models import (
    Health,
    LifecycleState,
    Methodology,
    Portfolio,
    Program,
    Project,
    StrategicObjective,
)

router = Router()
OBJECTIVE_M2M = {"objective_ids": ("objectives", StrategicObjective)}


# --- strategic objectives ----------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    code: str
    name: str
    description: str
    owner: Ref | None
    target_year: int | None
    active: bool
    version: int


class ObjectiveIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = ""
    owner_id: int | None = None
    target_year: int | None = Field(None, ge=1900, le=2200)
    active: bool = True


class ObjectivePatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    owner_id: int | None = None
    target_year: int | None = Field(None, ge=1900, le=2200)
    active: bool | None = None
    version: int | None = None


class ObjectiveFilters(Schema):
    active: bool | None = None


def objective_out(o: StrategicObjective, user: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "code": o.code,
        "name": o.name,
        "description": o.description,
        "owner": ref(o.owner),
        "target_year": o.target_year,
        "active": o.active,
        "version": o.version,
    }


register(
    router,
    Resource(
        path="objectives",
        model=StrategicObjective,
        out=ObjectiveOut,
        create_in=ObjectiveIn,
        patch_in=ObjectivePatch,
        filters=ObjectiveFilters,
        queryset=lambda: StrategicObjective.objects.select_related("owner"),
        serialize=objective_out,
        create=services.objective_create,
        update=services.objective_update,
        delete=services.objective_delete,
        search_fields=("code", "name"),
        orderings=("code", "name", "target_year"),
        tag="strategy",
        obj_kwarg="objective",
    ),
)


# --- portfolios ----------------------------------------------------------------------------------


class PortfolioOut(Schema):
    id: int
    code: str
    name: str
    description: str
    manager: Ref | None
    objectives: list[CodeRef]
    active: bool
    project_count: int
    version: int


class PortfolioIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = ""
    manager_id: int | None = None
    objective_ids: list[int] = []
    active: bool = True


class PortfolioPatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    manager_id: int | None = None
    objective_ids: list[int] | None = None
    active: bool | None = None
    version: int | None = None


class PortfolioFilters(Schema):
    active: bool | None = None
    manager_id: int | None = None


def portfolio_out(p: Portfolio, user: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "description": p.description,
        "manager": ref(p.manager),
        "objectives": [code_ref(o) for o in p.objectives.all()],
        "active": p.active,
        "project_count": getattr(p, "project_count", None) or p.projects.count(),
        "version": p.version,
    }


register(
    router,
    Resource(
        path="portfolios",
        model=Portfolio,
        out=PortfolioOut,
        create_in=PortfolioIn,
        patch_in=PortfolioPatch,
        filters=PortfolioFilters,
        queryset=selectors.portfolios,
        serialize=portfolio_out,
        create=services.portfolio_create,
        update=services.portfolio_update,
        delete=services.portfolio_delete,
        search_fields=("code", "name"),
        orderings=("code", "name"),
        m2m=OBJECTIVE_M2M,
        tag="portfolios",
    ),
)


# --- programs ------------------------------------------------------------------------------------


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    description: str
    portfolio: CodeRef
    manager: Ref | None
    objectives: list[CodeRef]
    version: int


class ProgramIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = ""
    portfolio_id: int
    manager_id: int | None = None
    objective_ids: list[int] = []


class ProgramPatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    portfolio_id: int | None = None
    manager_id: int | None = None
    objective_ids: list[int] | None = None
    version: int | None = None


class ProgramFilters(Schema):
    portfolio_id: int | None = None
    manager_id: int | None = None


def program_out(p: Program, user: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "description": p.description,
        "portfolio": code_ref(p.portfolio),
        "manager": ref(p.manager),
        "objectives": [code_ref(o) for o in p.objectives.all()],
        "version": p.version,
    }


register(
    router,
    Resource(
        path="programs",
        model=Program,
        out=ProgramOut,
        create_in=ProgramIn,
        patch_in=ProgramPatch,
        filters=ProgramFilters,
        queryset=selectors.programs,
        serialize=program_out,
        create=services.program_create,
        update=services.program_update,
        delete=services.program_delete,
        search_fields=("code", "name"),
        orderings=("code", "name"),
        m2m=OBJECTIVE_M2M,
        tag="portfolios",
    ),
)


# --- projects ------------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    description: str
    portfolio: CodeRef
    program: CodeRef | None
    sponsor: Ref | None
    manager: Ref | None
    org_unit: Ref | None
    methodology: Methodology
    state: LifecycleState
    planned_start: dt.date | None
    planned_finish: dt.date | None
    objectives: list[CodeRef]
    budget: Decimal | None = Field(description="Null for requesters, who see public facts only")
    currency: str | None
    priority: int | None
    health: Health | None
    allowed_transitions: list[str]
    version: int


class ProjectIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = ""
    portfolio_id: int
    program_id: int | None = None
    sponsor_id: int | None = None
    manager_id: int | None = None
    org_unit_id: int | None = None
    methodology: Methodology = Methodology.WATERFALL
    state: LifecycleState = LifecycleState.PROPOSED
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    objective_ids: list[int] = []
    budget: Decimal = Field(Decimal("0"), ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("EUR", min_length=3, max_length=3)
    priority: int = Field(3, ge=1, le=4)
    health: Health = Health.UNKNOWN


class ProjectPatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    portfolio_id: int | None = None
    program_id: int | None = None
    sponsor_id: int | None = None
    manager_id: int | None = None
    org_unit_id: int | None = None
    methodology: Methodology | None = None
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    objective_ids: list[int] | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    priority: int | None = Field(None, ge=1, le=4)
    health: Health | None = None
    version: int | None = None


class ProjectFilters(Schema):
    portfolio_id: int | None = None
    program_id: int | None = None
    manager_id: int | None = None
    sponsor_id: int | None = None
    state: LifecycleState | None = None
    health: Health | None = None
    methodology: Methodology | None = None


def project_out(p: Project, user: Any) -> dict[str, Any]:
    financials = can(user, "view_financials", p)
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "description": p.description,
        "portfolio": code_ref(p.portfolio),
        "program": code_ref(p.program),
        "sponsor": ref(p.sponsor),
        "manager": ref(p.manager),
        "org_unit": ref(p.org_unit),
        "methodology": p.methodology,
        "state": p.state,
        "planned_start": p.planned_start,
        "planned_finish": p.planned_finish,
        "objectives": [code_ref(o) for o in p.objectives.all()],
        "budget": p.budget if financials else None,
        "currency": p.currency if financials else None,
        "priority": p.priority if financials else None,
        "health": p.health if financials else None,
        "allowed_transitions": selectors.allowed_transitions(user, p),
        "version": p.version,
    }


register(
    router,
    Resource(
        path="projects",
        model=Project,
        out=ProjectOut,
        create_in=ProjectIn,
        patch_in=ProjectPatch,
        filters=ProjectFilters,
        queryset=selectors.projects,
        serialize=project_out,
        create=services.project_create,
        update=services.project_update,
        delete=services.project_delete,
        search_fields=("code", "name", "description"),
        orderings=(
            "code",
            "name",
            "state",
            "planned_start",
            "planned_finish",
            "budget",
            "priority",
            "health",
        ),
        m2m=OBJECTIVE_M2M,
        tag="projects",
    ),
)


class TransitionIn(Schema):
    to_state: LifecycleState
    comment: str = ""
    version: int | None = None


@router.post(
    "/projects/{int:pk}/transition",
    response={200: ProjectOut, **ERRORS},
    summary="Move a project along its lifecycle",
    tags=["projects"],
    operation_id="projects_transition",
)
def transition_project(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    project = selectors.projects().filter(pk=pk).first()
    if project is None:
        from django.http import Http404

        raise Http404(f"No project with id {pk}.")
    require(request.user, "view", project)
    services.project_transition(
        actor=request.user,
        project=project,
        to_state=payload.to_state,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return project_out(selectors.projects().get(pk=pk), request.user)
