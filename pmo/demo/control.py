"""Monitoring demo data: cost rates, three weeks of approved timesheets, expenses and weekly EVM snapshots
of the running projects, measured against a "Performance baseline". Projects in amber or red health
run behind schedule and over cost, so the performance pages show deviations."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pmo.control import mappers, services
from pmo.control.models import CostCategory, CostEntry, EvmSnapshot
from pmo.core.access import SYSTEM
from pmo.engine import evm
from pmo.planning import services as planning
from pmo.planning.models import Assignment, Baseline, Task
from pmo.portfolio.models import Project
from pmo.resources.models import Person

RUNNING = ("executing", "on_hold", "closing")
RATES = {  # cost per hour by job title keyword; everyone else 85
    "Chief": Decimal("180"),
    "Head": Decimal("140"),
    "Portfolio": Decimal("120"),
    "Senior Project": Decimal("110"),
    "Project Manager": Decimal("100"),
    "Analyst": Decimal("80"),
    "Developer": Decimal("85"),
    "Engineer": Decimal("90"),
}
# (schedule performance reached today, cost overrun factor) by the project's health
PERFORMANCE = {"green": (0.99, 0.98), "amber": (0.91, 1.07), "red": (0.82, 1.16)}
HISTORY_WEEKS = 8
TIMESHEET_WEEKS = 3
EXPENSE_SPLIT = ((CostCategory.SERVICES, "External services"), (CostCategory.MATERIAL, "Licences and equipment"))


def _rate(title: str) -> Decimal:
    return next((rate for key, rate in RATES.items() if key in title), Decimal("85"))


def _fridays(today: dt.date, weeks: int) -> list[dt.date]:
    last = today - dt.timedelta(days=(today.weekday() - 4) % 7 or 7)
    return [last - dt.timedelta(weeks=i) for i in reversed(range(weeks))]


def _slow_down(project: Project, factor: float, today: dt.date) -> None:
    """Recent and current work is only `factor` as far along as planned; finished-late work reopens."""
    if factor >= 0.99:
        return
    recent = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=35), dt.time(8)))
    tasks = list(
        Task.objects.filter(
            project=project, is_summary=False, finish__gte=recent, percent_complete__gt=0, duration_minutes__gt=0
        )
    )
    for task in tasks:
        task.percent_complete = Decimal(max(1, int(float(task.percent_complete) * factor)))
        if task.percent_complete < 100:
            task.actual_finish = None
    Task.objects.bulk_update(tasks, ["percent_complete", "actual_finish"])
    planning.plan_schedule(project=project)


def _timesheets(
    people: list[Person], projects: dict[int, Project], today: dt.date
) -> dict[tuple[int, dt.date], Decimal]:
    """Approved timesheets of the team members for the last weeks; returns labour cost per (project, Friday)."""
    labour: dict[tuple[int, dt.date], Decimal] = {}
    for week in range(TIMESHEET_WEEKS, 0, -1):
        monday = services.week_start_of(today) - dt.timedelta(weeks=week)
        friday = monday + dt.timedelta(days=4)
        for person in people:
            assignments = list(
                Assignment.objects.filter(person=person, task__project_id__in=list(projects), task__is_summary=False)
                .select_related("task")
                .order_by("task__project__code", "task__position")
            )
            rows = []
            for day in (monday + dt.timedelta(days=i) for i in range(5)):
                left = Decimal(8)
                for a in assignments:
                    t = a.task
                    if t.start is None or t.finish is None or left <= 0:
                        continue
                    if timezone.localtime(t.start).date() <= day <= timezone.localtime(t.finish).date():
                        hours = min(left, (Decimal(8) * a.units).quantize(Decimal("0.5")))
                        if hours > 0:
                            rows.append(services.HoursRow(t.pk, day, hours))
                            left -= hours
            if not rows:
                continue
            sheets = services.timesheet_save(actor=SYSTEM, person=person, week_start=monday, rows=rows)
            services.timesheet_submit(actor=SYSTEM, person=person, week_start=monday)
            for sheet in sheets:
                sheet.refresh_from_db()
                services.timesheet_approve(actor=SYSTEM, timesheet=sheet, comment="")
                cost = sum(
                    (e.amount for e in CostEntry.objects.filter(timesheet=sheet)),
                    Decimal(0),
                )
                key = (sheet.project_id, friday)
                labour[key] = labour.get(key, Decimal(0)) + cost
    return labour


def _history(
    project: Project,
    overrun: float,
    labour: dict[tuple[int, dt.date], Decimal],
    today: dt.date,
    rng: random.Random,
) -> None:
    """Weekly expenses that, with the labour, make the actual cost run at `overrun` times the earned value,
    and a snapshot each Friday of the last weeks plus one today (EV from the tasks' progress)."""
    loaded = mappers.load_baseline(project)
    curve = loaded.curve
    start = curve.start.date()
    span = max(1, (today - start).days)

    method = services.settings_of(project).progress_method
    ev_now = mappers.earned_value(project, loaded, method)[0]
    pv_now = curve.pv_at(mappers.status_instant(today))
    reached = ev_now / pv_now if pv_now else 1.0  # the schedule performance the progress shows today

    def earned(day: dt.date) -> float:
        """EV as the project progressed: on plan at the start, drifting to today's performance."""
        pv = curve.pv_at(mappers.status_instant(day))
        progress = max(0.0, min(1.0, (day - start).days / span))
        return pv * (1 - (1 - reached) * progress)

    fridays = [start + dt.timedelta(days=(4 - start.weekday()) % 7)]
    while fridays[-1] + dt.timedelta(days=7) < today:
        fridays.append(fridays[-1] + dt.timedelta(days=7))
    fridays.append(today)
    entries, spent = [], Decimal(0)
    for friday in fridays:
        target = Decimal(str(round(earned(friday) * overrun * rng.uniform(0.97, 1.03), 2)))
        target = max(target, spent)
        gap = target - spent - labour.get((project.pk, friday), Decimal(0))
        spent = target
        if gap <= 0:
            continue
        category, text = EXPENSE_SPLIT[len(entries) % 2]
        entries.append(
            CostEntry(
                project=project, date=friday, category=category, amount=gap.quantize(Decimal("0.01")), description=text
            )
        )
    CostEntry.objects.bulk_create(entries)
    # Snapshots: one per Friday of the last weeks (EV as the project progressed), and today's from progress.
    history = [d for d in _fridays(today, HISTORY_WEEKS) if d >= start]
    points = [
        evm.StatusPoint(mappers.status_instant(d), ev=earned(d), ac=float(services.actual_cost_until(project, d)))
        for d in history
    ]
    for day, metrics in zip(history, evm.analyse(curve, points), strict=True):
        EvmSnapshot.objects.update_or_create(
            project=project, status_date=day, defaults=mappers.snapshot_fields(metrics, loaded)
        )
    services.evm_snapshot_take(actor=SYSTEM, project=project, status_date=today)


@transaction.atomic
def load_demo_control(*, today: dt.date, seed: int = 7) -> int:
    """Load the monitoring demo; returns the number of snapshots stored."""
    rng = random.Random(seed)
    for person in Person.objects.all():
        services.cost_rate_set(actor=SYSTEM, person=person, rate_per_hour=_rate(person.job_title or ""))
    running = {
        p.pk: p
        for p in Project.objects.filter(state__in=RUNNING).order_by("code")
        if Task.objects.filter(project=p).exists()
    }
    for project in running.values():
        if not Baseline.objects.filter(project=project).exists():
            planning.baseline_capture(
                actor=SYSTEM, project=project, name="Performance baseline", note="Measured against by the PMO"
            )
        factor, _overrun = PERFORMANCE.get(project.health, PERFORMANCE["green"])
        _slow_down(project, factor, today)
    members = list(Person.objects.filter(user__groups__name="Team member").order_by("name"))
    labour = _timesheets(members, {pk: p for pk, p in running.items() if p.state == "executing"}, today)
    for project in running.values():
        _factor, overrun = PERFORMANCE.get(project.health, PERFORMANCE["green"])
        _history(project, overrun, labour, today, rng)
    return EvmSnapshot.objects.count()
