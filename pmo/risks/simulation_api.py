"""API of schedule and cost risk analysis: start a run for a project or a portfolio, read its results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS
from pmo.core.access import can
from pmo.planning.models import Task
from pmo.portfolio.models import Portfolio, Project
from pmo.risks import simulation
from pmo.risks.models import SimulationRun

router = Router(tags=["risk analysis"])


class AnalysisIn(Schema):
    iterations: int = Field(5000, ge=100, le=simulation.MAX_ITERATIONS)
    seed: int = Field(0, ge=0)
    distribution: str = Field("triangular", description="triangular or pert")
    optimistic_pct: int = Field(90, description="default optimistic duration, % of the most likely")
    pessimistic_pct: int = Field(130, description="default pessimistic duration, % of the most likely")
    include_risks: bool = Field(True, description="let the register's threats with task impacts happen")
    phase_correlation: float = Field(0.0, description="0..1: how much the tasks of one phase slip together")


class AnalysisOut(Schema):
    id: int
    project_id: int | None
    portfolio_id: int | None
    status: str
    progress: int
    message: str
    iterations: int
    seed: int
    distribution: str
    optimistic_pct: int
    pessimistic_pct: int
    include_risks: bool
    phase_correlation: float
    created_at: dt.datetime
    finished_at: dt.datetime | None
    result: dict[str, Any] = Field(description="finish dates (P10-P90), cost, chances, drivers, criticality")
    inputs: dict[str, Any] = Field(description="the model simulated, to reproduce the run")


def analysis_out(run: SimulationRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "project_id": run.project_id,
        "portfolio_id": run.portfolio_id,
        "status": run.status,
        "progress": run.progress,
        "message": run.message,
        "iterations": run.iterations,
        "seed": run.seed,
        "distribution": run.distribution,
        "optimistic_pct": run.optimistic_pct,
        "pessimistic_pct": run.pessimistic_pct,
        "include_risks": run.include_risks,
        "phase_correlation": run.phase_correlation,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "result": run.result,
        "inputs": run.inputs,
    }


def _sees_plans(user: object) -> bool:
    """Analyses simulate plans and costs: those who read plans see them (requesters do not)."""
    return can(user, "view", Task)


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.filter(pk=pk).first()
    if project is None or not can(request.user, "view", project) or not _sees_plans(request.user):
        raise Http404(f"No project with id {pk}.")
    return project


def _portfolio(request: HttpRequest, pk: int) -> Portfolio:
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None or not can(request.user, "view", portfolio) or not _sees_plans(request.user):
        raise Http404(f"No portfolio with id {pk}.")
    return portfolio


@router.post(
    "/projects/{int:pk}/risk-analysis",
    response={201: AnalysisOut, **ERRORS},
    summary="Run a schedule and cost risk analysis of a project",
    operation_id="risk_analysis_project_run",
)
def run_project(request: HttpRequest, pk: int, payload: AnalysisIn) -> Any:
    run = simulation.simulation_start(actor=request.user, project=_project(request, pk), **payload.dict())
    run.refresh_from_db()
    return 201, analysis_out(run)


@router.get(
    "/projects/{int:pk}/risk-analysis",
    response={200: list[AnalysisOut], **ERRORS},
    summary="A project's risk analyses, newest first",
    operation_id="risk_analysis_project_list",
)
def list_project(request: HttpRequest, pk: int) -> Any:
    return [analysis_out(r) for r in simulation.runs_of(project=_project(request, pk))]


@router.post(
    "/portfolios/{int:pk}/risk-analysis",
    response={201: AnalysisOut, **ERRORS},
    summary="Run a risk analysis of the key milestones of a portfolio's running projects",
    operation_id="risk_analysis_portfolio_run",
)
def run_portfolio(request: HttpRequest, pk: int, payload: AnalysisIn) -> Any:
    run = simulation.simulation_start(actor=request.user, portfolio=_portfolio(request, pk), **payload.dict())
    run.refresh_from_db()
    return 201, analysis_out(run)


@router.get(
    "/risk-analysis/{int:run_id}",
    response={200: AnalysisOut, **ERRORS},
    summary="One risk analysis and its results",
    operation_id="risk_analysis_read",
)
def read(request: HttpRequest, run_id: int) -> Any:
    run = SimulationRun.objects.filter(pk=run_id).select_related("project", "portfolio").first()
    target = None if run is None else run.project or run.portfolio
    if run is None or target is None or not can(request.user, "view", target) or not _sees_plans(request.user):
        raise Http404(f"No risk analysis {run_id}.")
    return analysis_out(run)
