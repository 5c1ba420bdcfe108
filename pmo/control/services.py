"""Writes of monitoring and control: one function per use case, permission-checked first, audited in the
same transaction. A refused or invalid call writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from pmo.control import mappers, selectors
from pmo.control.importing import parse_cost_file
from pmo.control.models import (
    ControlSettings,
    CostCategory,
    CostEntry,
    CostRate,
    EvmSnapshot,
    ProgressMethod,
    TaskBudget,
    TimeEntry,
    Timesheet,
)
from pmo.core import audit
from pmo.core.access import person_id_of, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.services import record_create, record_delete, record_update, validate_instance
from pmo.engine import evm
from pmo.engine.errors import EngineError
from pmo.planning.models import Assignment, Task
from pmo.portfolio.models import Project
from pmo.resources.models import Person

HOURS_PER_DAY_MAX = Decimal(24)
EDITABLE = (Timesheet.State.DRAFT, Timesheet.State.RETURNED)


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


# --- settings, budgets, rates ---------------------------------------------------------------------


def settings_of(project: Project) -> ControlSettings:
    """The project's control settings (unsaved defaults until someone changes them)."""
    found = ControlSettings.objects.filter(project=project).first()
    return found if found is not None else ControlSettings(project=project)


def control_settings_update(*, actor: Any, project: Project, progress_method: str) -> ControlSettings:
    """Choose how the project measures progress."""
    if progress_method not in ProgressMethod.values:
        raise ValidationFailed({"progress_method": f"Use one of: {', '.join(ProgressMethod.values)}."})
    current = settings_of(project)
    if current.pk is None:
        return record_create(
            actor=actor,
            model=ControlSettings,
            fields={"project": project, "progress_method": progress_method},
            allowed=("project", "progress_method"),
        )
    return record_update(
        actor=actor, obj=current, changes={"progress_method": progress_method}, allowed=("progress_method",)
    )


def task_budget_set(
    *,
    actor: Any,
    task: Task,
    budget: Decimal | None = None,
    physical_percent: Decimal | None = None,
    weight: Decimal | None = None,
) -> TaskBudget:
    """Set a task's budget, physical % complete and milestone weight (None clears a value)."""
    fields = {"budget": budget, "physical_percent": physical_percent, "weight": weight}
    current = TaskBudget.objects.filter(task=task).first()
    if current is None:
        return record_create(actor=actor, model=TaskBudget, fields={"task": task, **fields}, allowed=("task", *fields))
    return record_update(actor=actor, obj=current, changes=fields, allowed=tuple(fields))


def cost_rate_set(*, actor: Any, person: Person, rate_per_hour: Decimal) -> CostRate:
    """Set what an hour of the person's work costs."""
    current = CostRate.objects.filter(person=person).first()
    if current is None:
        return record_create(
            actor=actor,
            model=CostRate,
            fields={"person": person, "rate_per_hour": rate_per_hour},
            allowed=("person", "rate_per_hour"),
        )
    return record_update(actor=actor, obj=current, changes={"rate_per_hour": rate_per_hour}, allowed=("rate_per_hour",))


# --- timesheets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursRow:
    task_id: int
    day: dt.date
    hours: Decimal


def _sheet_snapshot(sheet: Timesheet) -> audit.Snapshot:
    data = audit.snapshot(sheet)
    data["hours"] = str(sum((e.hours for e in sheet.entries.all()), Decimal(0)))
    return data


def timesheet_save(*, actor: Any, person: Person, week_start: dt.date, rows: Sequence[HoursRow]) -> list[Timesheet]:
    """Save a person's weekly grid: the hours of each (task, day) given; 0 clears a cell. Tasks must be
    assigned to the person; a week already submitted or approved for a project cannot change."""
    if week_start.weekday() != 0:
        raise ValidationFailed({"week_start": "A week starts on a Monday."})
    days = {week_start + dt.timedelta(days=i) for i in range(7)}
    tasks = {
        t.pk: t
        for t in Task.objects.filter(pk__in={r.task_id for r in rows}).select_related("project", "project__manager")
    }
    assigned = set(Assignment.objects.filter(person=person, task_id__in=list(tasks)).values_list("task_id", flat=True))
    errors: dict[str, list[str]] = {}
    per_day: dict[dt.date, Decimal] = {}
    seen: set[tuple[int, dt.date]] = set()
    for i, r in enumerate(rows, start=1):
        where = f"entries[{i}]"
        task = tasks.get(r.task_id)
        if task is None:
            errors.setdefault(f"{where}.task_id", []).append(f"No task with id {r.task_id}.")
            continue
        if r.task_id not in assigned:
            errors.setdefault(f"{where}.task_id", []).append(f"{person} is not assigned to task {task}.")
        if task.is_summary:
            errors.setdefault(f"{where}.task_id", []).append(f"{task} is a summary task; log time on its subtasks.")
        if r.day not in days:
            errors.setdefault(f"{where}.day", []).append(f"{r.day} is not in the week of {week_start}.")
        if r.hours < 0 or r.hours > HOURS_PER_DAY_MAX:
            errors.setdefault(f"{where}.hours", []).append("Between 0 and 24 hours.")
        if (r.task_id, r.day) in seen:
            errors.setdefault(f"{where}.day", []).append("This task and day is given twice.")
        seen.add((r.task_id, r.day))
        per_day[r.day] = per_day.get(r.day, Decimal(0)) + max(r.hours, Decimal(0))
    if errors:
        raise ValidationFailed(errors)
    by_project: dict[int, list[HoursRow]] = {}
    for r in rows:
        by_project.setdefault(tasks[r.task_id].project_id, []).append(r)
    sheets: list[Timesheet] = []
    with transaction.atomic():
        existing = {
            s.project_id: s for s in Timesheet.objects.select_for_update().filter(person=person, week_start=week_start)
        }
        # Hours already stored for other projects count towards the 24 hours of a day.
        for entry in TimeEntry.objects.filter(timesheet__person=person, timesheet__week_start=week_start).exclude(
            timesheet__project_id__in=list(by_project)
        ):
            per_day[entry.day] = per_day.get(entry.day, Decimal(0)) + entry.hours
        too_long = sorted(day for day, total in per_day.items() if total > HOURS_PER_DAY_MAX)
        if too_long:
            raise ValidationFailed({"hours": f"More than 24 hours on {', '.join(map(str, too_long))}."})
        for project_id, project_rows in by_project.items():
            project = tasks[project_rows[0].task_id].project
            sheet = existing.get(project_id)
            if sheet is None:
                sheet = Timesheet(person=person, project=project, week_start=week_start)
                require(actor, "add", sheet)
                validate_instance(sheet)
                sheet.save()
                before = None
            else:
                if sheet.state not in EDITABLE and sheet.person_id == person_id_of(actor):
                    state = sheet.get_state_display().lower()
                    raise ValidationFailed(
                        {"week_start": f"Your hours on {project.code} this week are {state} and can no longer change."}
                    )
                require(actor, "change", sheet)
                before = _sheet_snapshot(sheet)
            for r in project_rows:
                if r.hours == 0:
                    TimeEntry.objects.filter(timesheet=sheet, task_id=r.task_id, day=r.day).delete()
                else:
                    TimeEntry.objects.update_or_create(
                        timesheet=sheet, task_id=r.task_id, day=r.day, defaults={"hours": r.hours}
                    )
            if before is not None:
                Timesheet.objects.filter(pk=sheet.pk).update(version=sheet.version + 1, updated_at=timezone.now())
                sheet.refresh_from_db()
            audit.record(
                actor=actor,
                action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
                obj=sheet,
                before=before,
                after=_sheet_snapshot(sheet),
            )
            sheets.append(sheet)
    return sheets


def _decide(actor: Any, sheet: Timesheet, action: str, to_state: str, comment: str) -> Timesheet:
    before = _sheet_snapshot(sheet)
    sheet.state = to_state
    sheet.comment = comment
    now = timezone.now()
    if to_state == Timesheet.State.SUBMITTED:
        sheet.submitted_at = now
    else:
        sheet.decided_at = now
        sheet.decided_by = actor if getattr(actor, "pk", None) else None
    sheet.version += 1
    sheet.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=sheet,
        before=before,
        after=_sheet_snapshot(sheet),
        comment=comment,
    )
    return sheet


def timesheet_submit(*, actor: Any, person: Person, week_start: dt.date) -> list[Timesheet]:
    """Submit the person's week: every draft or returned sheet with hours goes to its project manager."""
    sheets = [
        s
        for s in Timesheet.objects.filter(person=person, week_start=week_start, state__in=EDITABLE).select_related(
            "project"
        )
        if s.entries.exists()
    ]
    if not sheets:
        raise ValidationFailed({"week_start": "There are no hours to submit in this week."})
    for sheet in sheets:
        require(actor, "submit", sheet)
    with transaction.atomic():
        return [_decide(actor, s, "submit", Timesheet.State.SUBMITTED, "") for s in sheets]


def _locked(sheet: Timesheet) -> Timesheet:
    locked = Timesheet.objects.select_for_update().select_related("project", "person").get(pk=sheet.pk)
    if locked.state != Timesheet.State.SUBMITTED:
        raise Conflict(f"The timesheet {locked} is {locked.get_state_display().lower()}, not submitted.")
    return locked


def timesheet_approve(*, actor: Any, timesheet: Timesheet, comment: str = "") -> Timesheet:
    """Approve a submitted sheet: its hours become the tasks' actual work and labour cost
    (hours x the person's cost rate, one cost entry per task and day)."""
    require(actor, "approve", timesheet)
    with transaction.atomic():
        sheet = _locked(timesheet)
        rate = CostRate.objects.filter(person=sheet.person).values_list("rate_per_hour", flat=True).first()
        if rate is None:
            raise ValidationFailed(
                {"cost_rate": f"{sheet.person} has no cost rate; set one before approving their hours."}
            )
        _decide(actor, sheet, "approve", Timesheet.State.APPROVED, comment)
        CostEntry.objects.bulk_create(
            CostEntry(
                project=sheet.project,
                task=e.task,
                date=e.day,
                category=CostCategory.LABOUR,
                amount=(e.hours * rate).quantize(mappers.CENT),
                hours=e.hours,
                description=f"{sheet.person}: {e.hours} h on {e.task.name}"[:255],
                source=CostEntry.Source.TIMESHEET,
                timesheet=sheet,
            )
            for e in sheet.entries.select_related("task")
        )
    timesheet.refresh_from_db()
    return timesheet


def timesheet_return(*, actor: Any, timesheet: Timesheet, comment: str) -> Timesheet:
    """Send a submitted sheet back to its author with a comment saying what to fix."""
    require(actor, "approve", timesheet)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed({"comment": "Say what should be corrected."})
    with transaction.atomic():
        sheet = _locked(timesheet)
        _decide(actor, sheet, "return", Timesheet.State.RETURNED, comment)
    timesheet.refresh_from_db()
    return timesheet


# --- actual costs ---------------------------------------------------------------------------------

COST_FIELDS = ("project", "task", "date", "category", "amount", "description", "source")


def cost_entry_create(
    *,
    actor: Any,
    project: Project,
    date: dt.date,
    category: str,
    amount: Decimal,
    description: str = "",
    task: Task | None = None,
) -> CostEntry:
    """Record an expense of the project (not labour: that comes from approved timesheets)."""
    if category == CostCategory.LABOUR:
        raise ValidationFailed({"category": "Labour comes from approved timesheets; choose another category."})
    if task is not None and task.project_id != project.pk:
        raise ValidationFailed({"task": f"Task {task} is not in project {project.code}."})
    return record_create(
        actor=actor,
        model=CostEntry,
        fields={
            "project": project,
            "task": task,
            "date": date,
            "category": category,
            "amount": amount,
            "description": description,
            "source": CostEntry.Source.MANUAL,
        },
        allowed=COST_FIELDS,
    )


def cost_entry_delete(*, actor: Any, entry: CostEntry) -> None:
    if entry.source == CostEntry.Source.TIMESHEET:
        raise Conflict("Labour from an approved timesheet cannot be deleted here.")
    record_delete(actor=actor, obj=entry)


def cost_entries_import(*, actor: Any, project: Project, filename: str, content: bytes) -> list[CostEntry]:
    """Import expenses from a CSV or Excel file (columns date, category, amount, description, task):
    all rows or none; every bad row is named by its row number and field."""
    require(actor, "add", CostEntry(project=project))
    tasks = {t.uid: t for t in Task.objects.filter(project=project)}
    parsed = parse_cost_file(filename, content, task_uids=set(tasks))
    entries = [
        CostEntry(
            project=project,
            task=tasks.get(row.task_uid) if row.task_uid else None,
            date=row.date,
            category=row.category,
            amount=row.amount,
            description=row.description,
            source=CostEntry.Source.IMPORT,
        )
        for row in parsed
    ]
    with transaction.atomic():
        created = CostEntry.objects.bulk_create(entries)
        total = sum((e.amount for e in created), Decimal(0))
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=project,
            before={},
            after={"costs imported": f"{len(created)} rows, {total} from {filename}"},
        )
    return created


# --- earned value ---------------------------------------------------------------------------------


def actual_cost_until(project: Project, day: dt.date) -> Decimal:
    from django.db.models import Sum

    total = CostEntry.objects.filter(project=project, date__lte=day).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def evm_analyse(
    project: Project, status_date: dt.date, *, ev: float | None = None, ac: float | None = None
) -> tuple[evm.PeriodMetrics, mappers.LoadedBaseline]:
    """The engine's figures of the project at the status date (EV from current progress, AC from the
    costs up to that date, unless given)."""
    loaded = mappers.load_baseline(project)
    method = settings_of(project).progress_method
    activity_ev: dict[str, float] | None = None
    if ev is None:
        ev, activity_ev = mappers.earned_value(project, loaded, method)
    if ac is None:
        ac = float(actual_cost_until(project, status_date))
    point = evm.StatusPoint(mappers.status_instant(status_date), ev=ev, ac=ac, activity_ev=activity_ev or None)
    try:
        # The forecast learns from the closed projects (the same portfolio's when it has enough of them).
        metrics = evm.analyse(
            loaded.curve,
            [point],
            history=selectors.reference_history(excluding=project),
            sector=project.portfolio.code,
            min_projects=django_settings.PMO_REFERENCE_CLASS_MIN_PROJECTS,
        )
        return metrics[0], loaded
    except EngineError as error:
        raise ValidationFailed({"baseline": str(error)}) from error


def evm_snapshot_take(
    *, actor: Any, project: Project, status_date: dt.date, ev: float | None = None, ac: float | None = None
) -> EvmSnapshot:
    """Store the project's EVM figures at the status date; taking it again the same date replaces it."""
    require(actor, "add", EvmSnapshot(project=project))
    metrics, loaded = evm_analyse(project, status_date, ev=ev, ac=ac)
    fields = mappers.snapshot_fields(metrics, loaded)
    with transaction.atomic():
        snapshot, _created = EvmSnapshot.objects.update_or_create(
            project=project,
            status_date=status_date,
            defaults={**fields, "taken_by": actor if getattr(actor, "pk", None) else None},
        )
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=project,
            before={},
            after={
                "EVM snapshot": f"{status_date}: SPI {_fmt(metrics.spi)}, CPI {_fmt(metrics.cpi)}, "
                f"SPI(t) {_fmt(metrics.spi_t)}"
            },
        )
    return snapshot


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
