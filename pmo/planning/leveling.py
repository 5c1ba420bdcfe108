"""Levelling several projects over the people they share.

The plans are turned into the engine's resource-constrained problem in whole working days from the
levelling origin (today, or the earliest plan start if later): each person is a resource of capacity
100 (per cent), each assignment demands its units, finished work is history and left out, work under
way keeps only its remaining duration. The engine's schedule comes back as a proposal per project
(how far its finish moves, which person held it back); accepting it pins each delayed task with a
"start no earlier than" constraint, audited, and re-schedules the plans.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task as background_task

from pmo.core import audit
from pmo.core.access import require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import EngineError
from pmo.engine.leveling import LevelingProblem, LevelProject, LevelTask, Precedence, Resource, level_exact, level_fast
from pmo.planning import mappers, services
from pmo.planning.models import Assignment, Dependency, LevelingRun, Task
from pmo.portfolio.models import Project

PRIORITY_WEIGHT = {1: 8.0, 2: 4.0, 3: 2.0, 4: 1.0}


def _day(value: dt.datetime, origin: dt.datetime, calendar: WorkingCalendar) -> int:
    """Working days from the origin to `value` (rounded down; never negative)."""
    minutes = calendar.working_minutes_between(origin, value)
    return max(0, minutes // calendar.minutes_per_day)


def _finish_of(day: int, origin: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    """The end of working day `day - 1` (a finish after `day` whole days of work)."""
    return calendar.add_working_minutes(calendar.next_working_time(origin), day * calendar.minutes_per_day)


def _date_of(day: int, origin: dt.datetime, calendar: WorkingCalendar) -> dt.datetime:
    start = calendar.next_working_time(origin)
    if day <= 0:
        return start
    return calendar.next_working_time(calendar.add_working_minutes(start, day * calendar.minutes_per_day))


def build_problem(
    projects: list[Project], *, today: dt.datetime | None = None
) -> tuple[LevelingProblem, dict[str, Any]]:
    """The engine problem for the projects' open work, and what is needed to read its answer back."""
    calendar = WorkingCalendar.standard()
    now = mappers.to_local(today or timezone.now())
    plans = {p.pk: services.plan_of(p) for p in projects}
    starts = [mappers.to_local(plan.scheduled_start) for plan in plans.values() if plan.scheduled_start]
    first = max(now, min(starts)) if starts else now  # type: ignore[type-var]
    # Levelling works in whole days, from the start of the first working day.
    origin = calendar.next_working_time(first.replace(hour=0, minute=0))
    tasks = list(
        Task.objects.filter(project__in=projects, is_summary=False)
        .exclude(percent_complete__gte=100)
        .select_related("project")
    )
    open_ids = {t.pk for t in tasks}
    links: dict[int, list[Dependency]] = defaultdict(list)
    for link in Dependency.objects.filter(successor_id__in=open_ids, predecessor_id__in=open_ids):
        links[link.successor_id].append(link)
    demands: dict[int, dict[str, int]] = defaultdict(dict)
    people: dict[str, str] = {}
    for assignment in Assignment.objects.filter(task_id__in=open_ids).select_related("person"):
        key = str(assignment.person_id)
        people[key] = assignment.person.name
        demands[assignment.task_id][key] = min(100, max(1, round(float(assignment.units) * 100)))
    level_tasks = []
    for t in tasks:
        remaining = t.duration_minutes * (1 - float(t.percent_complete) / 100)
        days = math.ceil(remaining / calendar.minutes_per_day - 1e-9) if remaining > 0 else 0
        level_tasks.append(
            LevelTask(
                id=str(t.pk),
                duration=days,
                demands=demands.get(t.pk, {}),
                predecessors=tuple(
                    Precedence(str(link.predecessor_id), link.type, round(link.lag_minutes / calendar.minutes_per_day))
                    for link in links.get(t.pk, [])
                ),
                project=str(t.project_id),
            )
        )
    level_projects = tuple(
        LevelProject(
            id=str(p.pk),
            release=_day(mappers.to_local(plans[p.pk].scheduled_start), origin, calendar)  # type: ignore[arg-type]
            if plans[p.pk].scheduled_start
            else 0,
            priority=PRIORITY_WEIGHT.get(p.priority, 1.0),
        )
        for p in projects
    )
    problem = LevelingProblem(
        tasks=tuple(level_tasks),
        resources=tuple(Resource(person, 100) for person in sorted(people)),
        projects=level_projects,
    )
    context = {"origin": origin, "calendar": calendar, "people": people, "tasks": {str(t.pk): t for t in tasks}}
    return problem, context


def solve(run: LevelingRun) -> dict[str, Any]:
    """Level the run's projects and describe the proposal (stored as the run's result)."""
    projects = list(run.projects.order_by("code"))
    problem, context = build_problem(projects)
    if not problem.tasks:
        return {"projects": [], "tasks": [], "status": "optimal", "message": "No open work to level."}
    free_tasks = tuple(replace(t, demands={}) for t in problem.tasks)
    unconstrained = level_fast(LevelingProblem(free_tasks, (), problem.projects), seed=0, iterations=1)
    solver = level_exact if run.mode == LevelingRun.Mode.EXACT else level_fast
    options: dict[str, Any] = {
        "time_limit_s": run.time_limit_s,
        "objective": "weighted_delay",
        "within_float": run.within_float,
    }
    result = solver(problem, **options)
    origin, calendar, people, tasks = context["origin"], context["calendar"], context["people"], context["tasks"]
    delayed_by_project: dict[str, Counter[str]] = defaultdict(Counter)
    moved_tasks = []
    for task_id, start in result.starts.items():
        task = tasks[task_id]
        new_start = _date_of(start, origin, calendar)
        old_start = mappers.to_local(task.start)
        delay = result.delays.get(task_id)
        if delay is not None and delay.resource and delay.resource_delay > 0:
            delayed_by_project[str(task.project_id)][delay.resource] += delay.resource_delay
        # Only delays that resources cause count: rounding work under way to whole days is not a move.
        if old_start is not None and start > unconstrained.starts.get(task_id, start):
            moved_tasks.append(
                {
                    "task_id": task.pk,
                    "project_id": task.project_id,
                    "uid": task.uid,
                    "name": task.name,
                    "old_start": old_start.isoformat(),
                    "new_start": new_start.isoformat(),
                    "moved_days": round(
                        calendar.working_minutes_between(old_start, new_start) / calendar.minutes_per_day, 1
                    ),
                    "held_by": people.get(delay.resource, "") if delay and delay.resource else "",
                }
            )
    project_rows = []
    for project in projects:
        key = str(project.pk)
        before_day = unconstrained.project_finishes.get(key, 0)
        after_day = result.project_finishes.get(key, 0)
        bottleneck = delayed_by_project[key].most_common(1)
        project_rows.append(
            {
                "project_id": project.pk,
                "code": project.code,
                "name": project.name,
                "finish_before": _finish_of(before_day, origin, calendar).isoformat()
                if key in unconstrained.project_finishes
                else None,
                "finish_after": _finish_of(after_day, origin, calendar).isoformat()
                if key in result.project_finishes
                else None,
                "moved_days": after_day - before_day,
                "bottleneck": people.get(bottleneck[0][0], "") if bottleneck else "",
                "delayed_tasks": sum(1 for t in moved_tasks if t["project_id"] == project.pk),
            }
        )
    return {
        "status": result.status,
        "within_float": run.within_float,
        "message": result.message.replace("period(s)", "working day(s)"),  # a period is a working day here
        "makespan_days": result.makespan,
        "lower_bound_days": result.lower_bound,
        "solve_time_s": round(result.solve_time_s, 3),
        "origin": origin.isoformat(),
        "projects": project_rows,
        "tasks": sorted(moved_tasks, key=lambda t: (t["project_id"], t["uid"])),
        "bottlenecks": [
            {
                "person": people.get(b.resource, b.resource),
                "delayed_tasks": b.delayed_tasks,
                "peak": b.peak,
                "utilization": round(b.utilization, 3),
            }
            for b in result.bottlenecks
        ],
    }


@background_task()
def run_leveling(run_id: int) -> None:
    """The background job: solve and store the proposal, or the reason it failed."""
    run = LevelingRun.objects.get(pk=run_id)
    LevelingRun.objects.filter(pk=run_id).update(status=LevelingRun.Status.RUNNING, progress=10, message="Levelling…")
    try:
        result = solve(run)
    except EngineError as error:
        LevelingRun.objects.filter(pk=run_id).update(
            status=LevelingRun.Status.FAILED, progress=100, message=str(error)[:255], finished_at=timezone.now()
        )
        return
    LevelingRun.objects.filter(pk=run_id).update(
        status=LevelingRun.Status.DONE,
        progress=100,
        result=result,
        message=f"{len(result['tasks'])} tasks would move.",
        finished_at=timezone.now(),
    )


def leveling_start(
    *, actor: Any, projects: list[Project], mode: str = "fast", time_limit_s: float = 10.0, within_float: bool = False
) -> LevelingRun:
    """Queue a levelling run over the projects (the actor must be allowed to view each). With
    ``within_float`` no project may finish later than it would without resource limits."""
    if not projects:
        raise ValidationFailed({"projects": "Choose at least one project to level."})
    if mode not in LevelingRun.Mode.values:
        raise ValidationFailed({"mode": "Use fast or exact."})
    if not 0.1 <= time_limit_s <= 600:
        raise ValidationFailed({"time_limit_s": "Give a time limit between 0.1 and 600 seconds."})
    require(actor, "view", Task)  # levelling reads the plans: requesters see none
    for project in projects:
        require(actor, "view", project)
    with transaction.atomic():
        portfolios = {p.portfolio_id for p in projects}
        run = LevelingRun.objects.create(
            mode=mode,
            time_limit_s=time_limit_s,
            within_float=within_float,
            created_by=actor if getattr(actor, "pk", None) else None,
            portfolio_id=portfolios.pop() if len(portfolios) == 1 else None,
        )
        run.projects.set(projects)
        transaction.on_commit(lambda: run_leveling.enqueue(run.pk))
    return run


def leveling_accept(*, actor: Any, run: LevelingRun) -> int:
    """Apply a reviewed proposal: each delayed task gets a 'start no earlier than' constraint at its levelled
    start, audited, and every plan is re-scheduled. Returns the number of tasks changed."""
    if run.status != LevelingRun.Status.DONE:
        raise Conflict(
            f"Only a run that is ready to review can be accepted; this one is {run.get_status_display().lower()}."
        )
    projects = list(run.projects.all())
    for project in projects:
        require(actor, "change", project)
    changed = 0
    with transaction.atomic():
        tasks = {t.pk: t for t in Task.objects.filter(pk__in=[m["task_id"] for m in run.result.get("tasks", [])])}
        for move in run.result.get("tasks", []):
            task = tasks.get(move["task_id"])
            if task is None or task.constraint_type not in (Task.ConstraintType.ASAP, Task.ConstraintType.SNET):
                continue  # deleted since, or pinned by the planner: the planner's constraint wins
            before = audit.snapshot(task)
            task.constraint_type = Task.ConstraintType.SNET
            task.constraint_date = timezone.make_aware(dt.datetime.fromisoformat(move["new_start"]))
            task.version += 1
            task.save(update_fields=["constraint_type", "constraint_date", "version", "updated_at"])
            audit.record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=task,
                before=before,
                after=audit.snapshot(task),
                comment=f"Levelled by run {run.pk}" + (f" (held back by {move['held_by']})" if move["held_by"] else ""),
            )
            changed += 1
        for project in projects:
            services.plan_schedule(project=project)
        run.status = LevelingRun.Status.ACCEPTED
        run.decided_at = timezone.now()
        run.save(update_fields=["status", "decided_at"])
    return changed


def leveling_discard(*, actor: Any, run: LevelingRun) -> None:
    if run.status not in (LevelingRun.Status.DONE, LevelingRun.Status.FAILED):
        raise Conflict(f"This run is {run.get_status_display().lower()}; it cannot be discarded.")
    require(actor, "view", Task)
    for project in run.projects.all():
        require(actor, "view", project)
    run.status = LevelingRun.Status.DISCARDED
    run.decided_at = timezone.now()
    run.save(update_fields=["status", "decided_at"])
