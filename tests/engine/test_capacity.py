"""Capacity engine: exact capacity and demand figures, groupings, colours, lists, what-ifs, reassignment
suggestions and errors that name the item."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.capacity import (
    CapacityChange,
    CapacityInput,
    Colour,
    Demand,
    GenericResource,
    HeatMap,
    Leave,
    Periods,
    Person,
    Thresholds,
    add_people,
    compare,
    compute,
    contributions,
    exclude_proposal,
    heat_map,
    include_proposal,
    over_allocations,
    remove_people,
    set_capacity,
    set_proposals,
    shift_project,
    suggest_reassignments,
    under_used,
)
from pmo.engine.errors import InvalidInputError

MON = date(2025, 1, 6)  # a Monday
WEEKS2 = Periods(MON, 2, "week")


def plan(project: str, person: str, start: date, finish: date, **kw: object) -> Demand:
    return Demand(project, "plan", person, None, start, finish, **kw)  # type: ignore[arg-type]


def run(people: list[Person], demand: list[Demand], periods: Periods = WEEKS2, **kw: object) -> HeatMap:
    return heat_map(compute(CapacityInput(people, demand, periods, **kw)))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ capacity


def test_full_time_assignment_over_two_weeks_is_40_hours_each_week() -> None:
    hm = run([Person("ann")], [plan("P1", "ann", MON, date(2025, 1, 17), units=1.0)])
    assert hm.capacity.tolist() == [[40.0, 40.0]]
    assert hm.demand.tolist() == [[40.0, 40.0]]
    assert hm.load().tolist() == [[1.0, 1.0]]


def test_holiday_on_a_wednesday_removes_8_hours() -> None:
    cal = WorkingCalendar.standard().with_holidays(date(2025, 1, 8))
    assert run([Person("ann")], [], calendar=cal).capacity.tolist() == [[32.0, 40.0]]
    own = Person("bo", calendar=cal)
    assert run([own, Person("cy")], []).capacity.tolist() == [[32.0, 40.0], [40.0, 40.0]]


def test_leave_removes_capacity_and_receives_no_work() -> None:
    ann = Person("ann", leave=(Leave(date(2025, 1, 13), date(2025, 1, 15)),))
    hm = run([ann], [plan("P1", "ann", MON, date(2025, 1, 17), hours=56)])
    assert hm.capacity.tolist() == [[40.0, 16.0]]
    assert hm.demand.tolist() == [[40.0, 16.0]]  # 7 working days, 8 h each


def test_non_project_share_halves_capacity_but_not_units() -> None:
    hm = run([Person("ann", non_project=0.5)], [plan("P1", "ann", MON, date(2025, 1, 17), units=1.0)])
    assert hm.capacity.tolist() == [[20.0, 20.0]]
    assert hm.demand.tolist() == [[40.0, 40.0]]
    assert hm.load().tolist() == [[2.0, 2.0]]


def test_capacity_changes_over_time_and_part_time_spreading() -> None:
    ann = Person("ann", hours_per_week=32, capacity_changes=(CapacityChange(date(2025, 1, 13), 20),))
    hm = run([ann], [plan("P1", "ann", MON, date(2025, 1, 17), hours=26)])
    assert hm.capacity.tolist() == [[32.0, 20.0]]
    assert hm.demand.tolist() == [[16.0, 10.0]]  # in proportion to the hours of each day
    assert CapacityChange.fte(MON, 0.5).hours_per_week == 20.0


def test_task_across_a_month_boundary_splits_by_working_days() -> None:
    # Wed 29 Jan .. Fri 7 Feb 2025: 3 working days in January, 5 in February
    hm = run([Person("ann")], [plan("P1", "ann", date(2025, 1, 29), date(2025, 2, 7), hours=80)], Periods(MON, 2))
    assert [p.label for p in hm.periods] == ["2025-01", "2025-02"]
    assert hm.capacity.tolist() == [[23 * 8.0, 20 * 8.0]]
    assert hm.demand.tolist() == [[30.0, 50.0]]


def test_only_the_part_inside_the_horizon_counts() -> None:
    r = compute(
        CapacityInput([Person("a")], [plan("P", "a", date(2024, 12, 30), date(2025, 1, 24), hours=160)], WEEKS2)
    )
    assert r.demand.tolist() == [[40.0, 40.0]]
    assert r.item_hours(0) == 80.0


def test_work_on_days_without_working_time_is_spread_over_calendar_days() -> None:
    hm = run([Person("a")], [plan("P", "a", date(2025, 1, 11), date(2025, 1, 12), hours=6)])  # a weekend
    assert hm.demand.tolist() == [[6.0, 0.0]]


def test_role_demand_spreads_evenly_over_working_days_and_units_are_heads() -> None:
    people = [Person("ann", roles=("dev",))]
    work = [
        Demand("P1", "role", None, "dev", date(2025, 1, 9), date(2025, 1, 14), hours=40),  # Thu..Tue: 2 + 2
        Demand("P2", "role", None, "dev", MON, date(2025, 1, 17), units=0.5),
    ]
    hm = heat_map(compute(CapacityInput(people, work, WEEKS2)), "role")
    assert hm.demand.tolist() == [[20.0 + 20.0, 20.0 + 20.0]]


def test_tuples_are_accepted_as_rows() -> None:
    inp = CapacityInput(
        [("ann", ("dev",), (("python", 3),), "IT", 40.0)],
        [("P1", "plan", "ann", None, MON, date(2025, 1, 10), 20.0)],
        WEEKS2,
        generic=[("qa", 1)],
    )
    assert heat_map(compute(inp)).demand.tolist() == [[20.0, 0.0]]


# ------------------------------------------------------------------------------------------ groups


def pool() -> CapacityInput:
    people = [
        Person("ann", roles=("dev",), skills=(("python", 4), ("sql", 2)), org_unit="IT"),
        Person("bo", roles=("dev", "qa"), skills=(("python", 2),), org_unit="IT"),
        Person("cy", roles=("qa",), skills=(("sql", 5),), org_unit="Ops", non_project=0.5),
    ]
    work = [
        plan("P1", "ann", MON, date(2025, 1, 10), hours=50, task_id="T1", skill="python", skill_level=3),
        plan("P2", "ann", MON, date(2025, 1, 10), hours=10, task_id="T2", task_name="Review"),
        plan("P2", "bo", MON, date(2025, 1, 17), hours=20, task_id="T3"),
        Demand("P3", "role", None, "qa", MON, date(2025, 1, 10), hours=30, skill="sql"),
        Demand("X1", "proposal", None, "dev", date(2025, 1, 13), date(2025, 1, 17), hours=40),
        Demand("X2", "proposal", "cy", None, date(2025, 1, 13), date(2025, 1, 17), units=0.25),
    ]
    return CapacityInput(people, work, WEEKS2, generic=[GenericResource("qa", 2, org_unit="Ops")])


def test_role_aggregation_sums_primary_roles_generic_capacity_and_role_demand() -> None:
    hm = heat_map(compute(pool()), "role")
    assert hm.keys == ("dev", "qa")
    assert hm.capacity.tolist() == [[80.0, 80.0], [20.0 + 80.0, 20.0 + 80.0]]
    assert hm.demand.tolist() == [[60.0 + 10.0, 10.0 + 40.0], [30.0, 10.0]]


def test_skill_and_org_unit_aggregation() -> None:
    r = compute(pool())
    skill = heat_map(r, "skill")
    assert skill.keys == ("python", "sql")
    assert skill.capacity.tolist() == [[80.0, 80.0], [60.0, 60.0]]
    assert skill.demand.tolist() == [[70.0, 10.0], [60.0 + 30.0, 10.0]]
    unit = heat_map(r, "org_unit")
    assert unit.keys == ("IT", "Ops")
    assert unit.capacity.tolist() == [[80.0, 80.0], [100.0, 100.0]]
    assert unit.demand.tolist() == [[70.0, 10.0], [0.0, 10.0]]
    with pytest.raises(InvalidInputError, match="group by"):
        heat_map(r, "team")


def test_load_colours_at_the_thresholds() -> None:
    cap = np.full((1, 6), 100.0)
    dem = np.array([[89.9, 90.0, 95.0, 100.0, 100.1, 0.0]])
    colours = HeatMap("person", ("a",), (), cap, dem).colours()
    assert colours == ((Colour.GREEN, Colour.AMBER, Colour.AMBER, Colour.AMBER, Colour.RED, Colour.GREEN),)
    custom = HeatMap("person", ("a",), (), cap, dem).colours(Thresholds(amber=0.95))
    assert [c.value for c in custom[0]] == ["green", "green", "amber", "amber", "red", "green"]
    none = HeatMap("person", ("a",), (), np.zeros((1, 2)), np.array([[0.0, 1.0]]))
    assert none.load().tolist() == [[0.0, np.inf]] and none.colours()[0] == (Colour.GREEN, Colour.RED)
    with pytest.raises(InvalidInputError, match="under <= amber <= red"):
        Thresholds(amber=1.2)


def test_over_allocation_list_contents_and_order() -> None:
    overs = over_allocations(compute(pool()))
    assert [(o.key, o.period.label, o.capacity, o.demand, o.load, o.excess_hours) for o in overs] == [
        ("ann", "2025-W02", 40.0, 60.0, 1.5, 20.0)
    ]
    assert [(c.project_id, c.task_id, c.task_name, c.hours) for c in overs[0].contributions] == [
        ("P1", "T1", "", 50.0),
        ("P2", "T2", "Review", 10.0),
    ]
    # a second over-allocated person: most excess hours first
    more = add_people(pool(), Person("dee", roles=("dev",)))
    extra = plan("P9", "dee", date(2025, 1, 13), date(2025, 1, 17), hours=45, task_id="T9")
    more = CapacityInput(more.people, (*more.demand, extra), WEEKS2, generic=more.generic)
    assert [(o.key, o.period.index, o.excess_hours) for o in over_allocations(compute(more))] == [
        ("ann", 0, 20.0),
        ("dee", 1, 5.0),
    ]
    # by role with a lower red threshold: dev in W02 is 70/80 = 0.875, red but without excess hours
    by_role = over_allocations(compute(pool()), "role", Thresholds(amber=0.5, red=0.8))
    assert [(o.key, o.period.index, o.load, o.excess_hours) for o in by_role] == [("dev", 0, 0.875, 0.0)]
    assert [(c.project_id, c.person_id, c.hours) for c in by_role[0].contributions] == [
        ("P1", "ann", 50.0),
        ("P2", "ann", 10.0),
        ("P2", "bo", 10.0),
    ]


def test_under_used_list_and_drill_down() -> None:
    r = compute(pool())
    assert [(u.key, u.period.label, u.load, u.free_hours) for u in under_used(r)] == [
        ("ann", "2025-W03", 0.0, 40.0),
        ("bo", "2025-W02", 0.25, 30.0),
        ("bo", "2025-W03", 0.25, 30.0),
        ("cy", "2025-W02", 0.0, 20.0),
    ]
    drill = contributions(r, "qa", 0, by="role")
    assert [(c.project_id, c.person_id, c.hours) for c in drill] == [("P3", None, 30.0)]
    assert [(c.project_id, c.kind.value, c.hours) for c in contributions(r, "cy", 1)] == [("X2", "proposal", 10.0)]


# ------------------------------------------------------------------------------------------ what-if


def test_shift_moves_demand_exactly_n_weeks_and_leaves_the_input_alone() -> None:
    inp = CapacityInput([Person("a")], [plan("P1", "a", MON, date(2025, 1, 8), hours=24)], Periods(MON, 4, "week"))
    moved = shift_project(inp, "P1", 2)
    assert heat_map(compute(inp)).demand.tolist() == [[24.0, 0.0, 0.0, 0.0]]
    assert heat_map(compute(moved)).demand.tolist() == [[0.0, 0.0, 24.0, 0.0]]
    assert inp.demand[0].start == MON and moved.demand[0].start == date(2025, 1, 20)
    back = shift_project(moved, "P1", -1)
    assert heat_map(compute(back)).demand.tolist() == [[0.0, 24.0, 0.0, 0.0]]
    with pytest.raises(InvalidInputError, match="'P7' has no demand"):
        shift_project(inp, "P7", 1)


def test_proposal_switch_and_per_proposal_choice() -> None:
    base = pool()
    dev = lambda inp: heat_map(compute(inp), "role").demand[0].tolist()  # noqa: E731
    assert dev(base) == [70.0, 50.0]
    off = set_proposals(base, False)
    assert dev(off) == [70.0, 10.0]
    assert heat_map(compute(off)).demand[2].tolist() == [0.0, 0.0]  # X2 on cy is gone too
    assert dev(include_proposal(off, "X1")) == [70.0, 50.0]
    assert dev(exclude_proposal(base, "X1")) == [70.0, 10.0]
    assert dev(set_proposals(exclude_proposal(base, "X1"), True)) == [70.0, 50.0]
    assert base.include_proposals and not base.excluded_proposals
    with pytest.raises(InvalidInputError, match="proposal 'P1' has no demand"):
        exclude_proposal(base, "P1")


def test_add_remove_people_and_change_capacity() -> None:
    base = pool()
    gone = remove_people(base, "ann")
    hm = heat_map(compute(gone), "role")
    assert hm.capacity.tolist()[0] == [40.0, 40.0]
    assert hm.demand.tolist()[0] == [70.0, 50.0]  # ann's work is now unassigned dev demand
    assert [p.id for p in remove_people(base, "ann", keep_demand=False).people] == ["bo", "cy"]
    assert len(remove_people(base, "ann", keep_demand=False).demand) == 4
    half = set_capacity(base, "ann", 20, date(2025, 1, 13))
    assert heat_map(compute(half)).capacity[0].tolist() == [40.0, 20.0]
    assert heat_map(compute(set_capacity(half, "ann", 30))).capacity[0].tolist() == [30.0, 30.0]
    assert [p.id for p in base.people] == ["ann", "bo", "cy"]
    with pytest.raises(InvalidInputError, match="already in the pool"):
        add_people(base, Person("bo"))
    with pytest.raises(InvalidInputError, match="unknown person 'zed'"):
        remove_people(base, "zed")


def test_compare_cell_by_cell() -> None:
    today = heat_map(compute(pool()))
    later = heat_map(compute(shift_project(pool(), "P1", 1)))
    c = compare(today, later)
    assert c.keys == ("ann", "bo", "cy")
    assert c.delta_demand[0].tolist() == [-50.0, 50.0]
    assert c.delta_load[0].tolist() == [-1.25, 1.25]
    assert c.changed() == (("ann", 0, 1.5, 0.25), ("ann", 1, 0.0, 1.25))
    with pytest.raises(InvalidInputError, match="by person with one by role"):
        compare(today, heat_map(compute(pool()), "role"))


def test_reassignment_ranking() -> None:
    people = [
        Person("ann", skills=(("python", 4),)),
        Person("bo", skills=(("python", 2),)),  # all free: covers the need
        Person("cy", skills=(("python", 5),)),  # all free, higher level: first
        Person("dee", skills=(("python", 3),), non_project=0.75),  # 10 h free of 40 needed
        Person("eve", skills=(("java", 5),)),  # no python: excluded
        Person("fay", skills=(("python", 5),)),  # same as cy: tie broken by id
    ]
    work = [plan("P1", "ann", MON, date(2025, 1, 10), hours=40, skill="python", skill_level=3)]
    r = compute(CapacityInput(people, work, WEEKS2))
    ranked = suggest_reassignments(r, 0, limit=None)
    assert [(s.person_id, s.skill_level, s.free_hours, s.coverage, s.meets_level) for s in ranked] == [
        ("cy", 5, 40.0, 1.0, True),
        ("fay", 5, 40.0, 1.0, True),
        ("bo", 2, 40.0, 1.0, False),
        ("dee", 3, 10.0, 0.25, True),
    ]
    assert [s.person_id for s in suggest_reassignments(r, 0, limit=2)] == ["cy", "fay"]
    with pytest.raises(InvalidInputError, match="no demand item 5"):
        suggest_reassignments(r, 5)


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: plan("P1", "a", date(2025, 1, 10), MON, hours=8, task_id="T1"), "demand 'P1/T1': finish"),
        (lambda: plan("P1", "a", MON, MON, hours=-1), "demand 'P1': hours must be >= 0"),
        (lambda: plan("P1", "a", MON, MON), "exactly one of hours and units"),
        (lambda: Demand("P1", "plan", None, "dev", MON, MON, hours=1), "plan assignment needs a person_id"),
        (lambda: Demand("P1", "later", "a", None, MON, MON, hours=1), "kind must be plan, role or proposal"),
        (lambda: Periods(MON, 0), "count must be an int >= 1"),
        (lambda: Periods(MON, 3, "day"), "unit must be 'week' or 'month'"),
        (lambda: Person("a", non_project=1.5), "person 'a': non_project must be within 0..1"),
        (lambda: Person("a", hours_per_week=-2), "person 'a': hours_per_week must be >= 0"),
        (lambda: Leave(MON, date(2025, 1, 1), "ski"), "leave 'ski': finish is before start"),
        (lambda: GenericResource("qa", -1), "generic resource 'qa': headcount must be >= 0"),
    ],
)
def test_bad_inputs_name_the_item(make: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        make()  # type: ignore[operator]


def test_bad_references_name_the_item() -> None:
    with pytest.raises(InvalidInputError, match="demand 'P1/T2': unknown person 'zed'"):
        compute(CapacityInput([Person("a")], [plan("P1", "zed", MON, MON, hours=1, task_id="T2")], WEEKS2))


def test_a_role_nobody_holds_is_demand_without_capacity() -> None:
    role = Demand("P1", "role", None, "pilot", MON, MON, hours=6)
    result = compute(CapacityInput([Person("a", roles=("dev",))], [role], WEEKS2))
    hm = heat_map(result, "role")
    assert hm.keys == ("dev", "pilot")
    assert hm.demand.tolist() == [[0.0, 0.0], [6.0, 0.0]]
    assert hm.capacity.tolist() == [[40.0, 40.0], [0.0, 0.0]]
    over = over_allocations(result, "role")
    assert [(o.key, o.period.index, o.excess_hours, o.load) for o in over] == [("pilot", 0, 6.0, float("inf"))]


def test_a_person_listed_twice_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="person 'a' is listed twice"):
        compute(CapacityInput([Person("a"), Person("a")], [], WEEKS2))


def test_empty_inputs() -> None:
    r = compute(CapacityInput([], [], Periods(MON, 3)))
    assert r.capacity.shape == (0, 3) and over_allocations(r) == () and under_used(r) == ()
    g = compute(CapacityInput([], [Demand("P", "role", None, "qa", MON, MON, hours=8)], WEEKS2, generic=[("qa", 1)]))
    assert heat_map(g, "role").demand.tolist() == [[8.0, 0.0]]
