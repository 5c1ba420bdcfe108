"""The core computation: capacity and demand per person and period, vectorised with numpy.

Days are the unit of work.  For every person the engine builds an array of *gross* hours per day over
the horizon (calendar working minutes / 60 x contracted hours / the calendar's standard week, 0 on
leave) and its cumulative sum, so the hours between any two days cost O(1).  A person's capacity in a
period is the gross hours of the period times ``1 - non_project``.

Each counted demand item is split into one *entry* per period it overlaps:

* on a named person, ``units`` give ``units x gross hours`` of each day; ``hours`` are spread in
  proportion to the gross hours of the days between start and finish (so a holiday or leave day gets
  none, a part-time week less); when the person has no working time at all in the range, the hours are
  spread evenly over its calendar days;
* on a role (no person), ``hours`` are spread evenly over the working days of the default calendar
  (calendar days if none), ``units`` are heads: ``units x`` the default calendar's hours of each day.

Only the part of an item inside the horizon counts (an item half outside keeps its rate).  The entries
(item, period, hours) stay in the result for drill-down and the group views of
:mod:`pmo.engine.capacity.views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.capacity.model import CapacityInput, DemandKind, Period, Person
from pmo.engine.errors import InvalidInputError

__all__ = ["CapacityResult", "compute"]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def _calendar_minutes(cal: WorkingCalendar, first: int, days: int) -> F64:
    """Working minutes of each day ``first .. first + days - 1`` (ordinals) on ``cal``."""
    weekday = np.array([sum(e - s for s, e in pattern) for pattern in cal.week], dtype=np.float64)
    out: F64 = weekday[(np.arange(first, first + days, dtype=np.int64) - 1) % 7]
    for exc in cal.exceptions:
        a = max(exc.start.toordinal() - first, 0)
        b = min((exc.finish or exc.start).toordinal() - first + 1, days)
        if a < b:
            out[a:b] = sum(e - s for s, e in exc.intervals)
    return out


@dataclass(frozen=True, eq=False)
class CapacityResult:
    """Capacity and demand of every person in every period, and the per-item entries behind them.

    ``capacity`` and ``demand`` are ``people x periods`` arrays of hours (rows in ``people`` order);
    ``entry_item`` / ``entry_period`` / ``entry_hours`` list the hours of each counted demand item
    (index into ``inputs.demand``) in each period; ``item_person`` / ``item_role`` give each item's
    person index (-1: none) and, for role items without a person, its role (None otherwise).
    ``generic_capacity`` maps a generic resource's index to its hours per period.

    >>> from datetime import date
    >>> from pmo.engine.capacity.model import Demand, Periods, Person
    >>> inp = CapacityInput([Person("ann")], [Demand("P1", "plan", "ann", None, date(2025, 1, 6),
    ...                     date(2025, 1, 17), units=0.5)], Periods(date(2025, 1, 6), 2, "week"))
    >>> r = compute(inp)
    >>> r.capacity.tolist(), r.demand.tolist()
    ([[40.0, 40.0]], [[20.0, 20.0]])
    >>> r.person_row("ann"), r.item_hours(0)
    (0, 40.0)
    """

    inputs: CapacityInput
    periods: tuple[Period, ...]
    people: tuple[Person, ...]
    first_day: int
    boundaries: I64
    cum_gross: F64
    net_share: F64
    capacity: F64
    demand: F64
    generic_capacity: F64
    entry_item: I64
    entry_period: I64
    entry_hours: F64
    item_person: I64
    item_role: tuple[str | None, ...]
    counted: NDArray[np.bool_]

    def person_row(self, person_id: str) -> int:
        """The row of a person in ``capacity`` / ``demand``.

        >>> from datetime import date
        >>> from pmo.engine.capacity.model import Periods, Person
        >>> compute(CapacityInput([Person("a"), Person("b")], [], Periods(date(2025, 1, 1), 1))).person_row("b")
        1
        """
        for i, p in enumerate(self.people):
            if p.id == person_id:
                return i
        raise InvalidInputError(f"unknown person {person_id!r}")

    def item_hours(self, item: int) -> float:
        """Hours of demand item ``item`` (an index into ``inputs.demand``) inside the horizon.

        >>> from datetime import date
        >>> from pmo.engine.capacity.model import Demand, Periods, Person
        >>> d = Demand("P", "plan", "a", None, date(2025, 1, 6), date(2025, 1, 19), hours=60)
        >>> compute(CapacityInput([Person("a")], [d], Periods(date(2025, 1, 6), 1, "week"))).item_hours(0)
        30.0
        """
        return float(self.entry_hours[self.entry_item == item].sum())

    def free_hours(self, start: date, finish: date) -> F64:
        """Free hours (capacity minus demand, never below 0) of every person between two dates
        (inclusive), per period prorated by the share of the period's capacity inside the range.

        >>> from datetime import date
        >>> from pmo.engine.capacity.model import Demand, Periods, Person
        >>> d = Demand("P", "plan", "a", None, date(2025, 1, 6), date(2025, 1, 10), hours=30)
        >>> r = compute(CapacityInput([Person("a"), Person("b")], [d], Periods(date(2025, 1, 6), 2, "week")))
        >>> r.free_hours(date(2025, 1, 8), date(2025, 1, 14)).tolist()   # a: 10 x 3/5 + 40 x 2/5
        [22.0, 40.0]
        """
        pb = self.boundaries
        s = int(np.clip(start.toordinal() - self.first_day, 0, self.cum_gross.shape[1] - 1))
        e = int(np.clip(finish.toordinal() + 1 - self.first_day, 0, self.cum_gross.shape[1] - 1))
        a = np.clip(pb[:-1], s, None)
        b = np.clip(pb[1:], None, e)
        b = np.maximum(a, b)
        inside = (self.cum_gross[:, b] - self.cum_gross[:, a]) * self.net_share[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(self.capacity > 0, inside / self.capacity, 0.0)
        free = np.maximum(self.capacity - self.demand, 0.0)
        total: F64 = (free * share).sum(axis=1)
        return total


def compute(inputs: CapacityInput) -> CapacityResult:
    """Compute capacity and demand per person and period (see the module docstring for the rules).

    >>> from datetime import date
    >>> from pmo.engine.capacity.model import Demand, Leave, Periods, Person
    >>> ann = Person("ann", roles=("dev",), leave=[Leave(date(2025, 1, 8), date(2025, 1, 8))])
    >>> work = Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 17), hours=72)
    >>> r = compute(CapacityInput([ann], [work], Periods(date(2025, 1, 6), 2, "week")))
    >>> r.capacity.tolist(), r.demand.tolist()     # the leave day gets no work
    ([[32.0, 40.0]], [[32.0, 40.0]])
    """
    people = tuple(inputs.people)
    periods = inputs.periods.periods()
    default = inputs.calendar or WorkingCalendar.standard()
    index: dict[str, int] = {}
    for i, p in enumerate(people):
        if p.id in index:
            raise InvalidInputError(f"person {p.id!r} is listed twice")
        index[p.id] = i
    h0, h1 = periods[0].start.toordinal(), periods[-1].end.toordinal()

    # ---- items: check references, keep the counted ones that overlap the horizon
    demand = inputs.demand
    n_items = len(demand)
    item_person = np.full(n_items, -1, dtype=np.int64)
    item_role: list[str | None] = [None] * n_items
    counted = np.zeros(n_items, dtype=np.bool_)
    sel: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    persons: list[int] = []
    amounts: list[float] = []
    is_units: list[bool] = []
    lo, hi = h0, h1
    for i, d in enumerate(demand):
        if d.person_id:
            pi = index.get(d.person_id)
            if pi is None:
                raise InvalidInputError(f"demand {d.label!r}: unknown person {d.person_id!r}")
            item_person[i] = pi
        else:
            # A role nobody holds (a proposal asking for a skill set the pool lacks) is demand with no
            # capacity: it shows as a row with no capacity rather than refusing the whole picture.
            pi = -1
            item_role[i] = d.role
        if d.kind is DemandKind.PROPOSAL and not inputs.proposal_counts(d.project_id):
            continue
        s, e = d.start.toordinal(), d.finish.toordinal() + 1
        if e <= h0 or s >= h1:
            continue
        counted[i] = True
        sel.append(i)
        starts.append(s)
        ends.append(e)
        persons.append(pi)
        units = d.units is not None
        amounts.append(float(d.units if units else d.hours))  # type: ignore[arg-type]
        is_units.append(units)
        lo = min(lo, s)
        hi = max(hi, e)

    # ---- days: gross hours per person and day, cumulated
    days = hi - lo
    n_people = len(people)
    gross = np.empty((n_people, days), dtype=np.float64)
    cache: dict[int, F64] = {}

    def minutes_of(cal: WorkingCalendar) -> F64:
        found = cache.get(id(cal))
        if found is None:
            found = cache[id(cal)] = _calendar_minutes(cal, lo, days)
        return found

    default_minutes = minutes_of(default)
    net_share = np.empty(n_people, dtype=np.float64)
    for i, p in enumerate(people):
        cal = p.calendar or default
        week = cal.minutes_per_week / 60.0
        base = (cal.minutes_per_week / 60.0 if p.hours_per_week is None else p.hours_per_week) / week
        row = gross[i]
        np.multiply(minutes_of(cal), base / 60.0, out=row)
        for change in p.capacity_changes:
            a = max(change.start.toordinal() - lo, 0)
            if a < days:
                row[a:] = minutes_of(cal)[a:] * (change.hours_per_week / week / 60.0)
        for leave in p.leave:
            a = max(leave.start.toordinal() - lo, 0)
            b = min(leave.finish.toordinal() + 1 - lo, days)
            if a < b:
                row[a:b] = 0.0
        net_share[i] = 1.0 - p.non_project
    cum_gross = np.zeros((n_people, days + 1), dtype=np.float64)
    np.cumsum(gross, axis=1, out=cum_gross[:, 1:])
    del gross
    std_hours = default_minutes / 60.0
    cum_std_hours = np.concatenate(([0.0], np.cumsum(std_hours)))
    cum_std_days = np.concatenate(([0.0], np.cumsum(std_hours > 0)))

    pb = np.array([p.start.toordinal() - lo for p in periods] + [h1 - lo], dtype=np.int64)
    n_periods = len(periods)
    capacity = (cum_gross[:, pb[1:]] - cum_gross[:, pb[:-1]]) * net_share[:, None]
    period_std = cum_std_hours[pb[1:]] - cum_std_hours[pb[:-1]]
    generic = np.zeros((len(inputs.generic), n_periods), dtype=np.float64)
    for g_i, g in enumerate(inputs.generic):
        week = default.minutes_per_week / 60.0
        per_head = 1.0 if g.hours_per_week is None else g.hours_per_week / week
        generic[g_i] = g.headcount * per_head * (1.0 - g.non_project) * period_std

    # ---- entries: one per (item, overlapped period)
    item_ids = np.array(sel, dtype=np.int64)
    s_arr = np.array(starts, dtype=np.int64) - lo
    e_arr = np.array(ends, dtype=np.int64) - lo
    p_arr = np.array(persons, dtype=np.int64)
    amount = np.array(amounts, dtype=np.float64)
    units_mode = np.array(is_units, dtype=np.bool_)
    k0 = np.clip(np.searchsorted(pb, s_arr, "right") - 1, 0, n_periods - 1)
    k1 = np.clip(np.searchsorted(pb, e_arr, "left") - 1, 0, n_periods - 1)
    counts = k1 - k0 + 1
    rep = np.repeat(np.arange(len(sel), dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    k = k0[rep] + np.arange(rep.size, dtype=np.int64) - offsets[rep]
    s_r, e_r = s_arr[rep], e_arr[rep]
    a = np.maximum(s_r, pb[k])
    b = np.minimum(e_r, pb[k + 1])
    on_person = p_arr >= 0
    pr = np.where(on_person, p_arr, 0)
    cg = cum_gross if n_people else np.zeros((1, days + 1), dtype=np.float64)
    # weight of each item over its whole range, and of each entry
    whole = np.where(
        on_person,
        cg[pr, e_arr] - cg[pr, s_arr],
        np.where(units_mode, 0.0, cum_std_days[e_arr] - cum_std_days[s_arr]),
    )
    pr_r = pr[rep]
    part = np.where(
        on_person[rep],
        cg[pr_r, b] - cg[pr_r, a],
        np.where(units_mode[rep], cum_std_hours[b] - cum_std_hours[a], cum_std_days[b] - cum_std_days[a]),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(units_mode, amount, amount / whole)
        even = (b - a) / (e_r - s_r) * amount[rep]
        no_time = (~units_mode & (whole <= 0))[rep]
        hours = np.where(no_time, even, rate[rep] * part)
    person_entry = on_person[rep]
    flat = p_arr[rep][person_entry] * n_periods + k[person_entry]
    demand_hours = np.bincount(flat, weights=hours[person_entry], minlength=n_people * n_periods).reshape(
        n_people, n_periods
    )
    return CapacityResult(
        inputs=inputs,
        periods=periods,
        people=people,
        first_day=lo,
        boundaries=pb,
        cum_gross=cum_gross,
        net_share=net_share,
        capacity=capacity,
        demand=demand_hours.astype(np.float64),
        generic_capacity=generic,
        entry_item=item_ids[rep],
        entry_period=k,
        entry_hours=hours.astype(np.float64),
        item_person=item_person,
        item_role=tuple(item_role),
        counted=counted,
    )
