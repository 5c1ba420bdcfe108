"""The portfolio roadmap: every project of a portfolio or program on one timeline, with its milestones and
the cross-project links (a task of one project waiting for a deliverable of another) drawn as arrows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from pmo.control import selectors as control
from pmo.planning.links import links_of
from pmo.planning.models import Task
from pmo.portfolio.models import LifecycleState, Portfolio, Program, Project
from pmo.reporting.dashboard import Milestone, milestones, project_url, visible_projects, with_people

STATE_COLOURS = {
    "initiating": "#7c5cc4",
    "planning": "#5b8def",
    "executing": "#2457d6",
    "on_hold": "#c77c02",
    "closing": "#1f8a4c",
    "closed": "#8a93a5",
}


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


@dataclass
class Lane:
    project: Project
    planned_start: dt.date | None
    planned_finish: dt.date | None
    start: dt.date | None  # the plan's (or actual) start
    finish: dt.date | None  # the forecast finish (latest EVM snapshot), else the plan's finish
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def url(self) -> str:
        return project_url(self.project)

    @property
    def colour(self) -> str:
        return STATE_COLOURS.get(self.project.state, "#8a93a5")

    @property
    def state_label(self) -> str:
        return str(dict(LifecycleState.choices).get(self.project.state, self.project.state))

    @property
    def slip_days(self) -> int | None:
        if self.finish and self.planned_finish:
            return (self.finish - self.planned_finish).days
        return None


@dataclass
class LinkLine:
    pk: int
    provider: Task
    consumer: Task
    provided: dt.date  # when the provider's deliverable finishes (forecast)
    needed_by: dt.date  # the date needed, or the consumer task's start
    note: str

    @property
    def provider_project_id(self) -> int:
        return self.provider.project_id

    @property
    def consumer_project_id(self) -> int:
        return self.consumer.project_id

    @property
    def late(self) -> bool:
        return self.provided > self.needed_by

    @property
    def days_late(self) -> int:
        return max(0, (self.provided - self.needed_by).days)

    @property
    def describe(self) -> str:
        text = (
            f"{self.consumer.project.code} '{self.consumer.name}' needs {self.provider.project.code} "
            f"'{self.provider.name}' by {self.needed_by:%d %b %Y}; forecast {self.provided:%d %b %Y}"
        )
        return text + (f" — {self.days_late} days late" if self.late else "")


@dataclass
class Roadmap:
    portfolio: Portfolio | None
    program: Program | None
    lanes: list[Lane]
    links: list[LinkLine]
    first: dt.date
    last: dt.date
    today: dt.date

    @property
    def late_links(self) -> list[LinkLine]:
        return [link for link in self.links if link.late]


def lanes_of(projects: list[Project], today: dt.date) -> list[Lane]:
    spans = {
        r["project_id"]: r
        for r in Task.objects.filter(project__in=projects, is_summary=False)
        .values("project_id")
        .annotate(start=Min("start"), finish=Max("finish"), actual_start=Min("actual_start"))
    }
    snapshots = control.latest_snapshots(projects)
    stones: dict[int, list[Milestone]] = {}
    for m in milestones(projects, today):
        stones.setdefault(m.project.pk, []).append(m)
    lanes = []
    for project in projects:
        span = spans.get(project.pk, {})
        start = _local(span.get("actual_start")) or _local(span.get("start")) or project.planned_start
        finish = _local(span.get("finish")) or project.planned_finish
        snapshot = snapshots.get(project.pk)
        if snapshot is not None and snapshot.forecast_finish is not None:
            finish = _local(snapshot.forecast_finish)
        lanes.append(
            Lane(project, project.planned_start, project.planned_finish, start, finish, stones.get(project.pk, []))
        )
    return lanes


def link_lines(projects: list[Project]) -> list[LinkLine]:
    """The cross-project links between the projects shown (both ends visible), with their forecast dates."""
    shown = {p.pk for p in projects}
    out = []
    for link in links_of(projects):
        if link.provider.project_id not in shown or link.consumer.project_id not in shown:
            continue
        provided = _local(link.provider.finish)
        needed = link.date_needed or _local(link.consumer.start)
        if provided is None or needed is None:
            continue
        out.append(LinkLine(link.pk, link.provider, link.consumer, provided, needed, link.note))
    return out


def roadmap(
    user: Any, *, portfolio: Portfolio | None = None, program: Program | None = None, today: dt.date | None = None
) -> Roadmap:
    today = today or timezone.localdate()
    if program is not None:
        projects = with_people(control.measured_projects(user, program_id=program.pk))
    else:
        projects = visible_projects(user, portfolio)
    projects = [p for p in projects if p.state != "closed"]
    lanes = lanes_of(projects, today)
    lanes.sort(key=lambda lane: (lane.start or lane.planned_start or today, lane.project.code))
    links = link_lines(projects)
    days = [today]
    for lane in lanes:
        days += [d for d in (lane.planned_start, lane.planned_finish, lane.start, lane.finish) if d]
    for link in links:
        days += [link.provided, link.needed_by]
    first = min(days).replace(day=1)
    last = max(days) + dt.timedelta(days=15)
    return Roadmap(portfolio, program, lanes, links, first, last, today)
