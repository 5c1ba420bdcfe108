"""Reads of monitoring and control: the weekly grid, approvals waiting, actual costs by period, the
performance of a project and the roll-up of a program or portfolio."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from pmo.changes.rag import Rule, rate, worst
from pmo.changes.selectors import thresholds_for
from pmo.control import mappers
from pmo.control.models import CostCategory, CostEntry, EvmSnapshot, TimeEntry, Timesheet
from pmo.core.access import can, person_id_of
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.engine import evm
from pmo.engine.errors import EngineError
from pmo.planning.mappers import to_local
from pmo.planning.models import Task
from pmo.portfolio.models import Project
from pmo.resources.models import Person

ACTIVE_STATES = ("initiating", "planning", "executing", "on_hold", "closing")

# --- timesheets ------------------------------------------------------------------------------------


@dataclass
class GridRow:
    task: Task
    hours: list[Decimal | None]
    total: Decimal
    state: str
    editable: bool
    comment: str = ""
    days: list[dt.date] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[int, dt.date, Decimal | None]]:
        return [(i, d, self.hours[i]) for i, d in enumerate(self.days)]


@dataclass
class WeekGrid:
    person: Person
    week_start: dt.date
    days: list[dt.date]
    rows: list[GridRow]
    day_totals: list[Decimal]
    total: Decimal
    sheets: list[Timesheet] = field(default_factory=list)

    @property
    def can_submit(self) -> bool:
        return any(s.state in ("draft", "returned") and s.entries.exists() for s in self.sheets)


def week_grid(person: Person, week_start: dt.date) -> WeekGrid:
    """The tasks assigned to the person that are open in the week (or already have hours in it)."""
    days = [week_start + dt.timedelta(days=i) for i in range(7)]
    sheets = {
        s.project_id: s
        for s in Timesheet.objects.filter(person=person, week_start=week_start).select_related("project")
    }
    entries = list(TimeEntry.objects.filter(timesheet__in=list(sheets.values())))
    logged = {e.task_id for e in entries}
    week_end = days[-1]
    open_in_week = (
        Q(assignments__person=person, is_summary=False, project__state__in=ACTIVE_STATES)
        & (Q(start__isnull=True) | Q(start__date__lte=week_end))
        & (Q(percent_complete__lt=100) | Q(finish__date__gte=week_start))
    )
    tasks = (
        Task.objects.filter(open_in_week | Q(pk__in=logged))
        .select_related("project")
        .distinct()
        .order_by("project__code", "position")
    )
    cells = {(e.task_id, e.day): e.hours for e in entries}
    rows = []
    for task in tasks:
        hours = [cells.get((task.pk, d)) for d in days]
        sheet = sheets.get(task.project_id)
        state = sheet.state if sheet else "draft"
        rows.append(
            GridRow(
                task=task,
                hours=hours,
                total=sum((h or Decimal(0) for h in hours), Decimal(0)),
                state=state,
                editable=state in ("draft", "returned"),
                comment=sheet.comment if sheet and sheet.state == "returned" else "",
                days=days,
            )
        )
    day_totals = [sum((r.hours[i] or Decimal(0) for r in rows), Decimal(0)) for i in range(7)]
    return WeekGrid(person, week_start, days, rows, day_totals, sum(day_totals, Decimal(0)), list(sheets.values()))


def approvals_for(user: Any) -> list[Timesheet]:
    """Submitted timesheets the user may approve or return."""
    roles_filter = Q()
    person = person_id_of(user)
    qs = Timesheet.objects.filter(state=Timesheet.State.SUBMITTED).select_related("person", "project")
    if not getattr(user, "is_superuser", False):
        roles_filter = Q(project__manager_id=person) | Q(project__portfolio__manager_id=person)
        qs = qs.filter(roles_filter)
    return [s for s in qs.prefetch_related("entries") if can(user, "approve", s)]


def sheet_hours(sheet: Timesheet) -> Decimal:
    return sum((e.hours for e in sheet.entries.all()), Decimal(0))


def actual_work_hours(project: Project) -> dict[int, Decimal]:
    """Approved hours per task id (the tasks' actual work)."""
    rows = (
        TimeEntry.objects.filter(task__project=project, timesheet__state=Timesheet.State.APPROVED)
        .values("task_id")
        .annotate(hours=Sum("hours"))
    )
    return {r["task_id"]: r["hours"] for r in rows}


def task_budget_rows(project: Project) -> list[dict[str, Any]]:
    """Each work task with its budget, physical % complete and milestone weight (None where not set)."""
    from pmo.control.models import TaskBudget

    budgets = {b.task_id: b for b in TaskBudget.objects.filter(task__project=project)}
    rows = []
    for task in Task.objects.filter(project=project, is_summary=False).order_by("position"):
        b = budgets.get(task.pk)
        rows.append(
            {
                "task": task,
                "budget": b.budget if b else None,
                "physical_percent": b.physical_percent if b else None,
                "weight": b.weight if b else None,
            }
        )
    return rows


# --- actual costs ----------------------------------------------------------------------------------


def cost_entries(project: Project) -> QuerySet[CostEntry]:
    return CostEntry.objects.filter(project=project).select_related("task")


def costs_by_month(project: Project) -> list[dict[str, Any]]:
    """Actual cost per month and category, with the month's total and the running total."""
    rows = (
        CostEntry.objects.filter(project=project)
        .annotate(month=TruncMonth("date"))
        .values("month", "category")
        .annotate(amount=Sum("amount"))
        .order_by("month")
    )
    months: dict[dt.date, dict[str, Decimal]] = {}
    for r in rows:
        months.setdefault(r["month"], {})[r["category"]] = r["amount"]
    out, running = [], Decimal(0)
    for month, amounts in months.items():
        total = sum(amounts.values(), Decimal(0))
        running += total
        out.append(
            {
                "month": month,
                "amounts": [amounts.get(c, Decimal(0)) for c in CostCategory.values],
                "total": total,
                "cumulative": running,
            }
        )
    return out


# --- earned value ----------------------------------------------------------------------------------


def reference_history(*, excluding: Project | None = None) -> list[evm.ReferenceRecord]:
    """The forecasting history of the closed projects: for each snapshot taken before a closed project
    was complete, how its real duration and final cost compared with the base forecasts at that
    snapshot (the reference class of the recommended forecast).  A project's kind is its portfolio.
    Real duration: working days from the baseline start to the last actual finish of its tasks; final
    cost: all its actual costs.  Figures are recomputed against the project's latest baseline."""
    out: list[evm.ReferenceRecord] = []
    closed = Project.objects.filter(state="closed", evm_snapshots__isnull=False).distinct().select_related("portfolio")
    for project in closed.order_by("code"):
        if excluding is not None and project.pk == excluding.pk:
            continue
        finished = Task.objects.filter(project=project, is_summary=False).aggregate(last=Max("actual_finish"))["last"]
        try:
            loaded = mappers.load_baseline(project)
        except ValidationFailed:
            continue
        if finished is None:
            continue
        real_days = loaded.curve.offset_of(to_local(finished)) / loaded.curve.calendar.minutes_per_day
        real_cost = CostEntry.objects.filter(project=project).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        points = [
            evm.StatusPoint(mappers.status_instant(s.status_date), ev=float(s.ev), ac=float(s.ac))
            for s in EvmSnapshot.objects.filter(project=project).order_by("status_date")
        ]
        try:
            periods = evm.analyse(loaded.curve, points)
        except EngineError:  # a snapshot the latest baseline cannot measure (before its start)
            continue
        out.extend(
            evm.reference_records(
                project.code, project.portfolio.code, periods, real_duration_days=real_days, real_cost=float(real_cost)
            )
        )
    return out


def snapshots(project: Project) -> list[EvmSnapshot]:
    return list(EvmSnapshot.objects.filter(project=project).order_by("status_date"))


def performance_rag(spi: Any, cpi: Any, spi_t: Any, rules: Mapping[str, Rule]) -> str:
    """The worst colour of SPI, CPI and SPI(t) against the thresholds (those of status reports
    and deviations), or "unknown" when none is measured."""
    known = [(m, v) for m, v in (("spi", spi), ("cpi", cpi), ("spi_t", spi_t)) if v is not None]
    if not known:
        return "unknown"
    return worst([rate(metric, value, rules)[0] for metric, value in known]) or "unknown"


INDEX_METRICS = ("spi", "cpi", "spi_t")


def index_colours(figures: Any, rules: Mapping[str, Rule]) -> dict[str, str]:
    """Each index's colour ("green", "amber", "red"; "unknown" when not measured) of a snapshot or
    of roll-up totals."""
    out = {}
    for metric in INDEX_METRICS:
        value = getattr(figures, metric, None)
        out[metric] = "unknown" if value is None else rate(metric, value, rules)[0]
    return out


def index_limits(rules: Mapping[str, Rule]) -> list[tuple[float, str]]:
    """The amber and red limits of the indices, for the lines of the trend chart."""
    limits = {(float(rules[m].amber), "amber") for m in INDEX_METRICS if m in rules}
    limits |= {(float(rules[m].red), "red") for m in INDEX_METRICS if m in rules}
    return sorted(limits, reverse=True)


def rag(snapshot: EvmSnapshot | None, rules: Mapping[str, Rule] | None = None) -> str:
    """A snapshot's colour on its project's portfolio thresholds (unless `rules` are given)."""
    if snapshot is None:
        return "unknown"
    if rules is None:
        rules = thresholds_for(snapshot.project.portfolio_id)
    return performance_rag(snapshot.spi, snapshot.cpi, snapshot.spi_t, rules)


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def chart_data(project: Project, rows: list[EvmSnapshot]) -> dict[str, Any]:
    """The S-curves (PV from the baseline; EV and AC from the snapshots; the forecast from the latest),
    and the index trends, as JSON-ready lists."""
    data: dict[str, Any] = {"pv": [], "ev": [], "ac": [], "forecast": None, "trend": []}
    data["limits"] = index_limits(thresholds_for(project.portfolio_id))
    try:
        loaded = mappers.load_baseline(project)
    except Exception:
        loaded = None
    if loaded is not None:
        curve = loaded.curve
        day, last = curve.start.date(), curve.finish.date()
        step = max(1, (last - day).days // 60)
        while day <= last + dt.timedelta(days=step):
            data["pv"].append([day.isoformat(), round(curve.pv_at(mappers.status_instant(day)), 2)])
            day += dt.timedelta(days=step)
        data["bac"] = float(curve.bac or 0)
    for s in rows:
        data["ev"].append([s.status_date.isoformat(), float(s.ev)])
        data["ac"].append([s.status_date.isoformat(), float(s.ac)])
        data["trend"].append([s.status_date.isoformat(), s.spi, s.cpi, s.spi_t])
    if rows and rows[-1].forecast_finish and rows[-1].eac is not None:
        last_row = rows[-1]
        data["forecast"] = {
            "from": [last_row.status_date.isoformat(), float(last_row.ac)],
            "to": [last_row.forecast_finish.date().isoformat(), float(last_row.eac)],
            "low": [_iso(last_row.finish_low and last_row.finish_low.date()), float(last_row.eac_low or 0)],
            "high": [_iso(last_row.finish_high and last_row.finish_high.date()), float(last_row.eac_high or 0)],
        }
    return data


@dataclass
class RollupRow:
    project: Project
    snapshot: EvmSnapshot | None
    rag: str
    colours: dict[str, str] = field(default_factory=dict)


@dataclass
class Rollup:
    rows: list[RollupRow]
    totals: evm.RollupMetrics | None
    status_date: dt.date | None


def latest_metrics(project: Project) -> dict[str, float | None] | None:
    """SPI, CPI and SPI(t) of the project's latest earned-value snapshot (None without one): what status
    reports suggest their schedule and cost RAG from and what the portfolio's thresholds check."""
    snapshot = EvmSnapshot.objects.filter(project=project).order_by("-status_date").first()
    if snapshot is None:
        return None
    return {"spi": snapshot.spi, "cpi": snapshot.cpi, "spi_t": snapshot.spi_t}


def latest_snapshots(projects: Iterable[Project], on: dt.date | None = None) -> dict[int, EvmSnapshot]:
    """Each project's latest snapshot (at or before `on`)."""
    ids = [p.pk for p in projects]
    qs = EvmSnapshot.objects.filter(project_id__in=ids)
    if on is not None:
        qs = qs.filter(status_date__lte=on)
    latest: dict[int, EvmSnapshot] = {}
    for s in qs.order_by("project_id", "status_date"):
        latest[s.project_id] = s
    return latest


def rollup(projects: Iterable[Project], on: dt.date | None = None) -> Rollup:
    """Each project's latest figures and their sum: PV, EV, AC and BAC added, indices recomputed from
    the sums (never averaged)."""
    projects = list(projects)
    latest = latest_snapshots(projects, on)
    rules: dict[int | None, dict[str, Rule]] = {}
    for p in projects:
        if p.portfolio_id not in rules:
            rules[p.portfolio_id] = thresholds_for(p.portfolio_id)
    rows = []
    for p in projects:
        snapshot, project_rules = latest.get(p.pk), rules[p.portfolio_id]
        rows.append(RollupRow(p, snapshot, rag(snapshot, project_rules), index_colours(snapshot, project_rules)))
    measured = [mappers.period_of(s) for s in latest.values()]
    totals = evm.rollup(measured) if measured else None
    status = max((s.status_date for s in latest.values()), default=None)
    return Rollup(rows, totals, status)


def rollup_history(projects: Iterable[Project]) -> list[tuple[dt.date, evm.RollupMetrics]]:
    """The roll-up at every date any of the projects has a snapshot (each project by its latest one)."""
    projects = list(projects)
    dates = sorted(set(EvmSnapshot.objects.filter(project__in=projects).values_list("status_date", flat=True)))
    out = []
    for day in dates:
        latest = latest_snapshots(projects, day)
        out.append((day, evm.rollup([mappers.period_of(s) for s in latest.values()])))
    return out


def measured_projects(user: Any, *, portfolio_id: int | None = None, program_id: int | None = None) -> list[Project]:
    """Projects past the proposal stage the user may see, optionally of one portfolio or program."""
    qs = Project.objects.exclude(state__in=("proposed", "cancelled")).select_related("portfolio", "program")
    if portfolio_id:
        qs = qs.filter(portfolio_id=portfolio_id)
    if program_id:
        qs = qs.filter(program_id=program_id)
    return [p for p in qs.order_by("portfolio__code", "code") if can(user, "view_financials", p)]


def may_see_costs(user: Any) -> bool:
    from pmo.core.access import roles_of

    return bool(roles_of(user) - {Role.REQUESTER})
