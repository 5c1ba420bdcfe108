"""Cross-project links: a task of one project waiting for a deliverable (task or milestone) of another.

Creating or removing a link needs the right to change the consumer task (the waiting project's plan);
both are audited on the link.  A link that would close a loop through the projects' own links is
refused, naming the tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from pmo.core import audit
from pmo.core.access import require
from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.planning.models import CrossProjectLink, Dependency, Task
from pmo.portfolio.models import Project


def links_of(projects: Iterable[Project]) -> QuerySet[CrossProjectLink]:
    """The cross-project links whose provider or consumer belongs to one of the projects."""
    ids = [p.pk for p in projects]
    return (
        CrossProjectLink.objects.filter(Q(consumer__project_id__in=ids) | Q(provider__project_id__in=ids))
        .select_related("provider__project", "consumer__project")
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
    return link


def cross_link_delete(*, actor: Any, link: CrossProjectLink) -> None:
    """Remove a cross-project link, audited."""
    require(actor, "change", link.consumer)
    with transaction.atomic():
        before = audit.snapshot(link)
        audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=link, before=before, after={})
        link.delete()
