"""Views of a :class:`~pmo.engine.capacity.compute.CapacityResult`: heat maps by person, role, skill or
org unit, the over-allocation and under-use lists, drill-down and the side-by-side comparison.

Groups (``by``):

``person``
    one row per person.
``role``
    a person counts (capacity and demand) in the group of the *primary* role (the first of ``roles``),
    so the rows add up to the whole pool; generic resources add their capacity to their role; role
    demand not assigned to a person goes to its role.
``skill``
    a person counts in every skill group they have (rows overlap and do not add up); role demand not
    assigned to a person goes to its ``skill`` when it names one.
``org_unit``
    a person counts in their unit, a generic resource in its unit; role demand not assigned to a person
    has no unit and is not shown.

``load = demand / capacity`` (0 when both are 0, infinite when only the capacity is 0); colours follow
:class:`~pmo.engine.capacity.model.Thresholds` (green < 0.9 <= amber <= 1.0 < red by default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pmo.engine.capacity.compute import CapacityResult
from pmo.engine.capacity.model import Colour, DemandKind, Period, Thresholds
from pmo.engine.errors import InvalidInputError

__all__ = [
    "GROUPINGS",
    "Comparison",
    "Contribution",
    "HeatMap",
    "OverAllocation",
    "UnderUse",
    "compare",
    "contributions",
    "heat_map",
    "over_allocations",
    "under_used",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
GROUPINGS = ("person", "role", "skill", "org_unit")
_EPS = 1e-9


def _load(capacity: F64, demand: F64) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        load: F64 = np.where(capacity > _EPS, demand / capacity, np.where(demand > _EPS, np.inf, 0.0))
    return load


@dataclass(frozen=True, eq=False)
class HeatMap:
    """Capacity and demand hours of each group (row, in ``keys`` order) in each period (column).

    >>> hm = HeatMap("role", ("dev",), (), np.array([[40.0, 40.0]]), np.array([[36.0, 44.0]]))
    >>> hm.load().tolist(), [c.value for c in hm.colours()[0]]
    ([[0.9, 1.1]], ['amber', 'red'])
    >>> hm.excess().tolist(), hm.row("dev")
    ([[0.0, 4.0]], 0)
    """

    by: str
    keys: tuple[str, ...]
    periods: tuple[Period, ...]
    capacity: F64
    demand: F64

    def row(self, key: str) -> int:
        """The row of a group key.

        >>> HeatMap("person", ("a", "b"), (), np.zeros((2, 1)), np.zeros((2, 1))).row("b")
        1
        """
        try:
            return self.keys.index(key)
        except ValueError:
            raise InvalidInputError(f"heat map by {self.by}: unknown {self.by} {key!r}") from None

    def load(self) -> F64:
        """``demand / capacity`` per cell (0 when both are 0, ``inf`` when only the capacity is 0).

        >>> HeatMap("person", ("a",), (), np.array([[0.0, 0.0, 10.0]]), np.array([[0.0, 5.0, 5.0]])).load().tolist()
        [[0.0, inf, 0.5]]
        """
        return _load(self.capacity, self.demand)

    def colours(self, thresholds: Thresholds | None = None) -> tuple[tuple[Colour, ...], ...]:
        """The colour of each cell.

        >>> HeatMap("person", ("a",), (), np.array([[10.0]]), np.array([[8.0]])).colours()
        ((<Colour.GREEN: 'green'>,),)
        """
        t = thresholds or Thresholds()
        load = self.load()
        codes = np.where(load > t.red + _EPS, 2, np.where(load >= t.amber - _EPS, 1, 0))
        names = (Colour.GREEN, Colour.AMBER, Colour.RED)
        return tuple(tuple(names[c] for c in row) for row in codes.tolist())

    def excess(self) -> F64:
        """Demand above capacity per cell (0 where there is none).

        >>> HeatMap("person", ("a",), (), np.array([[10.0]]), np.array([[12.5]])).excess().tolist()
        [[2.5]]
        """
        out: F64 = np.maximum(self.demand - self.capacity, 0.0)
        return out

    def free(self) -> F64:
        """Capacity left per cell (0 where over-allocated).

        >>> HeatMap("person", ("a",), (), np.array([[10.0]]), np.array([[2.5]])).free().tolist()
        [[7.5]]
        """
        out: F64 = np.maximum(self.capacity - self.demand, 0.0)
        return out


@dataclass(frozen=True, slots=True)
class Contribution:
    """The hours one demand item (``item``: index into the input demand) puts in one cell.

    >>> Contribution(0, "P1", DemandKind.PLAN, "T1", "Build", "ann", 12.0).hours
    12.0
    """

    item: int
    project_id: str
    kind: DemandKind
    task_id: str
    task_name: str
    person_id: str | None
    hours: float


@dataclass(frozen=True, slots=True)
class OverAllocation:
    """A red cell: the group ``key`` needs more than its capacity in ``period``.

    ``contributions`` are the demand items in the cell, most hours first (ties by item order).

    >>> from datetime import date
    >>> p = Period(0, date(2025, 1, 6), date(2025, 1, 13), "2025-W02")
    >>> OverAllocation("person", "ann", p, 40.0, 50.0, 1.25, 10.0, ()).excess_hours
    10.0
    """

    by: str
    key: str
    period: Period
    capacity: float
    demand: float
    load: float
    excess_hours: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, slots=True)
class UnderUse:
    """A cell with capacity whose load is below the ``under`` threshold.

    >>> from datetime import date
    >>> p = Period(0, date(2025, 1, 6), date(2025, 1, 13), "2025-W02")
    >>> UnderUse("person", "bo", p, 40.0, 8.0, 0.2, 32.0).free_hours
    32.0
    """

    by: str
    key: str
    period: Period
    capacity: float
    demand: float
    load: float
    free_hours: float


# ---------------------------------------------------------------------------------------------- groups


@dataclass(frozen=True, slots=True)
class _Groups:
    keys: tuple[str, ...]
    member_person: I64  # membership pairs (person index, row)
    member_row: I64
    item_row: I64  # row of each role item without a person, -1 otherwise
    generic_row: I64  # row of each generic resource, -1: not shown


def _groups(result: CapacityResult, by: str) -> _Groups:
    if by not in GROUPINGS:
        raise InvalidInputError(f"group by must be one of {', '.join(GROUPINGS)}, got {by!r}")
    people = result.people
    demand = result.inputs.demand
    generic = result.inputs.generic
    n_items = len(demand)
    item_row = np.full(n_items, -1, dtype=np.int64)
    generic_row = np.full(len(generic), -1, dtype=np.int64)
    pairs: list[tuple[int, str]] = []
    keys: set[str] = set()
    item_keys: list[tuple[int, str]] = []
    generic_keys: list[tuple[int, str]] = []
    if by == "person":
        n = len(people)
        ident = np.arange(n, dtype=np.int64)
        return _Groups(tuple(p.id for p in people), ident, ident, item_row, generic_row)
    for i, p in enumerate(people):
        if by == "role":
            names: tuple[str, ...] = (p.roles[0],) if p.roles else ()
        elif by == "skill":
            names = tuple(s for s, _ in p.skills)
        else:
            names = (p.org_unit,)
        pairs.extend((i, name) for name in names)
    for j, g in enumerate(generic):
        if by == "role":
            generic_keys.append((j, g.role))
        elif by == "org_unit":
            generic_keys.append((j, g.org_unit))
    for i, role in enumerate(result.item_role):
        if role is None:
            continue
        if by == "role":
            item_keys.append((i, role))
        elif by == "skill" and demand[i].skill:
            item_keys.append((i, str(demand[i].skill)))
    keys.update(name for _, name in pairs)
    keys.update(name for _, name in generic_keys)
    keys.update(name for _, name in item_keys)
    ordered = tuple(sorted(keys))
    pos = {k: r for r, k in enumerate(ordered)}
    for i, name in item_keys:
        item_row[i] = pos[name]
    for j, name in generic_keys:
        generic_row[j] = pos[name]
    member_person = np.array([i for i, _ in pairs], dtype=np.int64)
    member_row = np.array([pos[name] for _, name in pairs], dtype=np.int64)
    return _Groups(ordered, member_person, member_row, item_row, generic_row)


def _entry_rows(result: CapacityResult, g: _Groups) -> tuple[I64, I64, I64, F64]:
    """(row, period, item, hours) of every entry in the grouping (an entry may go to several rows)."""
    items = result.entry_item
    person = result.item_person[items]
    on_person = person >= 0
    # person entries: CSR over memberships sorted by person
    order = np.argsort(g.member_person, kind="stable")
    mp, mr = g.member_person[order], g.member_row[order]
    n_people = len(result.people)
    indptr = np.zeros(n_people + 1, dtype=np.int64)
    np.cumsum(np.bincount(mp, minlength=n_people), out=indptr[1:])
    pe = np.flatnonzero(on_person)
    per = person[pe]
    counts = indptr[per + 1] - indptr[per]
    rep = np.repeat(pe, counts)
    offsets = np.cumsum(counts) - counts
    within = np.arange(rep.size, dtype=np.int64) - np.repeat(offsets, counts)
    rows_p = mr[np.repeat(indptr[per], counts) + within]
    # role entries without a person
    re = np.flatnonzero(~on_person)
    rows_r = g.item_row[items[re]]
    keep = rows_r >= 0
    re, rows_r = re[keep], rows_r[keep]
    idx = np.concatenate((rep, re))
    rows = np.concatenate((rows_p, rows_r))
    return rows, result.entry_period[idx], items[idx], result.entry_hours[idx]


def heat_map(result: CapacityResult, by: str = "person") -> HeatMap:
    """Capacity and demand per group and period (see the module docstring for the groupings).

    >>> from datetime import date
    >>> from pmo.engine.capacity import CapacityInput, Demand, GenericResource, Periods, Person, compute
    >>> people = [Person("ann", roles=("dev",)), Person("bo", roles=("dev", "qa")), Person("cy", roles=("qa",))]
    >>> work = [Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=30),
    ...         Demand("P1", "role", None, "qa", date(2025, 1, 6), date(2025, 1, 10), hours=20)]
    >>> inp = CapacityInput(people, work, Periods(date(2025, 1, 6), 1, "week"), generic=[GenericResource("qa", 2)])
    >>> hm = heat_map(compute(inp), by="role")
    >>> hm.keys, hm.capacity.tolist(), hm.demand.tolist()
    (('dev', 'qa'), [[80.0], [120.0]], [[30.0], [20.0]])
    """
    g = _groups(result, by)
    n_rows, n_periods = len(g.keys), len(result.periods)
    if by == "person":
        return HeatMap(by, g.keys, result.periods, result.capacity, result.demand)
    capacity = np.zeros((n_rows, n_periods), dtype=np.float64)
    np.add.at(capacity, g.member_row, result.capacity[g.member_person])
    shown = g.generic_row >= 0
    np.add.at(capacity, g.generic_row[shown], result.generic_capacity[shown])
    rows, k, _, hours = _entry_rows(result, g)
    demand = np.bincount(rows * n_periods + k, weights=hours, minlength=n_rows * n_periods)
    return HeatMap(by, g.keys, result.periods, capacity, demand.reshape(n_rows, n_periods).astype(np.float64))


def _contributions(result: CapacityResult, items: I64, hours: F64) -> tuple[Contribution, ...]:
    demand = result.inputs.demand
    order = np.lexsort((items, -hours))
    out = []
    for j in order.tolist():
        d = demand[int(items[j])]
        kind = d.kind if isinstance(d.kind, DemandKind) else DemandKind(d.kind)
        out.append(
            Contribution(int(items[j]), d.project_id, kind, d.task_id, d.task_name, d.person_id, float(hours[j]))
        )
    return tuple(out)


def contributions(result: CapacityResult, key: str, period: int, by: str = "person") -> tuple[Contribution, ...]:
    """Drill-down: the demand items in one cell, most hours first.

    >>> from datetime import date
    >>> from pmo.engine.capacity import CapacityInput, Demand, Periods, Person, compute
    >>> work = [Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=10, task_id="T1"),
    ...         Demand("P2", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=25, task_id="T7")]
    >>> r = compute(CapacityInput([Person("ann")], work, Periods(date(2025, 1, 6), 1, "week")))
    >>> [(c.project_id, c.task_id, c.hours) for c in contributions(r, "ann", 0)]
    [('P2', 'T7', 25.0), ('P1', 'T1', 10.0)]
    """
    g = _groups(result, by)
    try:
        row = g.keys.index(key)
    except ValueError:
        raise InvalidInputError(f"unknown {by} {key!r}") from None
    rows, k, items, hours = _entry_rows(result, g)
    mask = (rows == row) & (k == period)
    return _contributions(result, items[mask], hours[mask])


def over_allocations(
    result: CapacityResult, by: str = "person", thresholds: Thresholds | None = None
) -> tuple[OverAllocation, ...]:
    """Every red cell (load above ``thresholds.red``), most excess hours first (ties: key, period).

    >>> from datetime import date
    >>> from pmo.engine.capacity import CapacityInput, Demand, Periods, Person, compute
    >>> work = [Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=30),
    ...         Demand("P2", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=25)]
    >>> r = compute(CapacityInput([Person("ann"), Person("bo")], work, Periods(date(2025, 1, 6), 1, "week")))
    >>> [(o.key, o.period.label, o.load, o.excess_hours, [c.project_id for c in o.contributions])
    ...  for o in over_allocations(r)]
    [('ann', '2025-W02', 1.375, 15.0, ['P1', 'P2'])]
    """
    t = thresholds or Thresholds()
    hm = heat_map(result, by)
    load = hm.load()
    over = load > t.red + _EPS
    cells = np.argwhere(over)
    if not len(cells):
        return ()
    g = _groups(result, by)
    rows, k, items, hours = _entry_rows(result, g)
    n_periods = len(result.periods)
    in_over = over[rows, k]
    cell_of = rows[in_over] * n_periods + k[in_over]
    items, hours = items[in_over], hours[in_over]
    order = np.lexsort((items, -hours, cell_of))  # by cell, then most hours, then item order
    cell_of, items, hours = cell_of[order], items[order], hours[order]
    wanted = cells[:, 0] * n_periods + cells[:, 1]
    bounds = np.searchsorted(cell_of, wanted, "left").tolist()
    ends = np.searchsorted(cell_of, wanted, "right").tolist()
    demand = result.inputs.demand
    kinds = {k: DemandKind(k) for k in DemandKind}
    made = [
        Contribution(i, d.project_id, kinds[d.kind], d.task_id, d.task_name, d.person_id, h)
        for i, h in zip(items.tolist(), hours.tolist(), strict=True)
        for d in (demand[i],)
    ]
    out = []
    for (r, p), a, b in zip(cells.tolist(), bounds, ends, strict=True):
        cap, dem = float(hm.capacity[r, p]), float(hm.demand[r, p])
        out.append(
            OverAllocation(
                by, hm.keys[r], result.periods[p], cap, dem, float(load[r, p]), max(dem - cap, 0.0), tuple(made[a:b])
            )
        )
    out.sort(key=lambda o: (-o.excess_hours, o.key, o.period.index))
    return tuple(out)


def under_used(
    result: CapacityResult, by: str = "person", thresholds: Thresholds | None = None
) -> tuple[UnderUse, ...]:
    """Cells with capacity and a load below ``thresholds.under``, most free hours first (ties: key, period).

    >>> from datetime import date
    >>> from pmo.engine.capacity import CapacityInput, Demand, Periods, Person, compute
    >>> work = [Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=30)]
    >>> r = compute(CapacityInput([Person("ann"), Person("bo")], work, Periods(date(2025, 1, 6), 1, "week")))
    >>> [(u.key, u.load, u.free_hours) for u in under_used(r)]
    [('bo', 0.0, 40.0)]
    """
    t = thresholds or Thresholds()
    hm = heat_map(result, by)
    load = hm.load()
    cells = np.argwhere((hm.capacity > _EPS) & (load < t.under - _EPS))
    out = [
        UnderUse(
            by, hm.keys[r], result.periods[p], float(hm.capacity[r, p]), float(hm.demand[r, p]), float(load[r, p]),
            float(hm.capacity[r, p] - hm.demand[r, p]),
        )
        for r, p in cells.tolist()
    ]  # fmt: skip
    out.sort(key=lambda u: (-u.free_hours, u.key, u.period.index))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Comparison:
    """Two heat maps side by side, cell by cell (``after - before``); rows are the union of the keys
    (``before``'s order, then new keys of ``after``); a missing row counts as no capacity and no demand.

    ``delta_load`` is ``nan`` where both loads are infinite (demand without capacity on both sides).

    >>> a = HeatMap("person", ("ann",), (), np.array([[40.0]]), np.array([[30.0]]))
    >>> b = HeatMap("person", ("ann",), (), np.array([[40.0]]), np.array([[50.0]]))
    >>> c = compare(a, b)
    >>> c.delta_load.tolist(), c.delta_demand.tolist(), c.changed()
    ([[0.5]], [[20.0]], (('ann', 0, 0.75, 1.25),))
    """

    by: str
    keys: tuple[str, ...]
    periods: tuple[Period, ...]
    before: HeatMap
    after: HeatMap
    load_before: F64
    load_after: F64
    delta_load: F64
    delta_demand: F64
    delta_capacity: F64

    def changed(self, tolerance: float = 1e-9) -> tuple[tuple[str, int, float, float], ...]:
        """``(key, period index, load before, load after)`` of the cells whose load changed.

        >>> a = HeatMap("person", ("a", "b"), (), np.array([[8.0], [8.0]]), np.array([[4.0], [4.0]]))
        >>> compare(a, a).changed()
        ()
        """
        with np.errstate(invalid="ignore"):
            moved = ~(np.abs(self.delta_load) <= tolerance) & ~(self.load_before == self.load_after)
        return tuple(
            (self.keys[r], p, float(self.load_before[r, p]), float(self.load_after[r, p]))
            for r, p in np.argwhere(moved).tolist()
        )


def compare(before: HeatMap, after: HeatMap) -> Comparison:
    """Compare two heat maps of the same grouping and periods (today against a what-if).

    >>> a = HeatMap("role", ("dev",), (), np.array([[80.0]]), np.array([[40.0]]))
    >>> b = HeatMap("role", ("dev", "qa"), (), np.array([[80.0], [40.0]]), np.array([[60.0], [10.0]]))
    >>> c = compare(a, b)
    >>> c.keys, c.delta_load.tolist()
    (('dev', 'qa'), [[0.25], [0.25]])
    """
    if before.by != after.by:
        raise InvalidInputError(f"cannot compare a heat map by {before.by} with one by {after.by}")
    if [p.label for p in before.periods] != [p.label for p in after.periods] or (
        before.capacity.shape[1] != after.capacity.shape[1]
    ):
        raise InvalidInputError("cannot compare heat maps over different periods")
    keys = before.keys + tuple(k for k in after.keys if k not in set(before.keys))
    n_periods = before.capacity.shape[1]

    def aligned(hm: HeatMap) -> tuple[F64, F64]:
        cap = np.zeros((len(keys), n_periods), dtype=np.float64)
        dem = np.zeros((len(keys), n_periods), dtype=np.float64)
        pos = {k: i for i, k in enumerate(keys)}
        rows = np.array([pos[k] for k in hm.keys], dtype=np.int64)
        if rows.size:
            cap[rows] = hm.capacity
            dem[rows] = hm.demand
        return cap, dem

    cb, db = aligned(before)
    ca, da = aligned(after)
    lb, la = _load(cb, db), _load(ca, da)
    with np.errstate(invalid="ignore"):
        delta = la - lb
    return Comparison(before.by, keys, after.periods, before, after, lb, la, delta, da - db, ca - cb)
