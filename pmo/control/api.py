"""Monitoring and control over the API: your timesheet week, approvals, actual costs (entered or imported)
and earned value snapshots of projects, programs and portfolios."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from pmo.api.schemas import ERRORS
from pmo.changes.selectors import thresholds_for
from pmo.control import selectors, services
from pmo.control.models import CostCategory, CostEntry, CostRate, EvmSnapshot, ProgressMethod, TaskBudget, Timesheet
from pmo.core.access import can, person_id_of, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.planning.models import Task
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person

router = Router(tags=["monitoring and control"])


# --- timesheets -----------------------------------------------------------------------------------


class WeekRowOut(Schema):
    task_id: int
    task_uid: int
    task: str
    project: str
    hours: list[Decimal | None]
    total: Decimal
    state: str
    editable: bool
    comment: str


class WeekOut(Schema):
    person: str
    week_start: dt.date
    days: list[dt.date]
    rows: list[WeekRowOut]
    day_totals: list[Decimal]
    total: Decimal


class HoursIn(Schema):
    task_id: int
    day: dt.date
    hours: Decimal = Field(ge=0, le=24)


class WeekIn(Schema):
    week_start: dt.date
    entries: list[HoursIn]


class WeekRef(Schema):
    week_start: dt.date


class SheetOut(Schema):
    id: int
    person: str
    project: str
    project_id: int
    week_start: dt.date
    state: Timesheet.State
    hours: Decimal
    comment: str
    version: int


class DecisionIn(Schema):
    comment: str = ""


def _me(request: HttpRequest) -> Person:
    person_id = person_id_of(request.user)
    if person_id is None:
        raise ValidationFailed({"person": "Your account is not linked to a person; ask the PMO to link it."})
    return Person.objects.get(pk=person_id)


def week_out(grid: selectors.WeekGrid) -> dict[str, Any]:
    return {
        "person": str(grid.person),
        "week_start": grid.week_start,
        "days": grid.days,
        "rows": [
            {
                "task_id": r.task.pk,
                "task_uid": r.task.uid,
                "task": r.task.name,
                "project": r.task.project.code,
                "hours": r.hours,
                "total": r.total,
                "state": r.state,
                "editable": r.editable,
                "comment": r.comment,
            }
            for r in grid.rows
        ],
        "day_totals": grid.day_totals,
        "total": grid.total,
    }


def sheet_out(sheet: Timesheet) -> dict[str, Any]:
    return {
        "id": sheet.pk,
        "person": str(sheet.person),
        "project": sheet.project.code,
        "project_id": sheet.project_id,
        "week_start": sheet.week_start,
        "state": sheet.state,
        "hours": selectors.sheet_hours(sheet),
        "comment": sheet.comment,
        "version": sheet.version,
    }


@router.get(
    "/timesheets/week",
    response={200: WeekOut, **ERRORS},
    summary="Your timesheet week",
    description="The tasks assigned to you that are open that week, with your hours per day. "
    "`week` is any day of the week (default: today).",
    operation_id="timesheet_week_read",
)
def read_week(request: HttpRequest, week: dt.date | None = None) -> Any:
    require(request.user, "view", Timesheet)
    start = services.week_start_of(week or timezone.localdate())
    return week_out(selectors.week_grid(_me(request), start))


@router.put(
    "/timesheets/week",
    response={200: WeekOut, **ERRORS},
    summary="Save hours in your week",
    description="Sets the hours of each (task, day) given; 0 clears a cell. Weeks already submitted or "
    "approved for a project cannot change.",
    operation_id="timesheet_week_save",
)
def save_week(request: HttpRequest, payload: WeekIn) -> Any:
    me = _me(request)
    rows = [services.HoursRow(e.task_id, e.day, e.hours) for e in payload.entries]
    services.timesheet_save(actor=request.user, person=me, week_start=payload.week_start, rows=rows)
    return week_out(selectors.week_grid(me, payload.week_start))


@router.post(
    "/timesheets/week/submit",
    response={200: list[SheetOut], **ERRORS},
    summary="Submit your week",
    description="Each project's hours go to that project's manager for approval.",
    operation_id="timesheet_week_submit",
)
def submit_week(request: HttpRequest, payload: WeekRef) -> Any:
    sheets = services.timesheet_submit(actor=request.user, person=_me(request), week_start=payload.week_start)
    return [sheet_out(s) for s in sheets]


@router.get(
    "/timesheets/approvals",
    response={200: list[SheetOut], **ERRORS},
    summary="Timesheets waiting for your approval",
    operation_id="timesheet_approvals",
)
def list_approvals(request: HttpRequest) -> Any:
    require(request.user, "view", Timesheet)
    return [sheet_out(s) for s in selectors.approvals_for(request.user)]


def _sheet(request: HttpRequest, pk: int) -> Timesheet:
    sheet = Timesheet.objects.select_related("person", "project").filter(pk=pk).first()
    if sheet is None or not can(request.user, "view", sheet):
        raise Http404(f"No timesheet with id {pk}.")
    return sheet


@router.get(
    "/timesheets/{int:pk}", response={200: SheetOut, **ERRORS}, summary="A timesheet", operation_id="timesheet_read"
)
def read_sheet(request: HttpRequest, pk: int) -> Any:
    return sheet_out(_sheet(request, pk))


@router.post(
    "/timesheets/{int:pk}/approve",
    response={200: SheetOut, **ERRORS},
    summary="Approve a submitted timesheet",
    description="Its hours become the tasks' actual work and labour cost (hours x the person's cost rate).",
    operation_id="timesheet_approve",
)
def approve_sheet(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    sheet = services.timesheet_approve(actor=request.user, timesheet=_sheet(request, pk), comment=payload.comment)
    return sheet_out(sheet)


@router.post(
    "/timesheets/{int:pk}/return",
    response={200: SheetOut, **ERRORS},
    summary="Return a submitted timesheet with a comment",
    operation_id="timesheet_return",
)
def return_sheet(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    sheet = services.timesheet_return(actor=request.user, timesheet=_sheet(request, pk), comment=payload.comment)
    return sheet_out(sheet)


# --- actual costs ---------------------------------------------------------------------------------


class CostOut(Schema):
    id: int
    date: dt.date
    category: CostCategory
    amount: Decimal
    description: str
    task_uid: int | None
    source: str
    hours: Decimal | None


class CostIn(Schema):
    date: dt.date
    category: CostCategory
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    description: str = Field("", max_length=255)
    task_uid: int | None = None


def cost_out(e: CostEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "date": e.date,
        "category": e.category,
        "amount": e.amount,
        "description": e.description,
        "task_uid": e.task.uid if e.task_id else None,
        "source": e.source,
        "hours": e.hours,
    }


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.select_related("portfolio", "program").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404(f"No project with id {pk}.")
    if not can(request.user, "view_financials", project):
        require(request.user, "view_financials", project)
    return project


@router.get(
    "/projects/{int:pk}/costs",
    response={200: list[CostOut], **ERRORS},
    summary="A project's actual costs",
    operation_id="costs_list",
)
def list_costs(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    require(request.user, "view", CostEntry)
    return [cost_out(e) for e in selectors.cost_entries(project)]


@router.post(
    "/projects/{int:pk}/costs",
    response={201: CostOut, **ERRORS},
    summary="Record an expense",
    description="Material, services, travel or other; labour comes from approved timesheets.",
    operation_id="costs_create",
)
def create_cost(request: HttpRequest, pk: int, payload: CostIn) -> Any:
    project = _project(request, pk)
    task = None
    if payload.task_uid is not None:
        task = Task.objects.filter(project=project, uid=payload.task_uid).first()
        if task is None:
            raise ValidationFailed({"task_uid": f"The plan has no task {payload.task_uid}."})
    entry = services.cost_entry_create(
        actor=request.user,
        project=project,
        date=payload.date,
        category=payload.category,
        amount=payload.amount,
        description=payload.description,
        task=task,
    )
    entry.refresh_from_db()
    return 201, cost_out(entry)


class ImportOut(Schema):
    imported: int
    total: Decimal


@router.post(
    "/projects/{int:pk}/costs/import",
    response={201: ImportOut, **ERRORS},
    summary="Import expenses from a CSV or Excel file",
    description="Columns date, category, amount, description, task (see docs/monitoring.md). All rows or none: "
    'a bad file answers 422 with every bad row under `details.fields` ("row 3, amount").',
    operation_id="costs_import",
)
def import_costs(request: HttpRequest, pk: int, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    project = _project(request, pk)
    created = services.cost_entries_import(
        actor=request.user, project=project, filename=file.name or "", content=file.read()
    )
    return 201, {"imported": len(created), "total": sum((e.amount for e in created), Decimal(0))}


# --- earned value ---------------------------------------------------------------------------------


class SnapshotOut(Schema):
    id: int
    project: str
    status_date: dt.date
    baseline: str
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    sv: Decimal
    cv: Decimal
    spi: float | None
    cpi: float | None
    spi_t: float | None
    sv_t_days: float
    es_date: dt.datetime | None
    eac: Decimal | None
    eac_range: list[Decimal | None]
    forecast_finish: dt.datetime | None
    finish_range: list[dt.datetime | None]
    rag: str
    metrics: dict[str, Any]


class SnapshotIn(Schema):
    status_date: dt.date | None = Field(None, description="Default: today")


def snapshot_out(s: EvmSnapshot, rules: Any = None) -> dict[str, Any]:
    """A snapshot as the API shows it; `rules` (the portfolio's thresholds) saves a query per snapshot."""
    return {
        "id": s.pk,
        "project": s.project.code,
        "status_date": s.status_date,
        "baseline": s.baseline_name,
        "bac": s.bac,
        "pv": s.pv,
        "ev": s.ev,
        "ac": s.ac,
        "sv": s.ev - s.pv,
        "cv": s.ev - s.ac,
        "spi": s.spi,
        "cpi": s.cpi,
        "spi_t": s.spi_t,
        "sv_t_days": s.sv_t_days,
        "es_date": s.es_date,
        "eac": s.eac,
        "eac_range": [s.eac_low, s.eac_high],
        "forecast_finish": s.forecast_finish,
        "finish_range": [s.finish_low, s.finish_high],
        "rag": selectors.rag(s, rules),
        "metrics": s.metrics,
    }


@router.get(
    "/projects/{int:pk}/evm",
    response={200: list[SnapshotOut], **ERRORS},
    summary="A project's EVM snapshots",
    operation_id="evm_project_list",
)
def list_project_evm(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    require(request.user, "view", EvmSnapshot)
    rules = thresholds_for(project.portfolio_id)
    return [snapshot_out(s, rules) for s in selectors.snapshots(project)]


@router.post(
    "/projects/{int:pk}/evm",
    response={201: SnapshotOut, **ERRORS},
    summary="Take a project's EVM snapshot at a status date",
    description="PV from the latest baseline, EV from the tasks' progress, AC from the costs up to the "
    "date. Taking it again for the same date replaces it.",
    operation_id="evm_project_take",
)
def take_project_evm(request: HttpRequest, pk: int, payload: SnapshotIn) -> Any:
    project = _project(request, pk)
    snapshot = services.evm_snapshot_take(
        actor=request.user, project=project, status_date=payload.status_date or timezone.localdate()
    )
    return 201, snapshot_out(snapshot)


class RollupPointOut(Schema):
    status_date: dt.date
    projects: int
    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac_cpi: float | None
    vac: float | None


class RollupOut(Schema):
    name: str
    history: list[RollupPointOut]
    latest: list[SnapshotOut]
    skipped: list[str] = []


def _rollup_out(name: str, projects: list[Project], skipped: list[str] | None = None) -> dict[str, Any]:
    history = [
        {
            "status_date": day,
            "projects": r.projects,
            "bac": r.bac,
            "pv": r.pv,
            "ev": r.ev,
            "ac": r.ac,
            "sv": r.sv,
            "cv": r.cv,
            "spi": r.spi,
            "cpi": r.cpi,
            "eac_cpi": r.eac_cpi,
            "vac": r.vac,
        }
        for day, r in selectors.rollup_history(projects)
    ]
    latest = selectors.latest_snapshots(projects)
    rules = {pid: thresholds_for(pid) for pid in {p.portfolio_id for p in projects}}
    return {
        "name": name,
        "history": history,
        "latest": [snapshot_out(latest[p.pk], rules[p.portfolio_id]) for p in projects if p.pk in latest],
        "skipped": skipped or [],
    }


def _take_all(request: HttpRequest, projects: list[Project], day: dt.date) -> list[str]:
    """Snapshots of every project that has a baseline and a budget; all permitted or none taken."""
    for project in projects:
        require(request.user, "add", EvmSnapshot(project=project))
    skipped = []
    for project in projects:
        try:
            services.evm_snapshot_take(actor=request.user, project=project, status_date=day)
        except DomainError as error:
            skipped.append(f"{project.code}: {error.message}")
    return skipped


def _program(request: HttpRequest, pk: int) -> Program:
    program = Program.objects.filter(pk=pk).first()
    if program is None or not can(request.user, "view", program):
        raise Http404(f"No program with id {pk}.")
    require(request.user, "view", EvmSnapshot)
    return program


def _portfolio(request: HttpRequest, pk: int) -> Portfolio:
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None or not can(request.user, "view", portfolio):
        raise Http404(f"No portfolio with id {pk}.")
    require(request.user, "view", EvmSnapshot)
    return portfolio


@router.get(
    "/programs/{int:pk}/evm",
    response={200: RollupOut, **ERRORS},
    summary="A program's EVM roll-up",
    description="PV, EV, AC and BAC summed over its projects (each by its latest snapshot at each date); "
    "indices recomputed from the sums.",
    operation_id="evm_program",
)
def program_evm(request: HttpRequest, pk: int) -> Any:
    program = _program(request, pk)
    return _rollup_out(str(program), selectors.measured_projects(request.user, program_id=program.pk))


@router.post(
    "/programs/{int:pk}/evm",
    response={201: RollupOut, **ERRORS},
    summary="Take snapshots of every project of a program",
    operation_id="evm_program_take",
)
def take_program_evm(request: HttpRequest, pk: int, payload: SnapshotIn) -> Any:
    program = _program(request, pk)
    projects = selectors.measured_projects(request.user, program_id=program.pk)
    skipped = _take_all(request, projects, payload.status_date or timezone.localdate())
    return 201, _rollup_out(str(program), projects, skipped)


@router.get(
    "/portfolios/{int:pk}/evm",
    response={200: RollupOut, **ERRORS},
    summary="A portfolio's EVM roll-up",
    operation_id="evm_portfolio",
)
def portfolio_evm(request: HttpRequest, pk: int) -> Any:
    portfolio = _portfolio(request, pk)
    return _rollup_out(str(portfolio), selectors.measured_projects(request.user, portfolio_id=portfolio.pk))


@router.post(
    "/portfolios/{int:pk}/evm",
    response={201: RollupOut, **ERRORS},
    summary="Take snapshots of every project of a portfolio",
    operation_id="evm_portfolio_take",
)
def take_portfolio_evm(request: HttpRequest, pk: int, payload: SnapshotIn) -> Any:
    portfolio = _portfolio(request, pk)
    projects = selectors.measured_projects(request.user, portfolio_id=portfolio.pk)
    skipped = _take_all(request, projects, payload.status_date or timezone.localdate())
    return 201, _rollup_out(str(portfolio), projects, skipped)


# --- settings, task budgets, cost rates -----------------------------------------------------------


class SettingsIO(Schema):
    progress_method: ProgressMethod


@router.get(
    "/projects/{int:pk}/control-settings",
    response={200: SettingsIO, **ERRORS},
    summary="How a project measures progress",
    operation_id="control_settings_read",
)
def read_settings(request: HttpRequest, pk: int) -> Any:
    return {"progress_method": services.settings_of(_project(request, pk)).progress_method}


@router.put(
    "/projects/{int:pk}/control-settings",
    response={200: SettingsIO, **ERRORS},
    summary="Choose how a project measures progress",
    description="percent (percent complete), physical (physical % complete) or milestones (milestone weights).",
    operation_id="control_settings_update",
)
def update_settings(request: HttpRequest, pk: int, payload: SettingsIO) -> Any:
    settings = services.control_settings_update(
        actor=request.user, project=_project(request, pk), progress_method=payload.progress_method
    )
    return {"progress_method": settings.progress_method}


class TaskBudgetOut(Schema):
    task_uid: int
    task: str
    budget: Decimal | None
    physical_percent: Decimal | None
    weight: Decimal | None


class TaskBudgetIn(Schema):
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    physical_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    weight: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)


def task_budget_out(task: Task) -> dict[str, Any]:
    budget = TaskBudget.objects.filter(task=task).first()
    return {
        "task_uid": task.uid,
        "task": task.name,
        "budget": budget.budget if budget else None,
        "physical_percent": budget.physical_percent if budget else None,
        "weight": budget.weight if budget else None,
    }


@router.get(
    "/projects/{int:pk}/task-budgets",
    response={200: list[TaskBudgetOut], **ERRORS},
    summary="The budget, physical % complete and milestone weight of each task",
    operation_id="task_budgets_list",
)
def list_task_budgets(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    return [task_budget_out(t) for t in Task.objects.filter(project=project, is_summary=False).order_by("position")]


@router.put(
    "/projects/{int:pk}/task-budgets/{int:uid}",
    response={200: TaskBudgetOut, **ERRORS},
    summary="Set a task's budget, physical % complete and milestone weight",
    description="null clears a value. Tasks without a budget share the rest of the project budget by planned "
    "work. Changes count from the next snapshot.",
    operation_id="task_budgets_update",
)
def update_task_budget(request: HttpRequest, pk: int, uid: int, payload: TaskBudgetIn) -> Any:
    project = _project(request, pk)
    task = Task.objects.filter(project=project, uid=uid).select_related("project").first()
    if task is None:
        raise Http404(f"No task {uid} in project {project.code}.")
    services.task_budget_set(
        actor=request.user,
        task=task,
        budget=payload.budget,
        physical_percent=payload.physical_percent,
        weight=payload.weight,
    )
    return task_budget_out(task)


class CostRateIO(Schema):
    rate_per_hour: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


class CostRateIn(CostRateIO):
    """The input twin: its OpenAPI schema (number or string) differs from the output's (string)."""


@router.get(
    "/people/{int:pk}/cost-rate",
    response={200: CostRateIO, **ERRORS},
    summary="What an hour of a person's work costs",
    operation_id="cost_rate_read",
)
def read_cost_rate(request: HttpRequest, pk: int) -> Any:
    require(request.user, "view", CostRate)
    rate = CostRate.objects.filter(person_id=pk).first()
    if rate is None:
        raise Http404(f"No cost rate for person {pk}.")
    return {"rate_per_hour": rate.rate_per_hour}


@router.put(
    "/people/{int:pk}/cost-rate",
    response={200: CostRateIO, **ERRORS},
    summary="Set what an hour of a person's work costs",
    description="Used when timesheets are approved; past labour costs keep the rate they were approved at.",
    operation_id="cost_rate_update",
)
def update_cost_rate(request: HttpRequest, pk: int, payload: CostRateIn) -> Any:
    person = Person.objects.filter(pk=pk).first()
    if person is None or not can(request.user, "view", person):
        raise Http404(f"No person with id {pk}.")
    rate = services.cost_rate_set(actor=request.user, person=person, rate_per_hour=payload.rate_per_hour)
    rate.refresh_from_db()
    return {"rate_per_hour": rate.rate_per_hour}
