"""The inputs of the capacity engine: people, generic resources, demand items, periods, thresholds.

The dataclasses are frozen; each one checks its own fields when built (the message names the item), and
:func:`~pmo.engine.capacity.compute` checks the cross references (unknown person, duplicate
ids).  Every input may also be given as a plain tuple in field order (a database row): the engine turns
it into the dataclass with :func:`as_person`, :func:`as_demand` and :func:`as_generic`.

Dates are :class:`~datetime.date` values; ranges are inclusive (``start`` .. ``finish``).  Hours are
floats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import InvalidInputError

__all__ = [
    "CapacityChange",
    "CapacityInput",
    "Colour",
    "Demand",
    "DemandKind",
    "GenericResource",
    "Leave",
    "Period",
    "Periods",
    "Person",
    "Thresholds",
    "as_demand",
    "as_generic",
    "as_person",
]


def _number(value: object, what: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(f"{what} must be a finite number, got {value!r}")
    if value < minimum:
        raise InvalidInputError(f"{what} must be >= {minimum:g}, got {value!r}")
    return float(value)


def _date(value: object, what: str) -> date:
    if not isinstance(value, date):
        raise InvalidInputError(f"{what} must be a date, got {type(value).__name__}")
    return value


class DemandKind(StrEnum):
    """Where a demand item comes from.  Plain strings (``"plan"``) are accepted.

    ``PLAN``: an assignment of a planning task to a named person; ``ROLE``: a project's demand for a
    role (a generic resource), optionally already pencilled on a person; ``PROPOSAL``: demand of a
    proposal (not yet a project), which the what-if switches include or exclude.

    >>> DemandKind("proposal") is DemandKind.PROPOSAL
    True
    """

    PLAN = "plan"
    ROLE = "role"
    PROPOSAL = "proposal"


class Colour(StrEnum):
    """The colour of a heat-map cell (see :class:`Thresholds`).

    >>> Colour.AMBER == "amber"
    True
    """

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Load thresholds: green ``load < amber``; amber ``amber <= load <= red``; red ``load > red``.

    ``load = demand / capacity``; ``red`` is 1.0 (100 %): a cell is red exactly when its demand exceeds
    its capacity, so the over-allocation list and the red cells agree.  ``under`` marks under-used cells
    (``load < under`` with some capacity).  Defaults: amber 0.9, red 1.0, under 0.5.

    >>> t = Thresholds()
    >>> [t.colour(x).value for x in (0.89, 0.9, 1.0, 1.01)]
    ['green', 'amber', 'amber', 'red']
    """

    amber: float = 0.9
    red: float = 1.0
    under: float = 0.5

    def __post_init__(self) -> None:
        for name in ("amber", "red", "under"):
            _number(getattr(self, name), f"thresholds: {name}")
        if not self.under <= self.amber <= self.red:
            raise InvalidInputError(f"thresholds: need under <= amber <= red, got {self}")

    def colour(self, load: float) -> Colour:
        """The colour of one load value.

        >>> Thresholds(amber=0.8).colour(0.85)
        <Colour.AMBER: 'amber'>
        """
        if load > self.red + 1e-9:
            return Colour.RED
        if load >= self.amber - 1e-9:
            return Colour.AMBER
        return Colour.GREEN


@dataclass(frozen=True, slots=True)
class CapacityChange:
    """From ``start`` on, the person works ``hours_per_week`` (until the next change).

    Build one from a full-time equivalent with :meth:`fte`.

    >>> CapacityChange.fte(date(2025, 7, 1), 0.5)
    CapacityChange(start=datetime.date(2025, 7, 1), hours_per_week=20.0)
    """

    start: date
    hours_per_week: float

    def __post_init__(self) -> None:
        _date(self.start, "capacity change start")
        _number(self.hours_per_week, f"capacity change {self.start}: hours_per_week")

    @classmethod
    def fte(cls, start: date, fte: float, standard_week_hours: float = 40.0) -> CapacityChange:
        """A change given as a share of the standard week.

        >>> CapacityChange.fte(date(2025, 1, 1), 0.8, 37.5).hours_per_week
        30.0
        """
        return cls(start, _number(fte, "fte") * standard_week_hours)


@dataclass(frozen=True, slots=True)
class Leave:
    """Days off of one person (holiday, training, sick leave), ``start`` .. ``finish`` inclusive.

    >>> Leave(date(2025, 8, 4), date(2025, 8, 15), "summer").days
    12
    """

    start: date
    finish: date
    name: str = ""

    def __post_init__(self) -> None:
        _date(self.start, f"leave {self.name!r}: start")
        _date(self.finish, f"leave {self.name!r}: finish")
        if self.finish < self.start:
            raise InvalidInputError(f"leave {self.name or self.start.isoformat()!r}: finish is before start")

    @property
    def days(self) -> int:
        """Calendar days covered.

        >>> Leave(date(2025, 1, 1), date(2025, 1, 1)).days
        1
        """
        return (self.finish - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Person:
    """A named person of the resource pool.

    ``roles``: the first one is the primary role, the group the person counts in by role.  ``skills``:
    ``(skill, level)`` pairs (a mapping is accepted; levels are ints, e.g. 1..5).  ``hours_per_week``:
    contracted hours (None: the calendar's standard week, 40 h for the standard calendar), changed over
    time by ``capacity_changes``.  The working days and hours come from ``calendar`` (None: the
    computation's default calendar) minus ``leave``.  ``non_project``: the share of capacity kept for
    non-project work (0..1).  Capacity = contracted hours spread over the calendar's working time, minus
    leave, times ``1 - non_project``.

    >>> ann = Person("ann", roles=("dev",), skills={"python": 4}, org_unit="IT", non_project=0.2)
    >>> ann.skill_level("python"), ann.skill_level("java"), ann.primary_role
    (4, None, 'dev')
    """

    id: str
    roles: tuple[str, ...] = ()
    skills: tuple[tuple[str, int], ...] = ()
    org_unit: str = ""
    hours_per_week: float | None = None
    capacity_changes: tuple[CapacityChange, ...] = ()
    leave: tuple[Leave, ...] = ()
    non_project: float = 0.0
    calendar: WorkingCalendar | None = None
    _skills: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InvalidInputError(f"person {self.id!r}: id must be a non-empty string")
        what = f"person {self.id!r}"
        roles = (self.roles,) if isinstance(self.roles, str) else tuple(self.roles)
        raw = self.skills.items() if isinstance(self.skills, Mapping) else self.skills
        try:
            skills = tuple(sorted((str(s), int(level)) for s, level in raw))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"{what}: skills must be (skill, level) pairs") from exc
        if self.hours_per_week is not None:
            _number(self.hours_per_week, f"{what}: hours_per_week")
        changes = tuple(c if isinstance(c, CapacityChange) else CapacityChange(*c) for c in self.capacity_changes)
        leave = tuple(x if isinstance(x, Leave) else Leave(*x) for x in self.leave)
        share = _number(self.non_project, f"{what}: non_project")
        if share > 1:
            raise InvalidInputError(f"{what}: non_project must be within 0..1, got {share}")
        if self.calendar is not None and not isinstance(self.calendar, WorkingCalendar):
            raise InvalidInputError(f"{what}: calendar must be a WorkingCalendar")
        object.__setattr__(self, "roles", roles)
        object.__setattr__(self, "skills", skills)
        object.__setattr__(self, "capacity_changes", tuple(sorted(changes, key=lambda c: c.start)))
        object.__setattr__(self, "leave", leave)
        object.__setattr__(self, "_skills", dict(skills))

    @property
    def primary_role(self) -> str | None:
        """The first role, or None.

        >>> Person("bo").primary_role is None
        True
        """
        return self.roles[0] if self.roles else None

    def skill_level(self, skill: str) -> int | None:
        """The person's level in a skill, None without it.

        >>> Person("bo", skills=[("sql", 2)]).skill_level("sql")
        2
        """
        return self._skills.get(skill)


@dataclass(frozen=True, slots=True)
class GenericResource:
    """Capacity of a role not tied to named people: ``headcount`` x the standard hours.

    The hours follow the default calendar's working days (``hours_per_week`` per head, None: the
    calendar's standard week), times ``1 - non_project``; they count in the role's group.

    >>> GenericResource("tester", 3).headcount
    3.0
    """

    role: str
    headcount: float
    org_unit: str = ""
    hours_per_week: float | None = None
    non_project: float = 0.0

    def __post_init__(self) -> None:
        what = f"generic resource {self.role!r}"
        if not isinstance(self.role, str) or not self.role:
            raise InvalidInputError(f"{what}: role must be a non-empty string")
        object.__setattr__(self, "headcount", _number(self.headcount, f"{what}: headcount"))
        if self.hours_per_week is not None:
            _number(self.hours_per_week, f"{what}: hours_per_week")
        if not 0 <= _number(self.non_project, f"{what}: non_project") <= 1:
            raise InvalidInputError(f"{what}: non_project must be within 0..1")


@dataclass(frozen=True, slots=True)
class Demand:
    """One demand item: work of a project (or proposal) for a person or a role, ``start`` .. ``finish``.

    Exactly one of ``hours`` (total work) and ``units`` (share of the person's time, 1.0 = full time; for
    a role: heads) is given.  A named person's work is spread over the person's working time (calendar,
    changes of hours, leave) between start and finish; a role's work without a person over the working
    days of the default calendar, evenly.  ``skill`` / ``skill_level`` say what the work needs (used by
    the reassignment suggestions and the by-skill view); ``task_id`` / ``task_name`` drill down.

    >>> d = Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 17), units=1.0, task_id="T1")
    >>> d.kind, d.label
    (<DemandKind.PLAN: 'plan'>, 'P1/T1')
    """

    project_id: str
    kind: DemandKind | str
    person_id: str | None
    role: str | None
    start: date
    finish: date
    hours: float | None = None
    units: float | None = None
    task_id: str = ""
    task_name: str = ""
    skill: str | None = None
    skill_level: int = 0

    def __post_init__(self) -> None:
        what = f"demand {self.label!r}"
        try:
            object.__setattr__(self, "kind", DemandKind(self.kind))
        except ValueError as exc:
            raise InvalidInputError(f"{what}: kind must be plan, role or proposal, got {self.kind!r}") from exc
        if not self.person_id and not self.role:
            raise InvalidInputError(f"{what}: needs a person_id or a role")
        if self.kind is DemandKind.PLAN and not self.person_id:
            raise InvalidInputError(f"{what}: a plan assignment needs a person_id")
        _date(self.start, f"{what}: start")
        _date(self.finish, f"{what}: finish")
        if self.finish < self.start:
            raise InvalidInputError(f"{what}: finish {self.finish} is before start {self.start}")
        if (self.hours is None) == (self.units is None):
            raise InvalidInputError(f"{what}: give exactly one of hours and units")
        if self.hours is not None:
            _number(self.hours, f"{what}: hours")
        if self.units is not None:
            _number(self.units, f"{what}: units")

    @property
    def label(self) -> str:
        """``project/task`` (or the project alone), as used in messages.

        >>> Demand("P2", "role", None, "dev", date(2025, 1, 6), date(2025, 1, 6), hours=8).label
        'P2'
        """
        return f"{self.project_id}/{self.task_id}" if self.task_id else str(self.project_id)

    def shifted(self, days: int) -> Demand:
        """The same item moved by ``days`` calendar days.

        >>> Demand("P", "plan", "a", None, date(2025, 1, 6), date(2025, 1, 10), hours=8).shifted(7).start
        datetime.date(2025, 1, 13)
        """
        delta = timedelta(days=days)
        return Demand(
            self.project_id, self.kind, self.person_id, self.role, self.start + delta, self.finish + delta,
            self.hours, self.units, self.task_id, self.task_name, self.skill, self.skill_level,
        )  # fmt: skip


_T = TypeVar("_T")


def _coerce(value: object, cls: type[_T], what: str) -> _T:
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls(**value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return cls(*value)
    raise InvalidInputError(f"{what}: expected a {cls.__name__}, a tuple or a mapping, got {value!r}")


def as_person(value: object) -> Person:
    """A :class:`Person` from itself, a tuple in field order or a mapping of fields.

    >>> as_person(("ann", ("dev",), {"python": 3})).skills
    (('python', 3),)
    """
    return _coerce(value, Person, "person")


def as_demand(value: object) -> Demand:
    """A :class:`Demand` from itself, a tuple in field order or a mapping of fields.

    >>> as_demand(("P1", "role", None, "dev", date(2025, 1, 6), date(2025, 1, 10), 40.0)).hours
    40.0
    """
    return _coerce(value, Demand, "demand")


def as_generic(value: object) -> GenericResource:
    """A :class:`GenericResource` from itself, a tuple or a mapping.

    >>> as_generic(("qa", 2)).headcount
    2.0
    """
    return _coerce(value, GenericResource, "generic resource")


@dataclass(frozen=True, slots=True)
class Period:
    """One period of the horizon: ``start`` inclusive, ``end`` exclusive.

    >>> p = Period(0, date(2025, 1, 6), date(2025, 1, 13), "2025-W02")
    >>> p.days
    7
    """

    index: int
    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        """Calendar days in the period.

        >>> Period(0, date(2025, 2, 1), date(2025, 3, 1), "2025-02").days
        28
        """
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class Periods:
    """``count`` consecutive weeks or months.  Weeks are ISO weeks (Monday to Sunday) and months are
    calendar months; ``start`` is moved back to the Monday of its week or the 1st of its month.

    >>> ps = Periods(date(2025, 1, 8), 3, "week").periods()
    >>> [(p.label, p.start.isoformat()) for p in ps]
    [('2025-W02', '2025-01-06'), ('2025-W03', '2025-01-13'), ('2025-W04', '2025-01-20')]
    >>> [p.label for p in Periods(date(2025, 11, 15), 3).periods()]
    ['2025-11', '2025-12', '2026-01']
    """

    start: date
    count: int
    unit: str = "month"

    def __post_init__(self) -> None:
        _date(self.start, "periods: start")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise InvalidInputError(f"periods: count must be an int >= 1, got {self.count!r}")
        if self.unit not in ("week", "month"):
            raise InvalidInputError(f"periods: unit must be 'week' or 'month', got {self.unit!r}")

    def periods(self) -> tuple[Period, ...]:
        """The periods, in order.

        >>> Periods(date(2025, 3, 31), 1, "week").periods()[0].end
        datetime.date(2025, 4, 7)
        """
        out = []
        if self.unit == "week":
            first = self.start - timedelta(days=self.start.weekday())
            for i in range(self.count):
                s = first + timedelta(weeks=i)
                year, week, _ = s.isocalendar()
                out.append(Period(i, s, s + timedelta(weeks=1), f"{year}-W{week:02d}"))
        else:
            y, m = self.start.year, self.start.month
            for i in range(self.count):
                ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
                out.append(Period(i, date(y, m, 1), date(ny, nm, 1), f"{y}-{m:02d}"))
                y, m = ny, nm
        return tuple(out)


@dataclass(frozen=True)
class CapacityInput:
    """Everything one capacity computation needs; the what-if functions return modified copies.

    ``calendar``: the default working calendar (people without their own, generic resources, role
    demand; None: the standard calendar).  Proposal demand counts when ``include_proposals`` is on and
    the proposal is not in ``excluded_proposals``, or when it is in ``included_proposals`` (which wins
    over the switch being off).  People, generic resources and demand may be tuples (database rows).

    >>> inp = CapacityInput([("ann", ("dev",))], [], Periods(date(2025, 1, 6), 2, "week"))
    >>> inp.people[0].id, inp.proposal_counts("X")
    ('ann', True)
    """

    people: Sequence[Person]
    demand: Sequence[Demand]
    periods: Periods
    generic: Sequence[GenericResource] = ()
    calendar: WorkingCalendar | None = None
    include_proposals: bool = True
    excluded_proposals: frozenset[str] = frozenset()
    included_proposals: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", tuple(as_person(p) for p in self.people))
        object.__setattr__(self, "demand", tuple(as_demand(d) for d in self.demand))
        object.__setattr__(self, "generic", tuple(as_generic(g) for g in self.generic))
        if not isinstance(self.periods, Periods):
            raise InvalidInputError("capacity input: periods must be a Periods value")
        object.__setattr__(self, "excluded_proposals", frozenset(self.excluded_proposals))
        object.__setattr__(self, "included_proposals", frozenset(self.included_proposals))

    def proposal_counts(self, proposal_id: str) -> bool:
        """Whether the demand of this proposal counts under the current switches.

        >>> inp = CapacityInput([], [], Periods(date(2025, 1, 1), 1), include_proposals=False,
        ...                     included_proposals=frozenset({"P9"}))
        >>> inp.proposal_counts("P9"), inp.proposal_counts("P8")
        (True, False)
        """
        if proposal_id in self.included_proposals:
            return True
        return self.include_proposals and proposal_id not in self.excluded_proposals
