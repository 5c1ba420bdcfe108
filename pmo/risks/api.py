"""The API of the risk registers: risks and opportunities, their re-rating, actions, occurrence as issues,
task impacts, heat maps, exposure and the portfolio's scales."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Page, Ref, code_ref, ref
from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person
from pmo.risks import selectors, services
from pmo.risks.models import Category, Risk, RiskAction, RiskTaskImpact, Strategy
from pmo.risks.scales import Scales

router = Router(tags=["risks"])


def _risks(request: HttpRequest) -> None:
    if not selectors.sees_risks(request.user):
        raise PermissionDenied("Risk registers are for the project teams, the PMO and management.")


def _get(request: HttpRequest, model: Any, pk: int) -> Any:
    _risks(request)
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not can(request.user, "view", obj):
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


def _risk(request: HttpRequest, pk: int) -> Risk:
    _risks(request)
    risk = selectors.base().filter(pk=pk).first()
    if risk is None or not can(request.user, "view", risk):
        raise Http404(f"No risk with id {pk}.")
    return risk


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj


def _projects(ids: list[int] | None, field: str) -> list[Project] | None:
    if ids is None:
        return None
    found = list(Project.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {p.pk for p in found})
    if missing:
        raise ValidationFailed({field: f"No project with id {', '.join(map(str, missing))}."})
    return found


# --- risks -----------------------------------------------------------------------------------------------


class RiskOut(Schema):
    id: int
    code: str
    kind: Risk.Kind
    title: str
    cause: str
    event: str
    effect: str
    category: Category
    owner: Ref | None
    level: str = Field(description='"project", "program" or "portfolio": whose register it is in')
    project: CodeRef | None
    program: CodeRef | None
    portfolio: CodeRef | None
    probability: int
    impact: int
    score: int
    rating: str = Field(description="low, medium, high or critical, from the portfolio's escalation score")
    residual_probability: int | None
    residual_impact: int | None
    residual_score: int | None
    residual_rating: str
    cost_impact: Decimal | None = Field(description="Cost if it happens (null: the impact level's cost is used)")
    schedule_impact_days: int | None
    expected_cost: Decimal | None = Field(description="Probability level's % x cost if it happens")
    expected_days: Decimal
    proximity: str
    proximity_date: dt.date | None
    trigger: str
    strategy: str
    response: str
    status: Risk.Status
    shared: bool
    escalated: bool = Field(description="An open project risk that shows on its program and portfolio")
    affected_projects: list[CodeRef]
    issue_id: int | None
    occurred_on: dt.date | None
    closed_on: dt.date | None
    closure_note: str
    score_history: list[int]
    trend: str = Field(description="up, down, steady or new: the last re-rating against the one before")
    open_actions: int
    overdue_actions: int
    version: int


def risk_out(row: selectors.RiskRow, user: Any) -> dict[str, Any]:
    r = row.risk
    money = can(user, "view_financials", r.project) if r.project_id else can(user, "view_financials", Project)
    return {
        "id": r.pk,
        "code": r.code,
        "kind": r.kind,
        "title": r.title,
        "cause": r.cause,
        "event": r.event,
        "effect": r.effect,
        "category": r.category,
        "owner": ref(r.owner),
        "level": r.level,
        "project": code_ref(r.project),
        "program": code_ref(r.program),
        "portfolio": code_ref(r.portfolio),
        "probability": r.probability,
        "impact": r.impact,
        "score": r.score,
        "rating": row.rating,
        "residual_probability": r.residual_probability,
        "residual_impact": r.residual_impact,
        "residual_score": r.residual_score,
        "residual_rating": row.residual_rating,
        "cost_impact": r.cost_impact if money else None,
        "schedule_impact_days": r.schedule_impact_days,
        "expected_cost": row.exposure_money if money else None,
        "expected_days": row.exposure_days,
        "proximity": r.proximity,
        "proximity_date": r.proximity_date,
        "trigger": r.trigger,
        "strategy": r.strategy,
        "response": r.response,
        "status": r.status,
        "shared": r.shared,
        "escalated": row.escalated,
        "affected_projects": [code_ref(p) for p in r.affected_projects.all()],
        "issue_id": r.issue_id,
        "occurred_on": r.occurred_on,
        "closed_on": r.closed_on,
        "closure_note": r.closure_note,
        "score_history": row.scores,
        "trend": row.trend,
        "open_actions": row.open_actions,
        "overdue_actions": len(row.overdue_actions),
        "version": r.version,
    }


def _out(request: HttpRequest, risk: Risk) -> dict[str, Any]:
    fresh = selectors.base().get(pk=risk.pk)
    return risk_out(selectors.rows([fresh])[0], request.user)


class RiskFields(Schema):
    kind: Risk.Kind = Risk.Kind.THREAT
    title: str = Field(min_length=1, max_length=200)
    cause: str = ""
    event: str = ""
    effect: str = ""
    category: Category = Category.TECHNICAL
    owner_id: int | None = None
    cost_impact: Decimal | None = Field(None, ge=0)
    schedule_impact_days: int | None = Field(None, ge=0)
    proximity: Risk.Proximity = Risk.Proximity.NONE
    proximity_date: dt.date | None = None
    trigger: str = ""
    strategy: Strategy | None = Field(
        None, description="threats: avoid, mitigate, transfer, accept; opportunities: exploit, enhance, share, accept"
    )
    response: str = ""
    shared: bool = False
    affected_project_ids: list[int] = []


class RiskIn(RiskFields):
    project_id: int | None = Field(None, description="Give exactly one of project_id, program_id, portfolio_id")
    program_id: int | None = None
    portfolio_id: int | None = None
    probability: int = Field(ge=1)
    impact: int = Field(ge=1)
    residual_probability: int | None = Field(None, ge=1)
    residual_impact: int | None = Field(None, ge=1)
    note: str = ""
    assessed_on: dt.date | None = Field(None, description="When this first rating was made; default: today")


class RiskPatch(Schema):
    kind: Risk.Kind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    cause: str | None = None
    event: str | None = None
    effect: str | None = None
    category: Category | None = None
    owner_id: int | None = None
    cost_impact: Decimal | None = Field(None, ge=0)
    schedule_impact_days: int | None = Field(None, ge=0)
    proximity: Risk.Proximity | None = None
    proximity_date: dt.date | None = None
    trigger: str | None = None
    strategy: str | None = None
    response: str | None = None
    shared: bool | None = None
    affected_project_ids: list[int] | None = None
    status: str | None = Field(None, description='"open" or "closed" (occurred: POST /risks/{id}/occur)')
    closure_note: str | None = None
    version: int | None = None


class RiskFilters(Schema):
    portfolio_id: int | None = Field(None, description="Every risk of the portfolio: its projects', programs', own")
    program_id: int | None = Field(None, description="The program's risks and its projects'")
    project_id: int | None = Field(None, description="The project's register and the risks naming it as affected")
    status: str | None = Field("open", description="open, occurred, closed, or empty for all")
    kind: Risk.Kind | None = None
    category: Category | None = None
    escalated: bool | None = Field(None, description="Only risks shown above their register")
    probability: int | None = Field(None, description="One heat-map cell: with impact")
    impact: int | None = None
    residual: bool = Field(False, description="probability and impact are the residual rating")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=500)


def _filtered_queryset(request: HttpRequest, f: RiskFilters) -> QuerySet[Risk]:
    _risks(request)
    qs: QuerySet[Risk] = selectors.base()
    if f.portfolio_id is not None:
        qs = selectors.in_portfolio(_one(Portfolio, f.portfolio_id, "portfolio_id"))
    if f.program_id is not None:
        qs = qs & selectors.in_program(_one(Program, f.program_id, "program_id"))
    return selectors.filtered(
        selectors.visible(request.user, qs),
        status=f.status or "",
        kind=f.kind or "",
        project_id=f.project_id,
        category=f.category or "",
    ).order_by("-score", "code", "pk")


def _filtered(request: HttpRequest, f: RiskFilters) -> list[selectors.RiskRow]:
    out = selectors.rows(_filtered_queryset(request, f))
    if f.escalated is not None:
        out = [r for r in out if (r.escalated or r.risk.project_id is None) == f.escalated]
    if f.probability is not None and f.impact is not None:
        out = selectors.in_cell(out, f.probability, f.impact, residual=f.residual)
    return out


@router.get(
    "/risks",
    response={200: Page[RiskOut], **ERRORS},
    operation_id="risks_list",
    summary="Risks and opportunities, highest score first (open ones by default), a page at a time",
)
def list_risks(request: HttpRequest, filters: Query[RiskFilters], paging: Query[PageParams]) -> Any:
    start = (paging.page - 1) * paging.page_size
    if filters.escalated is None and (filters.probability is None or filters.impact is None):
        # Every filter is in the database: rate only the risks of this page.
        qs = _filtered_queryset(request, filters)
        count, rows = qs.count(), selectors.rows(qs[start : start + paging.page_size])
    else:
        matching = _filtered(request, filters)
        count, rows = len(matching), matching[start : start + paging.page_size]
    return {
        "items": [risk_out(r, request.user) for r in rows],
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.post("/risks", response={201: RiskOut, **ERRORS}, operation_id="risks_create")
def create_risk(request: HttpRequest, payload: RiskIn) -> Any:
    _risks(request)
    data = payload.dict()
    owner = {
        "project": _one(Project, data.pop("project_id"), "project_id"),
        "program": _one(Program, data.pop("program_id"), "program_id"),
        "portfolio": _one(Portfolio, data.pop("portfolio_id"), "portfolio_id"),
    }
    data["owner"] = _one(Person, data.pop("owner_id"), "owner_id")
    data["strategy"] = data["strategy"] or ""
    affected = _projects(data.pop("affected_project_ids"), "affected_project_ids") or []
    risk = services.risk_create(actor=request.user, affected_projects=affected, **owner, **data)
    return 201, _out(request, risk)


@router.get("/risks/{int:pk}", response={200: RiskOut, **ERRORS}, operation_id="risks_get")
def get_risk(request: HttpRequest, pk: int) -> Any:
    return risk_out(selectors.rows([_risk(request, pk)])[0], request.user)


@router.patch(
    "/risks/{int:pk}",
    response={200: RiskOut, **ERRORS},
    operation_id="risks_update",
    summary="Edit a risk, or close or reopen it (its rating changes through /rate)",
)
def patch_risk(request: HttpRequest, pk: int, payload: RiskPatch) -> Any:
    risk = _risk(request, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "owner_id" in data:
        data["owner"] = _one(Person, data.pop("owner_id"), "owner_id")
    if data.get("strategy") is None and "strategy" in data:
        data["strategy"] = ""
    affected = _projects(data.pop("affected_project_ids", None), "affected_project_ids")
    risk = services.risk_update(
        actor=request.user, risk=risk, expected_version=version, affected_projects=affected, **data
    )
    return _out(request, risk)


class RateIn(Schema):
    probability: int = Field(ge=1)
    impact: int = Field(ge=1)
    residual_probability: int | None = Field(None, ge=1)
    residual_impact: int | None = Field(None, ge=1)
    note: str = ""
    assessed_on: dt.date | None = None


@router.post(
    "/risks/{int:pk}/rate",
    response={200: RiskOut, **ERRORS},
    operation_id="risks_rate",
    summary="Re-rate an open risk (adds a row to its history; may escalate it)",
)
def rate_risk(request: HttpRequest, pk: int, payload: RateIn) -> Any:
    risk = services.risk_rate(actor=request.user, risk=_risk(request, pk), **payload.dict())
    return _out(request, risk)


class RiskAssessmentOut(Schema):
    assessed_on: dt.date
    probability: int
    impact: int
    score: int
    residual_probability: int | None
    residual_impact: int | None
    residual_score: int | None
    note: str
    assessed_by: str | None


@router.get(
    "/risks/{int:pk}/assessments",
    response={200: list[RiskAssessmentOut], **ERRORS},
    operation_id="risks_assessments",
    summary="The risk's ratings, oldest first (its trend)",
)
def assessments(request: HttpRequest, pk: int) -> Any:
    return [
        {
            **{f: getattr(a, f) for f in RiskAssessmentOut.model_fields if f != "assessed_by"},
            "assessed_by": (a.assessed_by.get_username() if a.assessed_by_id else None),
        }
        for a in _risk(request, pk).assessments.all()
    ]


class OccurIn(Schema):
    project_id: int | None = Field(None, description="For a program or portfolio risk: the project where it happened")
    note: str = ""
    due_date: dt.date | None = Field(None, description="The issue's due date")


@router.post(
    "/risks/{int:pk}/occur",
    response={200: RiskOut, **ERRORS},
    operation_id="risks_occur",
    summary="The threat happened: log it as an issue (see issue_id) and mark the risk occurred",
)
def occur(request: HttpRequest, pk: int, payload: OccurIn) -> Any:
    risk = _risk(request, pk)
    project = _one(Project, payload.project_id, "project_id")
    services.risk_occur(actor=request.user, risk=risk, project=project, note=payload.note, due_date=payload.due_date)
    return _out(request, risk)


# --- actions ---------------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    risk: Ref
    description: str
    owner: Ref | None
    due_date: dt.date | None
    status: RiskAction.Status
    completed_on: dt.date | None
    overdue: bool
    version: int


def action_out(a: RiskAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "risk": {"id": a.risk_id, "name": str(a.risk)},
        "description": a.description,
        "owner": ref(a.owner),
        "due_date": a.due_date,
        "status": a.status,
        "completed_on": a.completed_on,
        "overdue": selectors.is_overdue(a),
        "version": a.version,
    }


class ActionIn(Schema):
    description: str = Field(min_length=1, max_length=300)
    owner_id: int | None = None
    due_date: dt.date | None = None
    status: RiskAction.Status = RiskAction.Status.PLANNED


class ActionPatch(Schema):
    description: str | None = Field(None, min_length=1, max_length=300)
    owner_id: int | None = None
    due_date: dt.date | None = None
    status: RiskAction.Status | None = None
    version: int | None = None


@router.get("/risks/{int:pk}/actions", response={200: list[ActionOut], **ERRORS}, operation_id="risk_actions_list")
def list_actions(request: HttpRequest, pk: int) -> Any:
    return [action_out(a) for a in _risk(request, pk).actions.all()]


@router.post("/risks/{int:pk}/actions", response={201: ActionOut, **ERRORS}, operation_id="risk_actions_create")
def create_action(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
    risk = _risk(request, pk)
    data = payload.dict()
    data["owner"] = _one(Person, data.pop("owner_id"), "owner_id")
    return 201, action_out(services.risk_action_create(actor=request.user, risk=risk, **data))


@router.patch(
    "/risk-actions/{int:pk}",
    response={200: ActionOut, **ERRORS},
    operation_id="risk_actions_update",
    summary="Edit an action (its owner may change the status only)",
)
def patch_action(request: HttpRequest, pk: int, payload: ActionPatch) -> Any:
    action = _get(request, RiskAction, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "owner_id" in data:
        data["owner"] = _one(Person, data.pop("owner_id"), "owner_id")
    return action_out(services.risk_action_update(actor=request.user, action=action, expected_version=version, **data))


class RiskCheckOut(Schema):
    overdue: int
    notified: int


@router.post(
    "/risk-actions/check",
    response={200: RiskCheckOut, **ERRORS},
    operation_id="risk_actions_check",
    summary="Notify the owners of overdue actions, once per action (PMO; idempotent)",
)
def check(request: HttpRequest) -> Any:
    _risks(request)
    return services.risk_actions_check(actor=request.user)


# --- task impacts ----------------------------------------------------------------------------------------


class TaskImpactOut(Schema):
    id: int
    risk_id: int
    task_id: int
    task: str
    project: str
    min_days: Decimal
    likely_days: Decimal
    max_days: Decimal
    min_cost: Decimal
    likely_cost: Decimal
    max_cost: Decimal


def impact_out(i: RiskTaskImpact) -> dict[str, Any]:
    return {
        "id": i.pk,
        "risk_id": i.risk_id,
        "task_id": i.task_id,
        "task": i.task.name,
        "project": i.task.project.code,
        **{f: getattr(i, f) for f in ("min_days", "likely_days", "max_days", "min_cost", "likely_cost", "max_cost")},
    }


class TaskImpactIn(Schema):
    task_id: int
    min_days: Decimal = Decimal("0")
    likely_days: Decimal = Decimal("0")
    max_days: Decimal = Decimal("0")
    min_cost: Decimal = Decimal("0")
    likely_cost: Decimal = Decimal("0")
    max_cost: Decimal = Decimal("0")


@router.get(
    "/risks/{int:pk}/task-impacts",
    response={200: list[TaskImpactOut], **ERRORS},
    operation_id="risk_task_impacts_list",
    summary="The tasks the risk would hit, with three-point extra days and cost",
)
def list_impacts(request: HttpRequest, pk: int) -> Any:
    risk = _risk(request, pk)
    return [impact_out(i) for i in risk.task_impacts.select_related("task", "task__project")]


@router.put(
    "/risks/{int:pk}/task-impacts",
    response={200: TaskImpactOut, **ERRORS},
    operation_id="risk_task_impacts_set",
    summary="Set (add or replace) the risk's impact on one task",
)
def set_impact(request: HttpRequest, pk: int, payload: TaskImpactIn) -> Any:
    from pmo.planning.models import Task

    risk = _risk(request, pk)
    data = payload.dict()
    task = _one(Task, data.pop("task_id"), "task_id")
    return impact_out(services.risk_task_impact_set(actor=request.user, risk=risk, task=task, **data))


@router.delete("/risk-task-impacts/{int:pk}", response={204: None, **ERRORS}, operation_id="risk_task_impacts_delete")
def delete_impact(request: HttpRequest, pk: int) -> Any:
    services.risk_task_impact_delete(actor=request.user, impact=_get(request, RiskTaskImpact, pk))
    return 204, None


# --- scales, heat maps and exposure -------------------------------------------------------------------------


class ProbabilityLevelIO(Schema):
    level: int
    label: str
    percent: Decimal = Field(description="The chance the level stands for, used for expected exposure")


class ImpactLevelIO(Schema):
    level: int
    label: str
    money: Decimal = Field(description="An impact up to this cost falls in the level")
    days: int = Field(description="... or up to this delay (calendar days)")


class ScalesIO(Schema):
    probability: list[ProbabilityLevelIO]
    impact: list[ImpactLevelIO]
    escalation_score: int


# The input twins: an input Decimal is documented as number or string, an output one as string.
class ProbabilityLevelIn(ProbabilityLevelIO):
    pass


class ImpactLevelIn(ImpactLevelIO):
    pass


class ScalesIn(ScalesIO):
    probability: list[ProbabilityLevelIn]
    impact: list[ImpactLevelIn]


def scales_out(scales: Scales) -> dict[str, Any]:
    return {
        "probability": [{"level": p.level, "label": p.label, "percent": p.percent} for p in scales.probability],
        "impact": [{"level": i.level, "label": i.label, "money": i.money, "days": i.days} for i in scales.impact],
        "escalation_score": scales.escalation_score,
    }


def _portfolio(request: HttpRequest, pk: int) -> Portfolio:
    _risks(request)
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None:
        raise Http404(f"No portfolio with id {pk}.")
    return portfolio


@router.get(
    "/portfolios/{int:pk}/risk-scales",
    response={200: ScalesIO, **ERRORS},
    operation_id="risk_scales_get",
    summary="The portfolio's probability and impact scales and escalation score (the default 5x5 if not set)",
)
def get_scales(request: HttpRequest, pk: int) -> Any:
    return scales_out(selectors.scales_for(_portfolio(request, pk).pk))


@router.put(
    "/portfolios/{int:pk}/risk-scales",
    response={200: ScalesIO, **ERRORS},
    operation_id="risk_scales_set",
    summary="Set the portfolio's scales (3 to 10 levels each) and escalation score",
)
def put_scales(request: HttpRequest, pk: int, payload: ScalesIn) -> Any:
    portfolio = _portfolio(request, pk)
    data = payload.dict()
    services.risk_scales_set(
        actor=request.user,
        portfolio=portfolio,
        probability=data["probability"],
        impact=data["impact"],
        escalation_score=data["escalation_score"],
    )
    return scales_out(selectors.scales_for(portfolio.pk))


class RiskCellOut(Schema):
    probability: int
    impact: int
    score: int
    rating: str
    count: int
    risk_ids: list[int]


class RiskHeatMapOut(Schema):
    scales: ScalesIO
    cells: list[RiskCellOut] = Field(description="Rows from the highest probability, cells from the lowest impact")
    total: int


class HeatMapFilters(Schema):
    scope: str = Field(
        "all", description="all, escalated (escalated and shared only) or registers (program and portfolio risks only)"
    )
    kind: Risk.Kind | None = Risk.Kind.THREAT
    project_id: int | None = None
    category: Category | None = None
    status: str = "open"
    residual: bool = False


def _heat_map(scales: Scales, risk_rows: list[selectors.RiskRow], residual: bool) -> dict[str, Any]:
    cells = []
    for row in selectors.grid(scales, risk_rows, residual=residual):
        for c in row:
            ids = [r.risk.pk for r in selectors.in_cell(risk_rows, c.probability, c.impact, residual=residual)]
            cells.append({**c.__dict__, "risk_ids": ids})
    return {"scales": scales_out(scales), "cells": cells, "total": sum(c["count"] for c in cells)}


@router.get(
    "/portfolios/{int:pk}/risk-heatmap",
    response={200: RiskHeatMapOut, **ERRORS},
    operation_id="risk_heatmap_portfolio",
    summary="The portfolio's heat map: risks per probability x impact cell",
)
def portfolio_heat_map(request: HttpRequest, pk: int, filters: Query[HeatMapFilters]) -> Any:
    portfolio = _portfolio(request, pk)
    scales = selectors.scales_for(portfolio.pk)
    qs = selectors.filtered(
        selectors.visible(request.user, selectors.in_portfolio(portfolio)),
        status=filters.status,
        kind=filters.kind or "",
        scope=filters.scope,
        project_id=filters.project_id,
        category=filters.category or "",
        escalation_score=scales.escalation_score,
    )
    return _heat_map(scales, selectors.rows(qs), filters.residual)


@router.get(
    "/projects/{int:pk}/risk-heatmap",
    response={200: RiskHeatMapOut, **ERRORS},
    operation_id="risk_heatmap_project",
    summary="A project's heat map (its own register)",
)
def project_heat_map(
    request: HttpRequest,
    pk: int,
    kind: Risk.Kind | None = Risk.Kind.THREAT,
    status: str = "open",
    residual: bool = False,
) -> Any:
    _risks(request)
    project = _one(Project, pk, "project")
    scales = selectors.scales_for(project.portfolio_id)
    qs = selectors.filtered(
        selectors.visible(request.user, selectors.project_register(project)), status=status, kind=kind or ""
    )
    return _heat_map(scales, selectors.rows(qs), residual)


class ExposureLineOut(Schema):
    key: str
    label: str
    threats: int
    threat_money: Decimal | None
    threat_days: Decimal
    opportunities: int
    opportunity_money: Decimal | None
    opportunity_days: Decimal


class ExposureOut(Schema):
    by_project: list[ExposureLineOut]
    by_category: list[ExposureLineOut]
    total: ExposureLineOut
    top: list[RiskOut]


@router.get(
    "/portfolios/{int:pk}/risk-exposure",
    response={200: ExposureOut, **ERRORS},
    operation_id="risk_exposure_portfolio",
    summary="Expected cost and delay of the open risks by register and by category, and the top threats",
)
def exposure(request: HttpRequest, pk: int, top: int = 10) -> Any:
    portfolio = _portfolio(request, pk)
    risk_rows = selectors.rows(
        selectors.visible(request.user, selectors.in_portfolio(portfolio)).filter(status=Risk.Status.OPEN)
    )
    money = can(request.user, "view_financials", Project)

    def line(item: selectors.ExposureLine) -> dict[str, Any]:
        data = dict(item.__dict__)
        if not money:
            data["threat_money"] = data["opportunity_money"] = None
        return data

    by_project, total = selectors.exposure_by(risk_rows, "project")
    by_category, _ = selectors.exposure_by(risk_rows, "category")
    return {
        "by_project": [line(x) for x in by_project],
        "by_category": [line(x) for x in by_category],
        "total": line(total),
        "top": [risk_out(r, request.user) for r in selectors.top(risk_rows, max(1, min(top, 100)))],
    }
