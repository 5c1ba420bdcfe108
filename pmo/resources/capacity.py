"""Demand against capacity of the resource pool, from the database into the capacity engine.

Capacity: every active person with their primary and other roles, skills, contracted hours over time
(capacity periods), absences, non-project share and working calendar; plus generic resources (a role
with a headcount).  Demand: the assignments of the plans of running projects (from the later of the
task's start and the first period to its finish, at the assignment's units), resource requests not yet
in a plan (a submitted request is role demand; an assigned one is demand on the person), and the role
demand of proposals not yet decided (from their earliest start, FTE per role per month), which a switch
includes or leaves out.  What-if changes (shift a project, add or leave out a proposal, add or remove
people) are applied to these inputs without touching the plans.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from pmo.engine import capacity as engine
from pmo.engine.calendar import WorkingCalendar
from pmo.planning.mappers import engine_calendar
from pmo.planning.models import Assignment, WorkCalendar
from pmo.portfolio.models import Project
from pmo.resources.models import (
    CapacityPeriod,
    GenericResource,
    Person,
    PersonProfile,
    PersonSkill,
    ResourceRequest,
)
from pmo.selection.models import Proposal, ResourceDemand

RUNNING = ("initiating", "planning", "executing", "on_hold", "closing")
UNDECIDED = ("submitted", "under_evaluation", "deferred")
GROUPS = {"person": "Person", "role": "Role", "skill": "Skill", "org_unit": "Unit"}


@dataclass
class Labels:
    """What people read for the engine's ids."""

    people: dict[str, str] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)  # project or proposal id -> "CODE name"
    project_pk: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    def key(self, by: str, key: str) -> str:
        if by == "person":
            return self.people.get(key, key)
        if by == "org_unit":
            return self.units.get(key, key or "No unit")
        return key or "—"


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else timezone.localtime(value).date()


def _people(labels: Labels) -> list[engine.Person]:
    calendars: dict[int | None, WorkingCalendar] = {}
    out = []
    profiles = PersonProfile.objects.select_related("primary_role", "calendar").prefetch_related("other_roles")
    people = (
        Person.objects.filter(active=True)
        .select_related("org_unit")
        .prefetch_related(
            Prefetch("profile", queryset=profiles),
            Prefetch("skills", queryset=PersonSkill.objects.select_related("skill")),
            Prefetch("capacity_periods", queryset=CapacityPeriod.objects.order_by("start")),
            "absences",
        )
        .order_by("name")
    )
    for person in people:
        pid = str(person.pk)
        labels.people[pid] = person.name
        profile = getattr(person, "profile", None)
        roles: list[str] = []
        calendar = None
        non_project = 0.0
        standard = 40.0
        if profile is not None:
            if profile.primary_role is not None:
                roles.append(profile.primary_role.name)
                standard = float(profile.primary_role.standard_hours_per_week or 40)
            roles += sorted(r.name for r in profile.other_roles.all() if r.name not in roles)
            if profile.calendar_id not in calendars:
                calendars[profile.calendar_id] = engine_calendar(_calendar(profile.calendar))
            calendar = calendars[profile.calendar_id]
            non_project = float(profile.non_project_percent or 0) / 100
        if person.org_unit is not None:
            labels.units[person.org_unit.code] = person.org_unit.name
        out.append(
            engine.Person(
                pid,
                roles=tuple(roles),
                skills=tuple((s.skill.name, int(s.level)) for s in person.skills.all()),
                org_unit=person.org_unit.code if person.org_unit else "",
                capacity_changes=tuple(_capacity_change(c, standard) for c in person.capacity_periods.all()),
                leave=tuple(engine.Leave(a.start, a.finish, a.get_reason_display()) for a in person.absences.all()),
                non_project=min(max(non_project, 0.0), 1.0),
                calendar=calendar,
            )
        )
    return out


def _calendar(calendar: WorkCalendar | None) -> WorkCalendar | None:
    if calendar is None:
        return None
    return WorkCalendar.objects.prefetch_related("exceptions").select_related("base").get(pk=calendar.pk)


def _capacity_change(period: CapacityPeriod, standard_week: float) -> engine.CapacityChange:
    """Hours a week, or an FTE share of the person's primary role's standard week."""
    if period.hours_per_week is not None:
        return engine.CapacityChange(period.start, float(period.hours_per_week))
    return engine.CapacityChange.fte(period.start, float(period.fte or 0), standard_week)


def _plan_demand(first: dt.date, last: dt.date, labels: Labels) -> list[engine.Demand]:
    out = []
    assignments = (
        Assignment.objects.filter(
            task__project__state__in=RUNNING,
            task__is_summary=False,
            task__actual_finish__isnull=True,
            task__finish__isnull=False,
            person__active=True,
        )
        .select_related("task__project", "person")
        .order_by("task__project__code", "task__position")
    )
    for a in assignments:
        task, project = a.task, a.task.project
        start, finish = _local_date(task.start), _local_date(task.finish)
        if start is None or finish is None or finish < first or start > last or task.duration_minutes == 0:
            continue
        labels.projects[str(project.pk)] = f"{project.code} {project.name}"
        labels.project_pk[str(project.pk)] = project.pk
        out.append(
            engine.Demand(
                str(project.pk),
                "plan",
                str(a.person_id),
                None,
                max(start, first),
                finish,
                units=float(a.units),
                task_id=str(task.pk),
                task_name=f"{task.uid} {task.name}",
            )
        )
    return out


def _request_demand(first: dt.date, last: dt.date, labels: Labels) -> list[engine.Demand]:
    """Requests not yet in a plan: submitted ones as role demand, assigned ones on the person."""
    out = []
    requests = ResourceRequest.objects.filter(state__in=("submitted", "assigned"), finish__gte=first, start__lte=last)
    for r in requests.select_related("project", "role", "skill").order_by("pk"):
        project = r.project
        labels.projects[str(project.pk)] = f"{project.code} {project.name}"
        labels.project_pk[str(project.pk)] = project.pk
        assigned = r.state == "assigned" and r.assigned_person_id is not None
        if assigned and Assignment.objects.filter(task__project=project, person_id=r.assigned_person_id).exists():
            continue  # already in the plan
        share = float(r.fte) if r.fte is not None else float(r.hours_per_week or 0) / 40
        out.append(
            engine.Demand(
                str(project.pk),
                "role",
                str(r.assigned_person_id) if assigned else None,
                None if assigned else r.role.name,
                max(r.start, first),
                r.finish,
                units=share,
                task_id=f"request-{r.pk}",
                task_name=f"Request: {r.role.name}",
                skill=r.skill.name if r.skill else None,
                skill_level=int(r.min_level or 0),
            )
        )
    return out


def _proposal_demand(first: dt.date, last: dt.date, labels: Labels) -> list[engine.Demand]:
    out = []
    demands = (
        ResourceDemand.objects.filter(proposal__state__in=UNDECIDED, proposal__project__isnull=True)
        .select_related("proposal")
        .order_by("proposal__code", "start_month", "role")
    )
    for d in demands:
        proposal = d.proposal
        begin = _month_start(proposal.earliest_start or first)
        start = _add_months(begin, d.start_month)
        finish = _add_months(start, d.months) - dt.timedelta(days=1)
        if finish < first or start > last:
            continue
        pid = f"proposal-{proposal.pk}"
        labels.projects[pid] = f"{proposal.code} {proposal.title} (proposal)"
        out.append(
            engine.Demand(
                pid,
                "proposal",
                None,
                d.role,
                max(start, first),
                finish,
                units=float(d.fte),
                task_id=f"demand-{d.pk}",
                task_name=f"{d.fte} FTE {d.role}",
            )
        )
    return out


def _generic() -> list[engine.GenericResource]:
    out = []
    for g in GenericResource.objects.select_related("role", "org_unit").order_by("role__name", "pk"):
        out.append(
            engine.GenericResource(
                g.role.name,
                float(g.headcount),
                org_unit=g.org_unit.code if g.org_unit else "",
                hours_per_week=float(g.role.standard_hours_per_week) if g.role.standard_hours_per_week else None,
            )
        )
    return out


def capacity_inputs(
    *,
    start: dt.date | None = None,
    count: int = 6,
    unit: str = "month",
    include_proposals: bool = True,
) -> tuple[engine.CapacityInput, Labels]:
    """The pool and its demand over `count` months (or weeks) from `start` (this month by default)."""
    first = _month_start(start or timezone.localdate()) if unit == "month" else (start or timezone.localdate())
    periods = engine.Periods(first, count, unit)
    last = periods.periods()[-1].end - dt.timedelta(days=1)
    first = periods.periods()[0].start
    labels = Labels()
    people = _people(labels)
    demand = _plan_demand(first, last, labels) + _request_demand(first, last, labels)
    demand += _proposal_demand(first, last, labels)
    inputs = engine.CapacityInput(people, demand, periods, generic=_generic(), include_proposals=include_proposals)
    return inputs, labels


def heat_map_rows(hm: engine.HeatMap, labels: Labels, thresholds: engine.Thresholds) -> list[dict[str, Any]]:
    """The heat map as rows of cells (load in %, 999 where there is demand but no capacity; colour; hours),
    leaving out rows with neither demand nor capacity."""
    loads = hm.load()
    colours = hm.colours(thresholds)
    rows = []
    for r, key in enumerate(hm.keys):
        cells = []
        for c, _period in enumerate(hm.periods):
            load = float(loads[r][c])
            cells.append(
                {
                    "period": c,
                    "load": None if math.isnan(load) else (999 if math.isinf(load) else round(100 * load)),
                    "colour": colours[r][c].value,
                    "demand": round(float(hm.demand[r][c])),
                    "capacity": round(float(hm.capacity[r][c])),
                }
            )
        if any(cell["demand"] or cell["capacity"] for cell in cells):
            rows.append({"key": key, "label": labels.key(hm.by, key), "cells": cells})
    return rows


# --- what-if ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """Changes tried on the pool and its demand, never on the plans."""

    shifts: tuple[tuple[str, int], ...] = ()  # (project id, weeks)
    add_proposals: tuple[str, ...] = ()  # proposal ids ("proposal-<pk>") counted even when proposals are off
    drop_proposals: tuple[str, ...] = ()
    remove_people: tuple[str, ...] = ()
    add_people: tuple[tuple[str, float], ...] = ()  # (role, hours per week)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WhatIf:
        return cls(
            shifts=tuple((str(p), int(w)) for p, w in data.get("shifts", ())),
            add_proposals=tuple(str(p) for p in data.get("add_proposals", ())),
            drop_proposals=tuple(str(p) for p in data.get("drop_proposals", ())),
            remove_people=tuple(str(p) for p in data.get("remove_people", ())),
            add_people=tuple((str(r), float(h)) for r, h in data.get("add_people", ())),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "shifts": [list(s) for s in self.shifts],
            "add_proposals": list(self.add_proposals),
            "drop_proposals": list(self.drop_proposals),
            "remove_people": list(self.remove_people),
            "add_people": [list(p) for p in self.add_people],
        }

    @property
    def empty(self) -> bool:
        return not (self.shifts or self.add_proposals or self.drop_proposals or self.remove_people or self.add_people)

    def apply(self, inputs: engine.CapacityInput, labels: Labels) -> engine.CapacityInput:
        changed = inputs
        for project_id, weeks in self.shifts:
            changed = engine.shift_project(changed, project_id, weeks)
        for proposal in self.add_proposals:
            changed = engine.include_proposal(changed, proposal)
        for proposal in self.drop_proposals:
            changed = engine.exclude_proposal(changed, proposal)
        known = {p.id for p in changed.people}
        gone = [p for p in self.remove_people if p in known]
        if gone:
            changed = engine.remove_people(changed, *gone)
        added = []
        for n, (role, hours) in enumerate(self.add_people, start=1):
            pid = f"new-{n}"
            labels.people[pid] = f"New {role} ({hours:g} h/week)"
            added.append(engine.Person(pid, roles=(role,), hours_per_week=hours))
        if added:
            changed = engine.add_people(changed, *added)
        return changed

    def describe(self, labels: Labels) -> list[str]:
        out = [
            f"{labels.projects.get(p, p)} {'later' if w > 0 else 'earlier'} by {abs(w)} week(s)" for p, w in self.shifts
        ]
        out += [f"with {labels.projects.get(p, p)}" for p in self.add_proposals]
        out += [f"without {labels.projects.get(p, p)}" for p in self.drop_proposals]
        out += [f"without {labels.people.get(p, p)}" for p in self.remove_people]
        out += [f"one more {role} at {hours:g} h/week" for role, hours in self.add_people]
        return out


def projects_in(labels: Labels) -> list[tuple[str, str]]:
    return sorted(
        ((pid, name) for pid, name in labels.projects.items() if not pid.startswith("proposal-")), key=lambda x: x[1]
    )


def proposals_in(labels: Labels) -> list[tuple[str, str]]:
    return sorted(
        ((pid, name) for pid, name in labels.projects.items() if pid.startswith("proposal-")), key=lambda x: x[1]
    )


def undecided_proposals() -> list[Proposal]:
    return list(Proposal.objects.filter(state__in=UNDECIDED, project__isnull=True, demands__isnull=False).distinct())


def people_of(projects: Iterable[Project]) -> Sequence[int]:
    return list(Assignment.objects.filter(task__project__in=list(projects)).values_list("person_id", flat=True))
