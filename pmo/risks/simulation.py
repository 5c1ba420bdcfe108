"""Schedule and cost risk analysis (Monte Carlo) of a project's remaining work, and of the key milestones
of a portfolio's projects together (following their cross-project links).

The mapper turns the plan into the engine's model: every work task of the plan with its three-point
estimate (the task's optimistic and pessimistic durations, or the run's default range around the most
likely duration), its dependencies, its planned cost spread over its duration, and the open threats of
the register that name the task with extra days or cost.  Time 0 is the plan's status date (or its
start if later): finished tasks take no time, a task under way only its remaining share of the estimate.
A task that may not start before a date (a "start no earlier than" or "must start on" constraint) waits
for it.  Working days come back as dates on the project's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django_tasks import task as background_task

from pmo.control import mappers as control_mappers
from pmo.control.services import actual_cost_until
from pmo.core import audit
from pmo.core.access import can, require
from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.engine import risk as engine
from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import EngineError
from pmo.planning import services as planning
from pmo.planning.mappers import engine_calendar, to_aware, to_local
from pmo.planning.models import Baseline, CrossProjectLink, Dependency, Task
from pmo.portfolio.models import Portfolio, Project
from pmo.risks.models import Risk, RiskTaskImpact, SimulationRun
from pmo.risks.selectors import scales_for

RUNNING = ("initiating", "planning", "executing", "on_hold", "closing")
WAITS_FOR_DATE = (Task.ConstraintType.SNET, Task.ConstraintType.MSO)
OPEN_RISK_STATUSES = ("open",)
MAX_ITERATIONS = 100_000


@dataclass
class Mapped:
    """The engine model of one project (or several) and what is needed to read its results as dates."""

    model: engine.RiskModel
    anchor: dt.datetime  # day 0 (naive local)
    calendar: WorkingCalendar
    labels: dict[str, str] = field(default_factory=dict)  # engine task or risk id -> what people read
    project_of: dict[str, str] = field(default_factory=dict)  # engine task id -> project code
    task_names: dict[str, str] = field(default_factory=dict)  # engine task id -> "uid name"
    milestones: list[str] = field(default_factory=list)
    no_work: set[str] = field(default_factory=set)  # finished tasks and milestones: no criticality shown
    finished: set[str] = field(default_factory=set)  # a risk can no longer delay these
    planned: dict[str, dt.datetime] = field(default_factory=dict)  # milestone id -> planned finish (local)
    target_days: float | None = None
    budget_left: float | None = None
    spent: float = 0.0


@dataclass
class _Parts:
    tasks: list[engine.RiskTask] = field(default_factory=list)
    links: list[engine.Link] = field(default_factory=list)
    risks: dict[str, engine.RiskEvent] = field(default_factory=dict)
    phases: dict[tuple[int, int | None], list[str]] = field(default_factory=dict)  # uncertain tasks by phase


def _days(minutes: float, mpd: int) -> float:
    return round(minutes / mpd, 6)


def _offset_days(calendar: WorkingCalendar, anchor: dt.datetime, at: dt.datetime) -> float:
    return max(0.0, calendar.working_minutes_between(anchor, at) / calendar.minutes_per_day)


def _anchor(project: Project) -> dt.datetime:
    plan = planning.plan_of(project)
    start = to_local(plan.start or plan.scheduled_start) or to_local(timezone.now())
    status = to_local(plan.status_date)
    assert start is not None
    return max(start, status) if status else start


def _planned_costs(project: Project) -> dict[int, float]:
    """Planned cost per task UID from the latest baseline (task budgets, the rest of the budget by work)."""
    baseline = Baseline.objects.filter(project=project).first()
    if baseline is None:
        return {}
    return {uid: cost for uid, (_, cost) in control_mappers.task_costs(project, baseline).items()}


def _map_project(
    project: Project,
    parts: _Parts,
    mapped: Mapped,
    *,
    prefix: str,
    distribution: str,
    default_range: tuple[float, float],
    include_risks: bool,
) -> dict[int, str]:
    """Add one project's tasks, links and risks; returns {task pk: engine id}."""
    calendar, anchor = mapped.calendar, mapped.anchor
    mpd = calendar.minutes_per_day
    costs = _planned_costs(project)
    tasks = list(Task.objects.filter(project=project, is_summary=False).order_by("position"))
    ids: dict[int, str] = {}
    for task in tasks:
        tid = f"{prefix}{task.uid}"
        ids[task.pk] = tid
        mapped.labels[tid] = f"{project.code} {task.uid} {task.name}" if prefix else f"{task.uid} {task.name}"
        mapped.project_of[tid] = project.code
        mapped.task_names[tid] = f"{task.uid} {task.name}"
        done = task.actual_finish is not None or task.percent_complete >= 100
        duration = task.duration_minutes
        if done or duration == 0:
            estimate = engine.ThreePoint.fixed(0)
            remaining_share = 0.0
            mapped.no_work.add(tid)
            if done:
                mapped.finished.add(tid)
        else:
            remaining = task.remaining_minutes
            if remaining is None:
                remaining = round(duration * (1 - float(task.percent_complete) / 100))
            remaining_share = remaining / duration
            low = task.optimistic_minutes if task.optimistic_minutes is not None else duration * default_range[0]
            high = task.pessimistic_minutes if task.pessimistic_minutes is not None else duration * default_range[1]
            estimate = engine.ThreePoint(
                _days(min(low, duration) * remaining_share, mpd),
                _days(remaining, mpd),
                _days(max(high, duration) * remaining_share, mpd),
                distribution,
            )
        if not estimate.is_fixed:
            parts.phases.setdefault((project.pk, task.parent_id), []).append(tid)
        planned_cost = costs.get(task.uid, 0.0)
        per_day = planned_cost / _days(duration, mpd) if duration and not done else 0.0
        parts.tasks.append(engine.RiskTask(tid, estimate, cost_per_day=per_day, name=task.name))
        if task.constraint_type in WAITS_FOR_DATE and task.constraint_date and not done:
            wait = _offset_days(calendar, anchor, to_local(task.constraint_date) or anchor)
            if wait > 0:
                gate = f"{tid}@wait"
                parts.tasks.append(engine.RiskTask(gate, engine.ThreePoint.fixed(wait), name="waits for its date"))
                parts.links.append(engine.Link(gate, tid))
        if duration == 0 and not done:
            mapped.milestones.append(tid)
            finish = to_local(task.finish)
            if finish is not None:
                mapped.planned[tid] = finish
    for link in Dependency.objects.filter(successor__project=project, predecessor__project=project):
        lag = link.lag_minutes / (1440 if link.lag_elapsed else mpd)  # elapsed lags count as working days
        parts.links.append(engine.Link(ids[link.predecessor_id], ids[link.successor_id], link.type, lag))
    if include_risks:
        _map_risks(project, parts, mapped, ids)
    return ids


def _three(low: Decimal, likely: Decimal, high: Decimal, distribution: str) -> engine.ThreePoint | None:
    if high <= 0:
        return None
    return engine.ThreePoint(float(low), float(likely), float(high), distribution)


def _map_risks(project: Project, parts: _Parts, mapped: Mapped, ids: dict[int, str]) -> None:
    """The project's open threats that name its tasks (a shared risk once, with all its impacts)."""
    impacts = (
        RiskTaskImpact.objects.filter(
            task__project=project, risk__status__in=OPEN_RISK_STATUSES, risk__kind=Risk.Kind.THREAT
        )
        .select_related("risk", "risk__project", "risk__portfolio", "risk__program", "task")
        .order_by("risk__code", "task__position")
    )
    scales_cache: dict[int | None, Any] = {}
    for impact in impacts:
        risk = impact.risk
        tid = ids.get(impact.task_id)
        if tid is None or tid in mapped.finished:
            continue
        portfolio_id = project.portfolio_id
        if portfolio_id not in scales_cache:
            scales_cache[portfolio_id] = scales_for(portfolio_id)
        probability = float(scales_cache[portfolio_id].probability_of(risk.probability).percent) / 100
        new = engine.RiskImpact(
            tid,
            duration=_three(impact.min_days, impact.likely_days, impact.max_days, "triangular"),
            cost=_three(impact.min_cost, impact.likely_cost, impact.max_cost, "triangular"),
        )
        if new.duration is None and new.cost is None:
            continue
        event = parts.risks.get(risk.code)
        parts.risks[risk.code] = engine.RiskEvent(
            risk.code,
            probability,
            (*(event.impacts if event else ()), new),
            name=risk.title,
        )
        mapped.labels[risk.code] = f"{risk.code} {risk.title}"


def _correlations(parts: _Parts, rho: float) -> tuple[engine.Correlation, ...]:
    """Tasks of one phase (the same summary task) slip together with correlation `rho`."""
    if rho <= 0:
        return ()
    return tuple(engine.Correlation(ids, rho) for ids in parts.phases.values() if len(ids) > 1)


def _model(parts: _Parts, rho: float) -> engine.RiskModel:
    return engine.RiskModel(
        tasks=parts.tasks, links=parts.links, risks=tuple(parts.risks.values()), correlations=_correlations(parts, rho)
    )


def project_model(
    project: Project,
    *,
    distribution: str = "triangular",
    default_range: tuple[float, float] = (0.9, 1.3),
    include_risks: bool = True,
    phase_correlation: float = 0.0,
    today: dt.date | None = None,
) -> Mapped:
    """The engine model of a project's remaining work (see the module docstring)."""
    plan = planning.plan_of(project)
    calendar = engine_calendar(plan.calendar)
    mapped = Mapped(engine.RiskModel(tasks=()), _anchor(project), calendar)
    parts = _Parts()
    _map_project(
        project,
        parts,
        mapped,
        prefix="",
        distribution=distribution,
        default_range=default_range,
        include_risks=include_risks,
    )
    if not parts.tasks:
        raise ValidationFailed({"plan": f"{project.code} has no tasks to analyse: plan its work first."})
    mapped.model = _model(parts, phase_correlation)
    baseline = Baseline.objects.filter(project=project).first()
    finish = to_local(baseline.finish if baseline and baseline.finish else plan.scheduled_finish)
    if finish is not None:
        mapped.target_days = _offset_days(calendar, mapped.anchor, finish)
    mapped.spent = float(actual_cost_until(project, today or timezone.localdate()))
    if project.budget:
        mapped.budget_left = float(project.budget) - mapped.spent
    return mapped


def portfolio_model(
    projects: Sequence[Project],
    *,
    distribution: str = "triangular",
    default_range: tuple[float, float] = (0.9, 1.3),
    include_risks: bool = True,
    phase_correlation: float = 0.0,
) -> Mapped:
    """One model of several projects' remaining work, joined by their cross-project links; each project
    starts at its own time 0 (a fixed wait from the earliest one)."""
    if not projects:
        raise ValidationFailed({"projects": "No running project with a plan to analyse."})
    anchors = {p.pk: _anchor(p) for p in projects}
    first = min(projects, key=lambda p: anchors[p.pk])
    calendar = engine_calendar(planning.plan_of(first).calendar)
    mapped = Mapped(engine.RiskModel(tasks=()), anchors[first.pk], calendar)
    parts = _Parts()
    ids: dict[int, str] = {}
    for project in projects:
        before = len(parts.tasks)
        project_ids = _map_project(
            project,
            parts,
            mapped,
            prefix=f"{project.code}:",
            distribution=distribution,
            default_range=default_range,
            include_risks=include_risks,
        )
        ids.update(project_ids)
        offset = _offset_days(calendar, mapped.anchor, anchors[project.pk])
        if offset > 0 and len(parts.tasks) > before:
            start = f"{project.code}:@start"
            successors = {link.successor for link in parts.links}
            heads = [t.id for t in parts.tasks[before:] if t.id not in successors]
            parts.tasks.append(engine.RiskTask(start, engine.ThreePoint.fixed(offset), name="project start"))
            parts.links.extend(engine.Link(start, head) for head in heads)
    for link in CrossProjectLink.objects.filter(provider_id__in=list(ids), consumer_id__in=list(ids)):
        parts.links.append(engine.Link(ids[link.provider_id], ids[link.consumer_id]))
    if not parts.tasks:
        raise ValidationFailed({"projects": "The projects have no tasks to analyse."})
    mapped.model = _model(parts, phase_correlation)
    return mapped


# --- results -----------------------------------------------------------------------------------------


def _date(mapped: Mapped, days: float) -> str:
    at = mapped.calendar.add_working_minutes(mapped.anchor, round(days * mapped.calendar.minutes_per_day))
    aware = to_aware(at)
    assert aware is not None
    return aware.isoformat()


def _summary(mapped: Mapped, s: engine.Summary, *, dates: bool, offset: float = 0.0) -> dict[str, Any]:
    names = ("mean", "p10", "p50", "p80", "p90")
    out: dict[str, Any] = {name: round(getattr(s, name) + offset, 4) for name in names}
    if dates:
        out["dates"] = {name: _date(mapped, getattr(s, name)) for name in names}
    return out


def results_json(mapped: Mapped, result: engine.SimulationResult, *, top: int = 15) -> dict[str, Any]:
    """What the pages and the API show of a run: dates on the project's calendar, money with the actual
    cost so far added, the tornado and the most critical tasks."""
    spent = mapped.spent
    duration, cost = result.duration, result.cost
    criticality = sorted(result.criticality.items(), key=lambda kv: (-kv[1], kv[0]))
    milestones = []
    for tid in mapped.milestones:
        summary = result.milestones.get(tid)
        if summary is None:
            continue
        planned = mapped.planned.get(tid)
        row: dict[str, Any] = {
            "id": tid,
            "name": mapped.labels.get(tid, tid),
            "task": mapped.task_names.get(tid, tid),
            "project": mapped.project_of.get(tid, ""),
            **_summary(mapped, summary, dates=True),
            "planned": to_aware(planned).isoformat() if planned else None,  # type: ignore[union-attr]
            "chance_on_time": None,
        }
        if planned is not None and result.samples is not None and tid in result.samples.milestones:
            target = _offset_days(mapped.calendar, mapped.anchor, planned)
            row["chance_on_time"] = round(float(np.mean(result.samples.milestones[tid] <= target + 1e-9)), 4)
        milestones.append(row)
    return {
        "iterations": result.iterations,
        "seed": result.seed,
        "start": to_aware(mapped.anchor).isoformat(),  # type: ignore[union-attr]
        "duration": _summary(mapped, duration.summary, dates=True),
        "deterministic_days": round(result.deterministic_duration, 4),
        "deterministic_finish": _date(mapped, result.deterministic_duration),
        "target_days": None if mapped.target_days is None else round(mapped.target_days, 4),
        "target_finish": None if mapped.target_days is None else _date(mapped, mapped.target_days),
        "chance_on_time": result.chance_on_time,
        "cost": _summary(mapped, cost.summary, dates=False, offset=spent),
        "spent": round(spent, 2),
        "budget": None if mapped.budget_left is None else round(mapped.budget_left + spent, 2),
        "chance_within_budget": result.chance_within_budget,
        "chance_on_time_and_budget": result.chance_on_time_and_budget,
        "duration_histogram": {
            "edges": [_date(mapped, e) for e in duration.histogram.edges],
            "counts": list(duration.histogram.counts),
        },
        "duration_curve": [[_date(mapped, d), round(p, 4)] for d, p in duration.curve],
        "cost_histogram": {
            "edges": [round(e + spent, 2) for e in cost.histogram.edges],
            "counts": list(cost.histogram.counts),
        },
        "cost_curve": [[round(c + spent, 2), round(p, 4)] for c, p in cost.curve],
        "drivers": [
            {"kind": d.kind, "id": d.id, "name": mapped.labels.get(d.id, d.id), "correlation": round(d.correlation, 4)}
            for d in result.drivers(top)
        ],
        "cost_drivers": [
            {"kind": d.kind, "id": d.id, "name": mapped.labels.get(d.id, d.id), "correlation": round(d.correlation, 4)}
            for d in result.drivers(top, of="cost")
        ],
        "criticality": [
            {"id": tid, "name": mapped.labels.get(tid, tid), "index": round(value, 4)}
            for tid, value in criticality
            if value > 0 and "@" not in tid and tid not in mapped.no_work
        ][: top * 2],
        "risks": [
            {"id": rid, "name": mapped.labels.get(rid, rid), "occurred": round(share, 4)}
            for rid, share in sorted(result.risk_occurrence.items())
        ],
        "milestones": milestones,
    }


def _triple(estimate: engine.ThreePoint | None) -> list[float] | None:
    return None if estimate is None else [estimate.min, estimate.most_likely, estimate.max]


def inputs_json(mapped: Mapped) -> dict[str, Any]:
    """The engine model as stored with the run, so that it can be reproduced."""
    model = mapped.model
    return {
        "start": to_aware(mapped.anchor).isoformat(),  # type: ignore[union-attr]
        "tasks": [
            {
                "id": t.id,
                "name": t.name,
                "min": t.duration.min,
                "most_likely": t.duration.most_likely,
                "max": t.duration.max,
                "distribution": str(t.duration.distribution),
                "cost_per_day": round(t.cost_per_day, 4),
            }
            for t in model.tasks
        ],
        "links": [
            {"predecessor": ln.predecessor, "successor": ln.successor, "type": str(ln.type), "lag_days": ln.lag_days}
            for ln in model.links
        ],
        "risks": [
            {
                "id": r.id,
                "name": r.name,
                "probability": r.probability,
                "impacts": [
                    {
                        "task": i.task_id,
                        "days": _triple(i.duration),
                        "cost": _triple(i.cost),
                    }
                    for i in r.impacts
                ],
            }
            for r in model.risks
        ],
        "correlations": [{"tasks": list(c.task_ids), "rho": c.rho} for c in model.correlations],
        "target_days": mapped.target_days,
        "budget_left": mapped.budget_left,
        "spent": mapped.spent,
    }


# --- services ----------------------------------------------------------------------------------------


def _check_options(
    iterations: int, optimistic_pct: int, pessimistic_pct: int, distribution: str, phase_correlation: float
) -> None:
    errors = {}
    if not 0 <= phase_correlation <= 1:
        errors["phase_correlation"] = "From 0 (tasks slip independently) to 1 (a phase's tasks slip in step)."
    if not 100 <= iterations <= MAX_ITERATIONS:
        errors["iterations"] = f"Between 100 and {MAX_ITERATIONS:,} iterations."
    if not 10 <= optimistic_pct <= 100:
        errors["optimistic_pct"] = "The default optimistic duration is 10 to 100 % of the most likely one."
    if not 100 <= pessimistic_pct <= 500:
        errors["pessimistic_pct"] = "The default pessimistic duration is 100 to 500 % of the most likely one."
    if distribution not in ("triangular", "pert"):
        errors["distribution"] = "Triangular or PERT."
    if errors:
        raise ValidationFailed(errors)


def may_run(actor: Any, *, project: Project | None = None, portfolio: Portfolio | None = None) -> bool:
    """Who runs an analysis: the project's manager and the PMO (director, analysts, the portfolio's manager)."""
    target = project if project is not None else portfolio
    return target is not None and can(actor, "simulate", target)


def simulation_start(
    *,
    actor: Any,
    project: Project | None = None,
    portfolio: Portfolio | None = None,
    iterations: int = 5000,
    seed: int = 0,
    distribution: str = "triangular",
    optimistic_pct: int = 90,
    pessimistic_pct: int = 130,
    include_risks: bool = True,
    phase_correlation: float = 0.0,
    run_now: bool = False,
) -> SimulationRun:
    """Queue a schedule and cost risk analysis of a project (or of a portfolio's running projects); it
    runs as a background task (or at once with ``run_now``) and stores its inputs and results."""
    if (project is None) == (portfolio is None):
        raise ValidationFailed({"project": "Analyse one project or one portfolio."})
    require(actor, "simulate", project if project is not None else portfolio)
    _check_options(iterations, optimistic_pct, pessimistic_pct, distribution, phase_correlation)
    with transaction.atomic():
        run = SimulationRun.objects.create(
            project=project,
            portfolio=portfolio,
            iterations=iterations,
            seed=seed,
            distribution=distribution,
            optimistic_pct=optimistic_pct,
            pessimistic_pct=pessimistic_pct,
            include_risks=include_risks,
            phase_correlation=phase_correlation,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=run,
            before={},
            after={"analysis": f"{iterations} iterations, seed {seed}, {distribution}, rho {phase_correlation}"},
        )
        if not run_now:
            transaction.on_commit(lambda: run_simulation.enqueue(run.pk))
    if run_now:
        simulation_execute(run)
    return run


def portfolio_projects(portfolio: Portfolio) -> list[Project]:
    return [
        p
        for p in Project.objects.filter(portfolio=portfolio, state__in=RUNNING).order_by("code")
        if Task.objects.filter(project=p, is_summary=False).exists()
    ]


def _progress(run: SimulationRun, percent: int, message: str = "") -> None:
    SimulationRun.objects.filter(pk=run.pk).update(progress=percent, message=message[:255])


def simulation_execute(run: SimulationRun) -> SimulationRun:
    """Map, simulate and store (the body of the background task)."""
    SimulationRun.objects.filter(pk=run.pk).update(status=SimulationRun.Status.RUNNING, progress=5)
    default_range = (run.optimistic_pct / 100, run.pessimistic_pct / 100)
    try:
        if run.project is not None:
            mapped = project_model(
                run.project,
                distribution=run.distribution,
                default_range=default_range,
                include_risks=run.include_risks,
                phase_correlation=run.phase_correlation,
            )
        else:
            assert run.portfolio is not None
            mapped = portfolio_model(
                portfolio_projects(run.portfolio),
                distribution=run.distribution,
                default_range=default_range,
                include_risks=run.include_risks,
                phase_correlation=run.phase_correlation,
            )
        _progress(run, 30, f"simulating {len(mapped.model.tasks)} tasks {run.iterations:,} times")
        result = engine.simulate(
            mapped.model,
            iterations=run.iterations,
            seed=run.seed,
            target_duration=mapped.target_days,
            budget=mapped.budget_left,
            milestones=mapped.milestones,
            keep_samples=bool(mapped.milestones),
        )
        _progress(run, 90, "storing the results")
        run.inputs = inputs_json(mapped)
        run.result = results_json(mapped, result)
        run.status = SimulationRun.Status.DONE
        run.message = ""
    except (EngineError, ValidationFailed) as error:
        run.status = SimulationRun.Status.FAILED
        run.message = (error.message if isinstance(error, ValidationFailed) else str(error))[:255]
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["inputs", "result", "status", "message", "progress", "finished_at"])
    return run


@background_task()
def run_simulation(run_id: int) -> None:
    run = SimulationRun.objects.select_related("project", "portfolio").get(pk=run_id)
    simulation_execute(run)


def runs_of(*, project: Project | None = None, portfolio: Portfolio | None = None) -> Iterable[SimulationRun]:
    runs = SimulationRun.objects.select_related("created_by")
    return runs.filter(project=project) if project is not None else runs.filter(portfolio=portfolio)
