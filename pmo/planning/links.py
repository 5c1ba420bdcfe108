"""Cross-project links: a task of one project waiting for a deliverable (task or milestone) of another.

Creating or removing a link needs the right to change the consumer task (the waiting project's plan);
both are audited on the link.  A link that would close a loop through the projects' own links is
refused, naming the tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from pmo.core import audit
from pmo.core.access import can, require
from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.engine.errors import EngineError
from pmo.engine.schedule import Constraint, ConstraintType, critical_path
from pmo.planning import mappers
from pmo.planning.models import CrossProjectLink, Dependency, Task
from pmo.portfolio.models import Project


def link_ids(**side_filter: Any) -> set[int]:
    """Ids of the links whose provider or consumer task matches ``side_filter`` (lookups on the task, e.g.
    ``project_id__in=[...]``). Two plain joins, not one query with OR across two joined tables: PostgreSQL
    plans that OR badly when its statistics are stale (a fresh database), taking seconds on a few links."""
    provider = {f"provider__{k}": v for k, v in side_filter.items()}
    consumer = {f"consumer__{k}": v for k, v in side_filter.items()}
    return set(CrossProjectLink.objects.filter(**provider).values_list("pk", flat=True)) | set(
        CrossProjectLink.objects.filter(**consumer).values_list("pk", flat=True)
    )


def links_of(projects: Iterable[Project]) -> QuerySet[CrossProjectLink]:
    """The cross-project links whose provider or consumer belongs to one of the projects."""
    ids = [p.pk for p in projects]
    return (
        CrossProjectLink.objects.filter(pk__in=link_ids(project_id__in=ids))
        .prefetch_related("provider__project", "consumer__project")
        .order_by("consumer__project__code", "consumer__position", "provider__project__code")
    )


def _reaches(start: Task, goal: Task) -> list[Task] | None:
    """A path of links (own and cross-project) from `start` to `goal`, or None."""
    came_from: dict[int, int | None] = {start.pk: None}
    frontier = [start.pk]
    while frontier:
        ids = frontier
        frontier = []
        edges = list(Dependency.objects.filter(predecessor_id__in=ids).values_list("predecessor_id", "successor_id"))
        edges += list(CrossProjectLink.objects.filter(provider_id__in=ids).values_list("provider_id", "consumer_id"))
        for a, b in edges:
            if b in came_from:
                continue
            came_from[b] = a
            if b == goal.pk:
                path = [b]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])  # type: ignore[arg-type]
                names = {t.pk: t for t in Task.objects.filter(pk__in=path).select_related("project")}
                return [names[pk] for pk in reversed(path)]
            frontier.append(b)
    return None


def _label(task: Task) -> str:
    return f"{task.project.code} {task.uid} {task.name}"


def cross_link_create(
    *, actor: Any, provider: Task, consumer: Task, date_needed: dt.date | None = None, note: str = ""
) -> CrossProjectLink:
    """Make `consumer` wait for `provider` (finish-to-start) across two projects."""
    require(actor, "change", consumer)
    errors: dict[str, str] = {}
    if provider.project_id == consumer.project_id:
        errors["provider"] = "Both tasks are in the same project: link them in its plan instead."
    elif provider.is_summary or consumer.is_summary:
        errors["provider" if provider.is_summary else "consumer"] = "Link work tasks or milestones, not summaries."
    elif CrossProjectLink.objects.filter(provider=provider, consumer=consumer).exists():
        errors["provider"] = f"{_label(consumer)} already waits for {_label(provider)}."
    else:
        loop = _reaches(consumer, provider)
        if loop:
            errors["provider"] = (
                "This link would make a loop: " + " -> ".join(_label(t) for t in [*loop, consumer]) + "."
            )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        link = CrossProjectLink.objects.create(
            provider=provider, consumer=consumer, date_needed=date_needed, note=note.strip()
        )
        audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=link, before={}, after=audit.snapshot(link))
        cross_links_follow(project=consumer.project)
    link.refresh_from_db()
    return link


def provider_task(*, actor: Any, project_code: str, uid: int | str) -> Task:
    """The deliverable named by its project's code and its task number, or ValidationFailed naming the field."""
    project = Project.objects.filter(code=str(project_code).strip()).first()
    if project is None or not can(actor, "view", project):
        raise ValidationFailed({"provider_project": f"No project {project_code}."})
    try:
        number = int(uid)
    except (TypeError, ValueError):
        raise ValidationFailed({"provider_uid": "Give the number of the task in that project."}) from None
    task = Task.objects.filter(project=project, uid=number).select_related("project").first()
    if task is None:
        raise ValidationFailed({"provider_uid": f"No task {number} in {project.code}."})
    return task


def cross_link_delete(*, actor: Any, link: CrossProjectLink) -> None:
    """Remove a cross-project link, audited."""
    require(actor, "change", link.consumer)
    with transaction.atomic():
        before = audit.snapshot(link)
        audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=link, before=before, after={})
        link.delete()


# --- following the links: forecast against the date needed ------------------------------------------


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else timezone.localtime(value).date()


def date_needed(link: CrossProjectLink) -> dt.date | None:
    """The date the consumer needs the deliverable: the one agreed on the link, else the consumer task's start."""
    return link.date_needed or _local_date(link.consumer.start)


def _finish_impact(project: Project, waits: Iterable[tuple[Task, dt.datetime]]) -> Decimal:
    """Working days the project's finish moves when each task in `waits` cannot start before its datetime
    (a "start no earlier than" added to tasks not started yet, through the project's own schedule)."""
    from pmo.planning.services import _task_calendars, plan_of

    loaded = mappers.load_plan(plan_of(project))
    if not loaded.tasks:
        return Decimal(0)
    network = mappers.network_of(loaded, _task_calendars(loaded.tasks))
    earliest = {}
    for task, when in waits:
        if task.actual_start is None:
            local = mappers.to_local(when)
            uid = str(task.uid)
            earliest[uid] = max(earliest.get(uid, local), local)  # type: ignore[type-var]
    if not earliest:
        return Decimal(0)
    tasks = []
    for t in network.tasks:
        when = earliest.get(t.id)
        kind = t.constraint.type if t.constraint else ConstraintType.ASAP
        if when is not None and kind in (ConstraintType.ASAP, ConstraintType.SNET):
            if t.constraint and t.constraint.date and t.constraint.date > when:
                when = t.constraint.date
            t = replace(t, constraint=Constraint(ConstraintType.SNET, when))
        tasks.append(t)
    try:
        before = critical_path(network).finish
        after = critical_path(replace(network, tasks=tuple(tasks))).finish
    except EngineError:
        return Decimal(0)
    if after <= before:
        return Decimal(0)
    minutes = network.calendar.working_minutes_between(before, after)
    per_day = network.calendar.days_to_minutes(1) or 480
    return Decimal(minutes / per_day).quantize(Decimal("0.1"))


def _managers(*projects: Project) -> list[Any]:
    return [p.manager.user for p in projects if p.manager_id and p.manager.user_id]


def cross_links_follow(*, project: Project) -> list[CrossProjectLink]:
    """Re-judge every cross-project link of `project` (as provider or consumer) after its schedule moved:
    the provider's forecast finish against the date needed, how late, and how far the consumer's finish
    would move if it waits. A link that turns late notifies both projects' managers; the consumer's
    deviation (metric "late deliverables of other projects") is raised, updated or closed. Returns the
    links whose lateness changed."""
    from pmo.changes.services import deviations_check, notify
    from pmo.core.access import SYSTEM

    rows = list(
        # Prefetched (one single-table query per level), not joined: a seven-table join was planned as a
        # cross product on a fresh PostgreSQL whose statistics are not yet gathered (minutes in CI).
        CrossProjectLink.objects.filter(pk__in=link_ids(project_id=project.pk)).prefetch_related(
            "provider__project__manager__user", "consumer__project__manager__user"
        )
    )
    if not rows:
        return []
    now = timezone.now()
    changed: list[CrossProjectLink] = []
    consumers: dict[int, Project] = {}
    touched: set[int] = set()  # consumers whose lateness moved: their deviation is judged again
    for link in rows:
        forecast = _local_date(link.provider.actual_finish or link.provider.finish)
        needed = date_needed(link)
        late = max(0, (forecast - needed).days) if forecast and needed else 0
        was_late = link.late_days > 0
        if late != link.late_days:
            touched.add(link.consumer.project_id)
        link.forecast_date, link.late_days, link.checked_at = forecast, late, now
        if late and not was_late:
            link.late_since = now
            changed.append(link)
            provider, consumer = link.provider.project, link.consumer.project
            notify(
                users=_managers(provider, consumer),
                message=(
                    f"{consumer.code} waits for {provider.code} {link.provider.name}: forecast {forecast:%d %b %Y}, "
                    f"{late} day(s) after the {needed:%d %b %Y} it is needed for {link.consumer.name}."
                ),
                url=reverse("plan", args=[consumer.pk]),
                kind="dependency",
            )
        elif not late and was_late:
            link.late_since = None
            changed.append(link)
        consumers[link.consumer.project_id] = link.consumer.project
    for consumer_project in consumers.values():
        late_links = [link for link in rows if link.consumer.project_id == consumer_project.pk and link.late_days]
        for link in [link for link in rows if link.consumer.project_id == consumer_project.pk]:
            provider_finish = link.provider.actual_finish or link.provider.finish
            link.impact_days = (
                _finish_impact(consumer_project, [(link.consumer, provider_finish)])
                if link in late_links and provider_finish is not None
                else Decimal(0)
            )
    CrossProjectLink.objects.bulk_update(
        rows, ["forecast_date", "late_days", "impact_days", "late_since", "checked_at"]
    )
    touched = {link.consumer.project_id for link in changed}
    if touched:
        deviations_check(actor=SYSTEM, projects=[consumers[pk] for pk in sorted(touched)])
    return changed


def consumer_impact(project: Project) -> Decimal:
    """Working days the project's finish moves if it waits for every late deliverable it depends on."""
    waits = [
        (link.consumer, link.provider.actual_finish or link.provider.finish)
        for link in CrossProjectLink.objects.filter(consumer__project=project, late_days__gt=0).select_related(
            "consumer", "provider"
        )
        if (link.provider.actual_finish or link.provider.finish) is not None
    ]
    return _finish_impact(project, waits) if waits else Decimal(0)
