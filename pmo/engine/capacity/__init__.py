"""Capacity planning: demand of projects and proposals against the capacity of the resource pool.

Build a :class:`CapacityInput` from :class:`Person` values (roles, skills with levels, org unit,
contracted hours changing over time, leave, a calendar, a non-project share), :class:`GenericResource`
values (a role with a headcount), :class:`Demand` items (plan assignments of named people, role demand of
projects, proposal demand; hours or units between two dates) and :class:`Periods` (weeks or months),
then call :func:`compute`; :func:`heat_map` aggregates by person, role, skill or org unit,
:func:`over_allocations` / :func:`under_used` list the cells to act on, :func:`contributions` drills down
and :func:`suggest_reassignments` proposes who could take over a piece of work:

>>> from datetime import date
>>> people = [Person("ann", roles=("dev",), skills={"python": 4}),
...           Person("bo", roles=("dev",), skills={"python": 3}, non_project=0.5)]
>>> work = [Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 17), units=1.0, task_id="T1",
...                skill="python", skill_level=3),
...         Demand("P2", "plan", "ann", None, date(2025, 1, 13), date(2025, 1, 17), hours=10, task_id="T4"),
...         Demand("X9", "proposal", None, "dev", date(2025, 1, 6), date(2025, 1, 17), hours=20)]
>>> today = CapacityInput(people, work, Periods(date(2025, 1, 6), 2, "week"))
>>> r = compute(today)
>>> hm = heat_map(r, "person")
>>> hm.capacity.tolist(), hm.demand.tolist(), [[c.value for c in row] for row in hm.colours()]
([[40.0, 40.0], [20.0, 20.0]], [[40.0, 50.0], [0.0, 0.0]], [['amber', 'red'], ['green', 'green']])
>>> [(o.key, o.period.label, o.excess_hours, [c.task_id for c in o.contributions]) for o in over_allocations(r)]
[('ann', '2025-W03', 10.0, ['T1', 'T4'])]
>>> heat_map(r, "role").demand.tolist()              # ann's work and the proposal's role demand
[[50.0, 60.0]]
>>> later = compute(shift_project(set_proposals(today, False), "P2", 1))
>>> compare(hm, heat_map(later, "person")).changed()
(('ann', 1, 1.25, 1.0),)
>>> [(s.person_id, s.free_hours) for s in suggest_reassignments(r, 0)]
[('bo', 40.0)]

The rules (spreading, groupings, colours, the reassignment ranking) are documented in
:mod:`pmo.engine.capacity.compute`, :mod:`pmo.engine.capacity.views` and
:mod:`pmo.engine.capacity.whatif`.  Memory: two ``people x days`` float arrays over the horizon (the
gross hours and their cumulative sum; 2,000 people over 3 years is about 18 MB each) plus a few arrays
per (item, period) entry.  ``bench/bench_capacity.py`` measures the speed.
"""

from __future__ import annotations

from pmo.engine.capacity.compute import CapacityResult, compute
from pmo.engine.capacity.model import (
    CapacityChange,
    CapacityInput,
    Colour,
    Demand,
    DemandKind,
    GenericResource,
    Leave,
    Period,
    Periods,
    Person,
    Thresholds,
    as_demand,
    as_generic,
    as_person,
)
from pmo.engine.capacity.views import (
    GROUPINGS,
    Comparison,
    Contribution,
    HeatMap,
    OverAllocation,
    UnderUse,
    compare,
    contributions,
    heat_map,
    over_allocations,
    under_used,
)
from pmo.engine.capacity.whatif import (
    Suggestion,
    add_people,
    exclude_proposal,
    include_proposal,
    remove_people,
    set_capacity,
    set_proposals,
    shift_project,
    suggest_reassignments,
)

__all__ = [
    "GROUPINGS",
    "CapacityChange",
    "CapacityInput",
    "CapacityResult",
    "Colour",
    "Comparison",
    "Contribution",
    "Demand",
    "DemandKind",
    "GenericResource",
    "HeatMap",
    "Leave",
    "OverAllocation",
    "Period",
    "Periods",
    "Person",
    "Suggestion",
    "Thresholds",
    "UnderUse",
    "add_people",
    "as_demand",
    "as_generic",
    "as_person",
    "compare",
    "compute",
    "contributions",
    "exclude_proposal",
    "heat_map",
    "include_proposal",
    "over_allocations",
    "remove_people",
    "set_capacity",
    "set_proposals",
    "shift_project",
    "suggest_reassignments",
    "under_used",
]
