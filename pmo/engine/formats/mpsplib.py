"""MPSPLIB multi-project instances stored as Microsoft Project files -> a multi-project levelling problem.

MPSPLIB (Homberger 2007, mpsplib.com) instances are several PSPLIB projects sharing some renewable
resources (*global*) while keeping others (*local*), each project with its own release date.  The
``INSISOC/MPSPLIBtoMPP`` conversion stores one instance as a single flat ``.mpp`` file; read with
:func:`~pmo.engine.formats.mpxj_reader.read_with_mpxj` it looks like this:

* **Projects.** Every MPSPLIB project becomes 32 consecutive tasks named ``P<k>-Task <j>`` (``j`` = 1..32,
  the PSPLIB job numbers; job 1 and job 32 are the zero-duration dummy start and end milestones).  There are
  no summary tasks, no WBS structure (outline level 1 throughout) and no links between the projects other
  than the release links below, so the ``P<k>-`` name prefix and the connected components of the link
  graph agree.
* **Release dates.** No constraints, no per-project start dates: the release ``r_k`` of project ``k`` is a
  finish-to-start link *dummy start of the earliest project -> dummy start of project k* with a lag of
  ``r_k`` working days (``mp_j30_a2_nr2``: ``P1-Task 1 -> P2-Task 1`` FS + 5 days).  Projects released at 0
  have no such link.
* **Time.** One calendar, Monday-Friday 09:00-13:00 and 15:00-19:00 (480 working minutes a day), no
  holidays; the plan starts 2026-01-01 09:00.  Durations and lags are whole working days.
* **Resources.** Work resources whose ``max_units`` holds the MPSPLIB capacity in units (MS Project stores
  capacity 32 as 3200 %, i.e. ``max_units == 32.0``); demands are assignments whose ``units`` are the
  per-period requirement (``units == 7.0`` for 700 %).  Each task is assigned the resources it needs
  (PSPLIB zero requests are simply absent); the dummy milestones carry no resource (MPXJ lists one
  placeholder assignment without a resource for each of them, which the reader drops).

The mapping (:func:`plan_to_multiproject_problem`), one period = one working day of the plan calendar:

* one :class:`~pmo.engine.leveling.LevelTask` per active, non-summary task, id = task uid, duration =
  ``duration_minutes`` / minutes per day (rounded up when not whole), project = its ``P<k>`` prefix or,
  when the names carry none, ``P<n>`` numbering the connected components of the link graph without the
  release links (in plan order);
* every link becomes a :class:`~pmo.engine.leveling.Precedence` of the same type, lag in days (rounded up);
  the release links are kept, so the network is exactly the file's;
* one :class:`~pmo.engine.leveling.LevelProject` per project whose ``release`` is the earliest
  resource-unconstrained start (critical-path method over all links) of its tasks, raised to the
  working-day offset of a start-no-earlier-than / must-start-on date on one of its tasks without
  predecessors (a project start); constraints on other tasks are ignored;
* one :class:`~pmo.engine.leveling.Resource` per work resource, id = resource uid; capacities and demands are
  ``max_units`` and the summed assignment ``units`` times a scale (1, 10 or 100, the smallest making every
  figure whole; 1 for MPSPLIB, whose capacities and requests are integers).  Material and cost resources
  are left out.

MPSPLIB measures the *total makespan* TMS as the finish of the last project minus the start (the earliest
release): :func:`total_makespan` computes it from a levelling result in the same periods, with a task
started at period ``s`` lasting ``d`` periods finishing at ``s + d``.  In calendar terms a schedule
starting on day 1 at 09:00 and ending on day ``n`` at 19:00 has TMS ``n`` (working days counted inclusively),
which is how the Microsoft Project reference figures read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pmo.engine.errors import InvalidInputError
from pmo.engine.leveling import (
    LevelingProblem,
    LevelingResult,
    LevelProject,
    LevelTask,
    Precedence,
    PrecedenceType,
    Resource,
    schedule_unconstrained,
)
from pmo.engine.plan import PlanDependency, PlanTask, ProjectPlan, ResourceType
from pmo.engine.schedule import ConstraintType

__all__ = ["MultiProjectProblem", "plan_to_multiproject_problem", "total_makespan"]

_PROJECT_PREFIX = re.compile(r"^\s*(P\d+)\s*-")
_PRECEDENCE_TYPES: Mapping[str, PrecedenceType] = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF"}
_SCALES = (1, 10, 100)
_START_CONSTRAINTS = (ConstraintType.SNET, ConstraintType.MSO)


@dataclass(frozen=True)
class MultiProjectProblem(LevelingProblem):
    """A :class:`LevelingProblem` plus how it maps back to the plan.

    ``minutes_per_period`` is the working minutes of one period (a day), ``units_scale`` the factor applied
    to ``max_units`` and assignment ``units`` to get integer capacities and demands, and ``name`` the plan's.
    """

    minutes_per_period: int = 480
    units_scale: int = 1
    name: str = ""


def _periods(minutes: int, per_period: int) -> int:
    """Whole periods covering ``minutes`` (rounded up; negative values towards zero)."""
    return math.ceil(minutes / per_period)


def _project_of_names(tasks: list[PlanTask]) -> dict[str, str] | None:
    found: dict[str, str] = {}
    for t in tasks:
        m = _PROJECT_PREFIX.match(t.name)
        if m is None:
            return None
        found[t.uid] = m.group(1)
    return found


def _release_links(tasks: list[PlanTask], links: list[PlanDependency]) -> set[int]:
    """Indices of the links that only release a project: zero-duration source -> zero-duration task whose
    predecessors are all zero-duration sources."""
    duration = {t.uid: t.duration_minutes for t in tasks}
    preds: dict[str, list[str]] = {t.uid: [] for t in tasks}
    for d in links:
        preds[d.successor_uid].append(d.predecessor_uid)

    def zero_source(uid: str) -> bool:
        return duration[uid] == 0 and not preds[uid]

    return {
        k
        for k, d in enumerate(links)
        if zero_source(d.predecessor_uid)
        and duration[d.successor_uid] == 0
        and all(zero_source(p) for p in preds[d.successor_uid])
    }


def _project_of_components(tasks: list[PlanTask], links: list[PlanDependency]) -> dict[str, str]:
    release = _release_links(tasks, links)
    parent = {t.uid: t.uid for t in tasks}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, d in enumerate(links):
        if k not in release:
            a, b = find(d.predecessor_uid), find(d.successor_uid)
            if a != b:
                parent[b] = a
    names: dict[str, str] = {}
    out: dict[str, str] = {}
    for t in tasks:
        root = find(t.uid)
        if root not in names:
            names[root] = f"P{len(names) + 1}"
        out[t.uid] = names[root]
    return out


def _units_scale(values: list[float]) -> int:
    for scale in _SCALES:
        if all(abs(v * scale - round(v * scale)) < 1e-6 for v in values):
            return scale
    return _SCALES[-1]


def plan_to_multiproject_problem(plan: ProjectPlan) -> MultiProjectProblem:
    """Turn a plan holding an MPSPLIB instance (or any flat multi-project plan) into a levelling problem.

    Periods are working days of the plan calendar counted from the plan start (period 0 is the first
    working day); see the module docstring for the encoding and the mapping.

    >>> from datetime import datetime
    >>> from pmo.engine.plan import PlanAssignment, PlanDependency, PlanResource, PlanTask
    >>> plan = ProjectPlan(
    ...     "two", datetime(2026, 1, 1, 9),
    ...     tasks=(PlanTask("1", "P1-Task 1"), PlanTask("2", "P1-Task 2", duration_minutes=960),
    ...            PlanTask("3", "P2-Task 1"), PlanTask("4", "P2-Task 2", duration_minutes=480)),
    ...     dependencies=(PlanDependency("1", "2"), PlanDependency("3", "4"),
    ...                   PlanDependency("1", "3", lag_minutes=1440)),
    ...     resources=(PlanResource("9", "R 1", max_units=3.0),),
    ...     assignments=(PlanAssignment("2", "9", 2.0), PlanAssignment("4", "9", 3.0)),
    ... )
    >>> p = plan_to_multiproject_problem(plan)
    >>> [(t.id, t.duration, dict(t.demands), t.project) for t in p.tasks]
    [('1', 0, {}, 'P1'), ('2', 2, {'9': 2}, 'P1'), ('3', 0, {}, 'P2'), ('4', 1, {'9': 3}, 'P2')]
    >>> p.projects, p.resources
    ((LevelProject(id='P1', release=0, priority=1.0, due=None), \
LevelProject(id='P2', release=3, priority=1.0, due=None)), (Resource(id='9', capacity=3, capacity_profile=()),))
    """
    per_day = plan.calendar.minutes_per_day
    if per_day <= 0:
        raise InvalidInputError(f"plan {plan.name!r}: the calendar has no working minutes per day")
    tasks = [t for t in plan.tasks if t.active and not t.is_summary]
    kept = {t.uid for t in tasks}
    links = [d for d in plan.dependencies if d.predecessor_uid in kept and d.successor_uid in kept]
    project_of = _project_of_names(tasks) or _project_of_components(tasks, links)

    work = {r.uid: r for r in plan.resources if r.type is ResourceType.WORK}
    assignments = [a for a in plan.assignments if a.resource_uid in work and a.task_uid in kept]
    scale = _units_scale([r.max_units for r in work.values()] + [a.units for a in assignments])
    demands: dict[str, dict[str, int]] = {t.uid: {} for t in tasks}
    for a in assignments:
        row = demands[a.task_uid]
        row[a.resource_uid] = row.get(a.resource_uid, 0) + round(a.units * scale)

    preds: dict[str, list[Precedence]] = {t.uid: [] for t in tasks}
    for d in links:
        preds[d.successor_uid].append(
            Precedence(d.predecessor_uid, _PRECEDENCE_TYPES[d.type.value], _periods(d.lag_minutes, per_day))
        )
    level_tasks = tuple(
        LevelTask(
            t.uid,
            _periods(t.duration_minutes, per_day),
            {r: q for r, q in demands[t.uid].items() if q > 0},
            tuple(preds[t.uid]),
            project_of[t.uid],
        )
        for t in tasks
    )
    resources = tuple(Resource(r.uid, round(r.max_units * scale)) for r in work.values())

    # releases: earliest unconstrained start of each project's tasks, raised by start constraints
    order = list(dict.fromkeys(project_of[t.uid] for t in tasks))
    cpm = schedule_unconstrained(LevelingProblem(level_tasks, resources, tuple(LevelProject(p) for p in order)))
    release = {p: min(cpm.starts[t.uid] for t in tasks if project_of[t.uid] == p) for p in order}
    for t in tasks:
        c = t.constraint
        if c is None or c.type not in _START_CONSTRAINTS or c.date is None or preds[t.uid] or plan.start is None:
            continue
        offset = plan.calendar.working_minutes_between(plan.start, c.date) // per_day
        release[project_of[t.uid]] = max(release[project_of[t.uid]], offset)
    projects = tuple(LevelProject(p, release=release[p]) for p in order)
    return MultiProjectProblem(
        tasks=level_tasks,
        resources=resources,
        projects=projects,
        minutes_per_period=per_day,
        units_scale=scale,
        name=plan.name,
    )


def total_makespan(problem: LevelingProblem, result: LevelingResult) -> int:
    """TMS in periods: the finish of the last project minus the earliest project release.

    >>> p = LevelingProblem((LevelTask("a", 3, project="A"), LevelTask("b", 2, project="B")),
    ...                     projects=(LevelProject("A", release=1), LevelProject("B", release=4)))
    >>> total_makespan(p, schedule_unconstrained(p))
    5
    """
    releases = {p.id: p.release for p in problem.projects}
    first = min((releases.get(t.project, 0) for t in problem.tasks), default=0)
    last = max(result.project_finishes.values(), default=first)
    return last - first
