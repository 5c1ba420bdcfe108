"""Critical path method (CPM) scheduling.

Build a :class:`ProjectNetwork` of :class:`Task` and :class:`Dependency` objects and call
:func:`critical_path`; the result is a :class:`Schedule` with early/late dates, total and free float and
the critical path.  Everything is pure Python (no Django) and all dates are naive datetimes.

>>> from datetime import datetime
>>> net = ProjectNetwork(
...     tasks=[Task("A", 2 * 480), Task("B", 3 * 480), Task("C", 1 * 480)],
...     dependencies=[Dependency("A", "B"), Dependency("A", "C")],
...     start=datetime(2025, 1, 6, 8),          # a Monday
... )
>>> sched = critical_path(net)
>>> for task_id, ts in sched.tasks.items():
...     print(task_id, ts.early_finish, ts.total_float_minutes // 480, ts.critical)
A 2025-01-07 17:00:00 0 True
B 2025-01-10 17:00:00 0 True
C 2025-01-08 17:00:00 2 False
>>> sched.critical_path, sched.finish
(('A', 'B'), datetime.datetime(2025, 1, 10, 17, 0))

Semantics (they follow Microsoft Project unless stated otherwise)
-----------------------------------------------------------------
Time and durations
    Durations and working lags are integer working minutes on the *task's* calendar (``None`` = the
    project calendar).  A task of ``n > 0`` minutes starts at working time and finishes at the earliest
    instant its work is done (Monday 08:00 + 480 min = Monday 17:00); its successor then starts at the next
    working time (Tuesday 08:00).  A milestone (duration 0) sits exactly at the instant its logic gives
    (e.g. Monday 17:00, right after its predecessor) and is never moved to the next working time.
Links
    ``FS``: successor start >= predecessor finish + lag; ``SS``: start >= start + lag; ``FF``: finish >=
    finish + lag; ``SF``: finish >= start + lag.  Lags may be negative (leads).  A working lag counts
    working minutes on the successor's calendar; ``lag_is_elapsed=True`` counts calendar minutes (24h/7d).
    No task starts before the project start (nor finishes after the project finish in the backward
    pass), whatever its leads.
Constraints
    ``ASAP`` (default): early dates.  ``SNET``/``FNET`` raise the early start/finish.  ``SNLT``/``FNLT`` cap
    the late start/finish; when logic pushes a task past them the task (and its predecessors) get
    *negative float*, nothing fails.  ``MSO``/``MFO`` pin both early and late dates to the constraint date,
    overriding links (violations show as negative float on predecessors; the pinned task has float 0).
    ``ALAP`` (forward scheduling): the task is computed like ASAP in the CPM passes (its early/late dates
    and floats are the textbook ones) but *displayed* (``start``/``finish``) as late as possible without
    delaying any successor's displayed dates or the project finish, i.e. it consumes its free float, the
    way MS Project places ALAP tasks.
Scheduling direction
    With ``start`` set the project is scheduled forward from it; a ``finish`` given too is a deadline for
    the backward pass (late dates, hence float, are measured from it; it may create negative float).
    With only ``finish`` set the project is scheduled backward: the backward pass runs from the finish,
    the project start is the earliest late start, and tasks are displayed at their late dates (every task
    is ALAP, as in MS Project's "schedule from finish"), except tasks with an explicit ``ASAP`` constraint,
    which are displayed at their early dates.
Progress (``status_date``)
    A task with ``actual_finish`` is complete: its dates are its actuals, its float is 0 and it is never
    critical (a missing ``actual_start`` is derived from the duration).  A task with only
    ``actual_start`` is in progress: it keeps its actual start and its remaining work
    (``remaining_minutes``, else ``duration * (1 - percent_complete/100)``) resumes at
    ``max(status_date, actual_start)`` (without a status date: right after the work already done).  Links
    *into* a started or complete task are ignored (its start is history); links out of it use its actual
    or forecast dates.  Tasks not started cannot start before the status date.  For a task not started,
    ``remaining_minutes`` (if given) is a re-estimate that replaces ``duration_minutes``.
Float
    Total float = late finish - early finish and free float = how long a task can slip without delaying
    any successor (or the early project finish), both in working minutes on the task's calendar; free
    float is clamped to ``0 <= free <= max(total, 0)``.  Critical = total float <= 0 and not complete.
    The critical path lists every critical leaf task ordered by early start (ties in topological order).
Summary tasks (WBS)
    A task that is some task's ``parent_id`` is a summary: its own duration, constraint and progress are
    ignored, its dates roll up (earliest start / latest finish of its children) and its floats are the
    minimum of its children's (so it is critical when it contains a critical task).  Links on a summary
    task are expanded to all its leaf descendants: ``X -> Summary`` means every subtask honours the link
    (MS Project's behaviour) and ``Summary -> Y`` is honoured by every subtask, which is exact for FS/FF
    (the summary finishes with its last subtask) and conservative for SS/SF (measured from every subtask's
    start instead of the earliest one).  Linking a summary to its own subtask is an error.
Performance
    When every leaf task uses the project calendar and no link has a non-zero elapsed lag, the passes run
    on integer working-minute offsets from the project start with list-indexed adjacency (Kahn's order
    fused with the forward pass) and convert to datetimes once, by a sorted sweep; otherwise a general
    datetime-based pass with per-task calendars is used.  Both give identical results.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from operator import attrgetter
from typing import TypeVar

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import CyclicDependencyError, InvalidInputError, UnknownTaskError

__all__ = [
    "Constraint",
    "ConstraintType",
    "Dependency",
    "DependencyType",
    "ProjectNetwork",
    "Schedule",
    "Task",
    "TaskSchedule",
    "critical_path",
]


class DependencyType(StrEnum):
    """The four link types.  Plain strings (``"FS"``) are accepted wherever a type is expected.

    >>> DependencyType("SS") is DependencyType.SS, DependencyType.FF == "FF"
    (True, True)
    """

    FS = "FS"
    """Finish-to-start: the successor starts after the predecessor finishes (plus lag)."""
    SS = "SS"
    """Start-to-start."""
    FF = "FF"
    """Finish-to-finish."""
    SF = "SF"
    """Start-to-finish."""


class ConstraintType(StrEnum):
    """Task date constraints, with Microsoft Project's names and meanings.

    >>> sorted(c.value for c in ConstraintType if c.needs_date)
    ['FNET', 'FNLT', 'MFO', 'MSO', 'SNET', 'SNLT']
    """

    ASAP = "ASAP"
    """As soon as possible (the default)."""
    ALAP = "ALAP"
    """As late as possible without delaying successors or the project finish."""
    SNET = "SNET"
    """Start no earlier than the date."""
    SNLT = "SNLT"
    """Start no later than the date (caps the late start; violations give negative float)."""
    FNET = "FNET"
    """Finish no earlier than the date."""
    FNLT = "FNLT"
    """Finish no later than the date (caps the late finish; violations give negative float)."""
    MSO = "MSO"
    """Must start on the date (pins the start, overriding links)."""
    MFO = "MFO"
    """Must finish on the date (pins the finish, overriding links)."""

    @property
    def needs_date(self) -> bool:
        """True for every type but ASAP and ALAP.

        >>> ConstraintType.SNET.needs_date, ConstraintType.ALAP.needs_date
        (True, False)
        """
        return self not in (ConstraintType.ASAP, ConstraintType.ALAP)


# link-code bits: bit 0 = measured from the predecessor's start, bit 1 = constrains the successor's finish
_FROM_START = 1
_TO_FINISH = 2
_CODE: dict[str, int] = {"FS": 0, "SS": _FROM_START, "FF": _TO_FINISH, "SF": _FROM_START | _TO_FINISH}

# task kinds, by how much of the task is still free to move
_FREE, _PINNED, _STARTED, _COMPLETE = 0, 1, 2, 3

_T = TypeVar("_T", int, datetime)
_NEG = -(1 << 62)  # weight of a link a pass must ignore (never wins a max / min)
_POS = 1 << 62


def _naive(value: datetime | None, what: str) -> datetime | None:
    """Validate an optional naive datetime and drop its seconds (the engine works in minutes)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is not None:
        raise InvalidInputError(f"{what} must be a naive datetime (the caller handles time zones)")
    if value.second or value.microsecond:
        return value.replace(second=0, microsecond=0)
    return value


@dataclass(frozen=True, slots=True)
class Constraint:
    """A date constraint on a task; ``date`` is required for all types but ASAP and ALAP.

    >>> from datetime import datetime
    >>> Constraint(ConstraintType.SNET, datetime(2025, 1, 8, 8))
    Constraint(type=<ConstraintType.SNET: 'SNET'>, date=datetime.datetime(2025, 1, 8, 8, 0))
    >>> Constraint("ALAP").type
    <ConstraintType.ALAP: 'ALAP'>
    """

    type: ConstraintType = ConstraintType.ASAP
    date: datetime | None = None

    def __post_init__(self) -> None:
        try:
            kind = ConstraintType(self.type)
        except ValueError:
            raise InvalidInputError(f"constraint type must be one of {[c.value for c in ConstraintType]}") from None
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "date", _naive(self.date, f"{kind.value} constraint date"))
        if kind.needs_date and self.date is None:
            raise InvalidInputError(f"a {kind.value} constraint needs a date")
        if not kind.needs_date and self.date is not None:
            raise InvalidInputError(f"a {kind.value} constraint takes no date")


@dataclass(frozen=True, slots=True)
class Task:
    """One task (activity) of the network.

    ``duration_minutes`` is working time on the task's calendar (``calendar=None``: the project's); a
    duration of 0 makes a milestone.  ``parent_id`` places the task in the WBS; a task that is another
    task's parent is a summary task (its own duration is ignored).  ``actual_start`` /
    ``actual_finish`` / ``percent_complete`` / ``remaining_minutes`` record progress.

    >>> t = Task("M1", 0, name="Design approved")
    >>> t.is_milestone, Task("A", 480).is_milestone
    (True, False)
    """

    id: str
    duration_minutes: int = 0
    name: str = ""
    parent_id: str | None = None
    constraint: Constraint | None = None
    calendar: WorkingCalendar | None = None
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    percent_complete: float = 0.0
    remaining_minutes: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InvalidInputError(f"task id must be a non-empty string, got {self.id!r}")
        where = f"task {self.id!r}"
        duration = self.duration_minutes
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
            raise InvalidInputError(f"{where}: duration_minutes must be an int >= 0, got {duration!r}")
        remaining = self.remaining_minutes
        if remaining is not None and (isinstance(remaining, bool) or not isinstance(remaining, int) or remaining < 0):
            raise InvalidInputError(f"{where}: remaining_minutes must be an int >= 0, got {remaining!r}")
        pct = self.percent_complete
        if isinstance(pct, bool) or not isinstance(pct, int | float) or not 0 <= pct <= 100:
            raise InvalidInputError(f"{where}: percent_complete must be within 0..100, got {pct!r}")
        if self.constraint is not None and not isinstance(self.constraint, Constraint):
            raise InvalidInputError(f"{where}: constraint must be a Constraint")
        if self.calendar is not None and not isinstance(self.calendar, WorkingCalendar):
            raise InvalidInputError(f"{where}: calendar must be a WorkingCalendar")
        if self.parent_id == self.id:
            raise InvalidInputError(f"{where}: a task cannot be its own parent")
        start = _naive(self.actual_start, f"{where} actual_start")
        finish = _naive(self.actual_finish, f"{where} actual_finish")
        if start is not None and finish is not None and finish < start:
            raise InvalidInputError(f"{where}: actual_finish is before actual_start")
        object.__setattr__(self, "actual_start", start)
        object.__setattr__(self, "actual_finish", finish)

    @property
    def is_milestone(self) -> bool:
        """A task of zero duration.

        >>> Task("Go-live", 0).is_milestone
        True
        """
        return self.duration_minutes == 0


@dataclass(frozen=True, slots=True)
class Dependency:
    """A link ``predecessor -> successor`` of a type with a lag in minutes (negative = lead).

    >>> link = Dependency("A", "B", "SS", lag_minutes=240)
    >>> link.type, link.lag_minutes, link.lag_is_elapsed
    (<DependencyType.SS: 'SS'>, 240, False)
    """

    predecessor: str
    successor: str
    type: DependencyType = DependencyType.FS
    lag_minutes: int = 0
    lag_is_elapsed: bool = False

    def __post_init__(self) -> None:
        if type(self.type) is not DependencyType:
            try:
                object.__setattr__(self, "type", DependencyType(self.type))
            except ValueError:
                raise InvalidInputError(
                    f"dependency {self.predecessor!r} -> {self.successor!r}: type must be FS, SS, FF or SF,"
                    f" got {self.type!r}"
                ) from None
        lag = self.lag_minutes
        if isinstance(lag, bool) or not isinstance(lag, int):
            raise InvalidInputError(
                f"dependency {self.predecessor!r} -> {self.successor!r}: lag_minutes must be an int, got {lag!r}"
            )


@dataclass(frozen=True)
class ProjectNetwork:
    """The scheduling input: tasks, links, the project calendar and the dates.

    Give ``start`` to schedule forward (``finish`` is then an optional deadline), or only ``finish`` to
    schedule backward.  ``status_date`` is the "as of" date of recorded progress.

    >>> from datetime import datetime
    >>> net = ProjectNetwork([Task("A", 480)], finish=datetime(2025, 1, 10, 17))
    >>> critical_path(net).tasks["A"].start
    datetime.datetime(2025, 1, 10, 8, 0)
    """

    tasks: Sequence[Task]
    dependencies: Sequence[Dependency] = ()
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.standard)
    start: datetime | None = None
    finish: datetime | None = None
    status_date: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", tuple(self.tasks))
        object.__setattr__(self, "dependencies", tuple(self.dependencies))
        if not isinstance(self.calendar, WorkingCalendar):
            raise InvalidInputError("network calendar must be a WorkingCalendar")
        object.__setattr__(self, "start", _naive(self.start, "network start"))
        object.__setattr__(self, "finish", _naive(self.finish, "network finish"))
        object.__setattr__(self, "status_date", _naive(self.status_date, "network status_date"))
        if self.start is None and self.finish is None:
            raise InvalidInputError("network: give a start (forward scheduling) or a finish (backward scheduling)")


@dataclass(frozen=True, slots=True)
class TaskSchedule:
    """The computed dates of one task.

    ``start``/``finish`` are the displayed (scheduled) dates: the early dates, except ALAP tasks and
    backward-scheduled projects (late dates) and actuals for started work.  Floats are working minutes
    on the task's calendar.

    >>> from datetime import datetime
    >>> ts = critical_path(ProjectNetwork([Task("A", 480)], start=datetime(2025, 1, 6, 8))).tasks["A"]
    >>> ts.start, ts.finish, ts.total_float_minutes, ts.critical
    (datetime.datetime(2025, 1, 6, 8, 0), datetime.datetime(2025, 1, 6, 17, 0), 0, True)
    """

    task_id: str
    start: datetime
    finish: datetime
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_float_minutes: int
    free_float_minutes: int
    critical: bool
    is_summary: bool = False
    is_milestone: bool = False


class _TaskTable(Mapping[str, TaskSchedule]):
    """Read-only mapping task id -> :class:`TaskSchedule`, built lazily from column lists (fast for 100k)."""

    __slots__ = ("_cache", "_columns", "_ids", "_index", "_milestone", "_summary")

    def __init__(
        self,
        ids: list[str],
        columns: tuple[
            list[datetime],
            list[datetime],
            list[datetime],
            list[datetime],
            list[datetime],
            list[datetime],
            list[int],
            list[int],
            list[bool],
        ],
        summary: list[bool] | None,
        milestone: list[bool],
    ) -> None:
        self._ids = ids
        self._index: dict[str, int] | None = None
        self._columns = columns
        self._summary = summary
        self._milestone = milestone
        self._cache: dict[int, TaskSchedule] = {}

    def __getitem__(self, key: str) -> TaskSchedule:
        if self._index is None:
            self._index = dict(zip(self._ids, range(len(self._ids)), strict=True))
        i = self._index[key]
        found = self._cache.get(i)
        if found is None:
            ds, df, es, ef, ls, lf, tf, ff, crit = self._columns
            found = TaskSchedule(
                key, ds[i], df[i], es[i], ef[i], ls[i], lf[i], tf[i], ff[i], crit[i],
                bool(self._summary[i]) if self._summary is not None else False, self._milestone[i],
            )  # fmt: skip
            self._cache[i] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        if self._index is None:
            self._index = dict(zip(self._ids, range(len(self._ids)), strict=True))
        return key in self._index

    def __repr__(self) -> str:
        return f"<{len(self)} task schedules>"


@dataclass(frozen=True)
class Schedule:
    """The result of :func:`critical_path`.

    ``tasks`` maps every task id (summaries included, input order) to its :class:`TaskSchedule`;
    ``critical_path`` lists the critical leaf tasks ordered by early start; ``start``/``finish`` span the
    displayed dates.  ``fast_path`` tells whether the single-calendar integer fast path was used.

    >>> from datetime import datetime
    >>> tasks = [Task("A", 480), Task("B", 480)]
    >>> s = critical_path(ProjectNetwork(tasks, [Dependency("A", "B")], start=datetime(2025, 1, 6, 8)))
    >>> s["B"].early_start, s.finish, s.fast_path
    (datetime.datetime(2025, 1, 7, 8, 0), datetime.datetime(2025, 1, 7, 17, 0), True)
    """

    start: datetime
    finish: datetime
    critical_path: tuple[str, ...]
    tasks: Mapping[str, TaskSchedule]
    fast_path: bool = field(default=False, compare=False)

    def __getitem__(self, task_id: str) -> TaskSchedule:
        """The schedule of one task (``schedule["A"]`` is ``schedule.tasks["A"]``)."""
        return self.tasks[task_id]


# ---------------------------------------------------------------------------------------------- preparation

_ID = attrgetter("id")
_PARENT = attrgetter("parent_id")
_DURATION = attrgetter("duration_minutes")
_CALENDAR = attrgetter("calendar")
_CONSTRAINT = attrgetter("constraint")
_ACTUAL_START = attrgetter("actual_start")
_ACTUAL_FINISH = attrgetter("actual_finish")
_PERCENT = attrgetter("percent_complete")
_REMAINING = attrgetter("remaining_minutes")
_PRED = attrgetter("predecessor")
_SUCC = attrgetter("successor")
_TYPE = attrgetter("type")
_LAG = attrgetter("lag_minutes")
_ELAPSED = attrgetter("lag_is_elapsed")


@dataclass(slots=True)
class _Net:
    """The network normalised to leaf tasks ``0..n-1`` and integer-coded links."""

    all_ids: list[str]
    leaves: list[int] | None  # task index of each leaf, None when there is no WBS (leaf u == task u)
    children: dict[int, list[int]]  # summary task index -> child task indexes
    ids: list[str]
    n: int
    pcal: WorkingCalendar
    cals: list[WorkingCalendar]
    single_calendar: bool
    kind: list[int]
    dur: list[int]  # work still to schedule: duration (or re-estimate), remaining work when started
    milestone: list[bool]  # original duration == 0 (for display)
    constraints: dict[int, Constraint]
    actual_start: dict[int, datetime]
    actual_finish: dict[int, datetime]
    performed: dict[int, int]  # started tasks: work already done (used without a status date)
    eu: list[int]
    ev: list[int]
    ec: list[int]
    el: list[int]
    ee: list[bool]
    status: datetime | None
    forward: bool
    ps: datetime | None  # forward scheduling: project start snapped to working time
    deadline: datetime | None  # project finish snapped to working time, if given


def _leaf_descendants(j: int, children: dict[int, list[int]], leaf_of: list[int]) -> list[int]:
    out: list[int] = []
    stack = [j]
    while stack:
        x = stack.pop()
        kids = children.get(x)
        if kids is None:
            out.append(leaf_of[x])
        else:
            stack.extend(kids)
    return out


def _prepare(network: ProjectNetwork) -> _Net:
    tasks = network.tasks
    count = len(tasks)
    all_ids: list[str] = list(map(_ID, tasks))
    index = dict(zip(all_ids, range(count), strict=True))
    if len(index) != count:
        seen: set[str] = set()
        for task_id in all_ids:
            if task_id in seen:
                raise InvalidInputError(f"duplicate task id {task_id!r}")
            seen.add(task_id)

    # --- WBS
    parents: list[str | None] = list(map(_PARENT, tasks))
    children: dict[int, list[int]] = {}
    leaves: list[int] | None = None
    leaf_of: list[int] = []
    if parents.count(None) != count:
        parent_index = [-1] * count
        for i, p in enumerate(parents):
            if p is None:
                continue
            j = index.get(p)
            if j is None:
                raise UnknownTaskError(p, all_ids[i], "parent")
            parent_index[i] = j
            children.setdefault(j, []).append(i)
        state = [0] * count  # 0 unseen, 1 on the current chain, 2 checked
        for i in range(count):
            chain = []
            x = i
            while x >= 0 and state[x] == 0:
                state[x] = 1
                chain.append(x)
                x = parent_index[x]
            if x >= 0 and state[x] == 1:
                loop = chain[chain.index(x) :]
                names = " -> ".join(all_ids[y] for y in [*loop, loop[0]])
                raise InvalidInputError(f"task {all_ids[x]!r}: parent_id cycle {names}")
            for y in chain:
                state[y] = 2
        leaves = [i for i in range(count) if i not in children]
        leaf_of = [-1] * count
        for pos, i in enumerate(leaves):
            leaf_of[i] = pos
    leaf_tasks: Sequence[Task] = tasks if leaves is None else [tasks[i] for i in leaves]
    ids = all_ids if leaves is None else [all_ids[i] for i in leaves]
    n = len(leaf_tasks)

    # --- links
    deps = network.dependencies
    preds: list[str] = list(map(_PRED, deps))
    succs: list[str] = list(map(_SUCC, deps))
    try:
        pi = list(map(index.__getitem__, preds))
    except KeyError:
        k = next(k for k, p in enumerate(preds) if p not in index)
        raise UnknownTaskError(preds[k], succs[k], "predecessor") from None
    try:
        si = list(map(index.__getitem__, succs))
    except KeyError:
        k = next(k for k, s in enumerate(succs) if s not in index)
        raise UnknownTaskError(succs[k], preds[k], "successor") from None
    types: list[DependencyType] = list(map(_TYPE, deps))
    if types.count(DependencyType.FS) == len(types):
        codes = [0] * len(types)
    else:
        codes = list(map(_CODE.__getitem__, types))
    lags: list[int] = list(map(_LAG, deps))
    elapsed: list[bool] = list(map(_ELAPSED, deps))
    if leaves is not None:
        eu: list[int] = []
        ev: list[int] = []
        ec: list[int] = []
        el: list[int] = []
        ee: list[bool] = []
        for k in range(len(deps)):
            a, b = pi[k], si[k]
            if a == b:
                raise CyclicDependencyError([all_ids[a]])
            la, lb = leaf_of[a], leaf_of[b]
            if la >= 0 and lb >= 0:
                us, vs = [la], [lb]
            else:
                us = [la] if la >= 0 else _leaf_descendants(a, children, leaf_of)
                vs = [lb] if lb >= 0 else _leaf_descendants(b, children, leaf_of)
                if set(us) & set(vs):
                    raise InvalidInputError(
                        f"dependency {all_ids[a]!r} -> {all_ids[b]!r}: a summary is linked to its own subtask"
                    )
            for x in us:
                for y in vs:
                    eu.append(x)
                    ev.append(y)
                    ec.append(codes[k])
                    el.append(lags[k])
                    ee.append(elapsed[k])
    else:
        eu, ev, ec, el, ee = pi, si, codes, lags, elapsed

    # --- calendars
    pcal = network.calendar
    raw_cals: list[WorkingCalendar | None] = list(map(_CALENDAR, leaf_tasks))
    distinct = {id(c): c for c in raw_cals if c is not None and c is not pcal}
    single = all(c == pcal for c in distinct.values())
    cals = [pcal] * n if single else [pcal if c is None else c for c in raw_cals]
    if any(ee):
        single = single and not any(lag for is_elapsed, lag in zip(ee, el, strict=True) if is_elapsed)

    # --- progress and constraints
    durations: list[int] = list(map(_DURATION, leaf_tasks))
    dur = durations[:]
    milestone = [d == 0 for d in durations]
    kind = [_FREE] * n
    constraints: dict[int, Constraint] = {}
    actual_start: dict[int, datetime] = {}
    actual_finish: dict[int, datetime] = {}
    performed: dict[int, int] = {}
    status = network.status_date
    special: set[int] = set()
    for getter in (_CONSTRAINT, _ACTUAL_START, _ACTUAL_FINISH, _REMAINING):
        column = list(map(getter, leaf_tasks))
        if column.count(None) != n:
            special.update(u for u, x in enumerate(column) if x is not None)
    pct_column: list[float] = list(map(_PERCENT, leaf_tasks))
    if any(pct_column):
        special.update(u for u, x in enumerate(pct_column) if x)
    for u in sorted(special):
        t = leaf_tasks[u]
        where = f"task {t.id!r}"
        if t.actual_finish is not None:
            kind[u] = _COMPLETE
            actual_finish[u] = t.actual_finish
            actual_start[u] = (
                t.actual_start
                if t.actual_start is not None
                else cals[u].add_working_minutes(t.actual_finish, -durations[u])
            )
        elif t.actual_start is not None:
            kind[u] = _STARTED
            actual_start[u] = t.actual_start
            if t.remaining_minutes is not None:
                remaining = t.remaining_minutes
            else:
                remaining = round(durations[u] * (1 - t.percent_complete / 100))
            if remaining <= 0:
                raise InvalidInputError(f"{where}: started with no remaining work; set actual_finish")
            dur[u] = remaining
            performed[u] = max(0, durations[u] - remaining)
            if t.constraint is not None and t.constraint.type is ConstraintType.FNLT:
                constraints[u] = t.constraint
        else:
            if t.percent_complete:
                raise InvalidInputError(f"{where}: percent_complete > 0 needs an actual_start")
            if t.remaining_minutes is not None:
                dur[u] = t.remaining_minutes
            if t.constraint is not None:
                constraints[u] = t.constraint
                if t.constraint.type in (ConstraintType.MSO, ConstraintType.MFO):
                    kind[u] = _PINNED
    forward = network.start is not None
    ps = pcal.next_working_time(network.start) if network.start is not None else None
    deadline = pcal.previous_working_time(network.finish) if network.finish is not None else None
    return _Net(
        all_ids, leaves, children, ids, n, pcal, cals, single, kind, dur, milestone, constraints,
        actual_start, actual_finish, performed, eu, ev, ec, el, ee, status, forward, ps, deadline,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------- graph helpers


def _raise_cycle(net: _Net, order: list[int]) -> None:
    """Raise CyclicDependencyError naming the tasks of one cycle among the nodes Kahn could not order."""
    done = [False] * net.n
    for u in order:
        done[u] = True
    preds: dict[int, int] = {}
    for u, v in zip(net.eu, net.ev, strict=True):
        if not done[u] and not done[v] and v not in preds:
            preds[v] = u
    # every unordered node has an unordered predecessor, so walking back must revisit a node
    x = min(preds)
    seen: dict[int, int] = {}
    path: list[int] = []
    while x not in seen:
        seen[x] = len(path)
        path.append(x)
        x = preds[x]
    cycle = path[seen[x] :]
    cycle.reverse()  # predecessor -> successor order
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    raise CyclicDependencyError([net.ids[u] for u in cycle])


def _indegrees(n: int, ev: list[int]) -> list[int]:
    indeg = [0] * n
    for v, c in Counter(ev).items():
        indeg[v] = c
    return indeg


def _topological(n: int, out: list[list[tuple[int, int]]], indeg: list[int]) -> list[int]:
    """Kahn's algorithm over index adjacency lists (appending to the list being iterated)."""
    order = [u for u in range(n) if not indeg[u]]
    for u in order:
        for v, _ in out[u]:
            d = indeg[v] - 1
            indeg[v] = d
            if not d:
                order.append(v)
    return order


def _topological_forward(n: int, out: list[list[tuple[int, int]]], indeg: list[int], es: list[int]) -> list[int]:
    """Kahn's algorithm fused with the forward pass: a node's early start is final when it is dequeued."""
    order = [u for u in range(n) if not indeg[u]]
    for u in order:
        base = es[u]
        for v, w in out[u]:
            x = base + w
            if x > es[v]:
                es[v] = x
            d = indeg[v] - 1
            indeg[v] = d
            if not d:
                order.append(v)
    return order


def _adjacency(n: int, eu: list[int], ev: list[int], weights: list[int]) -> list[list[tuple[int, int]]]:
    out: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for u, v, w in zip(eu, ev, weights, strict=True):
        out[u].append((v, w))
    return out


def _int_adjacency(n: int, eu: list[int], ev: list[int]) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(n)]
    for u, v in zip(eu, ev, strict=True):
        out[u].append(v)
    return out


def _topological_forward_uniform(
    n: int, succ: list[list[int]], indeg: list[int], es: list[int], length: list[int]
) -> list[int]:
    """Kahn + forward pass when every link is FS without lag (weight = predecessor length)."""
    order = [u for u in range(n) if not indeg[u]]
    for u in order:
        x = es[u] + length[u]
        for v in succ[u]:
            if x > es[v]:
                es[v] = x
            d = indeg[v] - 1
            indeg[v] = d
            if not d:
                order.append(v)
    return order


def _forward_uniform(order: list[int], succ: list[list[int]], es: list[int], length: list[int]) -> None:
    for u in order:
        x = es[u] + length[u]
        for v in succ[u]:
            if x > es[v]:
                es[v] = x


def _forward_weighted(order: list[int], out: list[list[tuple[int, int]]], es: list[int]) -> None:
    for u in order:
        base = es[u]
        for v, w in out[u]:
            x = base + w
            if x > es[v]:
                es[v] = x


def _backward_uniform(order: list[int], succ: list[list[int]], ls: list[int], length: list[int]) -> None:
    get = ls.__getitem__
    for u in reversed(order):
        s = succ[u]
        if s:
            x = min(map(get, s)) - length[u]
            if x < ls[u]:
                ls[u] = x


def _backward_weighted(order: list[int], out: list[list[tuple[int, int]]], ls: list[int]) -> None:
    for u in reversed(order):
        best = ls[u]
        for v, w in out[u]:
            x = ls[v] - w
            if x < best:
                best = x
        ls[u] = best


def _free_float_uniform(succ: list[list[int]], es: list[int], ef: list[int], pf: int) -> list[int]:
    """Free float before clamping: min over successors of (their early start) - early finish."""
    get = es.__getitem__
    return [(min(pf, min(map(get, s))) if s else pf) - f for s, f in zip(succ, ef, strict=True)]


def _free_float_weighted(out: list[list[tuple[int, int]]], es: list[int], ef: list[int], pf: int) -> list[int]:
    ff = [pf - f for f in ef]
    for u, links in enumerate(out):
        if links:
            base = es[u]
            best = ff[u] + base
            for v, w in links:
                x = es[v] - w
                if x < best:
                    best = x
            ff[u] = best - base
    return ff


# ---------------------------------------------------------------------------------------------- general pass
#
# Datetime-based, per-task calendars, elapsed lags.  These per-task functions are also used by the fast
# path to place milestones exactly (a milestone sits at a raw instant such as 17:00, which an offset alone
# cannot tell from the next morning's 08:00).


@dataclass(slots=True)
class _State:
    net: _Net
    es: list[datetime]
    ef: list[datetime]
    ls: list[datetime]
    lf: list[datetime]
    ds: list[datetime]
    df: list[datetime]
    in_e: dict[int, list[int]] | list[list[int]]
    out_e: dict[int, list[int]] | list[list[int]]


def _lag_add(t: datetime, lag: int, elapsed: bool, cal: WorkingCalendar) -> datetime:
    if not lag:
        return t
    if elapsed:
        return t + timedelta(minutes=lag)
    return cal.add_working_minutes(t, lag)


def _g_fixed(st: _State, u: int) -> None:
    """Dates of a pinned / started / complete task (they do not depend on other tasks)."""
    net = st.net
    k = net.kind[u]
    cal = net.cals[u]
    d = net.dur[u]
    if k == _COMPLETE:
        st.es[u] = st.ls[u] = net.actual_start[u]
        st.ef[u] = st.lf[u] = net.actual_finish[u]
    elif k == _STARTED:
        a = net.actual_start[u]
        if net.status is not None:
            resume = max(net.status, a)
        else:
            resume = cal.add_working_minutes(a, net.performed[u])
        st.es[u] = a
        st.ef[u] = cal.add_working_minutes(cal.next_working_time(resume), d)
    elif k == _PINNED:
        c = net.constraints[u]
        assert c.date is not None
        if c.type is ConstraintType.MSO:
            s = cal.next_working_time(c.date) if d else c.date
            st.es[u] = st.ls[u] = s
            st.ef[u] = st.lf[u] = cal.add_working_minutes(s, d)
        else:
            f = cal.previous_working_time(c.date) if d else c.date
            st.ef[u] = st.lf[u] = f
            st.es[u] = st.ls[u] = cal.add_working_minutes(f, -d)


def _g_forward(st: _State, u: int, ps: datetime) -> None:
    """Early dates of a free task from its predecessors' early dates."""
    net = st.net
    cal = net.cals[u]
    d = net.dur[u]
    es, ef = st.es, st.ef
    best = ps
    if net.status is not None and net.status > best:
        best = net.status
    c = net.constraints.get(u)
    if c is not None and c.date is not None:
        if c.type is ConstraintType.SNET and c.date > best:
            best = c.date
        elif c.type is ConstraintType.FNET:
            t = cal.add_working_minutes(c.date, -d)
            if t > best:
                best = t
    eu, ec, el, ee = net.eu, net.ec, net.el, net.ee
    for k in st.in_e[u]:
        p = eu[k]
        code = ec[k]
        t = _lag_add(es[p] if code & _FROM_START else ef[p], el[k], ee[k], cal)
        if code & _TO_FINISH:
            t = cal.add_working_minutes(t, -d)
        if t > best:
            best = t
    if d:
        best = cal.next_working_time(best)
    es[u] = best
    ef[u] = cal.add_working_minutes(best, d)


def _g_late_finish(st: _State, u: int, bound: datetime, succ_s: list[datetime], succ_f: list[datetime]) -> datetime:
    """Latest finish of a free/started task given its successors' dates (late or displayed)."""
    net = st.net
    cal = net.cals[u]
    d = net.dur[u]
    started = net.kind[u] == _STARTED
    best = bound
    c = net.constraints.get(u)
    if c is not None and c.date is not None:
        if c.type is ConstraintType.FNLT and c.date < best:
            best = c.date
        elif c.type is ConstraintType.SNLT and not started:
            t = cal.add_working_minutes(c.date, d)
            if t < best:
                best = t
    ev, ec, el, ee, kind, cals = net.ev, net.ec, net.el, net.ee, net.kind, net.cals
    for k in st.out_e[u]:
        v = ev[k]
        if kind[v] >= _STARTED:
            continue
        code = ec[k]
        if started and code & _FROM_START:
            continue
        t = _lag_add(succ_f[v] if code & _TO_FINISH else succ_s[v], -el[k], ee[k], cals[v])
        if code & _FROM_START:
            t = cal.add_working_minutes(t, d)
        if t < best:
            best = t
    if d:
        best = cal.previous_working_time(best)
    return best


def _g_backward(st: _State, u: int, pf: datetime) -> None:
    net = st.net
    k = net.kind[u]
    if k in (_COMPLETE, _PINNED):
        st.ls[u], st.lf[u] = st.es[u], st.ef[u]
        return
    f = _g_late_finish(st, u, pf, st.ls, st.lf)
    st.lf[u] = f
    st.ls[u] = net.actual_start[u] if k == _STARTED else net.cals[u].add_working_minutes(f, -net.dur[u])


def _g_alap(st: _State, u: int, pf_early: datetime) -> None:
    """Display an ALAP task as late as its successors' displayed dates and the project finish allow."""
    f = _g_late_finish(st, u, pf_early, st.ds, st.df)
    if f <= st.ef[u]:
        st.ds[u], st.df[u] = st.es[u], st.ef[u]
    else:
        st.df[u] = f
        st.ds[u] = st.net.cals[u].add_working_minutes(f, -st.net.dur[u])


def _g_free_float(st: _State, u: int, pf_early: datetime) -> int:
    net = st.net
    cal = net.cals[u]
    es, ef = st.es, st.ef
    best = cal.working_minutes_between(ef[u], pf_early)
    started = net.kind[u] == _STARTED
    ev, ec, el, ee, kind, cals = net.ev, net.ec, net.el, net.ee, net.kind, net.cals
    for k in st.out_e[u]:
        v = ev[k]
        if kind[v] >= _STARTED:
            continue
        code = ec[k]
        if started and code & _FROM_START:
            continue
        t = _lag_add(es[u] if code & _FROM_START else ef[u], el[k], ee[k], cals[v])
        slack = cal.working_minutes_between(t, ef[v] if code & _TO_FINISH else es[v])
        if slack < best:
            best = slack
    return best


def _early_display(net: _Net) -> set[int]:
    """Backward scheduling: the tasks displayed at their early dates (started work, explicit ASAP)."""
    shown = set(net.actual_start)
    shown.update(u for u, c in net.constraints.items() if c.type is ConstraintType.ASAP)
    return shown


def _project_start(net: _Net, ls: Sequence[_T], default: _T) -> _T:
    """Backward scheduling: the project start is the earliest late start of the work not started."""
    kind = net.kind
    return min((ls[u] for u in range(net.n) if kind[u] <= _PINNED), default=default)


@dataclass(slots=True)
class _Result:
    es: list[datetime]
    ef: list[datetime]
    ls: list[datetime]
    lf: list[datetime]
    ds: list[datetime]
    df: list[datetime]
    tf: list[int]
    ff: list[int]
    order: list[int]


def _general(net: _Net) -> _Result:
    n = net.n
    eu, ev = net.eu, net.ev
    in_e: list[list[int]] = [[] for _ in range(n)]
    out_e: list[list[int]] = [[] for _ in range(n)]
    out_t: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for k, (u, v) in enumerate(zip(eu, ev, strict=True)):
        in_e[v].append(k)
        out_e[u].append(k)
        out_t[u].append((v, k))
    order = _topological(n, out_t, _indegrees(n, ev))
    if len(order) < n:
        _raise_cycle(net, order)
    filler = net.ps if net.ps is not None else net.deadline
    assert filler is not None
    st = _State(net, [filler] * n, [filler] * n, [filler] * n, [filler] * n, [], [], in_e, out_e)
    kind = net.kind
    for u in range(n):
        if kind[u] != _FREE:
            _g_fixed(st, u)
    free = [u for u in order if kind[u] == _FREE]
    if net.forward:
        assert net.ps is not None
        for u in free:
            _g_forward(st, u, net.ps)
        pf_early = max(st.ef) if n else net.ps
        pf = net.deadline or pf_early
        for u in reversed(order):
            _g_backward(st, u, pf)
        st.ds, st.df = st.es[:], st.ef[:]
        for u in reversed(free):
            c = net.constraints.get(u)
            if c is not None and c.type is ConstraintType.ALAP:
                _g_alap(st, u, pf_early)
    else:
        assert net.deadline is not None
        for u in reversed(order):
            _g_backward(st, u, net.deadline)
        ps = _project_start(net, st.ls, net.deadline)
        for u in free:
            _g_forward(st, u, ps)
        pf_early = max(st.ef) if n else net.deadline
        st.ds, st.df = st.ls[:], st.lf[:]
        for u in _early_display(net):
            st.ds[u], st.df[u] = st.es[u], st.ef[u]
    tf = [0 if kind[u] == _COMPLETE else net.cals[u].working_minutes_between(st.ef[u], st.lf[u]) for u in range(n)]
    ff = [0 if kind[u] == _COMPLETE else _g_free_float(st, u, pf_early) for u in range(n)]
    return _Result(st.es, st.ef, st.ls, st.lf, st.ds, st.df, tf, ff, order)


# ---------------------------------------------------------------------------------------------- fast path
#
# One calendar, no elapsed lags: every date is an integer number of working minutes from an origin (the
# project start, or the finish when scheduling backward).  A link u -> v becomes
#     es[v] >= es[u] + w(u, v),   w = (len[u] unless from start) + lag - (dur[v] if to finish)
# so both passes are plain longest-path relaxations over lists of (successor, weight) tuples.


def _fast(net: _Net) -> _Result:
    n = net.n
    cal = net.pcal
    kind = net.kind
    dur = net.dur
    origin = net.ps if net.forward else net.deadline
    assert origin is not None

    def w_of(dt: datetime) -> int:
        return cal.working_minutes_between(origin, dt)

    status_w = w_of(net.status) if net.status is not None else None
    length = dur[:]  # early start -> early finish, in working minutes
    fixed: dict[int, int] = {}
    lower: dict[int, int] = {}  # free tasks: constraint bound on the early start
    cap: dict[int, int] = {}  # bound on the late start (SNLT/FNLT; FNLT of started tasks)
    alap: list[int] = []
    for u, a in net.actual_start.items():
        s = w_of(a)
        fixed[u] = s
        if kind[u] == _COMPLETE:
            length[u] = w_of(net.actual_finish[u]) - s
        else:
            resume = max(status_w, s) if status_w is not None else s + net.performed[u]
            length[u] = resume + dur[u] - s
    for u, c in net.constraints.items():
        k = kind[u]
        if c.type is ConstraintType.ALAP:
            if k == _FREE:
                alap.append(u)
            continue
        if c.date is None:
            continue
        x = w_of(c.date)
        if k == _PINNED:
            fixed[u] = x if c.type is ConstraintType.MSO else x - dur[u]
        elif k == _STARTED:  # only FNLT is kept for started tasks
            cap[u] = x - length[u]
        elif c.type is ConstraintType.SNET:
            lower[u] = x
        elif c.type is ConstraintType.FNET:
            lower[u] = x - dur[u]
        elif c.type is ConstraintType.SNLT:
            cap[u] = x
        elif c.type is ConstraintType.FNLT:
            cap[u] = x - dur[u]

    eu, ev, ec, el = net.eu, net.ev, net.ec, net.el
    m = len(eu)
    indeg = _indegrees(n, ev)
    # Common case: every link is FS without lag and no task is pinned or started.  A link's weight is then
    # its predecessor's length, so successor lists hold plain ints and the backward and free-float passes
    # reduce to C-level ``min(map(...))`` per task.
    uniform = not fixed and ec.count(0) == m and el.count(0) == m
    succ: list[list[int]] = []
    out_f: list[list[tuple[int, int]]] = []
    out_b: list[list[tuple[int, int]]] = []
    if uniform:
        succ = _int_adjacency(n, eu, ev)
    else:
        weights = [
            (0 if c & _FROM_START else length[u]) + lag - (dur[v] if c & _TO_FINISH else 0)
            for u, v, c, lag in zip(eu, ev, ec, el, strict=True)
        ]
        if fixed:  # links a pass must ignore get weight _NEG, which never wins a max or a min
            wf = weights[:]
            wb = weights
            for k, (u, v, code) in enumerate(zip(eu, ev, ec, strict=True)):
                kv, ku = kind[v], kind[u]
                if kv != _FREE:
                    wf[k] = _NEG
                if kv >= _STARTED or ku in (_COMPLETE, _PINNED) or (ku == _STARTED and code & _FROM_START):
                    wb[k] = _NEG
            out_f = _adjacency(n, eu, ev, wf)
            out_b = _adjacency(n, eu, ev, wb)
        else:
            out_f = out_b = _adjacency(n, eu, ev, weights)

    def early(lb0: int) -> list[int]:
        if status_w is not None and status_w > lb0:
            lb0 = status_w
        es = [lb0] * n
        for u, x in lower.items():
            if x > lb0:
                es[u] = x
        for u, x in fixed.items():
            es[u] = x
        return es

    def late(pf: int) -> list[int]:
        ls = [pf - d for d in length]
        for u, x in cap.items():
            if x < ls[u]:
                ls[u] = x
        for u, x in fixed.items():
            if kind[u] != _STARTED:
                ls[u] = x
        if uniform:
            _backward_uniform(order, succ, ls, length)
        else:
            _backward_weighted(order, out_b, ls)
        return ls

    if net.forward:
        es = early(0)
        if uniform:
            order = _topological_forward_uniform(n, succ, indeg, es, length)
        else:
            order = _topological_forward(n, out_f, indeg, es)
        if len(order) < n:
            _raise_cycle(net, order)
        ef = [a + b for a, b in zip(es, length, strict=True)]
        pf_early = max(ef) if n else 0
        ls = late(w_of(net.deadline) if net.deadline is not None else pf_early)
    else:
        if uniform:
            order = _topological(n, [[(v, 0) for v in s] for s in succ], indeg)
        else:
            order = _topological(n, out_f, indeg)
        if len(order) < n:
            _raise_cycle(net, order)
        ls = late(0)
        es = early(_project_start(net, ls, 0))
        if uniform:
            _forward_uniform(order, succ, es, length)
        else:
            _forward_weighted(order, out_f, es)
        ef = [a + b for a, b in zip(es, length, strict=True)]
        pf_early = max(ef) if n else 0
    lf = [a + b for a, b in zip(ls, length, strict=True)]
    tf = [b - a for a, b in zip(es, ls, strict=True)]
    if uniform:
        ff = _free_float_uniform(succ, es, ef, pf_early)
    else:
        ff = _free_float_weighted(out_b, es, ef, pf_early)

    # displayed dates
    if net.forward:
        ds = es
        if alap:
            ds = es[:]
            alap_set = set(alap)
            for u in reversed(order):
                if u in alap_set:
                    best = min(cap.get(u, _POS), pf_early - length[u])
                    if uniform:
                        if succ[u]:
                            best = min(best, min(map(ds.__getitem__, succ[u])) - length[u])
                    else:
                        for v, w in out_b[u]:
                            x = ds[v] - w
                            if x < best:
                                best = x
                    if best > es[u]:
                        ds[u] = best
    else:
        ds = ls[:]
        for u in _early_display(net):
            ds[u] = es[u]
    df = [a + b for a, b in zip(ds, length, strict=True)] if ds is not es else ef

    # offsets -> datetimes
    starts: set[int] = set(es)
    starts.update(ls)
    finishes: set[int] = set(ef)
    finishes.update(lf)
    if ds is not es:
        starts.update(ds)
        finishes.update(df)
    smap, fmap = cal._offset_maps(origin, starts, finishes)
    es_dt = list(map(smap.__getitem__, es))
    ls_dt = list(map(smap.__getitem__, ls))
    ef_dt = list(map(fmap.__getitem__, ef))
    lf_dt = list(map(fmap.__getitem__, lf))
    ds_dt = es_dt if ds is es else list(map(smap.__getitem__, ds))
    df_dt = ef_dt if ds is es else list(map(fmap.__getitem__, df))
    for u, a in net.actual_start.items():
        es_dt[u] = ls_dt[u] = a
        if ds_dt is not es_dt:
            ds_dt[u] = a
        f = net.actual_finish.get(u)
        if f is not None:
            ef_dt[u] = lf_dt[u] = f
            if df_dt is not ef_dt:
                df_dt[u] = f

    # milestones sit at raw instants: recompute their datetimes with the general per-task functions
    milestones = [u for u in order if dur[u] == 0 and kind[u] <= _PINNED] if 0 in dur else []
    if milestones:
        if ds_dt is es_dt:
            ds_dt, df_dt = es_dt[:], ef_dt[:]
        mset = set(milestones)
        in_e: dict[int, list[int]] = {u: [] for u in milestones}
        out_e: dict[int, list[int]] = {u: [] for u in milestones}
        for k, (u, v) in enumerate(zip(eu, ev, strict=True)):
            if v in mset:
                in_e[v].append(k)
            if u in mset:
                out_e[u].append(k)
        st = _State(net, es_dt, ef_dt, ls_dt, lf_dt, ds_dt, df_dt, in_e, out_e)

        def forward_milestones(ps: datetime) -> None:
            for u in milestones:
                if kind[u] == _PINNED:
                    _g_fixed(st, u)
                else:
                    _g_forward(st, u, ps)

        if net.forward:
            assert net.ps is not None
            forward_milestones(net.ps)
            pf_dt = max(ef_dt)
            for u in reversed(milestones):
                _g_backward(st, u, net.deadline or pf_dt)
            for u in milestones:
                st.ds[u], st.df[u] = es_dt[u], ef_dt[u]
            alap_set = set(alap)
            for u in reversed(milestones):
                if u in alap_set:
                    _g_alap(st, u, pf_dt)
        else:
            assert net.deadline is not None
            for u in reversed(milestones):
                if kind[u] == _PINNED:
                    _g_fixed(st, u)
                _g_backward(st, u, net.deadline)
            forward_milestones(_project_start(net, ls_dt, net.deadline))
            shown_early = _early_display(net)
            for u in milestones:
                early_display = u in shown_early
                st.ds[u] = es_dt[u] if early_display else ls_dt[u]
                st.df[u] = ef_dt[u] if early_display else lf_dt[u]
        ds_dt, df_dt = st.ds, st.df
    for u in net.actual_finish:
        tf[u] = 0
        ff[u] = 0
    return _Result(es_dt, ef_dt, ls_dt, lf_dt, ds_dt, df_dt, tf, ff, order)


# ---------------------------------------------------------------------------------------------- entry point


def critical_path(network: ProjectNetwork, *, force_general: bool = False) -> Schedule:
    """Schedule a network with the critical path method and return its :class:`Schedule`.

    ``force_general=True`` skips the single-calendar integer fast path (for testing and benchmarking;
    both paths give the same result).  Raises :class:`~pmo.engine.errors.CyclicDependencyError`
    (naming the tasks of one cycle), :class:`~pmo.engine.errors.UnknownTaskError` or
    :class:`~pmo.engine.errors.InvalidInputError`.

    The textbook example: A (3d) precedes B (2d) and C (4d), which both precede D (1d).

    >>> from datetime import datetime
    >>> days = 480
    >>> net = ProjectNetwork(
    ...     tasks=[Task("A", 3 * days), Task("B", 2 * days), Task("C", 4 * days), Task("D", 1 * days)],
    ...     dependencies=[Dependency(p, s) for p, s in ("AB", "AC", "BD", "CD")],
    ...     start=datetime(2025, 1, 6, 8),
    ... )
    >>> s = critical_path(net)
    >>> s.critical_path
    ('A', 'C', 'D')
    >>> s["B"].early_start, s["B"].late_start, s["B"].total_float_minutes // days
    (datetime.datetime(2025, 1, 9, 8, 0), datetime.datetime(2025, 1, 13, 8, 0), 2)
    >>> s.finish      # A Mon-Wed, C Thu-Tue (over the weekend), D Wednesday
    datetime.datetime(2025, 1, 15, 17, 0)
    """
    # The passes allocate several hundred thousand small lists and tuples but create no reference cycles;
    # pausing the cyclic garbage collector meanwhile saves its repeated full scans (~10-20 % at 100k tasks).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        net = _prepare(network)
        fast = net.single_calendar and not force_general
        result = _fast(net) if fast else _general(net)
        return _assemble(net, result, fast)
    finally:
        if gc_was_enabled:
            gc.enable()


def _assemble(net: _Net, r: _Result, fast: bool) -> Schedule:
    n = net.n
    tf = r.tf
    ff = [f if f < t else t for f, t in zip(r.ff, tf, strict=True)]
    ff = [f if f > 0 else 0 for f in ff]
    crit = [t <= 0 for t in tf]
    for u in net.actual_finish:
        crit[u] = False
    cp = [u for u in r.order if crit[u]]
    cp.sort(key=r.es.__getitem__)
    critical_ids = tuple(net.ids[u] for u in cp)
    if n:
        start, finish = min(r.ds), max(r.df)
    else:
        empty = net.ps if net.ps is not None else net.deadline
        assert empty is not None
        start = finish = empty
    columns = (r.ds, r.df, r.es, r.ef, r.ls, r.lf, tf, ff, crit)
    milestone = net.milestone
    summary: list[bool] | None = None
    if net.leaves is not None:
        # scatter leaf columns to task order and roll summaries up, deepest first
        count = len(net.all_ids)
        leaves = net.leaves
        cols: list[list[object]] = []
        for col in columns:
            full: list[object] = [None] * count
            for u in range(n):
                full[leaves[u]] = col[u]
            cols.append(full)
        ms_full: list[bool] = [False] * count
        for u in range(n):
            ms_full[leaves[u]] = milestone[u]
        summary = [False] * count
        for j in net.children:
            summary[j] = True
        depth: dict[int, int] = {}
        parent_of = {c: j for j, kids in net.children.items() for c in kids}
        for j in net.children:
            d, x = 0, j
            while x in parent_of:
                x = parent_of[x]
                d += 1
            depth[j] = d
        for j in sorted(net.children, key=depth.__getitem__, reverse=True):
            kids = net.children[j]
            for c, pick in enumerate((min, max, min, max, min, max, min, min)):
                cols[c][j] = pick(cols[c][x] for x in kids)  # type: ignore[type-var]
            cols[8][j] = any(cols[8][x] for x in kids)
        columns = tuple(cols)  # type: ignore[assignment]
        milestone = ms_full
    table = _TaskTable(net.all_ids, columns, summary, milestone)
    return Schedule(start, finish, critical_ids, table, fast)
