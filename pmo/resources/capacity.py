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
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pmo.core.freshness import cached
from pmo.engine import capacity as engine
from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import InvalidInputError
from pmo.planning.mappers import engine_calendar
from pmo.planning.models import Assignment, WorkCalendar
from pmo.portfolio.models import Project
from pmo.resources.models import (
    Absence,
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
    skipped: list[str] = field(default_factory=list)  # what-if changes that did not apply

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


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[Any, list[tuple[Any, ...]]]:
    """Rows keyed by their first value (a person id), the rest of each row kept in order."""
    out: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1:])
    return out


def _people(labels: Labels) -> list[engine.Person]:
    # Plain value queries, one per kind of fact: the heat map reads thousands of people, and model
    # instances with prefetched relations cost several times more than the facts themselves.
    active = Person.objects.filter(active=True)
    profiles = {
        row[0]: row[1:]
        for row in PersonProfile.objects.filter(person__in=active).values_list(
            "person_id",
            "primary_role__name",
            "primary_role__standard_hours_per_week",
            "calendar_id",
            "non_project_percent",
        )
    }
    other_roles = _grouped(
        PersonProfile.other_roles.through.objects.filter(personprofile__person__in=active)
        .order_by("jobrole__name")
        .values_list("personprofile__person_id", "jobrole__name")
    )
    skills = _grouped(
        PersonSkill.objects.filter(person__in=active).order_by("pk").values_list("person_id", "skill__name", "level")
    )
    periods = _grouped(
        CapacityPeriod.objects.filter(person__in=active)
        .order_by("person_id", "start")
        .values_list("person_id", "start", "hours_per_week", "fte")
    )
    reasons = dict(Absence.Reason.choices)
    leave = _grouped(
        Absence.objects.filter(person__in=active).order_by("pk").values_list("person_id", "start", "finish", "reason")
    )
    calendars: dict[int | None, WorkingCalendar | None] = {None: None}
    out = []
    rows = active.order_by("name").values_list("pk", "name", "org_unit__code", "org_unit__name")
    for pk, name, unit_code, unit_name in rows:
        pid = str(pk)
        labels.people[pid] = name
        roles: list[str] = []
        non_project = 0.0
        standard = 40.0
        calendar_id = None
        if pk in profiles:
            primary, hours, calendar_id, percent = profiles[pk]
            if primary is not None:
                roles.append(primary)
                standard = float(hours or 40)
            roles += [r for (r,) in other_roles.get(pk, ()) if r not in roles]
            non_project = float(percent or 0) / 100
            if calendar_id not in calendars:
                calendars[calendar_id] = engine_calendar(_calendar(calendar_id))
        if unit_code:
            labels.units[unit_code] = unit_name
        out.append(
            engine.Person(
                pid,
                roles=tuple(roles),
                skills=tuple((skill, int(level)) for skill, level in skills.get(pk, ())),
                org_unit=unit_code or "",
                capacity_changes=tuple(_capacity_change(*row, standard) for row in periods.get(pk, ())),
                leave=tuple(engine.Leave(a, b, reasons.get(r, r)) for a, b, r in leave.get(pk, ())),
                non_project=min(max(non_project, 0.0), 1.0),
                calendar=calendars[calendar_id],
            )
        )
    return out


def _calendar(calendar_id: int | None) -> WorkCalendar | None:
    if calendar_id is None:
        return None
    return WorkCalendar.objects.prefetch_related("exceptions").select_related("base").get(pk=calendar_id)


def _capacity_change(
    start: dt.date, hours_per_week: Decimal | None, fte: Decimal | None, standard_week: float
) -> engine.CapacityChange:
    """Hours a week, or an FTE share of the person's primary role's standard week."""
    if hours_per_week is not None:
        return engine.CapacityChange(start, float(hours_per_week))
    return engine.CapacityChange.fte(start, float(fte or 0), standard_week)


def _plan_demand(first: dt.date, last: dt.date, labels: Labels) -> list[engine.Demand]:
    zone = timezone.get_current_timezone()
    # A day's margin either side: the dates compared below are local, the database's are UTC.
    after = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), zone)
    before = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), zone)
    rows = (
        Assignment.objects.filter(
            task__project__state__in=RUNNING,
            task__is_summary=False,
            task__actual_finish__isnull=True,
            task__finish__gte=after,
            task__start__lt=before,
            task__duration_minutes__gt=0,
            person__active=True,
        )
        .order_by("task__project__code", "task__position")
        .values_list(
            "task__project_id",
            "task__project__code",
            "task__project__name",
            "task_id",
            "task__uid",
            "task__name",
            "task__start",
            "task__finish",
            "person_id",
            "units",
        )
    )
    out = []
    for project_pk, code, name, task_pk, uid, task_name, start_at, finish_at, person_pk, units in rows:
        start, finish = start_at.astimezone(zone).date(), finish_at.astimezone(zone).date()
        if finish < first or start > last:
            continue
        project_id = str(project_pk)
        if project_id not in labels.projects:
            labels.projects[project_id] = f"{code} {name}"
            labels.project_pk[project_id] = project_pk
        out.append(
            engine.Demand(
                project_id,
                "plan",
                str(person_pk),
                None,
                max(start, first),
                finish,
                units=float(units),
                task_id=str(task_pk),
                task_name=f"{uid} {task_name}",
            )
        )
    return out


def _request_demand(first: dt.date, last: dt.date, labels: Labels) -> list[engine.Demand]:
    """Requests not yet in a plan: submitted ones as role demand, assigned ones on the person."""
    out = []
    requests = list(
        ResourceRequest.objects.filter(state__in=("submitted", "assigned"), finish__gte=first, start__lte=last)
        .select_related("project", "role", "skill")
        .order_by("pk")
    )
    assigned_people = {r.assigned_person_id for r in requests if r.state == "assigned"}
    planned = set(
        Assignment.objects.filter(
            task__project__in={r.project_id for r in requests}, person_id__in=assigned_people
        ).values_list("task__project_id", "person_id")
    )
    for r in requests:
        project = r.project
        labels.projects[str(project.pk)] = f"{project.code} {project.name}"
        labels.project_pk[str(project.pk)] = project.pk
        assigned = r.state == "assigned" and r.assigned_person_id is not None
        if assigned and (project.pk, r.assigned_person_id) in planned:
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


def capacity_inputs_kept(
    *,
    start: dt.date | None = None,
    count: int = 6,
    unit: str = "month",
    include_proposals: bool = True,
) -> tuple[engine.CapacityInput, Labels]:
    """:func:`capacity_inputs`, read once per change of the data (pmo.core.freshness) for the pages and the API
    that show the heat map: the same for every user, so kept for all. Django's cache hands each call its own
    copy (it pickles), so a what-if may change the inputs it gets."""
    start = start or timezone.localdate()
    fresh = cached(
        "capacity-inputs",
        (start.isoformat(), count, unit, include_proposals),
        lambda: capacity_inputs(start=start, count=count, unit=unit, include_proposals=include_proposals),
    )
    value: tuple[engine.CapacityInput, Labels] = fresh.value
    return value


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

    def __post_init__(self) -> None:
        # Empty choices of the forms ("—") are no change.
        object.__setattr__(self, "shifts", tuple((p, w) for p, w in self.shifts if p and w))
        for name in ("add_proposals", "drop_proposals", "remove_people"):
            object.__setattr__(self, name, tuple(v for v in getattr(self, name) if v))
        object.__setattr__(self, "add_people", tuple((r, h) for r, h in self.add_people if r))

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
        """The inputs with the changes tried. A change that no longer applies (a project with no work in
        these periods, a proposal decided since the what-if was saved, a person who left) is skipped and
        noted in `labels.skipped`, so that an old what-if still opens."""
        changed = inputs

        def attempt(change: Any, note: str) -> None:
            nonlocal changed
            try:
                changed = change(changed)
            except InvalidInputError:
                labels.skipped.append(note)

        for project_id, weeks in self.shifts:
            attempt(
                lambda i, p=project_id, w=weeks: engine.shift_project(i, p, w),
                f"moving {labels.projects.get(project_id, 'a project')} (no work in these periods)",
            )
        for proposal in self.add_proposals:
            attempt(
                lambda i, p=proposal: engine.include_proposal(i, p),
                f"counting {labels.projects.get(proposal, 'a proposal')} (no demand in these periods)",
            )
        for proposal in self.drop_proposals:
            attempt(
                lambda i, p=proposal: engine.exclude_proposal(i, p),
                f"leaving out {labels.projects.get(proposal, 'a proposal')} (no demand in these periods)",
            )
        for person in self.remove_people:
            attempt(
                lambda i, p=person: engine.remove_people(i, p),
                f"removing {labels.people.get(person, 'a person')} (not in the pool, or work with no role to go to)",
            )
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
