"""The plan of a project over the API: read it with its computed schedule, edit tasks in the same text
forms as the plan page, capture and compare baselines."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS
from pmo.core.access import can, require
from pmo.engine.notation import format_duration
from pmo.planning import links, mappers, selectors, services
from pmo.planning.inputs import task_changes
from pmo.planning.models import Baseline, CrossProjectLink, Task
from pmo.portfolio.models import Portfolio, Project

router = Router(tags=["plans"])


class TaskOut(Schema):
    id: int
    uid: int
    wbs: str
    name: str
    level: int
    parent_uid: int | None
    duration: str
    duration_minutes: int
    optimistic: str | None = Field(None, description="three-point estimate: shortest likely duration")
    pessimistic: str | None = Field(None, description="three-point estimate: longest likely duration")
    predecessors: str
    constraint_type: str
    constraint_date: dt.datetime | None
    percent_complete: Decimal
    assignments: list[str]
    start: dt.datetime | None
    finish: dt.datetime | None
    early_start: dt.datetime | None
    early_finish: dt.datetime | None
    late_start: dt.datetime | None
    late_finish: dt.datetime | None
    total_float_minutes: int | None
    free_float_minutes: int | None
    critical: bool
    summary: bool
    milestone: bool
    version: int


class PlanOut(Schema):
    project_id: int
    calendar: str | None
    direction: str
    start: dt.datetime | None
    status_date: dt.datetime | None
    scheduled_start: dt.datetime | None
    scheduled_finish: dt.datetime | None
    critical_path: list[int]
    tasks: list[TaskOut]


class TaskIn(Schema):
    name: str = Field(max_length=255)
    duration: str = Field("1d", description="e.g. 5d, 2w, 4h, 30m, 3ed (elapsed)")
    predecessors: str = Field("", description="e.g. '3FS+2d, 5SS'")
    assignments: str = Field("", description="e.g. 'Jonas Weber, Chloe Dubois [50%]'")
    after_uid: int | None = Field(None, description="Insert after this task (default: at the end)")


class TaskPatch(Schema):
    name: str | None = Field(None, max_length=255)
    duration: str | None = None
    optimistic: str | None = Field(None, description="e.g. 4d; blank clears (schedule risk analysis)")
    pessimistic: str | None = Field(None, description="e.g. 9d; blank clears (schedule risk analysis)")
    predecessors: str | None = None
    assignments: str | None = None
    constraint_type: str | None = None
    constraint_date: str | None = None
    percent_complete: Decimal | None = Field(None, ge=0, le=100)
    actual_start: str | None = None
    actual_finish: str | None = None
    notes: str | None = None
    version: int | None = None


class BaselineIn(Schema):
    name: str = Field(max_length=100)
    note: str = ""


class BaselineOut(Schema):
    id: int
    name: str
    note: str
    captured_at: dt.datetime
    start: dt.datetime | None
    finish: dt.datetime | None


class VarianceOut(Schema):
    uid: int
    name: str
    reference_start: dt.datetime | None
    reference_finish: dt.datetime | None
    compared_start: dt.datetime | None
    compared_finish: dt.datetime | None
    start_variance_days: float | None
    finish_variance_days: float | None
    status: str


class ComparisonOut(Schema):
    reference: str
    compared: str
    finish_variance_days: float | None
    reference_finish: dt.datetime | None
    compared_finish: dt.datetime | None
    rows: list[VarianceOut]


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404(f"No project with id {pk}.")
    require(request.user, "view", Task)
    return project


def _task(project: Project, uid: int) -> Task:
    task = Task.objects.filter(project=project, uid=uid).select_related("project", "parent").first()
    if task is None:
        raise Http404(f"No task {uid} in project {project.code}.")
    return task


def _minutes_per_day(project: Project) -> int:
    plan = services.plan_of(project)
    return plan.calendar.minutes_per_day if plan.calendar_id else 480


def _text(minutes: int | None, minutes_per_day: int) -> str | None:
    return None if minutes is None else format_duration(minutes, minutes_per_day=minutes_per_day)


def plan_out(project: Project) -> dict[str, Any]:
    plan = services.plan_of(project)
    minutes_per_day = plan.calendar.minutes_per_day if plan.calendar_id else 480
    rows = selectors.task_rows(project, minutes_per_day, mappers.engine_calendar(plan.calendar))
    uid_of = {r.task.pk: r.task.uid for r in rows}
    return {
        "project_id": project.pk,
        "calendar": plan.calendar.name if plan.calendar_id else None,
        "direction": plan.direction,
        "start": plan.start,
        "status_date": plan.status_date,
        "scheduled_start": plan.scheduled_start,
        "scheduled_finish": plan.scheduled_finish,
        "critical_path": [r.task.uid for r in rows if r.task.is_critical and not r.task.is_summary],
        "tasks": [
            {
                "id": r.task.pk,
                "uid": r.task.uid,
                "wbs": r.wbs,
                "name": r.task.name,
                "level": r.level,
                "parent_uid": uid_of.get(r.task.parent_id),
                "duration": r.duration_text,
                "duration_minutes": r.task.duration_minutes,
                "optimistic": _text(r.task.optimistic_minutes, minutes_per_day),
                "pessimistic": _text(r.task.pessimistic_minutes, minutes_per_day),
                "predecessors": r.predecessors,
                "constraint_type": r.task.constraint_type,
                "constraint_date": r.task.constraint_date,
                "percent_complete": r.task.percent_complete,
                "assignments": r.assignees,
                "start": r.task.start,
                "finish": r.task.finish,
                "early_start": r.task.early_start,
                "early_finish": r.task.early_finish,
                "late_start": r.task.late_start,
                "late_finish": r.task.late_finish,
                "total_float_minutes": r.task.total_float_minutes,
                "free_float_minutes": r.task.free_float_minutes,
                "critical": r.task.is_critical,
                "summary": r.task.is_summary,
                "milestone": r.task.is_milestone,
                "version": r.task.version,
            }
            for r in rows
        ],
    }


@router.get(
    "/projects/{int:pk}/plan",
    response={200: PlanOut, **ERRORS},
    summary="A project's plan",
    operation_id="plan_read",
)
def read_plan(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    if services.plan_of(project).scheduled_at is None and project.tasks.exists():
        services.plan_schedule(project=project)
    return plan_out(project)


@router.post(
    "/projects/{int:pk}/plan/tasks",
    response={201: PlanOut, **ERRORS},
    summary="Add a task",
    operation_id="plan_task_create",
)
def create_task(request: HttpRequest, pk: int, payload: TaskIn) -> Any:
    project = _project(request, pk)
    fields = task_changes(payload.dict(exclude={"after_uid"}), minutes_per_day=_minutes_per_day(project))
    after = _task(project, payload.after_uid) if payload.after_uid is not None else None
    services.task_create(actor=request.user, project=project, after=after, **fields)
    return 201, plan_out(project)


@router.patch(
    "/projects/{int:pk}/plan/tasks/{int:uid}",
    response={200: PlanOut, **ERRORS},
    summary="Change a task",
    operation_id="plan_task_update",
)
def update_task(request: HttpRequest, pk: int, uid: int, payload: TaskPatch) -> Any:
    project = _project(request, pk)
    task = _task(project, uid)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    changes = task_changes(data, minutes_per_day=_minutes_per_day(project))
    services.task_update(actor=request.user, task=task, expected_version=version, **changes)
    return plan_out(project)


@router.delete(
    "/projects/{int:pk}/plan/tasks/{int:uid}",
    response={200: PlanOut, **ERRORS},
    summary="Delete a task and its subtasks",
    operation_id="plan_task_delete",
)
def delete_task(request: HttpRequest, pk: int, uid: int) -> Any:
    project = _project(request, pk)
    services.task_delete(actor=request.user, task=_task(project, uid))
    return plan_out(project)


@router.post(
    "/projects/{int:pk}/plan/tasks/{int:uid}/indent",
    response={200: PlanOut, **ERRORS},
    summary="Indent a task under the one above",
    operation_id="plan_task_indent",
)
def indent_task(request: HttpRequest, pk: int, uid: int) -> Any:
    project = _project(request, pk)
    services.task_indent(actor=request.user, task=_task(project, uid))
    return plan_out(project)


@router.post(
    "/projects/{int:pk}/plan/tasks/{int:uid}/outdent",
    response={200: PlanOut, **ERRORS},
    summary="Outdent a task one level",
    operation_id="plan_task_outdent",
)
def outdent_task(request: HttpRequest, pk: int, uid: int) -> Any:
    project = _project(request, pk)
    services.task_outdent(actor=request.user, task=_task(project, uid))
    return plan_out(project)


def baseline_out(b: Baseline) -> dict[str, Any]:
    return {
        "id": b.pk,
        "name": b.name,
        "note": b.note,
        "captured_at": b.captured_at,
        "start": b.start,
        "finish": b.finish,
    }


@router.get(
    "/projects/{int:pk}/baselines",
    response={200: list[BaselineOut], **ERRORS},
    summary="Baselines",
    operation_id="baselines_list",
)
def list_baselines(request: HttpRequest, pk: int) -> Any:
    return [baseline_out(b) for b in Baseline.objects.filter(project=_project(request, pk))]


@router.post(
    "/projects/{int:pk}/baselines",
    response={201: BaselineOut, **ERRORS},
    summary="Capture a baseline",
    operation_id="baselines_capture",
)
def capture_baseline(request: HttpRequest, pk: int, payload: BaselineIn) -> Any:
    project = _project(request, pk)
    return 201, baseline_out(
        services.baseline_capture(actor=request.user, project=project, name=payload.name, note=payload.note)
    )


@router.get(
    "/projects/{int:pk}/baselines/compare",
    response={200: ComparisonOut, **ERRORS},
    summary="Compare a baseline with another or with the current plan",
    description="Variance in working days; positive means later than the reference baseline.",
    operation_id="baselines_compare",
)
def compare_baselines(request: HttpRequest, pk: int, reference: int, compared: int | None = None) -> Any:
    project = _project(request, pk)
    baselines = {b.pk: b for b in Baseline.objects.filter(project=project)}
    if reference not in baselines:
        raise Http404(f"No baseline with id {reference} in project {project.code}.")
    if compared is not None and compared not in baselines:
        raise Http404(f"No baseline with id {compared} in project {project.code}.")
    services.plan_of(project)
    comparison = selectors.compare(project, baselines[reference], baselines.get(compared) if compared else None)
    return {
        "reference": comparison.reference,
        "compared": comparison.compared,
        "finish_variance_days": comparison.finish_variance_days,
        "reference_finish": comparison.reference_finish,
        "compared_finish": comparison.compared_finish,
        "rows": [vars(r) for r in comparison.rows],
    }


class CrossLinkIn(Schema):
    provider_project: str = Field(description="code of the project that delivers")
    provider_uid: int = Field(description="UID of the deliverable (task or milestone) in that project")
    consumer_uid: int = Field(description="UID of the task in this project that waits for it")
    date_needed: dt.date | None = None
    note: str = Field("", max_length=255)


class CrossLinkOut(Schema):
    id: int
    provider_project: str
    provider_uid: int
    provider_name: str
    provider_finish: dt.datetime | None
    consumer_project: str
    consumer_uid: int
    consumer_name: str
    consumer_start: dt.datetime | None
    date_needed: dt.date | None
    needed_by: dt.date | None = Field(description="the date needed, else the waiting task's start")
    forecast_date: dt.date | None = Field(description="the deliverable's forecast finish")
    late_days: int = Field(description="calendar days the forecast is after needed_by (0: on time)")
    impact_days: float = Field(description="working days the waiting project's finish moves if it waits")
    late_since: dt.datetime | None
    note: str


def cross_link_out(link: CrossProjectLink) -> dict[str, Any]:
    provider, consumer = link.provider, link.consumer
    return {
        "id": link.pk,
        "provider_project": provider.project.code,
        "provider_uid": provider.uid,
        "provider_name": provider.name,
        "provider_finish": provider.finish,
        "consumer_project": consumer.project.code,
        "consumer_uid": consumer.uid,
        "consumer_name": consumer.name,
        "consumer_start": consumer.start,
        "date_needed": link.date_needed,
        "needed_by": links.date_needed(link),
        "forecast_date": link.forecast_date,
        "late_days": link.late_days,
        "impact_days": float(link.impact_days),
        "late_since": link.late_since,
        "note": link.note,
    }


@router.get(
    "/projects/{int:pk}/cross-links",
    response={200: list[CrossLinkOut], **ERRORS},
    summary="Links to and from other projects",
    description="Tasks of this project waiting for other projects' deliverables, and the reverse.",
    operation_id="cross_links_list",
)
def list_cross_links(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    return [cross_link_out(link) for link in links.links_of([project]) if can(request.user, "view", link.provider)]


@router.post(
    "/projects/{int:pk}/cross-links",
    response={201: CrossLinkOut, **ERRORS},
    summary="Make a task wait for another project's deliverable",
    operation_id="cross_links_create",
)
def create_cross_link(request: HttpRequest, pk: int, payload: CrossLinkIn) -> Any:
    project = _project(request, pk)
    provider = links.provider_task(actor=request.user, project_code=payload.provider_project, uid=payload.provider_uid)
    link = links.cross_link_create(
        actor=request.user,
        provider=provider,
        consumer=_task(project, payload.consumer_uid),
        date_needed=payload.date_needed,
        note=payload.note,
    )
    return 201, cross_link_out(link)


@router.delete(
    "/projects/{int:pk}/cross-links/{int:link_id}",
    response={204: None, **ERRORS},
    summary="Remove a cross-project link",
    operation_id="cross_links_delete",
)
def delete_cross_link(request: HttpRequest, pk: int, link_id: int) -> Any:
    project = _project(request, pk)
    link = links.links_of([project]).filter(pk=link_id).first()
    if link is None:
        raise Http404(f"No cross-project link {link_id} of project {project.code}.")
    links.cross_link_delete(actor=request.user, link=link)
    return 204, None


class LevelingIn(Schema):
    project_ids: list[int] = Field(min_length=1)
    mode: str = Field("fast", description="fast (heuristic) or exact (CP-SAT with the time limit)")
    time_limit_s: float = Field(10.0, gt=0, le=600)
    within_float: bool = Field(False, description="Keep every project's finish: level within float only")


class LevelingOut(Schema):
    id: int
    status: str
    mode: str
    within_float: bool
    progress: int
    message: str
    project_ids: list[int]
    result: dict[str, Any]


def leveling_out(run: Any) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "mode": run.mode,
        "within_float": run.within_float,
        "progress": run.progress,
        "message": run.message,
        "project_ids": sorted(run.projects.values_list("pk", flat=True)),
        "result": run.result,
    }


def _leveling_run(request: HttpRequest, pk: int) -> Any:
    from pmo.planning.models import LevelingRun

    run = LevelingRun.objects.filter(pk=pk).first()
    if (
        run is None
        or not can(request.user, "view", Task)
        or not all(can(request.user, "view", p) for p in run.projects.all())
    ):
        raise Http404(f"No levelling run with id {pk}.")
    return run


@router.post(
    "/leveling-runs",
    response={202: LevelingOut, **ERRORS},
    summary="Level projects over the people they share",
    description="Runs in the background; poll the run until its status is 'done', then accept or discard it.",
    operation_id="leveling_start",
)
def start_leveling(request: HttpRequest, payload: LevelingIn) -> Any:
    from pmo.planning import leveling

    projects = list(Project.objects.filter(pk__in=payload.project_ids))
    missing = sorted(set(payload.project_ids) - {p.pk for p in projects})
    if missing:
        from pmo.core.errors import ValidationFailed

        raise ValidationFailed({"project_ids": f"No project with id {', '.join(map(str, missing))}."})
    run = leveling.leveling_start(
        actor=request.user,
        projects=projects,
        mode=payload.mode,
        time_limit_s=payload.time_limit_s,
        within_float=payload.within_float,
    )
    run.refresh_from_db()
    return 202, leveling_out(run)


@router.get(
    "/leveling-runs/{int:pk}",
    response={200: LevelingOut, **ERRORS},
    summary="A levelling run",
    operation_id="leveling_read",
)
def read_leveling(request: HttpRequest, pk: int) -> Any:
    return leveling_out(_leveling_run(request, pk))


@router.post(
    "/leveling-runs/{int:pk}/accept",
    response={200: LevelingOut, **ERRORS},
    summary="Apply a levelling proposal to the plans",
    operation_id="leveling_accept",
)
def accept_leveling(request: HttpRequest, pk: int) -> Any:
    from pmo.planning import leveling

    run = _leveling_run(request, pk)
    leveling.leveling_accept(actor=request.user, run=run)
    return leveling_out(run)


@router.post(
    "/leveling-runs/{int:pk}/discard",
    response={200: LevelingOut, **ERRORS},
    summary="Discard a levelling proposal",
    operation_id="leveling_discard",
)
def discard_leveling(request: HttpRequest, pk: int) -> Any:
    from pmo.planning import leveling

    run = _leveling_run(request, pk)
    leveling.leveling_discard(actor=request.user, run=run)
    return leveling_out(run)


@router.get(
    "/portfolios/{int:pk}/dependencies",
    response={200: list[CrossLinkOut], **ERRORS},
    summary="The cross-project dependencies of a portfolio",
    description="Every link whose deliverable or waiting task belongs to one of the portfolio's projects, "
    "with the forecast, how late and the effect on the waiting project's finish.",
    operation_id="portfolio_dependencies",
)
def portfolio_dependencies(request: HttpRequest, pk: int) -> Any:
    from pmo.planning.dependency_views import portfolio_links

    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None or not can(request.user, "view", portfolio):
        raise Http404(f"No portfolio with id {pk}.")
    require(request.user, "view", Task)  # the links between plans: requesters see no plans
    return [cross_link_out(link) for link in portfolio_links(portfolio, request.user)]
