"""Writes on plans: one function per use case. Every edit re-schedules the plan in the same transaction,
so an edit that would make the plan impossible (a dependency cycle) is refused and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from pmo.core import audit
from pmo.core.access import require
from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.services import validate_instance
from pmo.engine.errors import CyclicDependencyError, EngineError
from pmo.engine.notation import LinkSpec, format_predecessors, parse_predecessors
from pmo.engine.schedule import critical_path
from pmo.planning import mappers
from pmo.planning.models import Assignment, Baseline, BaselineTask, Dependency, Plan, Task, WorkCalendar
from pmo.portfolio.models import Project
from pmo.resources.models import Person

TASK_FIELDS = (
    "name",
    "duration_minutes",
    "constraint_type",
    "constraint_date",
    "actual_start",
    "actual_finish",
    "percent_complete",
    "remaining_minutes",
    "optimistic_minutes",
    "pessimistic_minutes",
    "notes",
    "calendar",
)


# --- the plan -----------------------------------------------------------------------------------


def standard_calendar() -> WorkCalendar:
    calendar, _ = WorkCalendar.objects.get_or_create(name="Standard")
    return calendar


def plan_of(project: Project) -> Plan:
    """The project's plan, created on first use with the standard calendar."""
    plan = Plan.objects.filter(project=project).select_related("project", "calendar").first()
    if plan is None:
        plan = Plan.objects.create(project=project, calendar=standard_calendar())
    return plan


def plan_schedule(*, project: Project) -> Plan:
    """Re-compute the plan's dates, floats and critical path and store them (derived data, not audited).
    Engine errors (a cycle, an impossible calendar) become a ValidationFailed naming the tasks."""
    plan = plan_of(project)
    loaded = mappers.load_plan(plan)
    if not loaded.tasks:
        Plan.objects.filter(pk=plan.pk).update(
            scheduled_start=None, scheduled_finish=None, scheduled_at=timezone.now(), schedule_error=""
        )
        return plan
    calendars = _task_calendars(loaded.tasks)
    try:
        schedule = critical_path(mappers.network_of(loaded, calendars))
    except CyclicDependencyError as error:
        names = {str(t.uid): f"{t.uid} {t.name}" for t in loaded.tasks}
        path = " -> ".join(names.get(i, i) for i in (*error.task_ids, error.task_ids[0]))
        text = f"These links make a loop: {path}."
        raise ValidationFailed({"predecessors": text}, message=f"The plan cannot be scheduled. {text}") from error
    except EngineError as error:
        raise ValidationFailed(
            {"predecessors": str(error)}, message=f"The plan cannot be scheduled: {error}"
        ) from error
    mappers.write_schedule(loaded, schedule)
    plan.scheduled_start = mappers.to_aware(schedule.start)
    plan.scheduled_finish = mappers.to_aware(schedule.finish)
    plan.scheduled_at = timezone.now()
    plan.schedule_error = ""
    Plan.objects.filter(pk=plan.pk).update(
        scheduled_start=plan.scheduled_start,
        scheduled_finish=plan.scheduled_finish,
        scheduled_at=plan.scheduled_at,
        schedule_error="",
    )
    from pmo.planning.links import cross_links_follow  # links read plans: imported late to avoid a cycle

    cross_links_follow(project=project)
    return plan


def _task_calendars(tasks: Sequence[Task]) -> dict[int, Any]:
    ids = {t.calendar_id for t in tasks if t.calendar_id}
    if not ids:
        return {}
    calendars = {
        c.pk: mappers.engine_calendar(c)
        for c in WorkCalendar.objects.filter(pk__in=ids).prefetch_related("exceptions").select_related("base")
    }
    return {t.pk: calendars[t.calendar_id] for t in tasks if t.calendar_id}


def plan_update(
    *,
    actor: Any,
    project: Project,
    start: dt.datetime | None = None,
    finish: dt.datetime | None = None,
    status_date: dt.datetime | None = None,
    direction: str | None = None,
    calendar: WorkCalendar | None = None,
) -> Plan:
    """Change the plan's start or finish, direction, status date or calendar, and re-schedule."""
    require(actor, "change", project)
    with transaction.atomic():
        plan = plan_of(project)
        before = audit.snapshot(plan)
        if direction is not None:
            if direction not in Plan.Direction.values:
                raise ValidationFailed({"direction": f"Use one of: {', '.join(Plan.Direction.values)}."})
            plan.direction = direction
        plan.start = start if start is not None else plan.start
        plan.finish = finish if finish is not None else plan.finish
        plan.status_date = status_date if status_date is not None else plan.status_date
        plan.calendar = calendar or plan.calendar
        if plan.direction == Plan.Direction.BACKWARD and plan.finish is None:
            raise ValidationFailed({"finish": "A plan scheduled backward needs a finish date."})
        plan.version += 1
        plan.save()
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, before=before, after=audit.snapshot(plan))
        return plan_schedule(project=project)


# --- tasks --------------------------------------------------------------------------------------


def predecessors_text(task: Task, links: Iterable[Dependency] | None = None, minutes_per_day: int = 480) -> str:
    links = task.predecessor_links.select_related("predecessor") if links is None else links
    specs = sorted(
        (LinkSpec(str(link.predecessor.uid), link.type, link.lag_minutes, link.lag_elapsed) for link in links),
        key=lambda s: int(s.task),
    )
    return format_predecessors(specs, minutes_per_day=minutes_per_day)


def _snapshot(task: Task) -> audit.Snapshot:
    assignees = [f"{a.person.name} ({a.units.normalize():f})" for a in task.assignments.select_related("person")]
    return audit.snapshot(task, {"predecessors": [predecessors_text(task)], "assignees": assignees})


def _set_predecessors(task: Task, text: str, minutes_per_day: int) -> None:
    try:
        specs = parse_predecessors(text, minutes_per_day=minutes_per_day)
    except EngineError as error:
        raise ValidationFailed({"predecessors": str(error)}) from error
    by_uid = {t.uid: t for t in Task.objects.filter(project_id=task.project_id, uid__in=[int(s.task) for s in specs])}
    missing = [s.task for s in specs if int(s.task) not in by_uid]
    if missing:
        raise ValidationFailed({"predecessors": f"No task number {', '.join(missing)} in this plan."})
    if any(int(s.task) == task.uid for s in specs):
        raise ValidationFailed({"predecessors": "A task cannot be its own predecessor."})
    Dependency.objects.filter(successor=task).delete()
    Dependency.objects.bulk_create(
        Dependency(
            predecessor=by_uid[int(s.task)],
            successor=task,
            type=s.type,
            lag_minutes=s.lag_minutes,
            lag_elapsed=s.lag_is_elapsed,
        )
        for s in specs
    )


def _set_assignments(task: Task, assignments: Iterable[tuple[Person, Decimal]]) -> None:
    Assignment.objects.filter(task=task).delete()
    rows = []
    for person, units in assignments:
        if units <= 0:
            raise ValidationFailed({"assignments": f"Units for {person} must be above 0."})
        rows.append(Assignment(task=task, person=person, units=units))
    Assignment.objects.bulk_create(rows)


def _minutes_per_day(project: Project) -> int:
    plan = plan_of(project)
    return plan.calendar.minutes_per_day if plan.calendar_id else 480


def task_create(
    *,
    actor: Any,
    project: Project,
    name: str,
    duration_minutes: int = 480,
    after: Task | None = None,
    parent: Task | None = None,
    predecessors: str = "",
    assignments: Iterable[tuple[Person, Decimal]] = (),
    **fields: Any,
) -> Task:
    """Add a task after `after` (or at the end), under `parent` (default: the parent of `after`)."""
    unknown = sorted(set(fields) - set(TASK_FIELDS))
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in unknown})
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(pk=plan_of(project).pk).get()
        if after is not None:
            position = after.position + 1 + _descendant_count(after)
            if parent is None:
                parent = after.parent
        else:
            position = (Task.objects.filter(project=project).aggregate(m=Max("position"))["m"] or 0) + 1
        task = Task(
            project=project,
            uid=plan.next_uid,
            position=position,
            parent=parent,
            name=name,
            duration_minutes=duration_minutes,
            **fields,
        )
        require(actor, "add", task)
        validate_instance(task)
        Task.objects.filter(project=project, position__gte=position).update(position=F("position") + 1)
        task.save()
        Plan.objects.filter(pk=plan.pk).update(next_uid=F("next_uid") + 1)
        if predecessors:
            _set_predecessors(task, predecessors, _minutes_per_day(project))
        _set_assignments(task, assignments)
        plan_schedule(project=project)
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=task, before=None, after=_snapshot(task))
    return task


def _descendant_count(task: Task) -> int:
    count = 0
    frontier = [task.pk]
    while frontier:
        children = list(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        count += len(children)
        frontier = children
    return count


def task_update(
    *,
    actor: Any,
    task: Task,
    expected_version: int | None = None,
    predecessors: str | None = None,
    assignments: Iterable[tuple[Person, Decimal]] | None = None,
    **changes: Any,
) -> Task:
    """Change a task; `predecessors` is the text form ("3FS+2d, 5"). Re-schedules the plan."""
    from pmo.core.errors import StaleVersion

    unknown = sorted(set(changes) - set(TASK_FIELDS))
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in unknown})
    require(actor, "change", task)
    with transaction.atomic():
        current = Task.objects.select_for_update().filter(pk=task.pk).values_list("version", flat=True).first()
        if expected_version is not None and current != expected_version:
            raise StaleVersion(
                f"Task {task} was changed by someone else (you edited version {expected_version}, "
                f"it is now version {current}).",
                details={"current_version": current},
            )
        task.refresh_from_db()
        before = _snapshot(task)
        old_duration = task.duration_minutes
        for name, value in changes.items():
            setattr(task, name, value)
        _follow_duration(task, old_duration, changes)
        if task.constraint_type in (Task.ConstraintType.ASAP, Task.ConstraintType.ALAP):
            task.constraint_date = None
        elif task.constraint_date is None:
            raise ValidationFailed({"constraint_date": "This constraint needs a date."})
        validate_instance(task)
        _check_estimate(task)
        task.version = F("version") + 1
        task.save()
        task.refresh_from_db()
        if predecessors is not None:
            _set_predecessors(task, predecessors, _minutes_per_day(task.project))
        if assignments is not None:
            _set_assignments(task, assignments)
        plan_schedule(project=task.project)
        task.refresh_from_db()
        audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=task, before=before, after=_snapshot(task))
    return task


def _estimate_error(task: Task, optimistic: int | None, pessimistic: int | None) -> tuple[str, str] | None:
    """(field, why) when a three-point estimate does not fit the task's (most likely) duration."""
    if optimistic is not None and optimistic > task.duration_minutes:
        return "optimistic_minutes", "The optimistic duration cannot be longer than the duration (the most likely)."
    if pessimistic is not None and pessimistic < task.duration_minutes:
        return "pessimistic_minutes", "The pessimistic duration cannot be shorter than the duration (the most likely)."
    return None


def _follow_duration(task: Task, old_duration: int, changes: dict[str, Any]) -> None:
    """A new duration keeps the three-point estimate's proportions unless the estimate is given too."""
    if task.duration_minutes == old_duration or {"optimistic_minutes", "pessimistic_minutes"} & set(changes):
        return
    if task.duration_minutes == 0 or old_duration == 0:
        task.optimistic_minutes = task.pessimistic_minutes = None
        return
    ratio = task.duration_minutes / old_duration
    if task.optimistic_minutes is not None:
        task.optimistic_minutes = min(task.duration_minutes, round(task.optimistic_minutes * ratio))
    if task.pessimistic_minutes is not None:
        task.pessimistic_minutes = max(task.duration_minutes, round(task.pessimistic_minutes * ratio))


def _check_estimate(task: Task) -> None:
    error = _estimate_error(task, task.optimistic_minutes, task.pessimistic_minutes)
    if error:
        raise ValidationFailed({error[0]: error[1]})


def task_estimates_set(
    *, actor: Any, project: Project, estimates: Mapping[int, tuple[int | None, int | None]]
) -> list[Task]:
    """Set the optimistic and pessimistic durations (minutes; None clears) of tasks by UID, all or none;
    errors name the task.  The duration stays the most likely value; nothing is re-scheduled."""
    tasks = {t.uid: t for t in Task.objects.filter(project=project, uid__in=list(estimates))}
    for task in tasks.values():
        require(actor, "change", task)
    errors: dict[str, str] = {}
    for uid, (optimistic, pessimistic) in estimates.items():
        task = tasks.get(uid)
        if task is None:
            errors[f"task {uid}"] = "No such task in this project."
        elif task.is_summary:
            errors[f"task {uid}"] = f"{task.name}: a summary task takes its range from its subtasks."
        elif any(v is not None and v < 0 for v in (optimistic, pessimistic)):
            errors[f"task {uid}"] = f"{task.name}: durations cannot be negative."
        else:
            why = _estimate_error(task, optimistic, pessimistic)
            if why:
                errors[f"task {uid}"] = f"{task.name}: {why[1]}"
    if errors:
        raise ValidationFailed(errors, message="No estimate was saved: " + "; ".join(errors.values()))
    changed = []
    with transaction.atomic():
        for uid, (optimistic, pessimistic) in estimates.items():
            task = tasks[uid]
            if (task.optimistic_minutes, task.pessimistic_minutes) == (optimistic, pessimistic):
                continue
            before = audit.snapshot(task)
            task.optimistic_minutes, task.pessimistic_minutes = optimistic, pessimistic
            task.version = F("version") + 1
            task.save(update_fields=["optimistic_minutes", "pessimistic_minutes", "version", "updated_at"])
            task.refresh_from_db()
            after = audit.snapshot(task)
            audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=task, before=before, after=after)
            changed.append(task)
    return changed


def task_delete(*, actor: Any, task: Task) -> None:
    """Delete a task and its subtasks; the rows below move up."""
    require(actor, "delete", task)
    with transaction.atomic():
        before = _snapshot(task)
        project = task.project
        removed = 1 + _descendant_count(task)
        position = task.position
        pk = task.pk
        task.delete()
        Task.objects.filter(project=project, position__gt=position).update(position=F("position") - removed)
        plan_schedule(project=project)
        task.pk = pk
        audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=task, before=before, after=None)


def task_indent(*, actor: Any, task: Task) -> Task:
    """Make the task a subtask of the task above it at the same level."""
    require(actor, "change", task)
    with transaction.atomic():
        above = (
            Task.objects.filter(project=task.project, parent=task.parent, position__lt=task.position)
            .order_by("-position")
            .first()
        )
        if above is None:
            raise ValidationFailed({"parent": f"Task {task.uid} has no task above it at its level to go under."})
        return _reparent(actor, task, above)


def task_outdent(*, actor: Any, task: Task) -> Task:
    """Move the task one level up; the siblings below it become its subtasks (as Microsoft Project does)."""
    require(actor, "change", task)
    if task.parent_id is None:
        raise ValidationFailed({"parent": f"Task {task.uid} is already at the top level."})
    with transaction.atomic():
        old_parent = task.parent
        Task.objects.filter(project=task.project, parent=old_parent, position__gt=task.position).update(parent=task)
        return _reparent(actor, task, old_parent.parent)


def _ancestors(task: Task | None) -> list[Task]:
    chain = []
    while task is not None:
        chain.append(task)
        task = task.parent
    return chain


def _reparent(actor: Any, task: Task, parent: Task | None) -> Task:
    ancestors = {t.pk: t for t in _ancestors(parent)}
    linked = Dependency.objects.filter(predecessor_id__in=ancestors, successor=task) | Dependency.objects.filter(
        predecessor=task, successor_id__in=ancestors
    )
    clash = linked.select_related("predecessor", "successor").first()
    if clash is not None:
        other = clash.predecessor if clash.successor_id == task.pk else clash.successor
        raise ValidationFailed(
            {
                "parent": f"Task {task.uid} {task.name} is linked to {other.uid} {other.name}, which would become "
                "its summary task. Remove that link first."
            }
        )
    before = _snapshot(task)
    task.parent = parent
    task.version = F("version") + 1
    task.save(update_fields=["parent", "version", "updated_at"])
    task.refresh_from_db()
    plan_schedule(project=task.project)
    after = {**_snapshot(task), "parent": str(parent) if parent else None}
    audit.record(actor=actor, action=AuditEvent.Action.UPDATE, obj=task, before=before, after=after)
    return task


# --- baselines ----------------------------------------------------------------------------------


def baseline_capture(*, actor: Any, project: Project, name: str, note: str = "") -> Baseline:
    """Freeze the current dates and durations of every task under a name."""
    require(actor, "change", project)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": "Name the baseline, e.g. 'Approved plan'."})
    with transaction.atomic():
        if Baseline.objects.filter(project=project, name=name).exists():
            raise ValidationFailed({"name": f"This project already has a baseline named {name!r}."})
        plan = plan_schedule(project=project)
        baseline = Baseline.objects.create(
            project=project,
            name=name,
            note=note,
            captured_by=actor if getattr(actor, "pk", None) else None,
            start=plan.scheduled_start,
            finish=plan.scheduled_finish,
        )
        BaselineTask.objects.bulk_create(
            BaselineTask(
                baseline=baseline,
                task_uid=t.uid,
                name=t.name,
                start=t.start,
                finish=t.finish,
                duration_minutes=t.duration_minutes,
            )
            for t in Task.objects.filter(project=project)
        )
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=project,
            before={},
            after={"baseline captured": name},
            comment=note,
        )
    return baseline


# --- whole-plan replacement (imports, templates, the demo) ----------------------------------------


@dataclass(frozen=True)
class TaskSpec:
    """One task of a plan being loaded in bulk; `parent_uid` and `links` refer to other specs' uids."""

    uid: int
    name: str
    duration_minutes: int = 480
    parent_uid: int | None = None
    links: tuple[tuple[int, str, int, bool], ...] = ()  # (predecessor uid, type, lag minutes, elapsed)
    constraint_type: str = "ASAP"
    constraint_date: dt.datetime | None = None
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    percent_complete: Decimal = Decimal("0")
    remaining_minutes: int | None = None
    notes: str = ""
    assignments: tuple[tuple[Person, Decimal], ...] = ()
    optimistic_minutes: int | None = None
    pessimistic_minutes: int | None = None


@dataclass(frozen=True)
class ReplaceResult:
    tasks: int
    links: int
    assignments: int


def plan_replace(
    *,
    actor: Any,
    project: Project,
    tasks: Sequence[TaskSpec],
    start: dt.datetime | None = None,
    status_date: dt.datetime | None = None,
    source: str = "",
) -> ReplaceResult:
    """Replace the project's whole plan in one transaction: every task is validated first, and any error
    (naming the task) leaves the existing plan untouched."""
    require(actor, "change", project)
    errors: dict[str, list[str]] = {}
    uids = [t.uid for t in tasks]
    known = set(uids)
    if len(known) != len(uids):
        duplicated = sorted({u for u in uids if uids.count(u) > 1})
        errors.setdefault("tasks", []).append(f"Task numbers used twice: {', '.join(map(str, duplicated))}.")
    for spec in tasks:
        where = f"Task {spec.uid} {spec.name!r}"
        if not spec.name.strip():
            errors.setdefault("tasks", []).append(f"Task {spec.uid} has no name.")
        if spec.parent_uid is not None and spec.parent_uid not in known:
            errors.setdefault("tasks", []).append(f"{where}: its summary task {spec.parent_uid} does not exist.")
        for predecessor, kind, _lag, _elapsed in spec.links:
            if predecessor not in known:
                errors.setdefault("tasks", []).append(f"{where}: predecessor {predecessor} does not exist.")
            if kind not in Dependency.Type.values:
                errors.setdefault("tasks", []).append(f"{where}: link type {kind!r} is not FS, SS, FF or SF.")
        if spec.constraint_type not in Task.ConstraintType.values:
            errors.setdefault("tasks", []).append(f"{where}: unknown constraint {spec.constraint_type!r}.")
        if not 0 <= spec.percent_complete <= 100:
            errors.setdefault("tasks", []).append(f"{where}: percent complete must be within 0 and 100.")
    if errors:
        raise ValidationFailed(errors, message=" ".join(errors["tasks"][:5]))
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(pk=plan_of(project).pk).get()
        Task.objects.filter(project=project).delete()
        rows = {
            spec.uid: Task(
                project=project,
                uid=spec.uid,
                position=position,
                name=spec.name[:255],
                duration_minutes=spec.duration_minutes,
                constraint_type=spec.constraint_type,
                constraint_date=spec.constraint_date if spec.constraint_type not in ("ASAP", "ALAP") else None,
                actual_start=spec.actual_start,
                actual_finish=spec.actual_finish,
                percent_complete=spec.percent_complete,
                remaining_minutes=spec.remaining_minutes,
                optimistic_minutes=spec.optimistic_minutes,
                pessimistic_minutes=spec.pessimistic_minutes,
                notes=spec.notes,
            )
            for position, spec in enumerate(tasks, start=1)
        }
        Task.objects.bulk_create(rows.values(), batch_size=500)
        for spec in tasks:
            if spec.parent_uid is not None:
                rows[spec.uid].parent = rows[spec.parent_uid]
        Task.objects.bulk_update([rows[s.uid] for s in tasks if s.parent_uid is not None], ["parent"], batch_size=500)
        links = [
            Dependency(
                predecessor=rows[predecessor],
                successor=rows[spec.uid],
                type=kind,
                lag_minutes=lag,
                lag_elapsed=elapsed,
            )
            for spec in tasks
            for predecessor, kind, lag, elapsed in spec.links
        ]
        Dependency.objects.bulk_create(links, batch_size=1000)
        assignments = [
            Assignment(task=rows[spec.uid], person=person, units=units)
            for spec in tasks
            for person, units in spec.assignments
        ]
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        plan.next_uid = max(uids, default=0) + 1
        if start is not None:
            plan.start = start
        if status_date is not None:
            plan.status_date = status_date
        plan.save()
        plan_schedule(project=project)
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=project,
            before={},
            after={"plan replaced": f"{len(tasks)} tasks, {len(links)} links, {len(assignments)} assignments"},
            comment=source,
        )
    return ReplaceResult(tasks=len(tasks), links=len(links), assignments=len(assignments))
