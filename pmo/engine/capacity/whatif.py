"""What-if transformations (pure: each returns a new :class:`CapacityInput`, the given one is unchanged)
and reassignment suggestions for over-allocated work.

Compare a what-if with today by computing both and calling :func:`~pmo.engine.capacity.compare` on
their heat maps.

Reassignment score
    For a demand item (its hours inside the horizon are the *need*), the candidates are the other
    people who have the item's ``skill`` (at any level; people without it are excluded) or, for an item
    without a skill, the people who hold its role (the item's ``role``, else the assigned person's
    primary role).  A candidate's *free hours* are their capacity minus demand over the item's dates
    (:meth:`~pmo.engine.capacity.CapacityResult.free_hours`).  Candidates are ranked by coverage
    ``min(free / need, 1)`` (descending), then skill level (descending), then free hours (descending),
    then id (ascending), so the order is deterministic.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from pmo.engine.capacity.compute import CapacityResult
from pmo.engine.capacity.model import CapacityChange, CapacityInput, Demand, DemandKind, Person
from pmo.engine.errors import InvalidInputError

__all__ = [
    "Suggestion",
    "add_people",
    "exclude_proposal",
    "include_proposal",
    "remove_people",
    "set_capacity",
    "set_proposals",
    "shift_project",
    "suggest_reassignments",
]


def _example() -> CapacityInput:
    """A small input used by the doctests below.

    >>> len(_example().demand)
    3
    """
    from pmo.engine.capacity.model import Periods

    people = [
        Person("ann", roles=("dev",), skills=(("python", 4),)),
        Person("bo", roles=("dev",), skills=(("python", 2),)),
        Person("cy", roles=("qa",), skills=(("python", 5),), non_project=0.5),
    ]
    work = [
        Demand("P1", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=40, task_id="T1",
               skill="python", skill_level=3),
        Demand("P2", "plan", "ann", None, date(2025, 1, 6), date(2025, 1, 10), hours=20, task_id="T2"),
        Demand("X1", "proposal", None, "dev", date(2025, 1, 13), date(2025, 1, 17), hours=40),
    ]  # fmt: skip
    return CapacityInput(people, work, Periods(date(2025, 1, 6), 2, "week"))


def shift_project(inputs: CapacityInput, project_id: str, weeks: int) -> CapacityInput:
    """Move all demand of a project (or proposal) by ``weeks`` weeks (negative: earlier).

    >>> moved = shift_project(_example(), "P2", 1)
    >>> [d.start.isoformat() for d in moved.demand if d.project_id == "P2"]
    ['2025-01-13']
    """
    if not any(d.project_id == project_id for d in inputs.demand):
        raise InvalidInputError(f"shift: project {project_id!r} has no demand")
    days = 7 * int(weeks)
    demand = tuple(d.shifted(days) if d.project_id == project_id else d for d in inputs.demand)
    return dataclasses.replace(inputs, demand=demand)


def set_proposals(inputs: CapacityInput, include: bool) -> CapacityInput:
    """Switch all proposal demand on or off (and forget the per-proposal choices).

    >>> set_proposals(_example(), False).proposal_counts("X1")
    False
    """
    return dataclasses.replace(
        inputs, include_proposals=bool(include), excluded_proposals=frozenset(), included_proposals=frozenset()
    )


def _known_proposal(inputs: CapacityInput, proposal_id: str) -> None:
    if not any(d.project_id == proposal_id and d.kind is DemandKind.PROPOSAL for d in inputs.demand):
        raise InvalidInputError(f"proposal {proposal_id!r} has no demand")


def include_proposal(inputs: CapacityInput, proposal_id: str) -> CapacityInput:
    """Count one proposal's demand, whatever the switch says.

    >>> include_proposal(set_proposals(_example(), False), "X1").proposal_counts("X1")
    True
    """
    _known_proposal(inputs, proposal_id)
    return dataclasses.replace(
        inputs,
        included_proposals=inputs.included_proposals | {proposal_id},
        excluded_proposals=inputs.excluded_proposals - {proposal_id},
    )


def exclude_proposal(inputs: CapacityInput, proposal_id: str) -> CapacityInput:
    """Leave one proposal's demand out.

    >>> exclude_proposal(_example(), "X1").proposal_counts("X1")
    False
    """
    _known_proposal(inputs, proposal_id)
    return dataclasses.replace(
        inputs,
        included_proposals=inputs.included_proposals - {proposal_id},
        excluded_proposals=inputs.excluded_proposals | {proposal_id},
    )


def add_people(inputs: CapacityInput, *people: Person) -> CapacityInput:
    """Add people (a hire, a contractor) to the pool.

    >>> [p.id for p in add_people(_example(), Person("dee", roles=("dev",))).people]
    ['ann', 'bo', 'cy', 'dee']
    """
    known = {p.id for p in inputs.people}
    for p in people:
        if p.id in known:
            raise InvalidInputError(f"person {p.id!r} is already in the pool")
        known.add(p.id)
    return dataclasses.replace(inputs, people=(*inputs.people, *people))


def remove_people(inputs: CapacityInput, *person_ids: str, keep_demand: bool = True) -> CapacityInput:
    """Remove people from the pool.  Their demand stays as unassigned demand for their primary role
    (``keep_demand=True``; a person without a role makes that impossible) or is dropped.

    >>> out = remove_people(_example(), "ann")
    >>> [p.id for p in out.people], [(d.person_id, d.role) for d in out.demand][:2]
    (['bo', 'cy'], [(None, 'dev'), (None, 'dev')])
    """
    people = {p.id: p for p in inputs.people}
    for pid in person_ids:
        if pid not in people:
            raise InvalidInputError(f"remove: unknown person {pid!r}")
    gone = set(person_ids)
    demand: list[Demand] = []
    for d in inputs.demand:
        if d.person_id not in gone:
            demand.append(d)
        elif keep_demand:
            role = d.role or people[str(d.person_id)].primary_role
            if role is None:
                raise InvalidInputError(f"remove: demand {d.label!r} of {d.person_id!r} has no role to fall back to")
            kind = DemandKind.ROLE if d.kind is DemandKind.PLAN else d.kind
            demand.append(dataclasses.replace(d, kind=kind, person_id=None, role=role))
    return dataclasses.replace(inputs, people=tuple(p for p in inputs.people if p.id not in gone), demand=tuple(demand))


def set_capacity(
    inputs: CapacityInput, person_id: str, hours_per_week: float, start: date | None = None
) -> CapacityInput:
    """Change a person's contracted hours: from ``start`` on (a new capacity change), or throughout
    (``start=None``: the base hours are replaced and earlier changes dropped).

    >>> out = set_capacity(_example(), "bo", 20, date(2025, 1, 13))
    >>> out.people[1].capacity_changes
    (CapacityChange(start=datetime.date(2025, 1, 13), hours_per_week=20),)
    """
    found = False
    people = []
    for p in inputs.people:
        if p.id == person_id:
            found = True
            if start is None:
                p = dataclasses.replace(p, hours_per_week=hours_per_week, capacity_changes=())
            else:
                kept = tuple(c for c in p.capacity_changes if c.start != start)
                p = dataclasses.replace(p, capacity_changes=(*kept, CapacityChange(start, hours_per_week)))
        people.append(p)
    if not found:
        raise InvalidInputError(f"set capacity: unknown person {person_id!r}")
    return dataclasses.replace(inputs, people=tuple(people))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate to take over a demand item, with the figures of the ranking.

    >>> Suggestion("bo", 2, 40.0, 40.0, 1.0, True).coverage
    1.0
    """

    person_id: str
    skill_level: int | None
    free_hours: float
    needed_hours: float
    coverage: float
    meets_level: bool


def suggest_reassignments(result: CapacityResult, item: int, limit: int | None = 5) -> tuple[Suggestion, ...]:
    """Rank the people who could take over demand item ``item`` (index into ``result.inputs.demand``);
    see the module docstring for the candidates and the order.

    >>> from pmo.engine.capacity import compute
    >>> r = compute(_example())
    >>> [(s.person_id, s.skill_level, s.free_hours, s.coverage) for s in suggest_reassignments(r, 0)]
    [('bo', 2, 40.0, 1.0), ('cy', 5, 20.0, 0.5)]
    """
    demand = result.inputs.demand
    if not 0 <= item < len(demand):
        raise InvalidInputError(f"reassign: no demand item {item}")
    d = demand[item]
    need = result.item_hours(item)
    free = result.free_hours(d.start, d.finish)
    role = d.role
    if role is None and d.person_id is not None:
        role = result.people[result.person_row(d.person_id)].primary_role
    ranked = []
    for i, p in enumerate(result.people):
        if p.id == d.person_id:
            continue
        level: int | None = None
        if d.skill:
            level = p.skill_level(d.skill)
            if level is None:
                continue
        elif role is None or role not in p.roles:
            continue
        hours = float(free[i])
        coverage = min(hours / need, 1.0) if need > 0 else 1.0
        ranked.append(Suggestion(p.id, level, hours, need, coverage, level is None or level >= d.skill_level))
    ranked.sort(key=lambda s: (-s.coverage, -(s.skill_level or 0), -s.free_hours, s.person_id))
    return tuple(ranked if limit is None else ranked[:limit])
