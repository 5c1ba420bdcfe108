"""Resource-constrained scheduling ("resource levelling") in integer periods.

The problem: tasks with fixed durations and per-period resource demands, precedence
relations of the four usual types (FS, SS, FF, SF) with integer lags, renewable resources
with a capacity (optionally varying over time), and one or several projects sharing those
resources, each with a release period and a priority.  Find start periods that respect
precedences and capacities and minimise either the overall makespan or the priority
weighted delay of the projects.

Two solvers are offered:

* :func:`level_fast` -- priority-rule serial schedule generation (LFT, LST, MTS, GRPW,
  regret-biased random sampling and an activity-list genetic search), every schedule
  improved by forward-backward improvement (double justification).  Deterministic for a
  given ``seed`` (unless a wall-clock ``time_limit_s`` cuts it short).
* :func:`level_exact` -- an OR-Tools CP-SAT model (interval variables, one cumulative
  constraint per resource, generalised precedences) warm-started with the heuristic
  schedule.  It returns the best schedule found together with a *proven* lower bound.

Everything is in integer periods starting at 0; a task starting at ``s`` with duration
``d`` occupies periods ``s .. s+d-1`` and finishes at ``s+d``.  Precedence semantics (for
a relation "``pred`` -> ``succ``" with lag ``L``):

====  ====================================
FS    ``start(succ) >= finish(pred) + L``
SS    ``start(succ) >= start(pred) + L``
FF    ``finish(succ) >= finish(pred) + L``
SF    ``finish(succ) >= start(pred) + L``
====  ====================================

Lags may be negative (leads); no task ever starts before period 0 nor before its
project's release.  The precedence graph must be acyclic whatever the lags.

This module is pure Python (plus OR-Tools for :func:`level_exact`) and knows nothing about
Django.
"""

from __future__ import annotations

import heapq
import math
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from pmo.engine.errors import (
    CyclicDependencyError,
    InvalidInputError,
    UnknownTaskError,
)

__all__ = [
    "Bottleneck",
    "LevelProject",
    "LevelTask",
    "LevelingObjective",
    "LevelingProblem",
    "LevelingResult",
    "LevelingStatus",
    "Precedence",
    "PrecedenceType",
    "Resource",
    "TaskDelay",
    "level_exact",
    "level_fast",
    "lower_bound",
    "schedule_unconstrained",
    "validate_problem",
]

PrecedenceType = Literal["FS", "SS", "FF", "SF"]
LevelingObjective = Literal["makespan", "weighted_delay"]
LevelingStatus = Literal["optimal", "feasible", "infeasible"]

_PRECEDENCE_TYPES = ("FS", "SS", "FF", "SF")
_OBJECTIVES = ("makespan", "weighted_delay")


# ---------------------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Precedence:
    """A dependency on ``task`` (the predecessor) of ``type`` with an integer ``lag``."""

    task: str
    type: PrecedenceType = "FS"
    lag: int = 0


@dataclass(frozen=True)
class Resource:
    """A renewable resource.

    ``capacity`` units are available in every period, except where ``capacity_profile``
    says otherwise: each entry ``(start, end, capacity)`` sets the capacity of periods
    ``start .. end-1`` (later entries win where entries overlap).
    """

    id: str
    capacity: int
    capacity_profile: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class LevelTask:
    """A task: ``duration`` periods, ``demands`` units of each resource per period."""

    id: str
    duration: int
    demands: Mapping[str, int] = field(default_factory=dict)
    predecessors: tuple[Precedence, ...] = ()
    project: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "demands", MappingProxyType(dict(self.demands)))
        object.__setattr__(self, "predecessors", tuple(self.predecessors))


@dataclass(frozen=True)
class LevelProject:
    """A project: no task of it starts before ``release``; ``priority`` weighs its delay.

    ``due`` is the period by which the project should finish (used by the
    ``"weighted_delay"`` objective; when ``None`` the project's resource-unconstrained
    critical-path finish is the target).
    """

    id: str
    release: int = 0
    priority: float = 1.0
    due: int | None = None


@dataclass(frozen=True)
class LevelingProblem:
    """Tasks, resources and (optionally) projects.

    Tasks whose ``project`` is not listed in ``projects`` belong to an implicit project
    with release 0 and priority 1.
    """

    tasks: tuple[LevelTask, ...]
    resources: tuple[Resource, ...] = ()
    projects: tuple[LevelProject, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", tuple(self.tasks))
        object.__setattr__(self, "resources", tuple(self.resources))
        object.__setattr__(self, "projects", tuple(self.projects))


@dataclass(frozen=True)
class TaskDelay:
    """Why a task starts when it does.

    ``early_start`` is its resource-unconstrained earliest start (critical-path method),
    ``ready`` the earliest start its *scheduled* predecessors and its release allow,
    ``delay = start - early_start`` and ``resource_delay = start - ready`` (the part of
    the delay the task suffered itself rather than inherited).  ``resource`` is the
    resource that was saturated at ``ready`` (``None`` when nothing blocked it) and
    ``blocking_tasks`` the tasks holding that resource then.
    """

    task: str
    early_start: int
    ready: int
    start: int
    delay: int
    resource_delay: int
    resource: str | None
    blocking_tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bottleneck:
    """How much a resource held tasks back (``delay_periods`` summed over tasks)."""

    resource: str
    delayed_tasks: int
    delay_periods: int
    utilization: float
    peak: int
    capacity: int


@dataclass(frozen=True)
class LevelingResult:
    """The outcome of a levelling run.

    ``lower_bound`` is a proven lower bound on the makespan.  For the ``"weighted_delay"``
    objective ``objective_value`` is the priority-weighted delay of the projects and
    ``objective_bound`` a proven lower bound on it.  ``message`` explains non-obvious
    statuses (e.g. an infeasible ``within_float`` request with a best-effort schedule).
    """

    status: LevelingStatus
    makespan: int
    lower_bound: int
    starts: Mapping[str, int]
    finishes: Mapping[str, int]
    project_finishes: Mapping[str, int]
    objective: LevelingObjective = "makespan"
    objective_value: float = 0.0
    objective_bound: float = 0.0
    delays: Mapping[str, TaskDelay] = field(default_factory=dict)
    bottlenecks: tuple[Bottleneck, ...] = ()
    solve_time_s: float = 0.0
    mode: str = "fast"
    message: str = ""

    def delayed_tasks(self) -> list[TaskDelay]:
        """Tasks held back by a resource, most delayed first."""
        held = [d for d in self.delays.values() if d.resource_delay > 0]
        return sorted(held, key=lambda d: (-d.resource_delay, d.task))


# ---------------------------------------------------------------------------------------
# Compilation (validation, indices, critical path)
# ---------------------------------------------------------------------------------------

Edge = tuple[int, int]  # (other task index, minimum distance between the two starts)


@dataclass
class _Compiled:
    problem: LevelingProblem
    ids: list[str]
    index: dict[str, int]
    dur: list[int]
    dem: list[tuple[Edge, ...]]  # (resource index, quantity) with quantity > 0 and duration > 0
    preds: list[tuple[Edge, ...]]  # start(j) >= start(i) + delta
    succs: list[tuple[Edge, ...]]
    release: list[int]
    project_of: list[int]
    project_ids: list[str]
    project_release: list[int]
    project_priority: list[float]
    project_due: list[int | None]
    res_ids: list[str]
    base_cap: list[int]
    max_cap: list[int]
    profile_end: list[int]
    cap_prefix: list[list[int]]  # capacity per period on [0, profile_end)
    topo: list[int]
    es: list[int]
    cpm_makespan: int
    project_cpm_finish: list[int]
    static_lb: int

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def has_profile(self) -> bool:
        return any(self.profile_end)

    def cap(self, r: int, t: int) -> int:
        prefix = self.cap_prefix[r]
        return prefix[t] if 0 <= t < len(prefix) else self.base_cap[r]

    def project_target(self, p: int) -> int:
        due = self.project_due[p]
        return due if due is not None else self.project_cpm_finish[p]


def _start_delta(kind: str, lag: int, d_pred: int, d_succ: int) -> int:
    """Minimum distance start(succ) - start(pred) implied by a precedence."""
    if kind == "FS":
        return d_pred + lag
    if kind == "SS":
        return lag
    if kind == "FF":
        return d_pred - d_succ + lag
    return lag - d_succ  # SF


def _find_cycle(nodes: set[int], succs: list[list[int]]) -> list[int]:
    """A cycle among ``nodes`` (every node there lies on or leads into a cycle)."""
    start = min(nodes)
    seen: dict[int, int] = {}
    path: list[int] = []
    v = start
    while v not in seen:
        seen[v] = len(path)
        path.append(v)
        v = next(w for w in succs[v] if w in nodes)
    return path[seen[v] :]


def _compile(problem: LevelingProblem) -> _Compiled:
    tasks = problem.tasks
    index: dict[str, int] = {}
    for i, task in enumerate(tasks):
        if not isinstance(task.id, str) or not task.id:
            raise InvalidInputError(f"task #{i + 1} has no id")
        if task.id in index:
            raise InvalidInputError(f"task {task.id!r} is defined twice")
        index[task.id] = i

    res_index: dict[str, int] = {}
    res_ids: list[str] = []
    base_cap: list[int] = []
    max_cap: list[int] = []
    profile_end: list[int] = []
    cap_prefix: list[list[int]] = []
    for res in problem.resources:
        if res.id in res_index:
            raise InvalidInputError(f"resource {res.id!r} is defined twice")
        if isinstance(res.capacity, bool) or not isinstance(res.capacity, int) or res.capacity < 0:
            raise InvalidInputError(f"resource {res.id!r}: capacity must be a non-negative integer")
        res_index[res.id] = len(res_ids)
        res_ids.append(res.id)
        base_cap.append(res.capacity)
        end = 0
        for seg in res.capacity_profile:
            if len(seg) != 3:
                raise InvalidInputError(f"resource {res.id!r}: capacity profile entries are (start, end, capacity)")
            s, e, c = seg
            if s < 0 or e <= s or c < 0:
                raise InvalidInputError(
                    f"resource {res.id!r}: invalid capacity profile entry {seg!r} "
                    "(need 0 <= start < end and capacity >= 0)"
                )
            end = max(end, e)
        prefix = [res.capacity] * end
        for s, e, c in res.capacity_profile:
            prefix[s:e] = [c] * (e - s)
        profile_end.append(end)
        cap_prefix.append(prefix)
        max_cap.append(max([res.capacity, *prefix]))

    project_ids: list[str] = []
    project_index: dict[str, int] = {}
    project_release: list[int] = []
    project_priority: list[float] = []
    project_due: list[int | None] = []

    def add_project(pid: str, release: int, priority: float, due: int | None) -> None:
        project_index[pid] = len(project_ids)
        project_ids.append(pid)
        project_release.append(release)
        project_priority.append(priority)
        project_due.append(due)

    for proj in problem.projects:
        if proj.id in project_index:
            raise InvalidInputError(f"project {proj.id!r} is defined twice")
        if proj.release < 0:
            raise InvalidInputError(f"project {proj.id!r}: release must be >= 0")
        if not math.isfinite(proj.priority) or proj.priority < 0:
            raise InvalidInputError(f"project {proj.id!r}: priority must be a finite number >= 0")
        add_project(proj.id, proj.release, float(proj.priority), proj.due)

    n = len(tasks)
    dur: list[int] = []
    dem: list[tuple[Edge, ...]] = []
    project_of: list[int] = []
    for task in tasks:
        d = task.duration
        if isinstance(d, bool) or not isinstance(d, int):
            raise InvalidInputError(f"task {task.id!r}: duration must be an integer")
        if d < 0:
            raise InvalidInputError(f"task {task.id!r}: negative duration {d}")
        dur.append(d)
        demands: list[Edge] = []
        for rid, q in task.demands.items():
            if rid not in res_index:
                raise InvalidInputError(f"task {task.id!r} demands unknown resource {rid!r}")
            if isinstance(q, bool) or not isinstance(q, int) or q < 0:
                raise InvalidInputError(f"task {task.id!r}: demand for {rid!r} must be a non-negative integer")
            r = res_index[rid]
            if q > max_cap[r] and d > 0:
                raise InvalidInputError(
                    f"task {task.id!r} needs {q} of resource {rid!r} whose capacity is {max_cap[r]}: "
                    "it can never be scheduled"
                )
            if q > base_cap[r] and d > 0 and not _has_window(cap_prefix[r], q, d):
                raise InvalidInputError(
                    f"task {task.id!r} needs {q} of resource {rid!r} for {d} consecutive periods "
                    "but the capacity never stays that high for that long"
                )
            if q > 0 and d > 0:
                demands.append((r, q))
        dem.append(tuple(demands))
        if task.project not in project_index:
            add_project(task.project, 0, 1.0, None)
        project_of.append(project_index[task.project])

    preds_l: list[list[Edge]] = [[] for _ in range(n)]
    succs_l: list[list[Edge]] = [[] for _ in range(n)]
    succ_nodes: list[list[int]] = [[] for _ in range(n)]
    for j, task in enumerate(tasks):
        for prec in task.predecessors:
            if prec.task not in index:
                raise UnknownTaskError(prec.task, referenced_by=task.id, field="predecessor")
            if prec.type not in _PRECEDENCE_TYPES:
                raise InvalidInputError(
                    f"task {task.id!r}: unknown dependency type {prec.type!r} on {prec.task!r} (use FS, SS, FF or SF)"
                )
            if isinstance(prec.lag, bool) or not isinstance(prec.lag, int):
                raise InvalidInputError(f"task {task.id!r}: lag on {prec.task!r} must be an integer")
            i = index[prec.task]
            delta = _start_delta(prec.type, prec.lag, dur[i], dur[j])
            preds_l[j].append((i, delta))
            succs_l[i].append((j, delta))
            succ_nodes[i].append(j)

    # Topological order (Kahn), ties broken by input order for determinism.
    indeg = [len(p) for p in preds_l]
    heap = [j for j in range(n) if indeg[j] == 0]
    heapq.heapify(heap)
    topo: list[int] = []
    while heap:
        i = heapq.heappop(heap)
        topo.append(i)
        for j, _ in succs_l[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, j)
    if len(topo) < n:
        remaining = set(range(n)) - set(topo)
        cycle = [tasks[k].id for k in _find_cycle(remaining, succ_nodes)]
        raise CyclicDependencyError(cycle)

    release = [project_release[project_of[j]] for j in range(n)]
    es = [0] * n
    for j in topo:
        t = release[j]
        for i, delta in preds_l[j]:
            t = max(t, es[i] + delta)
        es[j] = t
    cpm_makespan = max((es[j] + dur[j] for j in range(n)), default=0)
    project_cpm_finish = [project_release[p] for p in range(len(project_ids))]
    for j in range(n):
        p = project_of[j]
        project_cpm_finish[p] = max(project_cpm_finish[p], es[j] + dur[j])

    comp = _Compiled(
        problem=problem,
        ids=[t.id for t in tasks],
        index=index,
        dur=dur,
        dem=dem,
        preds=[tuple(p) for p in preds_l],
        succs=[tuple(s) for s in succs_l],
        release=release,
        project_of=project_of,
        project_ids=project_ids,
        project_release=project_release,
        project_priority=project_priority,
        project_due=project_due,
        res_ids=res_ids,
        base_cap=base_cap,
        max_cap=max_cap,
        profile_end=profile_end,
        cap_prefix=cap_prefix,
        topo=topo,
        es=es,
        cpm_makespan=cpm_makespan,
        project_cpm_finish=project_cpm_finish,
        static_lb=cpm_makespan,
    )
    comp.static_lb = _static_lower_bound(comp)
    return comp


def _has_window(prefix: list[int], q: int, d: int) -> bool:
    run = 0
    for c in prefix:
        run = run + 1 if c >= q else 0
        if run >= d:
            return True
    return False


def _static_lower_bound(c: _Compiled) -> int:
    """max(critical path, resource energy bound) on the makespan."""
    lb = c.cpm_makespan
    if c.n == 0:
        return lb
    first = min(c.release)
    for r in range(len(c.res_ids)):
        energy = sum(c.dur[j] * q for j in range(c.n) for rr, q in c.dem[j] if rr == r)
        if energy == 0:
            continue
        # Smallest T such that the capacity offered on [first, T) covers the energy.
        offered = 0
        t = first
        limit = max(c.profile_end[r], first)
        while t < limit and offered < energy:
            offered += c.cap(r, t)
            t += 1
        if offered < energy:
            base = c.base_cap[r]
            if base == 0:
                continue  # validation guarantees tasks fit; no further bound from here
            t += -(-(energy - offered) // base)
        lb = max(lb, t)
    return lb


def validate_problem(problem: LevelingProblem) -> None:
    """Check a problem and raise the first error found (nothing is returned).

    Errors come from :mod:`pmo.engine.errors` and name the task or resource at fault:
    unknown predecessors raise ``UnknownTaskError``, dependency cycles
    ``CyclicDependencyError`` (with ``task_ids``) and impossible demands, negative
    durations and the like ``InvalidInputError``.

    >>> validate_problem(LevelingProblem(tasks=(LevelTask("a", 2),)))
    >>> bad = LevelingProblem(tasks=(LevelTask("a", 2, predecessors=(Precedence("zz"),)),))
    >>> validate_problem(bad)
    Traceback (most recent call last):
    ...
    pmo.engine.errors.UnknownTaskError: task 'a' references unknown predecessor 'zz'
    """
    _compile(problem)


def lower_bound(problem: LevelingProblem) -> int:
    """A quick proven lower bound on the makespan: max(critical path, resource energy).

    >>> crane = Resource("crane", capacity=1)
    >>> p = LevelingProblem(
    ...     tasks=(LevelTask("a", 3, {"crane": 1}), LevelTask("b", 2, {"crane": 1})),
    ...     resources=(crane,),
    ... )
    >>> lower_bound(p)  # the crane must work 3 + 2 periods
    5
    """
    return _compile(problem).static_lb


# ---------------------------------------------------------------------------------------
# Serial schedule generation scheme
# ---------------------------------------------------------------------------------------


class _NoSlot(Exception):
    """A task could not be placed (its demand only fits a capacity window already gone)."""


def _serial_sgs(
    order: Sequence[int],
    dur: Sequence[int],
    dem: Sequence[tuple[Edge, ...]],
    preds: Sequence[tuple[Edge, ...]],
    rel: Sequence[int],
    avail0: Sequence[list[int]],
    base: Sequence[int],
    profile_end: Sequence[int],
) -> list[int]:
    """Place tasks one by one, in ``order``, at their earliest feasible start.

    ``avail0[r]`` is the free capacity of resource ``r`` per period (grown with ``base[r]``
    when needed); ``order`` must list every predecessor before its successors.
    """
    starts = [0] * len(dur)
    avail = [list(a) for a in avail0]
    for j in order:
        t = rel[j]
        for i, delta in preds[j]:
            v = starts[i] + delta
            if v > t:
                t = v
        d = dur[j]
        dm = dem[j]
        if dm:
            end = t + d
            while True:
                for r, q in dm:
                    a = avail[r]
                    if end > len(a):
                        if q > base[r] and t >= profile_end[r]:
                            raise _NoSlot(j)
                        a.extend([base[r]] * (end - len(a) + 64))
                    seg = a[t:end]
                    if min(seg) < q:
                        u = d - 1
                        while seg[u] >= q:
                            u -= 1
                        t += u + 1
                        end = t + d
                        break
                else:
                    break
            for r, q in dm:
                a = avail[r]
                a[t:end] = [x - q for x in a[t:end]]
        starts[j] = t
    return starts


_GE = [b"\x00" * q + b"\x01" * (256 - q) for q in range(256)]  # v -> 1 if v >= q else 0
_SUB = [b"\x00" * q + bytes(range(256 - q)) for q in range(256)]  # v -> v - q (v >= q)
_ONES = [b"\x01" * d for d in range(257)]


def _serial_sgs_bytes(
    order: Sequence[int],
    dur: Sequence[int],
    dem: Sequence[tuple[Edge, ...]],
    preds: Sequence[tuple[Edge, ...]],
    rel: Sequence[int],
    avail0: Sequence[bytes],
    base: Sequence[int],
) -> list[int]:
    """:func:`_serial_sgs` for capacities below 256: free capacity kept in byte strings.

    The earliest window of ``d`` periods with enough free capacity is then found by
    C-level ``translate`` / ``find`` calls instead of a Python loop over periods.  All
    ``avail0`` rows have the same length.
    """
    starts = [0] * len(dur)
    avail = [bytearray(a) for a in avail0]
    size = len(avail[0]) if avail else 0
    ge, sub, ones = _GE, _SUB, _ONES
    for j in order:
        t = rel[j]
        for i, delta in preds[j]:
            v = starts[i] + delta
            if v > t:
                t = v
        dm = dem[j]
        if dm:
            d = dur[j]
            pattern = ones[d] if d < 257 else b"\x01" * d
            while True:
                if len(dm) == 1:
                    r, q = dm[0]
                    pos = avail[r].translate(ge[q]).find(pattern, t)
                else:
                    acc = -1
                    for r, q in dm:
                        acc &= int.from_bytes(avail[r].translate(ge[q]), "little")
                    pos = acc.to_bytes(size, "little").find(pattern, t)
                if pos >= 0:
                    t = pos
                    break
                if any(q > base[r] for r, q in dm):
                    raise _NoSlot(j)  # only a capacity window would fit it, and it is gone
                extra = max(64, size, t + d - size)
                for r, row in enumerate(avail):
                    row.extend(bytes((base[r],)) * extra)
                size += extra
            end = t + d
            for r, q in dm:
                row = avail[r]
                row[t:end] = row[t:end].translate(sub[q])
        starts[j] = t
    return starts


def _ordered(key: Sequence[float], preds: Sequence[tuple[Edge, ...]], succs: Sequence[tuple[Edge, ...]]) -> list[int]:
    """A precedence-feasible order choosing, among eligible tasks, the smallest key."""
    n = len(key)
    indeg = [len(p) for p in preds]
    heap = [(key[j], j) for j in range(n) if indeg[j] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        _, i = heapq.heappop(heap)
        out.append(i)
        for j, _ in succs[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, (key[j], j))
    return out


_ScheduleKey = tuple[float, float, int]


class _Heuristic:
    """Serial SGS + forward-backward improvement on a compiled problem."""

    def __init__(
        self,
        c: _Compiled,
        objective: LevelingObjective,
        within_float: bool,
        deadline: Callable[[], bool],
    ) -> None:
        self.c = c
        self.objective = objective
        self.within_float = within_float
        self.out_of_time = deadline
        n = c.n
        self.n = n
        horizon = max(c.cpm_makespan, max(c.profile_end, default=0)) + max(c.dur, default=0) + 1
        self.avail0 = [[c.cap(r, t) for t in range(max(horizon, c.profile_end[r]))] for r in range(len(c.res_ids))]
        self.byte_mode = max(c.max_cap, default=0) <= 255
        width = max(horizon, max(c.profile_end, default=0))
        self.bytes0 = [bytes(c.cap(r, t) for t in range(width)) for r in range(len(c.res_ids))]
        self.zero_rel = [0] * n
        # Reversed problem: start'(j) = T - finish(j); an edge i->j (delta) becomes j->i.
        self.rpreds: list[tuple[Edge, ...]] = [
            tuple((k, delta + c.dur[k] - c.dur[j]) for k, delta in c.succs[j]) for j in range(n)
        ]
        self.rsuccs: list[tuple[Edge, ...]] = [
            tuple((i, delta + c.dur[j] - c.dur[i]) for i, delta in c.preds[j]) for j in range(n)
        ]
        # When every precedence keeps both starts and finishes in order (no leads), sorting a
        # feasible schedule by start (or by finish, reversed) is already precedence-feasible.
        self.monotone = all(
            delta >= 0 and delta + c.dur[k] - c.dur[j] >= 0 for j in range(n) for k, delta in c.succs[j]
        )
        rank = [0] * n
        for pos, j in enumerate(c.topo):
            rank[j] = pos
        self.rank = rank
        self.targets = [c.project_target(p) for p in range(len(c.project_ids))]
        self.deadlines = list(c.project_cpm_finish)
        self.best: list[int] | None = None
        self.best_key: _ScheduleKey = (math.inf, math.inf, 0)
        self.schedules = 0

    # -- evaluation ----------------------------------------------------------------------

    def key(self, starts: Sequence[int]) -> _ScheduleKey:
        c = self.c
        finish = list(c.project_release)
        for j in range(self.n):
            f = starts[j] + c.dur[j]
            p = c.project_of[j]
            if f > finish[p]:
                finish[p] = f
        makespan = max(finish, default=0)
        overrun = 0.0
        if self.within_float:
            overrun = float(sum(max(0, f - dl) for f, dl in zip(finish, self.deadlines, strict=True)))
        if self.objective == "makespan":
            return (overrun, float(makespan), makespan)
        delay = sum(w * max(0, f - tg) for w, f, tg in zip(c.project_priority, finish, self.targets, strict=True))
        return (overrun, delay, makespan)

    def offer(self, starts: list[int]) -> _ScheduleKey:
        k = self.key(starts)
        if k < self.best_key:
            self.best_key = k
            self.best = starts
        return k

    # -- passes --------------------------------------------------------------------------

    def forward(self, order: Sequence[int]) -> list[int] | None:
        c = self.c
        self.schedules += 1
        try:
            if self.byte_mode:
                return _serial_sgs_bytes(order, c.dur, c.dem, c.preds, c.release, self.bytes0, c.base_cap)
            return _serial_sgs(order, c.dur, c.dem, c.preds, c.release, self.avail0, c.base_cap, c.profile_end)
        except _NoSlot:
            return None

    def by_start(self, starts: Sequence[int]) -> list[int]:
        """Tasks by increasing start, as a precedence-feasible activity list."""
        n = self.n
        if self.monotone:
            rank = self.rank
            keys = [starts[j] * n + rank[j] for j in range(n)]
            return sorted(range(n), key=keys.__getitem__)
        return _ordered([float(x) for x in starts], self.c.preds, self.c.succs)

    def by_finish_desc(self, starts: Sequence[int]) -> list[int]:
        """Tasks by decreasing finish, precedence-feasible for the reversed problem."""
        n = self.n
        dur = self.c.dur
        if self.monotone:
            rank = self.rank
            keys = [-(starts[j] + dur[j]) * n - rank[j] for j in range(n)]
            return sorted(range(n), key=keys.__getitem__)
        return _ordered([-float(starts[j] + dur[j]) for j in range(n)], self.rpreds, self.rsuccs)

    def backward(self, starts: Sequence[int]) -> list[int] | None:
        """Right-justify ``starts`` within its makespan; returns original-time starts."""
        c = self.c
        n = self.n
        T = max((starts[j] + c.dur[j] for j in range(n)), default=0)
        order = self.by_finish_desc(starts)
        if c.has_profile:
            avail = [[c.cap(r, T - 1 - t) for t in range(T)] for r in range(len(c.res_ids))]
            rend = [0] * len(c.res_ids)  # beyond T (before period 0) base capacity is assumed
        else:
            avail = [[] for _ in c.res_ids]
            rend = c.profile_end
        self.schedules += 1
        try:
            if self.byte_mode:
                rows = [bytes(a) if a else bytes((c.base_cap[r],)) * T for r, a in enumerate(avail)]
                rs = _serial_sgs_bytes(order, c.dur, c.dem, self.rpreds, self.zero_rel, rows, c.base_cap)
            else:
                rs = _serial_sgs(order, c.dur, c.dem, self.rpreds, self.zero_rel, avail, c.base_cap, rend)
        except _NoSlot:
            return None
        out = [T - rs[j] - c.dur[j] for j in range(n)]
        slack = min((out[j] - c.release[j] for j in range(n)), default=0)
        if c.has_profile:
            if slack < 0:
                return None
        elif slack != 0:
            out = [s - slack for s in out]
        return out

    def improve(self, starts: list[int], rounds: int = 4) -> list[int]:
        """Forward-backward improvement: alternate right- and left-justification."""
        best = starts
        best_key = self.offer(starts)
        for _ in range(rounds):
            back = self.backward(best)
            if back is None:
                break
            self.offer(back)
            fwd = self.forward(self.by_start(back))
            if fwd is None:
                break
            k = self.offer(fwd)
            if k < best_key:
                best, best_key = fwd, k
            else:
                break
        return best

    # -- priority rules -------------------------------------------------------------------

    def latest_starts(self) -> list[int]:
        c = self.c
        n = self.n
        if self.objective == "weighted_delay" or self.within_float:
            dl = [self.targets[c.project_of[j]] if self.objective == "weighted_delay" else 0 for j in range(n)]
            if self.within_float:
                dl = [self.deadlines[c.project_of[j]] for j in range(n)]
        else:
            dl = [c.cpm_makespan] * n
        ls = [0] * n
        for j in reversed(c.topo):
            t = dl[j] - c.dur[j]
            for k, delta in c.succs[j]:
                t = min(t, ls[k] - delta)
            ls[j] = t
        return ls

    def rules(self) -> list[list[float]]:
        c = self.c
        n = self.n
        ls = self.latest_starts()
        lft = [float(ls[j] + c.dur[j]) for j in range(n)]
        # Total (transitive) successors, as bit sets.
        reach = [0] * n
        for j in reversed(c.topo):
            bits = 0
            for k, _ in c.succs[j]:
                bits |= reach[k] | (1 << k)
            reach[j] = bits
        mts = [-float(reach[j].bit_count()) for j in range(n)]
        grpw = [-float(c.dur[j] + sum(c.dur[k] for k, _ in c.succs[j])) for j in range(n)]
        lst = [float(ls[j]) for j in range(n)]
        rules = [lft, lst, mts, grpw]
        if len(set(c.project_of)) > 1:
            # Multi-project: favour high-priority projects (slack per unit of priority).
            prio = c.project_priority
            rules.append([(ls[j] - c.es[j]) / max(prio[c.project_of[j]], 1e-9) + 1e-6 * ls[j] for j in range(n)])
        return rules

    def sampled_order(self, prio: Sequence[float], rng: random.Random, alpha: float) -> list[int]:
        """Regret-biased random sampling: P(j) ~ (max priority - priority(j) + 1)^alpha."""
        c = self.c
        indeg = [len(p) for p in c.preds]
        eligible = [j for j in range(self.n) if indeg[j] == 0]
        out: list[int] = []
        while eligible:
            worst = max(prio[j] for j in eligible)
            weights = [(worst - prio[j] + 1.0) ** alpha for j in eligible]
            x = rng.random() * sum(weights)
            pick = len(eligible) - 1
            for pos, w in enumerate(weights):
                x -= w
                if x <= 0:
                    pick = pos
                    break
            i = eligible[pick]
            eligible[pick] = eligible[-1]
            eligible.pop()
            out.append(i)
            for j, _ in c.succs[i]:
                indeg[j] -= 1
                if indeg[j] == 0:
                    eligible.append(j)
        return out

    def crossover(self, mother: Sequence[int], father: Sequence[int], rng: random.Random) -> list[int]:
        """Two-point crossover of activity lists (keeps precedence feasibility)."""
        n = self.n
        q1 = rng.randrange(n + 1)
        q2 = rng.randrange(n + 1)
        if q1 > q2:
            q1, q2 = q2, q1
        child = list(mother[:q1])
        used = set(child)
        for j in father:
            if len(child) >= q2:
                break
            if j not in used:
                child.append(j)
                used.add(j)
        for j in mother:
            if j not in used:
                child.append(j)
                used.add(j)
        return child

    def mutate(self, order: list[int], rng: random.Random, rate: float) -> None:
        """Swap neighbours that are not precedence-related, with probability ``rate`` each."""
        c = self.c
        for pos in range(len(order) - 1):
            if rng.random() < rate:
                a, b = order[pos], order[pos + 1]
                if all(i != a for i, _ in c.preds[b]):
                    order[pos], order[pos + 1] = b, a

    def run(self, seed: int, iterations: int, pop_size: int | None = None) -> None:
        c = self.c
        n = self.n
        if n == 0:
            self.best = []
            self.best_key = self.key([])
            return
        rng = random.Random(seed)
        population: list[tuple[_ScheduleKey, list[int], tuple[int, ...]]] = []
        seen: set[tuple[int, ...]] = set()  # schedules in the population (no duplicates)

        def as_list(starts: Sequence[int]) -> list[int]:
            return self.by_start(starts)

        def evaluate(order: list[int]) -> None:
            s = self.forward(order)
            if s is None:
                return
            s = self.improve(s)
            sig = tuple(s)
            if sig not in seen:
                seen.add(sig)
                population.append((self.key(s), as_list(s), sig))

        if self.best is not None:  # a later run (exact mode) goes on from the best schedule
            evaluate(self.by_start(self.best))
        rules = self.rules()
        for prio in rules:
            evaluate(_ordered(prio, c.preds, c.succs))
            if self.done():
                return
        lb = c.static_lb
        # Phase 1: regret-biased sampling around the LFT rule.
        samples = max(2, min(iterations // 3, 100))
        for it in range(samples):
            if self.done(lb) or self.out_of_time():
                return
            prio = rules[it % 2] if it % 3 else rules[0]
            evaluate(self.sampled_order(prio, rng, alpha=1.0 + (it % 3)))
        # Phase 2: a small genetic search over activity lists, seeded by the best so far.
        if pop_size is None:
            pop_size = max(20, min(40, iterations // 25))
        remaining = iterations - samples
        while remaining > 0 and population:
            if self.done(lb) or self.out_of_time():
                return
            population.sort(key=lambda e: e[0])
            for _, _, gone in population[pop_size:]:
                seen.discard(gone)
            del population[pop_size:]
            a = population[rng.randrange(len(population))][1]
            b = population[min(rng.randrange(len(population)), rng.randrange(len(population)))][1]
            child = self.crossover(a, b, rng) if rng.random() < 0.9 else list(a)
            self.mutate(child, rng, 0.05)
            evaluate(child)
            remaining -= 1

    def done(self, lb: int | None = None) -> bool:
        bound = self.c.static_lb if lb is None else lb
        k = self.best_key
        if k[0] > 0:
            return False
        if self.objective == "makespan":
            return k[2] <= bound
        return k[1] <= 0 and k[2] <= bound


# ---------------------------------------------------------------------------------------
# Results and explanations
# ---------------------------------------------------------------------------------------


def _explain(c: _Compiled, starts: Sequence[int]) -> tuple[dict[str, TaskDelay], tuple[Bottleneck, ...]]:
    n = c.n
    makespan = max((starts[j] + c.dur[j] for j in range(n)), default=0)
    nres = len(c.res_ids)
    usage = [[0] * makespan for _ in range(nres)]
    holders: list[list[list[int]]] = [[[] for _ in range(makespan)] for _ in range(nres)]
    for j in range(n):
        for r, q in c.dem[j]:
            for t in range(starts[j], starts[j] + c.dur[j]):
                usage[r][t] += q
                holders[r][t].append(j)
    delays: dict[str, TaskDelay] = {}
    held = [0] * nres
    held_periods = [0] * nres
    for j in range(n):
        s = starts[j]
        ready = c.release[j]
        for i, delta in c.preds[j]:
            ready = max(ready, starts[i] + delta)
        blocked_by: int | None = None
        blockers: tuple[str, ...] = ()
        if s > ready and c.dem[j]:
            best: tuple[int, int] | None = None
            for r, q in c.dem[j]:
                for t in range(ready, ready + c.dur[j]):
                    own = q if s <= t < s + c.dur[j] else 0
                    if t >= makespan:
                        break
                    if usage[r][t] - own + q > c.cap(r, t):
                        if best is None or t < best[0]:
                            best = (t, r)
                        break
            if best is not None:
                t, blocked_by = best
                blockers = tuple(c.ids[k] for k in holders[blocked_by][t] if k != j)
                held[blocked_by] += 1
                held_periods[blocked_by] += s - ready
        delays[c.ids[j]] = TaskDelay(
            task=c.ids[j],
            early_start=c.es[j],
            ready=ready,
            start=s,
            delay=s - c.es[j],
            resource_delay=s - ready,
            resource=c.res_ids[blocked_by] if blocked_by is not None else None,
            blocking_tasks=blockers,
        )
    bottlenecks: list[Bottleneck] = []
    for r in range(nres):
        offered = sum(c.cap(r, t) for t in range(makespan))
        used = sum(usage[r])
        bottlenecks.append(
            Bottleneck(
                resource=c.res_ids[r],
                delayed_tasks=held[r],
                delay_periods=held_periods[r],
                utilization=round(used / offered, 4) if offered else 0.0,
                peak=max(usage[r], default=0),
                capacity=c.base_cap[r],
            )
        )
    bottlenecks.sort(key=lambda b: (-b.delay_periods, -b.utilization, b.resource))
    return delays, tuple(bottlenecks)


def _result(
    c: _Compiled,
    starts: Sequence[int],
    *,
    status: LevelingStatus,
    lower: int,
    objective: LevelingObjective,
    objective_bound: float,
    started: float,
    mode: str,
    message: str = "",
) -> LevelingResult:
    n = c.n
    finish = list(c.project_release)
    for j in range(n):
        p = c.project_of[j]
        finish[p] = max(finish[p], starts[j] + c.dur[j])
    makespan = max((starts[j] + c.dur[j] for j in range(n)), default=0)
    if objective == "makespan":
        value = float(makespan)
    else:
        value = float(
            sum(c.project_priority[p] * max(0, finish[p] - c.project_target(p)) for p in range(len(c.project_ids)))
        )
    delays, bottlenecks = _explain(c, starts)
    return LevelingResult(
        status=status,
        makespan=makespan,
        lower_bound=min(lower, makespan) if status != "infeasible" else lower,
        starts=MappingProxyType({c.ids[j]: starts[j] for j in range(n)}),
        finishes=MappingProxyType({c.ids[j]: starts[j] + c.dur[j] for j in range(n)}),
        project_finishes=MappingProxyType({c.project_ids[p]: finish[p] for p in range(len(c.project_ids))}),
        objective=objective,
        objective_value=value,
        objective_bound=min(objective_bound, value) if status != "infeasible" else objective_bound,
        delays=MappingProxyType(delays),
        bottlenecks=bottlenecks,
        solve_time_s=time.perf_counter() - started,
        mode=mode,
        message=message,
    )


def _check_options(objective: str, iterations: int | None = None) -> None:
    if objective not in _OBJECTIVES:
        raise InvalidInputError(f"unknown objective {objective!r} (use 'makespan' or 'weighted_delay')")
    if iterations is not None and iterations < 0:
        raise InvalidInputError("iterations must be >= 0")


def _default_iterations(n: int) -> int:
    """Activity lists to try by default: about 0.03 s for 30 tasks, 0.5 s for 120 tasks."""
    return max(100, min(400, 3 * n + 40))


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def schedule_unconstrained(problem: LevelingProblem) -> LevelingResult:
    """Earliest starts ignoring resource capacities (critical-path method, in periods).

    The status is ``"optimal"`` and the lower bound equals the makespan; the ``delays``
    show which tasks would need more than the available capacity.

    >>> p = LevelingProblem(tasks=(
    ...     LevelTask("design", 3),
    ...     LevelTask("build", 4, predecessors=(Precedence("design", "FS", 1),)),
    ...     LevelTask("test", 2, predecessors=(Precedence("build", "SS", 2),)),
    ... ))
    >>> r = schedule_unconstrained(p)
    >>> dict(r.starts), r.makespan, r.status
    ({'design': 0, 'build': 4, 'test': 6}, 8, 'optimal')
    """
    started = time.perf_counter()
    c = _compile(problem)
    return _result(
        c,
        c.es,
        status="optimal",
        lower=c.cpm_makespan,
        objective="makespan",
        objective_bound=float(c.cpm_makespan),
        started=started,
        mode="cpm",
    )


def level_fast(
    problem: LevelingProblem,
    *,
    seed: int = 0,
    iterations: int | None = None,
    time_limit_s: float | None = None,
    objective: LevelingObjective = "makespan",
    within_float: bool = False,
) -> LevelingResult:
    """Level with priority rules, biased random sampling and forward-backward improvement.

    ``iterations`` is the number of sampled / recombined activity lists (each one is
    scheduled by the serial schedule generation scheme and then improved by
    forward-backward justification); by default it scales with the problem size (about
    0.05 s for 30 tasks, 0.5 s for 120).  The run is deterministic for a given ``seed``
    unless ``time_limit_s`` stops it early.  It stops as soon as the makespan meets the
    static lower bound, in which case the status is ``"optimal"``; otherwise it is
    ``"feasible"``.

    With ``within_float=True`` no project may finish later than its resource-unconstrained
    critical-path finish.  When no such schedule is found the status is ``"infeasible"``
    (not a proof: the heuristic may have missed one, try :func:`level_exact`) and the
    schedule returned is the best effort, the one with the smallest total overrun.

    >>> crane = Resource("crane", capacity=1)
    >>> p = LevelingProblem(
    ...     tasks=(
    ...         LevelTask("lift", 3, {"crane": 1}),
    ...         LevelTask("place", 2, {"crane": 1}),
    ...         LevelTask("fix", 1, predecessors=(Precedence("place"),)),
    ...     ),
    ...     resources=(crane,),
    ... )
    >>> r = level_fast(p, seed=1)
    >>> dict(r.starts), r.makespan, r.status
    ({'lift': 2, 'place': 0, 'fix': 2}, 5, 'optimal')
    >>> r.delays["lift"].resource, r.delays["lift"].blocking_tasks
    ('crane', ('place',))
    """
    started = time.perf_counter()
    _check_options(objective, iterations)
    c = _compile(problem)
    return _level_fast_compiled(
        c,
        seed=seed,
        iterations=iterations,
        time_limit_s=time_limit_s,
        objective=objective,
        within_float=within_float,
        started=started,
    )


def _level_fast_compiled(
    c: _Compiled,
    *,
    seed: int,
    iterations: int | None,
    time_limit_s: float | None,
    objective: LevelingObjective,
    within_float: bool,
    started: float,
) -> LevelingResult:
    stop_at = None if time_limit_s is None else started + time_limit_s

    def out_of_time() -> bool:
        return stop_at is not None and time.perf_counter() >= stop_at

    h = _Heuristic(c, objective, within_float, out_of_time)
    h.run(seed, _default_iterations(c.n) if iterations is None else iterations)
    if h.best is None:
        return _infeasible_result(c, objective, started, "fast", "no feasible schedule found")
    overrun = h.best_key[0]
    makespan = h.best_key[2]
    if overrun > 0:
        status: LevelingStatus = "infeasible"
        message = (
            f"no schedule keeps every project within its float found (best effort overruns by "
            f"{int(overrun)} period(s) in total; not a proof, try exact mode)"
        )
    else:
        optimal = makespan <= c.static_lb and (objective == "makespan" or h.best_key[1] <= 0)
        status = "optimal" if optimal else "feasible"
        message = ""
    return _result(
        c,
        h.best,
        status=status,
        lower=c.static_lb,
        objective=objective,
        objective_bound=float(c.static_lb) if objective == "makespan" else 0.0,
        started=started,
        mode="fast",
        message=message,
    )


def _infeasible_result(
    c: _Compiled, objective: LevelingObjective, started: float, mode: str, message: str
) -> LevelingResult:
    return LevelingResult(
        status="infeasible",
        makespan=0,
        lower_bound=c.static_lb,
        starts=MappingProxyType({}),
        finishes=MappingProxyType({}),
        project_finishes=MappingProxyType({}),
        objective=objective,
        objective_value=0.0,
        objective_bound=0.0,
        solve_time_s=time.perf_counter() - started,
        mode=mode,
        message=message,
    )


def level_exact(
    problem: LevelingProblem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    num_workers: int = 2,
    objective: LevelingObjective = "makespan",
    within_float: bool = False,
    warm_start: bool = True,
) -> LevelingResult:
    """Level with the OR-Tools CP-SAT solver; returns the best schedule and a proven bound.

    The model has one interval per task, one cumulative constraint per resource (time
    varying capacities become fixed dummy intervals), the four precedence types with lags
    and either the makespan or the priority-weighted project delay (ties broken by
    makespan) as objective.  With ``warm_start`` the :func:`level_fast` schedule (computed
    within the same time budget) is given as a hint and its makespan bounds the horizon;
    CP-SAT then runs (on ``num_workers - 1`` workers, at least one) in a background thread
    while the genetic search goes on, and a last round on all workers starts from the best
    schedule of both.
    ``lower_bound`` is the best of the solver's proven bound, the critical path and the
    resource energy bound.  The status is ``"optimal"`` when the bound is met,
    ``"feasible"`` when the time ran out first and ``"infeasible"`` when no schedule
    exists (proven), or when none was found within the time limit (see ``message``).
    With ``within_float=True`` an infeasible result carries the heuristic's best-effort
    schedule (the one overrunning the critical-path finishes the least).

    >>> crane = Resource("crane", capacity=1, capacity_profile=((0, 2, 0),))
    >>> p = LevelingProblem(
    ...     tasks=(LevelTask("lift", 3, {"crane": 1}), LevelTask("place", 2, {"crane": 1})),
    ...     resources=(crane,),
    ... )
    >>> r = level_exact(p, time_limit_s=5)
    >>> r.makespan, r.lower_bound, r.status  # the crane is away in periods 0 and 1
    (7, 7, 'optimal')
    """
    started = time.perf_counter()
    _check_options(objective)
    if time_limit_s <= 0:
        raise InvalidInputError("time_limit_s must be > 0")
    if num_workers < 1:
        raise InvalidInputError("num_workers must be >= 1")
    c = _compile(problem)
    return _solve_exact(
        c,
        time_limit_s=time_limit_s,
        seed=seed,
        num_workers=num_workers,
        objective=objective,
        within_float=within_float,
        warm_start=warm_start,
        started=started,
    )


# ---------------------------------------------------------------------------------------
# Exact solver (CP-SAT)
# ---------------------------------------------------------------------------------------


def _safe_horizon(c: _Compiled) -> int:
    """A makespan every semi-active schedule stays within (used when no heuristic bound)."""
    total = 0
    for j in range(c.n):
        total += c.dur[j] + max([0, *(delta for _, delta in c.preds[j])])
    return max(c.cpm_makespan, max(c.release, default=0) + max(c.profile_end, default=0) + total)


_DISJUNCTION_TASK_LIMIT = 500  # the pair search is quadratic; larger plans go without it


def _disjunctions(c: _Compiled) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """Pairs of tasks that can never run together (together they need more of some
    resource than it ever has) and are not already ordered by precedences, and greedy
    cliques of such tasks.  An explicit order literal per pair and a no-overlap constraint
    per clique let CP-SAT learn from and reason about task orders (disjunctive edge
    finding), which the cumulative alone does not: on the hardest PSPLIB j30 instances
    they halve the gap left after one second."""
    users = [j for j in range(c.n) if c.dem[j]]
    if len(users) > _DISJUNCTION_TASK_LIMIT:
        return [], []
    reach = [0] * c.n  # transitive successors as bit sets
    for j in reversed(c.topo):
        bits = 0
        for k, _ in c.succs[j]:
            bits |= reach[k] | (1 << k)
        reach[j] = bits
    need = [dict(c.dem[j]) for j in range(c.n)]
    clash = {j: 0 for j in users}
    pairs: list[tuple[int, int]] = []
    for a_pos, a in enumerate(users):
        for b in users[a_pos + 1 :]:
            if any(q + need[b].get(r, 0) > c.max_cap[r] for r, q in need[a].items()):
                clash[a] |= 1 << b
                clash[b] |= 1 << a
                if not (reach[a] >> b & 1 or reach[b] >> a & 1):
                    pairs.append((a, b))
    # Greedy cliques, one seeded by each task, the most resource-hungry tasks first.
    hungry = sorted(users, key=lambda j: -sum(q / c.max_cap[r] for r, q in c.dem[j]))
    cliques: list[list[int]] = []
    found: set[int] = set()
    for seed in hungry:
        members = [seed]
        candidates = clash[seed]
        for j in hungry:
            if candidates >> j & 1:
                members.append(j)
                candidates &= clash[j]
        signature = sum(1 << j for j in members)
        if len(members) >= 3 and signature not in found:
            found.add(signature)
            cliques.append(members)
    return pairs, cliques


def _latest_starts(c: _Compiled, deadline: Sequence[int]) -> list[int]:
    ls = [0] * c.n
    for j in reversed(c.topo):
        t = deadline[j] - c.dur[j]
        for k, delta in c.succs[j]:
            t = min(t, ls[k] - delta)
        ls[j] = t
    return ls


# Exact mode splits its time budget: the heuristic (default iterations, at most the first
# _FIRST_HEURISTIC_SHARE), then, up to _HEURISTIC_SHARE, CP-SAT in a background thread (it
# releases the GIL) while the genetic search goes on in this one, and a last CP-SAT round on
# all workers hinted with the best schedule of both.  The GA is single-threaded, so this
# keeps both cores busy; on hard instances (PSPLIB j120 with scarce resources) CP-SAT rarely
# improves its warm start within seconds while the GA keeps finding shorter schedules, and
# a larger population than fast mode's pays off over such a long run.
_FIRST_HEURISTIC_SHARE = 0.25
_SMALL_PROBLEM_TASKS = 60
_SMALL_HEURISTIC_SHARE = 0.15
_HEURISTIC_SHARE = 0.8
_LONG_RUN_POPULATION = 80
_PRIORITY_SCALE = 1000  # CP-SAT needs integer weights: priorities are rounded to 1/1000


@dataclass
class _Round:
    code: int
    starts: list[int] | None
    bound: float  # solver's proven bound on its objective


def _cpsat_round(
    c: _Compiled,
    *,
    horizon: int,
    objective: LevelingObjective,
    within_float: bool,
    hint: Sequence[int] | None,
    time_limit_s: float,
    seed: int,
    num_workers: int,
    stoppers: list[Callable[[], None]] | None = None,
) -> _Round:
    from ortools.sat.python import cp_model  # local import: OR-Tools is slow to load

    n = c.n
    deadline = [horizon] * n
    if within_float:
        deadline = [min(horizon, c.project_cpm_finish[c.project_of[j]]) for j in range(n)]
    ls = _latest_starts(c, deadline)
    if any(ls[j] < c.es[j] for j in range(n)):
        return _Round(int(cp_model.INFEASIBLE), None, math.inf)

    model = cp_model.CpModel()
    starts = [model.new_int_var(c.es[j], ls[j], f"s{j}") for j in range(n)]
    for j in range(n):
        for i, delta in c.preds[j]:
            model.add(starts[j] >= starts[i] + delta)
    makespan = model.new_int_var(min(c.static_lb, horizon), horizon, "makespan")
    for j in range(n):
        # finish(k) >= finish(j) for some successor k makes the makespan bound redundant.
        if not any(delta + c.dur[k] >= c.dur[j] for k, delta in c.succs[j]):
            model.add(makespan >= starts[j] + c.dur[j])

    intervals = {j: model.new_fixed_size_interval_var(starts[j], c.dur[j], f"i{j}") for j in range(n) if c.dem[j]}
    for r in range(len(c.res_ids)):
        users = [(j, q) for j in range(n) for rr, q in c.dem[j] if rr == r]
        if not users:
            continue
        cap = c.max_cap[r]
        ivs = [intervals[j] for j, _ in users]
        demands = [q for _, q in users]
        t = 0
        while t < horizon:  # capacity below the maximum: fixed dummy intervals
            level = c.cap(r, t)
            end = t + 1
            while end < horizon and c.cap(r, end) == level:
                end += 1
            if level < cap:
                ivs.append(model.new_fixed_size_interval_var(t, end - t, f"cap{r}_{t}"))
                demands.append(cap - level)
            t = end
        if objective == "makespan":
            # Nothing runs after the makespan: lets the cumulative reason about the end.
            ivs.append(model.new_interval_var(makespan, horizon - makespan, horizon, f"tail{r}"))
            demands.append(cap)
        model.add_cumulative(ivs, demands, cap)
    pairs, cliques = _disjunctions(c)
    for a, b in pairs:
        a_first = model.new_bool_var(f"o{a}_{b}")
        model.add(starts[a] + c.dur[a] <= starts[b]).only_enforce_if(a_first)
        model.add(starts[b] + c.dur[b] <= starts[a]).only_enforce_if(~a_first)
    for clique in cliques:
        model.add_no_overlap([intervals[j] for j in clique])

    if objective == "weighted_delay":
        weights = [round(p * _PRIORITY_SCALE) for p in c.project_priority]
        lates = []
        for p in range(len(c.project_ids)):
            fin = model.new_int_var(c.project_release[p], horizon, f"finish_p{p}")
            for j in range(n):
                if c.project_of[j] == p:
                    model.add(fin >= starts[j] + c.dur[j])
            late = model.new_int_var(0, horizon, f"delay_p{p}")
            model.add(late >= fin - c.project_target(p))
            lates.append(late)
        model.minimize((horizon + 1) * sum(w * x for w, x in zip(weights, lates, strict=True)) + makespan)
    else:
        model.minimize(makespan)

    if hint is not None and all(c.es[j] <= hint[j] <= ls[j] for j in range(n)):
        for j in range(n):
            model.add_hint(starts[j], hint[j])
        model.add_hint(makespan, max(hint[j] + c.dur[j] for j in range(n)))

    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.01, time_limit_s)
    prm.num_workers = num_workers
    prm.random_seed = seed
    if stoppers is not None:  # lets another thread end the search early
        stoppers.append(solver.stop_search)
    code = solver.solve(model)
    if code == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in the model above
        raise InvalidInputError(f"internal model error: {model.validate()}")
    found = [int(solver.value(v)) for v in starts] if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    bound = solver.best_objective_bound if found is not None else math.inf if code == cp_model.INFEASIBLE else 0.0
    if objective == "weighted_delay" and math.isfinite(bound):
        bound = (bound // (horizon + 1)) / _PRIORITY_SCALE
    return _Round(int(code), found, bound)


def _solve_exact(
    c: _Compiled,
    *,
    time_limit_s: float,
    seed: int,
    num_workers: int,
    objective: LevelingObjective,
    within_float: bool,
    warm_start: bool,
    started: float,
) -> LevelingResult:
    from ortools.sat.python import cp_model  # local import: OR-Tools is slow to load

    n = c.n
    # Small problems: CP-SAT on all workers soon after a short heuristic start finds (and
    # proves) optima the genetic search misses; on large ones the GA beside it pays more.
    small = n <= _SMALL_PROBLEM_TASKS
    first_stop = started + (_SMALL_HEURISTIC_SHARE if small else _FIRST_HEURISTIC_SHARE) * time_limit_s
    h = _Heuristic(c, objective, within_float, lambda: time.perf_counter() >= first_stop)
    lower = c.static_lb
    bound = float(c.static_lb) if objective == "makespan" else 0.0

    def finish(starts: Sequence[int], status: LevelingStatus, message: str = "") -> LevelingResult:
        return _result(
            c,
            starts,
            status=status,
            lower=lower,
            objective=objective,
            objective_bound=bound,
            started=started,
            mode="exact",
            message=message,
        )

    if n == 0:
        return finish([], "optimal")
    if warm_start:
        h.run(seed, _default_iterations(n))
        if h.done():
            assert h.best is not None
            return finish(h.best, "optimal", "the heuristic met the lower bound")

    proven = False
    infeasible = False

    def absorb(out: _Round) -> None:
        nonlocal lower, bound, proven, infeasible
        if out.code == cp_model.INFEASIBLE:
            infeasible = True
            return
        if out.starts is None:
            return
        h.improve(out.starts)  # justification may shorten the solver's schedule further
        if objective == "makespan":
            lower = max(lower, math.ceil(out.bound - 1e-6))
            bound = float(lower)
        else:
            bound = max(bound, out.bound)
        if out.code == cp_model.OPTIMAL or (objective == "makespan" and h.best_key[2] <= lower):
            proven = True

    stoppers: list[Callable[[], None]] = []
    halted = threading.Event()

    def cpsat(until: float, workers: int, round_seed: int) -> Callable[[], _Round | None]:
        # Hint and horizon are taken now: the genetic search may run alongside the solver.
        hint = h.best
        feasible = hint is not None and h.best_key[0] == 0
        horizon = h.best_key[2] if objective == "makespan" and feasible else _safe_horizon(c)

        def solve() -> _Round | None:
            remaining = until - time.perf_counter()
            if remaining < 0.02 or halted.is_set():
                return None
            return _cpsat_round(
                c,
                horizon=horizon,
                objective=objective,
                within_float=within_float,
                hint=hint,
                time_limit_s=remaining,
                seed=round_seed,
                num_workers=workers,
                stoppers=stoppers,
            )

        return solve

    if warm_start and not small:
        until = started + _HEURISTIC_SHARE * time_limit_s
        outcome: list[_Round | None] = [None]
        failure: list[BaseException] = []
        solve = cpsat(until, max(1, num_workers - 1), seed)

        def background() -> None:
            try:
                outcome[0] = solve()
            except BaseException as exc:  # pragma: no cover - re-raised below
                failure.append(exc)

        worker = threading.Thread(target=background, name="pmo-cpsat", daemon=True)
        worker.start()
        h.out_of_time = lambda: time.perf_counter() >= until or not worker.is_alive()
        h.run(seed + 1, 1 << 30, pop_size=_LONG_RUN_POPULATION)
        if h.done():  # the genetic search met the static bound: the solver can stop
            halted.set()
            for stop in list(stoppers):
                stop()
        worker.join()
        if failure:
            raise failure[0]
        if outcome[0] is not None:
            absorb(outcome[0])
        if not (proven or infeasible) and (h.done(lower) if objective == "makespan" else h.done()):
            proven = True
    if not (proven or infeasible):
        out = cpsat(started + time_limit_s, num_workers, seed + 2)()
        if out is not None:
            absorb(out)

    if h.best is None:
        if infeasible:
            return _infeasible_result(c, objective, started, "exact", "no feasible schedule exists (proven)")
        return _infeasible_result(c, objective, started, "exact", "no schedule found within the time limit")
    if h.best_key[0] > 0:
        overrun = int(h.best_key[0])
        why = "(proven)" if infeasible else "within the time limit (not proven)"
        return finish(
            h.best,
            "infeasible",
            f"no schedule keeps every project within its float {why}; the schedule shown is the best "
            f"effort, overrunning the critical-path finishes by {overrun} period(s) in total",
        )
    if proven:
        return finish(h.best, "optimal")
    return finish(h.best, "feasible")
