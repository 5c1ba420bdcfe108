"""The neutral project plan: a whole plan as a PMO tool holds it, whatever file it came from.

:class:`ProjectPlan` is richer than the scheduling input :class:`~pmo.engine.schedule.ProjectNetwork`: it keeps
the WBS (codes, outline levels, parents), the dates stored in the file, the calendars by id, resources,
assignments and baselines, so that a file can be read, inspected, scheduled and written back.  The readers
(:mod:`pmo.engine.formats.mspdi`, :mod:`pmo.engine.formats.mpxj_reader`) produce it; :func:`plan_to_network`
turns it into the CPM input and :func:`schedule_plan` schedules it.

Identifiers are strings: task and resource ``uid`` values are the unique ids of the source file (MS Project
``UID``, Primavera ``task_id``) as text; calendar ids likewise.  Durations and lags are integer *working
minutes* (on the task's calendar), except for elapsed durations and lags, which count calendar minutes.

>>> from datetime import datetime
>>> plan = ProjectPlan(
...     name="Demo",
...     start=datetime(2025, 1, 6, 8),
...     tasks=(
...         PlanTask("1", "Phase 1", wbs="1", outline_level=1, is_summary=True),
...         PlanTask("2", "Design", wbs="1.1", outline_level=2, parent_uid="1", duration_minutes=2 * 480),
...         PlanTask("3", "Build", wbs="1.2", outline_level=2, parent_uid="1", duration_minutes=3 * 480),
...     ),
...     dependencies=(PlanDependency("2", "3", lag_minutes=480),),
... )
>>> sched = schedule_plan(plan)
>>> sched["3"].start, sched["1"].finish
(datetime.datetime(2025, 1, 9, 8, 0), datetime.datetime(2025, 1, 13, 17, 0))
>>> plan.task("3").name, [t.uid for t in plan.children_of("1")]
('Build', ['2', '3'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import CyclicDependencyError, InvalidInputError, UnknownTaskError
from pmo.engine.leveling import LevelingResult
from pmo.engine.schedule import (
    Constraint,
    ConstraintType,
    Dependency,
    DependencyType,
    ProjectNetwork,
    Schedule,
    Task,
    critical_path,
)

__all__ = [
    "ELAPSED_CALENDAR",
    "LeveledTask",
    "PlanAssignment",
    "PlanBaseline",
    "PlanDependency",
    "PlanLevelingResult",
    "PlanResource",
    "PlanTask",
    "ProjectPlan",
    "ResourceType",
    "level_plan",
    "plan_to_network",
    "schedule_plan",
    "summary_uids",
    "wbs_parents",
]

ELAPSED_CALENDAR = WorkingCalendar(name="Elapsed (24 hours, 7 days)", week=(((0, 1440),),) * 7)
"""The calendar an elapsed-duration task runs on: every minute of every day is working time."""


class ResourceType(StrEnum):
    """Kinds of resources (MS Project's work / material / cost).

    >>> ResourceType("material") is ResourceType.MATERIAL
    True
    """

    WORK = "work"
    """People and equipment: they have a calendar and a capacity (``max_units``)."""
    MATERIAL = "material"
    """Consumables: no capacity limit in time."""
    COST = "cost"
    """A cost item (travel, fees): no work, no capacity."""


@dataclass(frozen=True, slots=True)
class PlanTask:
    """One task of the plan, as stored in the file.

    ``start``/``finish`` are the dates the file holds (the source tool's schedule), not recomputed ones.
    ``duration_minutes`` is working time on the task's calendar (calendar minutes when
    ``duration_is_elapsed``).  ``remaining_minutes`` is the remaining duration the tool stored (``None`` when
    absent).  ``manual`` marks MS Project's manually scheduled tasks; ``active=False`` an inactive task
    (ignored by scheduling).  ``row_id`` is the display row number (MS Project ``ID``).

    >>> PlanTask("7", "Go-live", is_milestone=True).is_milestone
    True
    """

    uid: str
    name: str = ""
    wbs: str = ""
    outline_level: int = 1
    parent_uid: str | None = None
    duration_minutes: int = 0
    is_milestone: bool = False
    is_summary: bool = False
    constraint: Constraint | None = None
    start: datetime | None = None
    finish: datetime | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    percent_complete: float = 0.0
    remaining_minutes: int | None = None
    calendar_id: str | None = None
    notes: str | None = None
    duration_is_elapsed: bool = False
    manual: bool = False
    active: bool = True
    ignore_resource_calendar: bool = False
    row_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.uid, str) or not self.uid:
            raise InvalidInputError(f"task uid must be a non-empty string, got {self.uid!r}")
        d = self.duration_minutes
        if isinstance(d, bool) or not isinstance(d, int) or d < 0:
            raise InvalidInputError(f"task {self.uid!r}: duration_minutes must be an int >= 0, got {d!r}")
        if not 0 <= self.percent_complete <= 100:
            raise InvalidInputError(f"task {self.uid!r}: percent_complete must be within 0..100")

    @property
    def label(self) -> str:
        """``UID 5 'Build'``: how messages name a task.

        >>> PlanTask("5", "Build").label
        "UID 5 'Build'"
        """
        return f"UID {self.uid} {self.name!r}"


@dataclass(frozen=True, slots=True)
class PlanDependency:
    """A link ``predecessor -> successor`` (task uids) with its type and lag.

    ``lag_minutes`` is working minutes on the successor's calendar, or calendar minutes when
    ``lag_is_elapsed``.  ``lag_format`` is the display unit code of the source file (MSPDI ``LagFormat``:
    3 m, 5 h, 7 d, 9 w, 11 mo, even numbers elapsed), kept for writing the file back.

    >>> PlanDependency("1", "2", "SS", 240).type
    <DependencyType.SS: 'SS'>
    """

    predecessor_uid: str
    successor_uid: str
    type: DependencyType = DependencyType.FS
    lag_minutes: int = 0
    lag_is_elapsed: bool = False
    lag_format: int | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "type", DependencyType(self.type))
        except ValueError:
            raise InvalidInputError(
                f"dependency {self.predecessor_uid!r} -> {self.successor_uid!r}: type must be FS, SS, FF or SF"
            ) from None
        if isinstance(self.lag_minutes, bool) or not isinstance(self.lag_minutes, int):
            raise InvalidInputError(
                f"dependency {self.predecessor_uid!r} -> {self.successor_uid!r}: lag_minutes must be an int"
            )


@dataclass(frozen=True, slots=True)
class PlanResource:
    """A resource: ``max_units`` is its capacity (1.0 = 100 %, one full-time person), ``standard_rate`` its
    cost per hour of work.

    >>> PlanResource("1", "Crane", ResourceType.WORK, max_units=2.0).max_units
    2.0
    """

    uid: str
    name: str = ""
    type: ResourceType = ResourceType.WORK
    max_units: float = 1.0
    calendar_id: str | None = None
    standard_rate: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.uid, str) or not self.uid:
            raise InvalidInputError(f"resource uid must be a non-empty string, got {self.uid!r}")
        try:
            object.__setattr__(self, "type", ResourceType(self.type))
        except ValueError:
            raise InvalidInputError(f"resource {self.uid!r}: type must be work, material or cost") from None
        if self.max_units < 0:
            raise InvalidInputError(f"resource {self.uid!r}: max_units must be >= 0")


@dataclass(frozen=True, slots=True)
class PlanAssignment:
    """A resource assigned to a task: ``units`` (1.0 = 100 % of one unit) and planned ``work_minutes``.

    >>> PlanAssignment("2", "1", units=0.5, work_minutes=960).units
    0.5
    """

    task_uid: str
    resource_uid: str
    units: float = 1.0
    work_minutes: int = 0
    uid: str | None = None


@dataclass(frozen=True, slots=True)
class PlanBaseline:
    """A saved baseline of a task: ``number`` 0 is "Baseline", 1-10 are "Baseline1".."Baseline10".

    >>> from datetime import datetime
    >>> PlanBaseline("2", 0, start=datetime(2025, 1, 6, 8), duration_minutes=960).number
    0
    """

    task_uid: str
    number: int = 0
    start: datetime | None = None
    finish: datetime | None = None
    duration_minutes: int | None = None
    cost: float | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.number <= 10:
            raise InvalidInputError(f"task {self.task_uid!r}: baseline number must be within 0..10")


def _freeze_calendars(calendars: Mapping[str, WorkingCalendar] | None) -> Mapping[str, WorkingCalendar]:
    return MappingProxyType(dict(calendars or {}))


@dataclass(frozen=True)
class ProjectPlan:
    """A whole project plan.

    ``calendar`` is the project calendar (its ``minutes_per_day`` converts day counts); ``calendars`` holds
    every calendar by id (the project calendar included when the file names it, see ``calendar_id``).
    ``finish`` is the finish stored in the file (used as the anchor when ``schedule_from_start`` is false);
    ``status_date`` the "as of" date of recorded progress.

    Validation: task uids are unique, every dependency, parent, assignment and baseline names an existing
    task, and every assignment an existing resource.

    >>> from datetime import datetime
    >>> ProjectPlan("x", datetime(2025, 1, 6, 8), tasks=(PlanTask("1"), PlanTask("1")))
    Traceback (most recent call last):
    ...
    pmo.engine.errors.InvalidInputError: duplicate task uid '1'
    """

    name: str
    start: datetime | None
    finish: datetime | None = None
    status_date: datetime | None = None
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.standard)
    calendars: Mapping[str, WorkingCalendar] = field(default_factory=dict)
    tasks: tuple[PlanTask, ...] = ()
    dependencies: tuple[PlanDependency, ...] = ()
    resources: tuple[PlanResource, ...] = ()
    assignments: tuple[PlanAssignment, ...] = ()
    baselines: tuple[PlanBaseline, ...] = ()
    calendar_id: str | None = None
    schedule_from_start: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", tuple(self.tasks))
        object.__setattr__(self, "dependencies", tuple(self.dependencies))
        object.__setattr__(self, "resources", tuple(self.resources))
        object.__setattr__(self, "assignments", tuple(self.assignments))
        object.__setattr__(self, "baselines", tuple(self.baselines))
        object.__setattr__(self, "calendars", _freeze_calendars(self.calendars))
        if self.start is None and self.finish is None:
            raise InvalidInputError(f"project {self.name!r}: give a start or a finish date")
        uids: set[str] = set()
        for t in self.tasks:
            if t.uid in uids:
                raise InvalidInputError(f"duplicate task uid {t.uid!r}")
            uids.add(t.uid)
        for t in self.tasks:
            if t.parent_uid is not None and t.parent_uid not in uids:
                raise UnknownTaskError(t.parent_uid, t.uid, "parent")
        for d in self.dependencies:
            if d.predecessor_uid not in uids:
                raise UnknownTaskError(d.predecessor_uid, d.successor_uid, "predecessor")
            if d.successor_uid not in uids:
                raise UnknownTaskError(d.successor_uid, d.predecessor_uid, "successor")
        resource_uids: set[str] = set()
        for r in self.resources:
            if r.uid in resource_uids:
                raise InvalidInputError(f"duplicate resource uid {r.uid!r}")
            resource_uids.add(r.uid)
        for a in self.assignments:
            if a.task_uid not in uids:
                raise UnknownTaskError(a.task_uid, None, "assignment task")
            if a.resource_uid not in resource_uids:
                raise InvalidInputError(f"task {a.task_uid!r}: assignment of unknown resource {a.resource_uid!r}")
        for b in self.baselines:
            if b.task_uid not in uids:
                raise UnknownTaskError(b.task_uid, None, "baseline task")

    # ------------------------------------------------------------------ look-ups

    @cached_property
    def _task_index(self) -> dict[str, PlanTask]:
        return {t.uid: t for t in self.tasks}

    @cached_property
    def _children(self) -> dict[str, list[PlanTask]]:
        children: dict[str, list[PlanTask]] = {}
        for t in self.tasks:
            if t.parent_uid is not None:
                children.setdefault(t.parent_uid, []).append(t)
        return children

    def task(self, uid: str) -> PlanTask:
        """The task with this uid (``KeyError`` if none)."""
        return self._task_index[uid]

    def children_of(self, uid: str) -> list[PlanTask]:
        """The direct subtasks of a task, in plan order."""
        return list(self._children.get(uid, ()))

    def resource(self, uid: str) -> PlanResource:
        """The resource with this uid (``KeyError`` if none)."""
        for r in self.resources:
            if r.uid == uid:
                return r
        raise KeyError(uid)

    def baselines_of(self, uid: str) -> tuple[PlanBaseline, ...]:
        """The baselines saved for one task, by number."""
        return tuple(sorted((b for b in self.baselines if b.task_uid == uid), key=lambda b: b.number))

    def calendar_of(self, calendar_id: str | None) -> WorkingCalendar:
        """The calendar with this id, the project calendar for ``None`` or an unknown id."""
        if calendar_id is None:
            return self.calendar
        return self.calendars.get(calendar_id, self.calendar)

    def label(self, uid: str) -> str:
        """How messages name a task: ``UID 5 'Build'`` (or ``UID 5`` if it is not in the plan)."""
        t = self._task_index.get(uid)
        return t.label if t is not None else f"UID {uid}"


# ---------------------------------------------------------------------------------------------- scheduling


def _effective_calendar(
    plan: ProjectPlan,
    task: PlanTask,
    single_resource_calendar: dict[str, WorkingCalendar],
    use_resource_calendars: bool,
) -> WorkingCalendar | None:
    if task.duration_is_elapsed:
        return ELAPSED_CALENDAR
    if task.calendar_id is not None and task.calendar_id in plan.calendars:
        cal = plan.calendars[task.calendar_id]
        return None if cal == plan.calendar else cal
    if use_resource_calendars and not task.ignore_resource_calendar:
        rcal = single_resource_calendar.get(task.uid)
        if rcal is not None and rcal != plan.calendar:
            return rcal
    return None


def _resource_calendars(plan: ProjectPlan) -> dict[str, WorkingCalendar]:
    """Tasks worked on by exactly one work resource that has its own calendar -> that calendar."""
    resources = {r.uid: r for r in plan.resources}
    per_task: dict[str, list[PlanResource]] = {}
    for a in plan.assignments:
        r = resources.get(a.resource_uid)
        if r is not None and r.type is ResourceType.WORK and a.units > 0:
            per_task.setdefault(a.task_uid, []).append(r)
    out: dict[str, WorkingCalendar] = {}
    for uid, rs in per_task.items():
        if len(rs) == 1 and rs[0].calendar_id is not None and rs[0].calendar_id in plan.calendars:
            out[uid] = plan.calendars[rs[0].calendar_id]
    return out


def _progress(
    plan: ProjectPlan, t: PlanTask, summary: bool
) -> tuple[datetime | None, datetime | None, float, int | None]:
    """Normalised progress of a task: (actual_start, actual_finish, percent_complete, remaining_minutes)."""
    if summary:
        return None, None, 0.0, None
    actual_start, actual_finish = t.actual_start, t.actual_finish
    pct, remaining = float(t.percent_complete), t.remaining_minutes
    if actual_start is None and (pct > 0 or actual_finish is not None):
        actual_start = t.start
    if actual_start is None:  # not started: the remaining duration (if any) is a re-estimate
        return None, None, 0.0, remaining
    if actual_finish is None and (pct >= 100 or remaining == 0 or t.duration_minutes == 0):
        if t.finish is not None and t.finish >= actual_start:
            actual_finish = t.finish
        else:
            cal = ELAPSED_CALENDAR if t.duration_is_elapsed else plan.calendar_of(t.calendar_id)
            actual_finish = cal.add_working_minutes(actual_start, t.duration_minutes)
    if actual_finish is not None:
        return actual_start, max(actual_finish, actual_start), 100.0, None
    if remaining is not None and remaining <= 0:
        remaining = None
    return actual_start, None, min(pct, 99.0), remaining


def plan_to_network(
    plan: ProjectPlan,
    *,
    use_resource_calendars: bool = True,
    use_status_date: bool = False,
    pin_manual_tasks: bool = False,
) -> ProjectNetwork:
    """Turn a plan into the CPM input, the way Microsoft Project schedules it.

    * Summary tasks keep their place in the WBS (``parent_id``); the engine rolls their dates up.  A task
      flagged summary without subtasks is scheduled as a normal task.
    * Each task runs on its own calendar if it has one, else -- with ``use_resource_calendars`` -- on the
      calendar of its only work resource (MS Project schedules single-resource work on the resource's
      calendar), else on the project calendar.  Elapsed durations run on :data:`ELAPSED_CALENDAR`.
    * Inactive tasks and their links are left out.  Manually scheduled tasks are scheduled like automatic
      ones unless ``pin_manual_tasks``, which pins them at their stored start (an MSO constraint).
    * Progress: actual dates, percent complete and the stored remaining duration.  A task with progress
      but no actual start gets its stored start as actual start; one at 100 % (or with no remaining work)
      gets its stored finish as actual finish.  The status date is passed to the engine only with
      ``use_status_date`` (MS Project does not move unstarted work to the status date by default).
    * Scheduling direction: forward from ``plan.start`` or, when ``schedule_from_start`` is false, backward
      from ``plan.finish``.

    >>> from datetime import datetime
    >>> plan = ProjectPlan("p", datetime(2025, 1, 6, 8), tasks=(PlanTask("1", "A", duration_minutes=480),))
    >>> net = plan_to_network(plan)
    >>> [(t.id, t.duration_minutes) for t in net.tasks], net.start
    ([('1', 480)], datetime.datetime(2025, 1, 6, 8, 0))
    """
    resource_cals = _resource_calendars(plan) if use_resource_calendars else {}
    active = {t.uid for t in plan.tasks if t.active}
    has_children = {t.parent_uid for t in plan.tasks if t.parent_uid is not None and t.uid in active}
    tasks: list[Task] = []
    for t in plan.tasks:
        if t.uid not in active:
            continue
        parent = t.parent_uid
        while parent is not None and parent not in active:
            parent = plan.task(parent).parent_uid
        constraint = t.constraint
        if constraint is not None and constraint.type is ConstraintType.ASAP:
            constraint = None
        if pin_manual_tasks and t.manual and t.start is not None and t.uid not in has_children:
            constraint = Constraint(ConstraintType.MSO, t.start)
        actual_start, actual_finish, pct, remaining = _progress(plan, t, t.uid in has_children)
        tasks.append(
            Task(
                t.uid,
                t.duration_minutes,
                name=t.name,
                parent_id=parent,
                constraint=constraint,
                calendar=_effective_calendar(plan, t, resource_cals, use_resource_calendars),
                actual_start=actual_start,
                actual_finish=actual_finish,
                percent_complete=pct,
                remaining_minutes=remaining,
            )
        )
    deps = [
        Dependency(d.predecessor_uid, d.successor_uid, d.type, d.lag_minutes, d.lag_is_elapsed)
        for d in plan.dependencies
        if d.predecessor_uid in active and d.successor_uid in active
    ]
    if plan.schedule_from_start or plan.finish is None:
        start, finish = plan.start, None
    else:
        start, finish = None, plan.finish
    return ProjectNetwork(
        tasks,
        deps,
        calendar=plan.calendar,
        start=start,
        finish=finish,
        status_date=plan.status_date if use_status_date else None,
    )


def schedule_plan(
    plan: ProjectPlan,
    *,
    use_resource_calendars: bool = True,
    use_status_date: bool = False,
    pin_manual_tasks: bool = False,
) -> Schedule:
    """Schedule a plan with the critical path method (see :func:`plan_to_network` for the rules).

    Errors name tasks by uid and name: a dependency cycle raises
    :class:`~pmo.engine.errors.CyclicDependencyError` whose message reads
    ``dependency cycle: UID 1 'A' -> UID 2 'B' -> UID 1 'A'``.

    >>> from datetime import datetime
    >>> plan = ProjectPlan(
    ...     "p", datetime(2025, 1, 6, 8),
    ...     tasks=(PlanTask("1", "A", duration_minutes=480), PlanTask("2", "B", duration_minutes=480)),
    ...     dependencies=(PlanDependency("1", "2"), PlanDependency("2", "1")),
    ... )
    >>> schedule_plan(plan)
    Traceback (most recent call last):
    ...
    pmo.engine.errors.CyclicDependencyError: dependency cycle: UID 1 'A' -> UID 2 'B' -> UID 1 'A'
    """
    network = plan_to_network(
        plan,
        use_resource_calendars=use_resource_calendars,
        use_status_date=use_status_date,
        pin_manual_tasks=pin_manual_tasks,
    )
    try:
        return critical_path(network)
    except CyclicDependencyError as exc:
        ids = exc.task_ids
        loop = [*ids, ids[0]] if ids else []
        message = "dependency cycle: " + " -> ".join(plan.label(u) for u in loop)
        raise CyclicDependencyError(ids, message) from None


def summary_uids(tasks: Iterable[PlanTask]) -> set[str]:
    """Uids of the tasks that have subtasks.

    >>> sorted(summary_uids([PlanTask("1"), PlanTask("2", parent_uid="1")]))
    ['1']
    """
    return {t.parent_uid for t in tasks if t.parent_uid is not None}


def wbs_parents(levels: Sequence[int]) -> list[int | None]:
    """Parent position of each row of an outline given by its outline levels (file order).

    A row's parent is the nearest earlier row with a smaller level.

    >>> wbs_parents([1, 2, 2, 3, 1, 2])
    [None, 0, 0, 2, None, 4]
    """
    parents: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (level, row)
    for row, level in enumerate(levels):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((level, row))
    return parents


# ---------------------------------------------------------------------------------------------- levelling


@dataclass(frozen=True, slots=True)
class LeveledTask:
    """The levelled dates of one task; floats are precedence floats against the levelled finish."""

    uid: str
    start: datetime
    finish: datetime
    total_float_minutes: int
    critical: bool
    delay_minutes: int = 0
    is_summary: bool = False


@dataclass(frozen=True)
class PlanLevelingResult:
    """The outcome of :func:`level_plan`.

    ``period_minutes`` is the levelling granularity (one working day or one working hour on the project
    calendar), ``result`` the raw :class:`~pmo.engine.leveling.LevelingResult` in periods (makespan, bound,
    status, bottlenecks), ``tasks`` the levelled dates of every active task (summaries rolled up) and
    ``cpm_finish`` the resource-unconstrained finish for comparison.
    """

    period_minutes: int
    granularity: str
    result: LevelingResult
    start: datetime
    finish: datetime
    cpm_finish: datetime
    tasks: Mapping[str, LeveledTask]
    notes: tuple[str, ...] = ()


_ANCHOR = "\x00start"  # a zero-length task at period 0 that carries date constraints as lagged links


def _start_delta(kind: DependencyType, lag: int, d_pred: int, d_succ: int) -> int:
    if kind is DependencyType.FS:
        return d_pred + lag
    if kind is DependencyType.SS:
        return lag
    if kind is DependencyType.FF:
        return d_pred - d_succ + lag
    return lag - d_succ


def level_plan(
    plan: ProjectPlan,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    granularity: str = "auto",
    exact: bool = True,
) -> PlanLevelingResult:
    """Resource-level a plan on its work resources and return dates on the project calendar.

    The plan is converted to the integer-period model of :mod:`pmo.engine.leveling`:

    * Granularity: one period is one working day (``minutes_per_day`` of the project calendar) when every
      leaf duration and working lag is a whole number of days, else one working hour (``granularity`` may
      force ``"day"`` or ``"hour"``).  Durations are rounded *up* to whole periods, lags to the nearest
      period; elapsed durations and lags count ``minutes_per_day`` per 24 hours.  Levelling works on the
      project calendar: task and resource calendars are not used for the levelled dates.
    * Leaf tasks are levelled; links on summary tasks apply to all their leaf tasks.  Capacities and
      demands are in percent (``max_units`` 1.0 = 100); a demand above the capacity is capped at it (the
      task then uses the whole resource).  Material and cost resources are not levelled.
    * Date constraints are kept as lower bounds (SNET, FNET, and the start/finish of MSO/MFO); upper bounds
      (SNLT, FNLT) are ignored.  Tasks already started or complete keep their critical-path dates as lower
      bounds; complete tasks use no resources.
    * The solver is :func:`~pmo.engine.leveling.level_exact` (CP-SAT warm-started by the heuristic, with a
      proven bound) within ``time_limit_s``, or :func:`~pmo.engine.leveling.level_fast` when ``exact`` is
      false.
    * Back to dates: a task starting at period ``s`` starts ``s`` periods of working time after the project
      start and finishes its exact duration (in minutes) later.  Floats are precedence floats: how far a
      task can slip without delaying the levelled finish, ignoring resources.

    >>> from datetime import datetime
    >>> plan = ProjectPlan(
    ...     "p", datetime(2025, 1, 6, 8),
    ...     tasks=(PlanTask("1", "A", duration_minutes=960), PlanTask("2", "B", duration_minutes=480)),
    ...     resources=(PlanResource("r", "Crane"),),
    ...     assignments=(PlanAssignment("1", "r"), PlanAssignment("2", "r")),
    ... )
    >>> lv = level_plan(plan, exact=False)
    >>> lv.granularity, lv.result.makespan, lv.finish
    ('day', 3, datetime.datetime(2025, 1, 8, 17, 0))
    """
    from pmo.engine.leveling import LevelingProblem, LevelTask, Precedence, level_exact, level_fast
    from pmo.engine.leveling import Resource as LevelResource

    cpm = schedule_plan(plan)
    cal = plan.calendar
    mpd = cal.minutes_per_day
    notes: list[str] = []
    active = [t for t in plan.tasks if t.active]
    active_uids = {t.uid for t in active}
    children: dict[str, list[str]] = {}
    for t in active:
        p = t.parent_uid
        while p is not None and p not in active_uids:
            p = plan.task(p).parent_uid
        if p is not None:
            children.setdefault(p, []).append(t.uid)
    leaves = [t for t in active if t.uid not in children]

    def minutes_of(t: PlanTask) -> int:
        return round(t.duration_minutes * mpd / 1440) if t.duration_is_elapsed else t.duration_minutes

    def lag_of(d: PlanDependency) -> int:
        return round(d.lag_minutes * mpd / 1440) if d.lag_is_elapsed else d.lag_minutes

    if granularity == "auto":
        whole_days = all(minutes_of(t) % mpd == 0 for t in leaves) and all(
            lag_of(d) % mpd == 0 for d in plan.dependencies
        )
        granularity = "day" if whole_days else "hour"
    if granularity not in ("day", "hour"):
        raise InvalidInputError(f"granularity must be 'auto', 'day' or 'hour', got {granularity!r}")
    period = mpd if granularity == "day" else 60

    ps = cpm.start
    dur_min: dict[str, int] = {}
    dur_p: dict[str, int] = {}
    lower: dict[str, int] = {}  # lower bound on the start period
    lower_finish: dict[str, int] = {}
    done: set[str] = set()
    for t in leaves:
        ts = cpm[t.uid]
        started = t.actual_start is not None or t.percent_complete > 0
        if started:
            minutes = max(0, cal.working_minutes_between(ts.start, ts.finish))
            lower[t.uid] = max(0, cal.working_minutes_between(ps, ts.start)) // period
            if t.actual_finish is not None or t.percent_complete >= 100:
                done.add(t.uid)
        else:
            minutes = minutes_of(t)
        dur_min[t.uid] = minutes
        dur_p[t.uid] = -(-minutes // period)
        c = t.constraint
        if c is not None and c.date is not None and not started:
            offset = cal.working_minutes_between(ps, c.date)
            if c.type in (ConstraintType.SNET, ConstraintType.MSO):
                lower[t.uid] = max(lower.get(t.uid, 0), offset // period)
            elif c.type in (ConstraintType.FNET, ConstraintType.MFO):
                lower_finish[t.uid] = max(lower_finish.get(t.uid, 0), -(-offset // period))
            elif c.type in (ConstraintType.SNLT, ConstraintType.FNLT):
                notes.append(f"{t.label}: {c.type.value} constraint ignored by levelling")

    def leaf_set(uid: str) -> list[str]:
        if uid not in children:
            return [uid]
        out: list[str] = []
        stack = [uid]
        while stack:
            x = stack.pop()
            kids = children.get(x)
            if kids is None:
                out.append(x)
            else:
                stack.extend(kids)
        return out

    preds: dict[str, list[Precedence]] = {t.uid: [] for t in leaves}
    edges: list[tuple[str, str, int]] = []  # (pred, succ, start delta) for the float pass
    for d in plan.dependencies:
        if d.predecessor_uid not in active_uids or d.successor_uid not in active_uids:
            continue
        lag = lag_of(d)
        lag_p = round(lag / period)
        for u in leaf_set(d.predecessor_uid):
            for v in leaf_set(d.successor_uid):
                if u == v:
                    continue
                preds[v].append(Precedence(u, d.type.value, lag_p))
                edges.append((u, v, _start_delta(d.type, lag_p, dur_p[u], dur_p[v])))
    anchor_needed = False
    for uid, x in lower.items():
        if x > 0:
            preds[uid].append(Precedence(_ANCHOR, "SS", x))
            edges.append((_ANCHOR, uid, x))
            anchor_needed = True
    for uid, x in lower_finish.items():
        if x > 0:
            preds[uid].append(Precedence(_ANCHOR, "SF", x))
            edges.append((_ANCHOR, uid, x - dur_p[uid]))
            anchor_needed = True

    resources = {r.uid: r for r in plan.resources if r.type is ResourceType.WORK}
    capacity = {uid: max(1, round(r.max_units * 100)) for uid, r in resources.items()}
    demands: dict[str, dict[str, int]] = {t.uid: {} for t in leaves}
    for a in plan.assignments:
        if a.task_uid not in demands or a.resource_uid not in resources or a.task_uid in done:
            continue
        q = demands[a.task_uid].get(a.resource_uid, 0) + max(0, round(a.units * 100))
        if q > capacity[a.resource_uid]:
            notes.append(
                f"{plan.label(a.task_uid)}: needs {q} % of resource {a.resource_uid!r} whose capacity is"
                f" {capacity[a.resource_uid]} %; capped"
            )
            q = capacity[a.resource_uid]
        demands[a.task_uid][a.resource_uid] = q
    level_tasks = [LevelTask(t.uid, dur_p[t.uid], demands[t.uid], tuple(preds[t.uid])) for t in leaves]
    if anchor_needed:
        level_tasks.insert(0, LevelTask(_ANCHOR, 0))
    problem = LevelingProblem(
        tasks=tuple(level_tasks),
        resources=tuple(LevelResource(uid, capacity[uid]) for uid in resources),
    )
    if exact:
        result = level_exact(problem, time_limit_s=max(0.1, time_limit_s), seed=seed)
    else:
        result = level_fast(problem, seed=seed, time_limit_s=time_limit_s if time_limit_s > 0 else None)

    starts = {uid: s for uid, s in result.starts.items() if uid != _ANCHOR}
    makespan = max((starts[u] + dur_p[u] for u in starts), default=0)
    # precedence floats against the levelled makespan
    out_edges: dict[str, list[tuple[str, int]]] = {}
    for u, v, delta in edges:
        out_edges.setdefault(u, []).append((v, delta))
    late: dict[str, int] = {}
    order = sorted(starts, key=lambda u: starts[u], reverse=True)
    for _ in range(2):  # starts are a topological order up to ties; a second sweep settles zero-length ties
        for u in order:
            best = makespan - dur_p[u]
            for v, delta in out_edges.get(u, ()):
                if v in late:
                    best = min(best, late[v] - delta)
            late[u] = best
    start_offsets = [starts[u] * period for u in starts]
    finish_offsets = [starts[u] * period + dur_min[u] for u in starts]
    smap = cal.offsets_to_datetimes(ps, start_offsets, finish=False)
    fmap = cal.offsets_to_datetimes(ps, [*finish_offsets, *start_offsets], finish=True)
    delays = result.delays
    leveled: dict[str, LeveledTask] = {}
    for u, s in starts.items():
        if dur_min[u] == 0:
            begin = end = fmap[s * period]
        else:
            begin, end = smap[s * period], fmap[s * period + dur_min[u]]
        slack = max(0, late[u] - s) * period
        delay = delays[u].delay * period if u in delays else 0
        leveled[u] = LeveledTask(u, begin, end, slack, slack == 0, delay)
    # roll up summaries, deepest first
    depth: dict[str, int] = {}
    for uid in children:
        level, node = 0, uid
        while True:
            up = plan.task(node).parent_uid
            if up is None or up not in children:
                break
            level, node = level + 1, up
        depth[uid] = level
    for uid in sorted(children, key=depth.__getitem__, reverse=True):
        kids = [leveled[k] for k in children[uid] if k in leveled]
        if not kids:
            continue
        leveled[uid] = LeveledTask(
            uid,
            min(k.start for k in kids),
            max(k.finish for k in kids),
            min(k.total_float_minutes for k in kids),
            any(k.critical for k in kids),
            max(k.delay_minutes for k in kids),
            is_summary=True,
        )
    ordered = {t.uid: leveled[t.uid] for t in plan.tasks if t.uid in leveled}
    start = min((x.start for x in ordered.values()), default=ps)
    finish = max((x.finish for x in ordered.values()), default=ps)
    return PlanLevelingResult(
        period_minutes=period,
        granularity=granularity,
        result=result,
        start=start,
        finish=finish,
        cpm_finish=cpm.finish,
        tasks=MappingProxyType(ordered),
        notes=tuple(notes),
    )
