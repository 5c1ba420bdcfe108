"""Reads of plans: the task table with WBS numbers and predecessor text, and baseline comparisons."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pmo.core.access import can
from pmo.engine.calendar import WorkingCalendar
from pmo.engine.notation import LinkSpec, format_duration, format_predecessors
from pmo.planning import links, mappers
from pmo.planning.models import Assignment, Baseline, CrossProjectLink, Dependency, Plan, Task
from pmo.portfolio.models import Project


@dataclass
class TaskRow:
    task: Task
    wbs: str
    level: int
    duration_text: str
    predecessors: str
    assignees: list[str] = field(default_factory=list)
    links: list[Dependency] = field(default_factory=list)


def summary_minutes(task: Task, calendar: WorkingCalendar) -> int:
    if task.start is None or task.finish is None:
        return 0
    return calendar.working_minutes_between(mappers.to_local(task.start), mappers.to_local(task.finish))  # type: ignore[arg-type]


def task_rows(project: Project, minutes_per_day: int = 480, calendar: WorkingCalendar | None = None) -> list[TaskRow]:
    """The plan's tasks in outline order with WBS numbers (1, 1.1, 1.2, 2…), in three queries. Summary rows
    carry their rolled-up duration (with `calendar`) and progress."""
    tasks = list(Task.objects.filter(project=project).order_by("position"))
    links_by_successor: dict[int, list[Dependency]] = defaultdict(list)
    uid_of = {t.pk: t.uid for t in tasks}
    for link in Dependency.objects.filter(successor__project=project):
        links_by_successor[link.successor_id].append(link)
    assignees: dict[int, list[str]] = defaultdict(list)
    for a in Assignment.objects.filter(task__project=project).select_related("person").order_by("person__name"):
        assignees[a.task_id].append(a.person.name if a.units == 1 else f"{a.person.name} [{a.units * 100:.0f}%]")
    counters: dict[int | None, int] = defaultdict(int)
    wbs_of: dict[int, str] = {}
    level_of: dict[int, int] = {}
    rows = []
    done_minutes: dict[int, float] = defaultdict(float)
    total_minutes: dict[int, float] = defaultdict(float)
    parent_of = {t.pk: t.parent_id for t in tasks}
    for task in tasks:
        if task.is_summary:
            continue
        ancestor = task.parent_id
        while ancestor is not None:
            total_minutes[ancestor] += task.duration_minutes
            done_minutes[ancestor] += task.duration_minutes * float(task.percent_complete) / 100
            ancestor = parent_of.get(ancestor)
    for task in tasks:
        counters[task.parent_id] += 1
        prefix = wbs_of.get(task.parent_id, "") if task.parent_id else ""
        wbs = f"{prefix}.{counters[task.parent_id]}" if prefix else str(counters[task.parent_id])
        wbs_of[task.pk] = wbs
        level_of[task.pk] = level_of.get(task.parent_id, -1) + 1 if task.parent_id else 0
        links = links_by_successor.get(task.pk, [])
        specs = sorted(
            (
                LinkSpec(str(uid_of[link.predecessor_id]), link.type, link.lag_minutes, link.lag_elapsed)
                for link in links
            ),
            key=lambda s: int(s.task),
        )
        duration = task.duration_minutes
        if task.is_summary:
            # A summary lasts from its first subtask's start to its last one's finish; its progress is the
            # duration-weighted progress of its subtasks.
            duration = summary_minutes(task, calendar) if calendar is not None else duration
            duration = round(duration / minutes_per_day) * minutes_per_day  # whole days read better
            total = total_minutes.get(task.pk, 0)
            task.percent_complete = Decimal(round(100 * done_minutes[task.pk] / total)) if total else Decimal(0)
        rows.append(
            TaskRow(
                task=task,
                wbs=wbs,
                level=level_of[task.pk],
                duration_text=format_duration(duration, minutes_per_day=minutes_per_day),
                predecessors=format_predecessors(specs, minutes_per_day=minutes_per_day),
                assignees=assignees.get(task.pk, []),
                links=links,
            )
        )
    return rows


@dataclass(frozen=True)
class VarianceRow:
    uid: int
    name: str
    reference_start: dt.datetime | None
    reference_finish: dt.datetime | None
    compared_start: dt.datetime | None
    compared_finish: dt.datetime | None
    start_variance_days: float | None
    finish_variance_days: float | None
    status: str  # "same", "changed", "added", "removed"


@dataclass(frozen=True)
class Comparison:
    reference: str
    compared: str
    rows: list[VarianceRow]
    finish_variance_days: float | None
    reference_finish: dt.datetime | None
    compared_finish: dt.datetime | None


def _working_days(calendar: WorkingCalendar, old: dt.datetime | None, new: dt.datetime | None) -> float | None:
    if old is None or new is None:
        return None
    minutes = calendar.working_minutes_between(mappers.to_local(old), mappers.to_local(new))  # type: ignore[arg-type]
    return round(minutes / calendar.minutes_per_day, 2)


def _dates(source: Baseline | None, project: Project) -> dict[int, tuple[str, dt.datetime | None, dt.datetime | None]]:
    if source is None:
        return {t.uid: (t.name, t.start, t.finish) for t in Task.objects.filter(project=project)}
    return {t.task_uid: (t.name, t.start, t.finish) for t in source.tasks.all()}


def compare(project: Project, reference: Baseline, compared: Baseline | None = None) -> Comparison:
    """Variance in working days per task and for the project: `compared` (default: the current plan) against
    `reference`. Positive variance means later than the reference."""
    plan = Plan.objects.select_related("calendar").get(project=project)
    calendar = mappers.engine_calendar(plan.calendar)
    old = _dates(reference, project)
    new = _dates(compared, project)
    rows = []
    for uid in sorted(set(old) | set(new)):
        name_old, start_old, finish_old = old.get(uid, ("", None, None))
        name_new, start_new, finish_new = new.get(uid, ("", None, None))
        if uid not in new:
            status = "removed"
        elif uid not in old:
            status = "added"
        else:
            status = "same" if (start_old, finish_old) == (start_new, finish_new) else "changed"
        rows.append(
            VarianceRow(
                uid=uid,
                name=name_new or name_old,
                reference_start=start_old,
                reference_finish=finish_old,
                compared_start=start_new,
                compared_finish=finish_new,
                start_variance_days=_working_days(calendar, start_old, start_new),
                finish_variance_days=_working_days(calendar, finish_old, finish_new),
                status=status,
            )
        )
    compared_finish = compared.finish if compared is not None else plan.scheduled_finish
    return Comparison(
        reference=reference.name,
        compared=compared.name if compared is not None else "Current plan",
        rows=rows,
        finish_variance_days=_working_days(calendar, reference.finish, compared_finish),
        reference_finish=reference.finish,
        compared_finish=compared_finish,
    )


def baseline_bars(baseline: Baseline | None) -> dict[int, tuple[Any, Any]]:
    if baseline is None:
        return {}
    return {t.task_uid: (t.start, t.finish) for t in baseline.tasks.all()}


# --- cross-project links -----------------------------------------------------------------------------


def link_row(link: CrossProjectLink) -> dict[str, Any]:
    return {
        "link": link,
        "needed": links.date_needed(link),
        "late": link.late_days,
        "impact": link.impact_days,
    }


def plan_links(project: Project, user: Any) -> dict[str, Any]:
    """What the plan page shows of the project's cross-project links."""
    rows = [link for link in links.links_of([project]) if can(user, "view", link.provider.project)]
    incoming = [link_row(link) for link in rows if link.consumer.project_id == project.pk]
    outgoing = [link_row(link) for link in rows if link.provider.project_id == project.pk]
    late = [r for r in incoming if r["late"]]
    return {
        "incoming": incoming,
        "outgoing": outgoing,
        "late_incoming": late,
        "link_count": len(rows),
        "finish_impact": links.consumer_impact(project) if late else 0,
        "link_projects": Project.objects.exclude(pk=project.pk)
        .exclude(state__in=("closed", "cancelled"))
        .order_by("code")
        .only("pk", "code", "name"),
        "link_tasks": Task.objects.filter(project=project, is_summary=False).order_by("position").only("uid", "name"),
    }
