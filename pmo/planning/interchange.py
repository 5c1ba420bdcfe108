"""Plans in and out of project files: Microsoft Project XML (MSPDI) both ways; .mpp, Primavera .xer and
PMXML in, through MPXJ when the `mpp` extra is installed.

An import replaces the project's plan in one transaction — tasks, outline, links, constraints, progress,
the file's project calendar, people's assignments and the file's baselines — or, on any error, changes
nothing and says which task or line is wrong."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import EngineError
from pmo.engine.formats.mspdi import read_mspdi, write_mspdi
from pmo.engine.plan import PlanAssignment, PlanBaseline, PlanDependency, PlanResource, PlanTask, ProjectPlan
from pmo.engine.schedule import Constraint
from pmo.planning import mappers, selectors, services
from pmo.planning.models import Assignment, Baseline, BaselineTask, CalendarException, Task, WorkCalendar
from pmo.portfolio.models import Project
from pmo.resources import services as resource_services
from pmo.resources.models import Person

FORMATS_BY_EXTENSION = {".xml": "mspdi", ".mpp": "mpp", ".mpx": "mpp", ".xer": "xer", ".pmxml": "pmxml"}


# --- export --------------------------------------------------------------------------------------


def project_plan(project: Project) -> ProjectPlan:
    """The project's plan as the engine's neutral model (what the MSPDI writer takes)."""
    plan = services.plan_of(project)
    calendar = mappers.engine_calendar(plan.calendar)
    rows = selectors.task_rows(project, calendar.minutes_per_day, calendar)
    uid_of = {r.task.pk: str(r.task.uid) for r in rows}
    tasks = []
    for row in rows:
        t = row.task
        constraint = None
        if t.constraint_type != Task.ConstraintType.ASAP:
            constraint = Constraint(t.constraint_type, mappers.to_local(t.constraint_date))
        tasks.append(
            PlanTask(
                uid=str(t.uid),
                name=t.name,
                wbs=row.wbs,
                outline_level=row.level + 1,
                parent_uid=uid_of.get(t.parent_id) if t.parent_id else None,
                duration_minutes=t.duration_minutes,
                is_milestone=t.duration_minutes == 0 and not t.is_summary,
                is_summary=t.is_summary,
                constraint=constraint,
                start=mappers.to_local(t.start),
                finish=mappers.to_local(t.finish),
                actual_start=mappers.to_local(t.actual_start),
                actual_finish=mappers.to_local(t.actual_finish),
                percent_complete=float(t.percent_complete),
                remaining_minutes=t.remaining_minutes,
                notes=t.notes or None,
            )
        )
    dependencies = [
        PlanDependency(
            uid_of[link.predecessor_id], uid_of[link.successor_id], link.type, link.lag_minutes, link.lag_elapsed
        )
        for row in rows
        for link in row.links
        if link.predecessor_id in uid_of
    ]
    assignments = list(Assignment.objects.filter(task__project=project).select_related("person"))
    people = {a.person_id: a.person for a in assignments}
    durations = {r.task.pk: r.task.duration_minutes for r in rows}
    baselines = []
    for number, baseline in enumerate(Baseline.objects.filter(project=project).order_by("-captured_at")[:11]):
        baselines += [
            PlanBaseline(
                task_uid=str(bt.task_uid),
                number=number,
                start=mappers.to_local(bt.start),
                finish=mappers.to_local(bt.finish),
                duration_minutes=bt.duration_minutes,
            )
            for bt in baseline.tasks.all()
            if str(bt.task_uid) in uid_of.values()
        ]
    return ProjectPlan(
        name=project.name,
        start=mappers.to_local(plan.start or plan.scheduled_start),
        finish=mappers.to_local(plan.finish) if plan.direction == "backward" else None,
        status_date=mappers.to_local(plan.status_date),
        calendar=calendar,
        tasks=tuple(tasks),
        dependencies=tuple(dependencies),
        resources=tuple(PlanResource(uid=str(p.pk), name=p.name) for p in people.values()),
        assignments=tuple(
            PlanAssignment(
                task_uid=uid_of[a.task_id],
                resource_uid=str(a.person_id),
                units=float(a.units),
                work_minutes=round(durations[a.task_id] * float(a.units)),
            )
            for a in assignments
        ),
        baselines=tuple(baselines),
        schedule_from_start=plan.direction != "backward",
        source="pmo",
    )


def export_mspdi(project: Project) -> bytes:
    """The plan as a Microsoft Project XML document."""
    return write_mspdi(project_plan(project))


# --- import --------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    tasks: int
    links: int
    assignments: int
    people_created: list[str] = field(default_factory=list)
    resources_skipped: list[str] = field(default_factory=list)
    baselines: int = 0


def read_plan(*, filename: str, content: bytes, file_format: str | None = None) -> ProjectPlan:
    """Read a project file; any problem raises ValidationFailed on the field 'file' naming the task or line."""
    fmt = file_format or FORMATS_BY_EXTENSION.get(Path(filename).suffix.lower())
    if fmt is None:
        raise ValidationFailed(
            {"file": f"{filename}: unknown file type; use Microsoft Project XML (.xml), .mpp, .xer or .pmxml."}
        )
    try:
        if fmt == "mspdi":
            return read_mspdi(content, name=filename)
        from pmo.engine.formats.mpxj_reader import read_with_mpxj

        with tempfile.TemporaryDirectory(prefix="pmo-import-") as folder:
            path = Path(folder) / Path(filename).name
            path.write_bytes(content)
            return read_with_mpxj(path, name=filename)
    except EngineError as error:
        raise ValidationFailed({"file": str(error)}, message=str(error)) from error


_MAX_MINUTES = 100 * 366 * 1440  # durations and lags beyond a hundred years are damage, and overflow the columns
_MAX_UNITS = 999.99  # Assignment.units: max_digits=5, decimal_places=2


def _check_sizes(source: ProjectPlan, filename: str) -> None:
    """Refuse values that no plan holds and that the database columns cannot store (a file's damage)."""
    problems: list[str] = []
    for t in source.tasks:
        for what, minutes in (("duration", t.duration_minutes), ("remaining duration", t.remaining_minutes)):
            if minutes is not None and abs(minutes) > _MAX_MINUTES:
                problems.append(f"task {t.uid} {t.name!r}: {what} of {minutes} minutes is beyond 100 years")
    for d in source.dependencies:
        if abs(d.lag_minutes) > _MAX_MINUTES:
            problems.append(
                f"link {d.predecessor_uid} -> {d.successor_uid}: lag of {d.lag_minutes} minutes is beyond 100 years"
            )
    for b in source.baselines:
        if b.duration_minutes is not None and abs(b.duration_minutes) > _MAX_MINUTES:
            problems.append(f"baseline {b.number} of task {b.task_uid}: duration beyond 100 years")
    for a in source.assignments:
        if not 0 <= a.units <= _MAX_UNITS:
            problems.append(
                f"assignment of resource {a.resource_uid} to task {a.task_uid}: units {a.units:g} not within 0..999.99"
            )
    if problems:
        message = f"{filename}: " + "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        raise ValidationFailed({"file": message}, message=message)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return mappers.to_aware(value)


def _task_uids(plan: ProjectPlan) -> dict[str, int]:
    """Task numbers for pmo: the file's own UIDs where they are whole numbers that fit a task number (ASCII
    digits, 1 .. 2**31 - 1), else 1, 2, 3… in file order."""
    if all(t.uid.isascii() and t.uid.isdigit() and 0 < int(t.uid) < 2**31 for t in plan.tasks):
        return {t.uid: int(t.uid) for t in plan.tasks}
    return {t.uid: index for index, t in enumerate(plan.tasks, start=1)}


def _calendar_for(project: Project, calendar: WorkingCalendar) -> WorkCalendar:
    """A stored copy of the file's project calendar, named after the project."""
    name = f"{project.code} calendar"
    stored, _ = WorkCalendar.objects.update_or_create(
        name=name,
        defaults={
            "week": [[list(i) for i in day] for day in calendar.week],
            "minutes_per_day": calendar.minutes_per_day,
        },
    )
    stored.exceptions.all().delete()
    CalendarException.objects.bulk_create(
        CalendarException(
            calendar=stored,
            name=e.name[:100],
            start=e.start,
            finish=e.finish or e.start,
            intervals=[list(i) for i in e.intervals],
        )
        for e in calendar.exceptions
    )
    return stored


def plan_import(
    *, actor: Any, project: Project, filename: str, content: bytes, file_format: str | None = None
) -> ImportResult:
    """Replace the project's plan with the file's, all or nothing."""
    source = read_plan(filename=filename, content=content, file_format=file_format)
    _check_sizes(source, filename)
    uids = _task_uids(source)
    people = {p.name.lower(): p for p in Person.objects.filter(active=True)}
    resources = {r.uid: r for r in source.resources if r.type == "work"}
    result = ImportResult(tasks=0, links=0, assignments=0)
    with transaction.atomic():
        person_of: dict[str, Person] = {}
        for resource in resources.values():
            name = resource.name.strip()
            if not name:
                continue
            person = people.get(name.lower())
            if person is None and can(actor, "add", Person):
                person = resource_services.person_create(actor=actor, name=name[:200])
                people[name.lower()] = person
                result.people_created.append(name)
            if person is None:
                result.resources_skipped.append(name)
            else:
                person_of[resource.uid] = person
        links: dict[str, list[tuple[int, str, int, bool]]] = {}
        for d in source.dependencies:
            links.setdefault(d.successor_uid, []).append(
                (uids[d.predecessor_uid], str(d.type), d.lag_minutes, d.lag_is_elapsed)
            )
        assigned: dict[str, list[tuple[Person, Decimal]]] = {}
        for a in source.assignments:
            person = person_of.get(a.resource_uid)
            if (
                person is not None
                and a.task_uid in uids
                and not any(p == person for p, _ in assigned.get(a.task_uid, []))
            ):
                assigned.setdefault(a.task_uid, []).append((person, Decimal(str(round(a.units, 2))) or Decimal("1")))
        specs = []
        for t in source.tasks:
            constraint_type, constraint_date = "ASAP", None
            if t.constraint is not None:
                constraint_type, constraint_date = str(t.constraint.type), _aware(t.constraint.date)
            specs.append(
                services.TaskSpec(
                    uid=uids[t.uid],
                    name=(t.name or f"Task {t.uid}")[:255],
                    duration_minutes=t.duration_minutes,
                    parent_uid=uids[t.parent_uid] if t.parent_uid else None,
                    links=tuple(links.get(t.uid, ())),
                    constraint_type=constraint_type,
                    constraint_date=constraint_date,
                    actual_start=_aware(t.actual_start),
                    actual_finish=_aware(t.actual_finish),
                    percent_complete=Decimal(str(round(t.percent_complete, 2))),
                    remaining_minutes=t.remaining_minutes,
                    notes=t.notes or "",
                    assignments=tuple(assigned.get(t.uid, ())),
                )
            )
        plan = services.plan_of(project)
        plan.calendar = _calendar_for(project, source.calendar)
        plan.direction = "forward" if source.schedule_from_start or source.finish is None else "backward"
        plan.finish = _aware(source.finish) if plan.direction == "backward" else plan.finish
        plan.save(update_fields=["calendar", "direction", "finish"])
        replaced = services.plan_replace(
            actor=actor,
            project=project,
            tasks=specs,
            start=_aware(source.start),
            status_date=_aware(source.status_date),
            source=f"imported from {filename}",
        )
        result.tasks, result.links, result.assignments = replaced.tasks, replaced.links, replaced.assignments
        result.baselines = _import_baselines(project, source.baselines, uids, filename, actor)
    return result


def _import_baselines(
    project: Project, baselines: tuple[PlanBaseline, ...], uids: dict[str, int], filename: str, actor: Any
) -> int:
    by_number: dict[int, list[PlanBaseline]] = {}
    for b in baselines:
        if b.task_uid in uids and (b.start or b.finish):
            by_number.setdefault(b.number, []).append(b)
    names = {t.uid: t.name for t in Task.objects.filter(project=project)}
    for number, rows in sorted(by_number.items()):
        label = f"{Path(filename).stem} baseline {number}"[:100]
        Baseline.objects.filter(project=project, name=label).delete()
        starts = [_aware(r.start) for r in rows if r.start]
        finishes = [_aware(r.finish) for r in rows if r.finish]
        baseline = Baseline.objects.create(
            project=project,
            name=label,
            note=f"Baseline {number} of {filename}",
            captured_by=actor if getattr(actor, "pk", None) else None,
            start=min(starts) if starts else None,
            finish=max(finishes) if finishes else None,
        )
        BaselineTask.objects.bulk_create(
            BaselineTask(
                baseline=baseline,
                task_uid=uids[r.task_uid],
                name=names.get(uids[r.task_uid], ""),
                start=_aware(r.start),
                finish=_aware(r.finish),
                duration_minutes=r.duration_minutes or 0,
            )
            for r in rows
        )
    return len(by_number)


def project_create_from_file(
    *,
    actor: Any,
    portfolio: Any,
    code: str,
    filename: str,
    content: bytes,
    name: str = "",
    file_format: str | None = None,
) -> tuple[Project, ImportResult]:
    """A new project in `portfolio` whose plan is the file's, all or nothing. It starts in planning when the
    actor may approve projects there, else as a proposal."""
    from pmo.core.access import person_id_of
    from pmo.portfolio import services as portfolio_services

    source = read_plan(filename=filename, content=content, file_format=file_format)
    manager_id = person_id_of(actor)
    manager = Person.objects.filter(pk=manager_id).first() if manager_id else None
    state = "planning" if can(actor, "approve", Project(portfolio=portfolio, manager=manager)) else "proposed"
    with transaction.atomic():
        project = portfolio_services.project_create(
            actor=actor,
            state=state,
            code=code,
            name=(name or source.name or Path(filename).stem)[:200],
            portfolio=portfolio,
            manager=manager,
            planned_start=source.start.date() if source.start else None,
        )
        result = plan_import(actor=actor, project=project, filename=filename, content=content, file_format=file_format)
        plan = services.plan_of(project)
        if plan.scheduled_finish:
            portfolio_services.project_update(
                actor=actor, project=project, planned_finish=timezone.localdate(plan.scheduled_finish)
            )
    return project, result
