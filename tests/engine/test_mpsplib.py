"""MPSPLIB multi-project instances (MS Project files) -> multi-project levelling problem.

The unit tests use hand-made plans.  The data tests read the shared MPSPLIB ``.mpp`` files through MPXJ; they
are skipped with the reason when the data set (``../shared/data/mpsplib``) or MPXJ/Java is absent.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from pmo.engine.formats.mpsplib import MultiProjectProblem, plan_to_multiproject_problem, total_makespan
from pmo.engine.formats.mpxj_reader import mpxj_unavailable_reason, read_with_mpxj
from pmo.engine.leveling import (
    LevelingProblem,
    LevelingResult,
    LevelProject,
    LevelTask,
    Precedence,
    Resource,
    level_exact,
    level_fast,
    schedule_unconstrained,
)
from pmo.engine.plan import PlanAssignment, PlanDependency, PlanResource, PlanTask, ProjectPlan, ResourceType
from pmo.engine.schedule import Constraint, ConstraintType

DAY = 480
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mpsplib"
INSTANCES = DATA / "MPSPLIBtoMPP Instances"
_REASON = mpxj_unavailable_reason()
needs_mpxj = pytest.mark.skipif(_REASON is not None, reason=f"MPXJ unavailable: {_REASON}")


def two_projects(names: bool = True, release_days: int = 1) -> ProjectPlan:
    """Two 3-task projects (dummy start, one activity, dummy end) sharing resource "R" (capacity 4), each with a
    local resource, P2 released ``release_days`` after P1 by a link between the dummy starts, as MPSPLIBtoMPP
    writes them."""

    def name(p: int, j: int) -> str:
        return f"P{p}-Task {j}" if names else f"Activity {p}.{j}"

    return ProjectPlan(
        "hand-made",
        datetime(2026, 1, 1, 9),
        tasks=(
            PlanTask("1", name(1, 1), is_milestone=True),
            PlanTask("2", name(1, 2), duration_minutes=2 * DAY),
            PlanTask("3", name(1, 3), is_milestone=True),
            PlanTask("4", name(2, 1), is_milestone=True),
            PlanTask("5", name(2, 2), duration_minutes=3 * DAY),
            PlanTask("6", name(2, 3), is_milestone=True),
        ),
        dependencies=(
            PlanDependency("1", "2"),
            PlanDependency("2", "3"),
            PlanDependency("1", "4", lag_minutes=release_days * DAY),
            PlanDependency("4", "5"),
            PlanDependency("5", "6"),
        ),
        resources=(
            PlanResource("10", "R 1", max_units=4.0),
            PlanResource("11", "R 2 (1)", max_units=1.0),
            PlanResource("12", "R 2 (2)", max_units=2.0),
            PlanResource("13", "Concrete", ResourceType.MATERIAL, max_units=0.0),
        ),
        assignments=(
            PlanAssignment("2", "10", units=2.0, work_minutes=4 * DAY),
            PlanAssignment("2", "11", units=1.0, work_minutes=2 * DAY),
            PlanAssignment("5", "10", units=3.0, work_minutes=9 * DAY),
            PlanAssignment("5", "12", units=2.0, work_minutes=6 * DAY),
            PlanAssignment("5", "13", units=5.0),
        ),
    )


EXPECTED_TASKS = (
    LevelTask("1", 0, {}, (), "P1"),
    LevelTask("2", 2, {"10": 2, "11": 1}, (Precedence("1", "FS", 0),), "P1"),
    LevelTask("3", 0, {}, (Precedence("2", "FS", 0),), "P1"),
    LevelTask("4", 0, {}, (Precedence("1", "FS", 1),), "P2"),
    LevelTask("5", 3, {"10": 3, "12": 2}, (Precedence("4", "FS", 0),), "P2"),
    LevelTask("6", 0, {}, (Precedence("5", "FS", 0),), "P2"),
)
EXPECTED_RESOURCES = (Resource("10", 4), Resource("11", 1), Resource("12", 2))
EXPECTED_PROJECTS = (LevelProject("P1", release=0), LevelProject("P2", release=1))


def test_mapping_of_two_projects_sharing_a_resource() -> None:
    problem = plan_to_multiproject_problem(two_projects())
    assert isinstance(problem, MultiProjectProblem)
    assert problem.tasks == EXPECTED_TASKS
    assert problem.resources == EXPECTED_RESOURCES  # the material resource is left out
    assert problem.projects == EXPECTED_PROJECTS
    assert (problem.minutes_per_period, problem.units_scale, problem.name) == (DAY, 1, "hand-made")


def test_projects_fall_back_to_link_components_without_name_prefixes() -> None:
    problem = plan_to_multiproject_problem(two_projects(names=False))
    assert [t.project for t in problem.tasks] == ["P1", "P1", "P1", "P2", "P2", "P2"]
    assert problem.projects == EXPECTED_PROJECTS


def test_shared_resource_delays_the_second_project() -> None:
    problem = plan_to_multiproject_problem(two_projects())
    assert total_makespan(problem, schedule_unconstrained(problem)) == 4  # P2: released at 1, 3 days
    # R (capacity 4) cannot hold both activities (2 + 3 units): P2's starts when P1's ends, at 2
    for result in (level_fast(problem, seed=0), level_exact(problem, time_limit_s=5)):
        assert dict(result.starts) == {"1": 0, "2": 0, "3": 2, "4": 1, "5": 2, "6": 5}
        assert total_makespan(problem, result) == 5
        assert dict(result.project_finishes) == {"P1": 2, "P2": 5}


def test_fractional_units_are_scaled_and_start_constraints_release_projects() -> None:
    base = two_projects(release_days=0)
    plan = ProjectPlan(
        base.name,
        base.start,
        tasks=tuple(
            PlanTask(
                t.uid,
                t.name,
                duration_minutes=t.duration_minutes,
                constraint=Constraint(ConstraintType.SNET, datetime(2026, 1, 6, 9)),
            )
            if t.uid == "4"
            else t
            for t in base.tasks
        ),
        dependencies=tuple(d for d in base.dependencies if d.predecessor_uid != "1" or d.successor_uid != "4"),
        resources=(PlanResource("10", "R", max_units=1.5),),
        assignments=(PlanAssignment("2", "10", units=0.5), PlanAssignment("5", "10", units=1.0)),
    )
    problem = plan_to_multiproject_problem(plan)
    assert problem.units_scale == 10
    assert problem.resources == (Resource("10", 15),)
    assert dict(problem.tasks[1].demands) == {"10": 5}
    assert dict(problem.tasks[4].demands) == {"10": 10}
    # 2026-01-06 09:00 is the third working day after Thursday 2026-01-01 (Thu, Fri, Mon)
    assert problem.projects == (LevelProject("P1", release=0), LevelProject("P2", release=3))


def test_total_makespan_counts_from_the_earliest_release() -> None:
    problem = LevelingProblem(
        (LevelTask("a", 3, project="A"), LevelTask("b", 2, project="B")),
        projects=(LevelProject("A", release=2), LevelProject("B", release=4)),
    )
    result = schedule_unconstrained(problem)
    assert dict(result.project_finishes) == {"A": 5, "B": 6}
    assert total_makespan(problem, result) == 4


# ------------------------------------------------------------------------------------------------ shared data


def expected_counts() -> dict[str, dict[str, str]]:
    path = DATA / "expected_counts_mpxj.csv"
    if not path.is_file():
        return {}
    with path.open(newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def reference_tms(instance: str) -> int:
    with (DATA / "reference_tms_p-sgs-minslk.csv").open(newline="") as fh:
        return next(int(r["tms_p_sgs_minslk"]) for r in csv.DictReader(fh) if r["instance"] == instance)


def instance_file(stem_suffix: str) -> Path:
    files = sorted(INSTANCES.glob(f"* {stem_suffix}.mpp")) if INSTANCES.is_dir() else []
    if not files:
        pytest.skip(f"MPSPLIB instance {stem_suffix} not found under {INSTANCES} (shared data set absent)")
    return files[0]


def assert_feasible(problem: LevelingProblem, result: LevelingResult) -> None:
    s = result.starts
    dur = {t.id: t.duration for t in problem.tasks}
    release = {p.id: p.release for p in problem.projects}
    cap = {r.id: r.capacity for r in problem.resources}
    usage: dict[tuple[str, int], int] = {}
    for t in problem.tasks:
        assert s[t.id] >= release[t.project]
        for p in t.predecessors:
            assert p.type == "FS"
            assert s[t.id] >= s[p.task] + dur[p.task] + p.lag
        for r, q in t.demands.items():
            for k in range(s[t.id], s[t.id] + t.duration):
                usage[(r, k)] = usage.get((r, k), 0) + q
    assert all(q <= cap[r] for (r, _), q in usage.items())


@needs_mpxj
@pytest.mark.parametrize("file", sorted(expected_counts()) or ["(data absent)"])
def test_instances_read_with_the_expected_counts(file: str) -> None:
    row = expected_counts().get(file)
    if row is None or not (INSTANCES / file).is_file():
        pytest.skip(f"MPSPLIB data not found under {DATA} (shared data set absent)")
    plan = read_with_mpxj(INSTANCES / file)
    assigned = {a.task_uid for a in plan.assignments}
    placeholders = sum(1 for t in plan.tasks if t.uid not in assigned)  # resource-less, dropped by the reader
    assert len(plan.tasks) == int(row["tasks_excl_uid0"])
    assert len(plan.resources) == int(row["resources_excl_uid0"])
    assert len(plan.dependencies) == int(row["relations"])
    assert len(plan.assignments) + placeholders == int(row["assignments"])
    problem = plan_to_multiproject_problem(plan)
    n_projects = len(plan.tasks) // 32
    assert [p.id for p in problem.projects] == [f"P{k}" for k in range(1, n_projects + 1)]
    assert len(problem.tasks) == len(plan.tasks)
    assert len(problem.resources) == len(plan.resources)
    assert sum(len(t.demands) for t in problem.tasks) == len(plan.assignments)
    # the unlevelled dates stored in the file span as many working days as the critical path
    assert plan.finish is not None and plan.start is not None
    days = plan.calendar.working_minutes_between(plan.start, plan.finish) // DAY
    assert total_makespan(problem, schedule_unconstrained(problem)) == days


@needs_mpxj
def test_mp_j30_a2_nr1_levels_no_longer_than_ms_project() -> None:
    path = instance_file("mp_j30_a2_nr1")
    plan = read_with_mpxj(path)
    assert (len(plan.tasks), len(plan.resources), len(plan.dependencies), len(plan.assignments)) == (64, 6, 96, 240)
    problem = plan_to_multiproject_problem(plan)
    assert problem.projects == (LevelProject("P1", release=0), LevelProject("P2", release=0))
    assert [r.capacity for r in problem.resources] == [32, 62, 25, 25, 25, 25]
    assert dict(problem.tasks[1].demands) == {"1": 5, "2": 7, "3": 7, "4": 2}  # P1-Task 2
    assert dict(problem.tasks[33].demands) == {"1": 5, "2": 7, "5": 7, "6": 2}  # P2-Task 2: its own locals
    result = level_fast(problem, seed=0)
    assert_feasible(problem, result)
    reference = reference_tms("mp_j30_a2_nr1")
    assert reference == 74
    assert total_makespan(problem, result) <= reference
