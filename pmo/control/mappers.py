"""ORM rows to the earned value engine's inputs, and its results back to stored figures.

The planned value (PV) curve comes from the project's latest baseline: each baseline task's budget is
spread linearly over its baseline dates in working time on the project's calendar. A task's budget is
its `TaskBudget.budget`; the rest of the project budget (all of it when no task has a budget) is
distributed over the tasks without one in proportion to their planned work (baseline duration times
the units of the people assigned, or the duration alone when nobody is assigned)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pmo.control.models import EvmSnapshot, ProgressMethod, TaskBudget
from pmo.core.errors import ValidationFailed
from pmo.engine import evm
from pmo.engine.calendar import WorkingCalendar
from pmo.planning.mappers import engine_calendar, to_local
from pmo.planning.models import Assignment, Baseline, Plan, Task
from pmo.portfolio.models import Project

CENT = Decimal("0.01")


@dataclass(frozen=True)
class BudgetedTask:
    uid: int
    name: str
    start: dt.datetime  # naive local time
    finish: dt.datetime
    cost: float
    milestone: bool


@dataclass(frozen=True)
class LoadedBaseline:
    row: Baseline
    calendar: WorkingCalendar
    tasks: tuple[BudgetedTask, ...]
    curve: evm.Baseline

    @property
    def bac(self) -> float:
        return float(self.curve.bac or 0.0)


def project_calendar(project: Project) -> WorkingCalendar:
    plan = Plan.objects.filter(project=project).select_related("calendar").first()
    calendar = plan.calendar if plan is not None else None
    if calendar is not None:
        calendar = type(calendar).objects.prefetch_related("exceptions").select_related("base").get(pk=calendar.pk)
    return engine_calendar(calendar)


def status_instant(day: dt.date) -> dt.datetime:
    """The engine instant of a status date: the end of that day (naive local time)."""
    return dt.datetime.combine(day, dt.time(23, 59))


def task_costs(project: Project, baseline: Baseline) -> dict[int, tuple[Any, float]]:
    """{task uid: (baseline task, planned cost)} of the baseline's work tasks (summaries excluded)."""
    current = {t.uid: t for t in Task.objects.filter(project=project)}
    rows = [
        b
        for b in baseline.tasks.all().order_by("task_uid")
        if not (b.task_uid in current and current[b.task_uid].is_summary) and b.start and b.finish
    ]
    budgets = {
        b.task.uid: b
        for b in TaskBudget.objects.filter(task__project=project).select_related("task")
        if b.budget is not None
    }
    units: dict[int, Decimal] = {}
    for a in Assignment.objects.filter(task__project=project).select_related("task"):
        units[a.task.uid] = units.get(a.task.uid, Decimal(0)) + a.units
    given = sum((budgets[r.task_uid].budget for r in rows if r.task_uid in budgets), Decimal(0))
    rest = max(Decimal(0), (project.budget or Decimal(0)) - given)
    work = {
        r.task_uid: float(r.duration_minutes) * float(units.get(r.task_uid) or 1)
        for r in rows
        if r.task_uid not in budgets
    }
    total_work = sum(work.values())
    out: dict[int, tuple[Any, float]] = {}
    for r in rows:
        if r.task_uid in budgets:
            cost = float(budgets[r.task_uid].budget)
        else:
            cost = float(rest) * work[r.task_uid] / total_work if total_work else 0.0
        out[r.task_uid] = (r, cost)
    return out


def load_baseline(project: Project) -> LoadedBaseline:
    """The project's latest baseline as a PV curve; ValidationFailed says what is missing."""
    row = Baseline.objects.filter(project=project).first()
    if row is None:
        raise ValidationFailed(
            {"baseline": "The project has no baseline: capture one on its plan page first."},
            message=f"{project.code} has no baseline to measure against.",
        )
    costs = task_costs(project, row)
    tasks = []
    for uid, (b, cost) in costs.items():
        start, finish = to_local(b.start), to_local(b.finish)
        assert start is not None and finish is not None
        tasks.append(BudgetedTask(uid, b.name, start, max(start, finish), cost, b.duration_minutes == 0))
    if not tasks or sum(t.cost for t in tasks) <= 0:
        raise ValidationFailed(
            {"budget": "Give the project a budget, or its tasks budgets, to measure earned value."},
            message=f"{project.code} has no budget to measure against.",
        )
    calendar = project_calendar(project)
    activities = [evm.BaselineActivity(str(t.uid), t.start, t.finish, t.cost) for t in tasks]
    curve = evm.Baseline.from_activities(activities, calendar)
    return LoadedBaseline(row, calendar, tuple(tasks), curve)


def earned_value(project: Project, loaded: LoadedBaseline, method: str) -> tuple[float, dict[str, float]]:
    """EV of the project's current progress by its progress method, total and per baseline task."""
    current = {t.uid: t for t in Task.objects.filter(project=project, uid__in=[t.uid for t in loaded.tasks])}
    extra = {b.task.uid: b for b in TaskBudget.objects.filter(task__project=project).select_related("task")}
    per_task: dict[str, float] = {}
    if method == ProgressMethod.MILESTONES:
        milestones = [t for t in loaded.tasks if t.milestone]
        if not milestones:
            raise ValidationFailed(
                {"progress_method": "The baseline has no milestones: choose another progress method."}
            )
        weights = {
            t.uid: float(extra[t.uid].weight) if t.uid in extra and extra[t.uid].weight is not None else 1.0
            for t in milestones
        }
        total = sum(weights.values())
        done = sum(
            w
            for uid, w in weights.items()
            if uid in current and (current[uid].percent_complete >= 100 or current[uid].actual_finish is not None)
        )
        ev = loaded.bac * done / total if total else 0.0
        return ev, per_task
    ev = 0.0
    for t in loaded.tasks:
        task = current.get(t.uid)
        if task is None:
            continue
        percent = float(task.percent_complete)
        if method == ProgressMethod.PHYSICAL and t.uid in extra and extra[t.uid].physical_percent is not None:
            percent = float(extra[t.uid].physical_percent)
        value = t.cost * percent / 100
        per_task[str(t.uid)] = value
        ev += value
    return ev, per_task


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else timezone.make_aware(value)


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2))).quantize(CENT)


def metrics_json(m: evm.PeriodMetrics) -> dict[str, Any]:
    """Every figure of a period as JSON (dates as ISO text)."""
    t = m.eac_time
    return {
        "bac": m.bac,
        "pv": m.pv,
        "ev": m.ev,
        "ac": m.ac,
        "sv": m.sv,
        "cv": m.cv,
        "spi": m.spi,
        "cpi": m.cpi,
        "percent_complete": m.percent_complete,
        "pd_days": m.pd_days,
        "at_days": m.at_days,
        "es_days": m.es_days,
        "es_date": _iso(m.es_date),
        "sv_t_days": m.sv_t_days,
        "spi_t": m.spi_t,
        "p_factor": m.p_factor,
        "eac_cost": {name: getattr(m.eac_cost, name) for name in m.eac_cost.__dataclass_fields__},
        "etc": m.etc,
        "vac": m.vac,
        "tcpi_bac": m.tcpi_bac,
        "tcpi_eac": m.tcpi_eac,
        "eac_time": {
            name: None if getattr(t, name) is None else _iso(getattr(t, name).finish) for name in t.__dataclass_fields__
        },
        "forecast": None
        if m.forecast is None
        else {
            "finish": _iso(m.forecast.finish),
            "cost": m.forecast.cost,
            "finish_range": [_iso(d) for d in m.forecast.finish_range],
            "cost_range": list(m.forecast.cost_range),
            "method": m.forecast.method,
        },
    }


def snapshot_fields(m: evm.PeriodMetrics, loaded: LoadedBaseline) -> dict[str, Any]:
    """The stored columns of a snapshot from the engine's period metrics."""
    f = m.forecast
    pv = _money(m.pv)
    assert pv is not None
    return {
        "baseline_name": loaded.row.name,
        "bac": _money(m.bac),
        "pv": pv,
        "ev": _money(m.ev),
        "ac": _money(m.ac),
        "spi": m.spi,
        "cpi": m.cpi,
        "spi_t": m.spi_t,
        "sv_t_days": m.sv_t_days,
        "es_date": _aware(m.es_date),
        "eac": _money(f.cost) if f else None,
        "eac_low": _money(f.cost_range[0]) if f else None,
        "eac_high": _money(f.cost_range[1]) if f else None,
        "forecast_finish": _aware(f.finish) if f else None,
        "finish_low": _aware(f.finish_range[0]) if f else None,
        "finish_high": _aware(f.finish_range[1]) if f else None,
        "planned_finish": _aware(loaded.curve.finish),
        "metrics": metrics_json(m),
    }


def period_of(snapshot: EvmSnapshot) -> evm.PeriodMetrics:
    """A stored snapshot as engine period metrics, for `evm.rollup` (which reads BAC, PV, EV and AC)."""
    m = snapshot.metrics or {}
    none_costs = evm.CostForecasts(
        **{name: None for name in evm.CostForecasts.__dataclass_fields__ if name != "pf1"},
        pf1=float(snapshot.ac + snapshot.bac - snapshot.ev),
    )
    none_times = evm.TimeForecasts(**{name: None for name in evm.TimeForecasts.__dataclass_fields__})
    at = status_instant(snapshot.status_date)
    bac, pv, ev, ac = (float(v) for v in (snapshot.bac, snapshot.pv, snapshot.ev, snapshot.ac))
    return evm.PeriodMetrics(
        status_date=at,
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=snapshot.spi,
        cpi=snapshot.cpi,
        percent_complete=ev / bac if bac else 0.0,
        pd_days=float(m.get("pd_days", 0.0)),
        at_days=float(m.get("at_days", 0.0)),
        es_days=float(m.get("es_days", 0.0)),
        es_date=to_local(snapshot.es_date) or at,
        sv_t_days=snapshot.sv_t_days,
        spi_t=snapshot.spi_t,
        p_factor=m.get("p_factor"),
        eac_cost=none_costs,
        etc=None,
        vac=None,
        tcpi_bac=None,
        tcpi_eac=None,
        eac_time=none_times,
        forecast=None,
    )
