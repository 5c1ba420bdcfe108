"""Resource levelling: small hand-checked problems with known optimal makespans."""

from __future__ import annotations

import random

import pytest

from pmo.engine.errors import CyclicDependencyError, InvalidInputError, UnknownTaskError
from pmo.engine.leveling import (
    LevelingProblem,
    LevelingResult,
    LevelProject,
    LevelTask,
    Precedence,
    Resource,
    level_exact,
    level_fast,
    lower_bound,
    schedule_unconstrained,
    validate_problem,
)

EXACT_LIMIT = 5.0  # every problem here is proved optimal in a few milliseconds


def check_feasible(problem: LevelingProblem, result: LevelingResult) -> None:
    """Independent check of a schedule: precedences, releases and capacities."""
    tasks = {t.id: t for t in problem.tasks}
    s = result.starts
    assert set(s) == set(tasks)
    release = {p.id: p.release for p in problem.projects}
    for t in problem.tasks:
        assert s[t.id] >= release.get(t.project, 0) >= 0
        assert result.finishes[t.id] == s[t.id] + t.duration
        for p in t.predecessors:
            d_pred, d_succ = tasks[p.task].duration, t.duration
            if p.type == "FS":
                assert s[t.id] >= s[p.task] + d_pred + p.lag, (p, t.id)
            elif p.type == "SS":
                assert s[t.id] >= s[p.task] + p.lag, (p, t.id)
            elif p.type == "FF":
                assert s[t.id] + d_succ >= s[p.task] + d_pred + p.lag, (p, t.id)
            else:
                assert s[t.id] + d_succ >= s[p.task] + p.lag, (p, t.id)
    for r in problem.resources:
        cap = {}
        for a, b, c in r.capacity_profile:
            for period in range(a, b):
                cap[period] = c
        for period in range(result.makespan):
            used = sum(t.demands.get(r.id, 0) for t in problem.tasks if s[t.id] <= period < s[t.id] + t.duration)
            assert used <= cap.get(period, r.capacity), (r.id, period)
    assert result.makespan == max((result.finishes.values()), default=0)
    assert result.lower_bound <= result.makespan


def solve_both(problem: LevelingProblem, **kwargs: object) -> tuple[LevelingResult, LevelingResult]:
    fast = level_fast(problem, **kwargs)  # type: ignore[arg-type]
    exact = level_exact(problem, time_limit_s=EXACT_LIMIT, **kwargs)  # type: ignore[arg-type]
    check_feasible(problem, fast)
    check_feasible(problem, exact)
    return fast, exact


# --- single resource, no precedences -----------------------------------------------------


def test_two_tasks_on_one_crane_run_in_sequence() -> None:
    # Capacity 1, both need the crane: 3 + 2 = 5 periods of crane work, so 5 is optimal.
    p = LevelingProblem(
        tasks=(LevelTask("a", 3, {"crane": 1}), LevelTask("b", 2, {"crane": 1})),
        resources=(Resource("crane", 1),),
    )
    fast, exact = solve_both(p)
    assert (fast.makespan, fast.status) == (5, "optimal")
    assert (exact.makespan, exact.lower_bound, exact.status) == (5, 5, "optimal")


def test_energy_bound_is_met() -> None:
    # Capacity 2.  Energy: a 2x1 + b 2x2 + c 3x1 + d 1x1 = 10 unit-periods -> makespan >= 5.
    # b takes the whole capacity, so b in [0,2); then a [2,4) and c [2,5) in parallel and
    # d (after a) in [4,5): makespan 5 = the bound.
    p = LevelingProblem(
        tasks=(
            LevelTask("a", 2, {"R": 1}),
            LevelTask("b", 2, {"R": 2}),
            LevelTask("c", 3, {"R": 1}),
            LevelTask("d", 1, {"R": 1}, (Precedence("a"),)),
        ),
        resources=(Resource("R", 2),),
    )
    assert lower_bound(p) == 5
    fast, exact = solve_both(p)
    assert fast.makespan == exact.makespan == 5
    assert exact.status == "optimal"


# --- precedence types and lags -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lag", "start_b"),
    [
        ("FS", 2, 5),  # start(b) >= finish(a) + 2 = 3 + 2
        ("FS", -1, 2),  # a lead: b may start one period before a finishes
        ("SS", 1, 1),  # start(b) >= start(a) + 1
        ("FF", 1, 2),  # finish(b) >= finish(a) + 1 = 4, b lasts 2 -> start 2
        ("SF", 4, 2),  # finish(b) >= start(a) + 4 = 4 -> start 2
        ("FF", -5, 0),  # the bound is negative: b starts at 0 (never before period 0)
    ],
)
def test_precedence_types_without_resources(kind: str, lag: int, start_b: int) -> None:
    p = LevelingProblem(
        tasks=(LevelTask("a", 3), LevelTask("b", 2, predecessors=(Precedence("a", kind, lag),)))  # type: ignore[arg-type]
    )
    cpm = schedule_unconstrained(p)
    assert dict(cpm.starts) == {"a": 0, "b": start_b}
    assert cpm.makespan == max(3, start_b + 2)
    fast, exact = solve_both(p)
    assert fast.starts["b"] == exact.starts["b"] == start_b


def test_start_to_start_with_a_shared_crane() -> None:
    # a (4 periods) and b (2) both need the only crane, and b starts >= 1 after a starts.
    # They cannot overlap, and b cannot go first (a would have to start >= 2 after b,
    # contradicting start(b) >= start(a) + 1), so b waits for a: b in [4,6), makespan 6.
    p = LevelingProblem(
        tasks=(
            LevelTask("a", 4, {"crane": 1}),
            LevelTask("b", 2, {"crane": 1}, (Precedence("a", "SS", 1),)),
        ),
        resources=(Resource("crane", 1),),
    )
    fast, exact = solve_both(p)
    assert fast.makespan == exact.makespan == 6
    assert exact.starts == {"a": 0, "b": 4}
    assert exact.delays["b"].resource == "crane"
    assert exact.delays["b"].blocking_tasks == ("a",)
    assert exact.delays["b"].ready == 1 and exact.delays["b"].resource_delay == 3


def test_finish_to_finish_decides_the_order() -> None:
    # One crane; a (2) and b (3) with finish(b) >= finish(a).  a first: a [0,2), b [2,5),
    # finish 5 >= 2.  b first would give finish(b)=3 < finish(a)=5.  Optimum 5 with a first.
    p = LevelingProblem(
        tasks=(LevelTask("a", 2, {"crane": 1}), LevelTask("b", 3, {"crane": 1}, (Precedence("a", "FF"),))),
        resources=(Resource("crane", 1),),
    )
    fast, exact = solve_both(p)
    assert fast.makespan == exact.makespan == 5
    assert exact.starts == {"a": 0, "b": 2}


def test_start_to_finish_with_lag_and_resource() -> None:
    # One crane; a (2) and b (2) with finish(b) >= start(a) + 3.  b after a: b [2,4),
    # finish 4 >= 3, makespan 4 (also the energy bound 2 + 2).
    p = LevelingProblem(
        tasks=(LevelTask("a", 2, {"crane": 1}), LevelTask("b", 2, {"crane": 1}, (Precedence("a", "SF", 3),))),
        resources=(Resource("crane", 1),),
    )
    fast, exact = solve_both(p)
    assert fast.makespan == exact.makespan == 4
    assert exact.status == "optimal"


# --- time-varying capacity ---------------------------------------------------------------


def test_capacity_dip_forces_a_later_start() -> None:
    # Capacity 2, but only 1 in periods 2 and 3.  a and b last 4 and need 1 each.  Any
    # 4-period task starting before period 4 covers period 3, so at most one task starts
    # before 4; the other ends at >= 8.  Optimum 8 (without the dip it would be 4).
    dip = Resource("crew", 2, capacity_profile=((2, 4, 1),))
    p = LevelingProblem(tasks=(LevelTask("a", 4, {"crew": 1}), LevelTask("b", 4, {"crew": 1})), resources=(dip,))
    fast, exact = solve_both(p)
    assert fast.makespan == exact.makespan == 8
    assert exact.status == "optimal" and exact.lower_bound == 8
    flat = LevelingProblem(tasks=p.tasks, resources=(Resource("crew", 2),))
    assert level_exact(flat, time_limit_s=EXACT_LIMIT).makespan == 4


def test_extra_capacity_window() -> None:
    # Base capacity 1 but 2 in periods 0..2: a and b (3 periods, 1 unit each) run together
    # in [0,3).  c needs 2 units for 2 periods and only fits inside the window, so c must
    # go first: c [0,2), then a and b... only one unit from period 3 on: best is
    # c [0,2), a [2,5)?  No: a needs periods 2..4 and period 2 still has 2 units, so
    # a [2,5) and b [5,8) -> 8; or a [2,5), b [2,5) impossible at periods 3, 4 (capacity 1).
    # Optimum: c [0,2), a [2,5), b [5,8) -> makespan 8.
    res = Resource("crew", 1, capacity_profile=((0, 3, 2),))
    p = LevelingProblem(
        tasks=(LevelTask("a", 3, {"crew": 1}), LevelTask("b", 3, {"crew": 1}), LevelTask("c", 2, {"crew": 2})),
        resources=(res,),
    )
    fast, exact = solve_both(p)
    assert fast.makespan == exact.makespan == 8
    assert exact.starts["c"] == 0


# --- several projects --------------------------------------------------------------------


def _two_projects() -> LevelingProblem:
    # One crane.  P1 (priority 1): a, 3 periods.  P2 (priority 5, released at period 1):
    # b, 2 periods.  Targets (unconstrained finishes): P1 3, P2 1 + 2 = 3.
    return LevelingProblem(
        tasks=(LevelTask("a", 3, {"crane": 1}, project="P1"), LevelTask("b", 2, {"crane": 1}, project="P2")),
        resources=(Resource("crane", 1),),
        projects=(LevelProject("P1", release=0, priority=1.0), LevelProject("P2", release=1, priority=5.0)),
    )


def test_multi_project_makespan_ignores_priorities() -> None:
    # a [0,3) then b [3,5): makespan 5 (b first: nothing can use period 0 -> 6).
    fast, exact = solve_both(_two_projects())
    assert fast.makespan == exact.makespan == 5
    assert exact.starts == {"a": 0, "b": 3}
    assert exact.project_finishes == {"P1": 3, "P2": 5}


def test_multi_project_weighted_delay_favours_priority() -> None:
    # a first: P2 finishes 5, delay 2 x priority 5 = 10.  b first (at its release 1):
    # b [1,3), a [3,6): P1 delay 3 x priority 1 = 3.  Optimum 3 with b first.
    fast, exact = solve_both(_two_projects(), objective="weighted_delay")
    for r in (fast, exact):
        assert r.starts == {"a": 3, "b": 1}
        assert r.objective_value == 3.0
        assert r.project_finishes == {"P1": 6, "P2": 3}
    assert exact.status == "optimal" and exact.objective_bound == 3.0


def test_due_dates_set_the_targets() -> None:
    # With P1 due at 6 it has 3 periods to spare, so b first costs nothing: objective 0.
    p = _two_projects()
    p = LevelingProblem(p.tasks, p.resources, (LevelProject("P1", due=6), LevelProject("P2", 1, 5.0)))
    fast, exact = solve_both(p, objective="weighted_delay")
    assert fast.objective_value == exact.objective_value == 0.0
    assert exact.starts["b"] == 1


# --- within float ------------------------------------------------------------------------


def _float_problem(chain: int) -> LevelingProblem:
    # x (2) and y (2) share one crane; z (no resource) lasts `chain` periods.  The
    # unconstrained finish is max(2, chain); x and y need 4 crane periods in sequence.
    return LevelingProblem(
        tasks=(LevelTask("x", 2, {"crane": 1}), LevelTask("y", 2, {"crane": 1}), LevelTask("z", chain)),
        resources=(Resource("crane", 1),),
    )


def test_within_float_when_the_float_suffices() -> None:
    # chain 4: finish 4 with x and y in sequence inside z's span: no overrun.
    fast, exact = solve_both(_float_problem(4), within_float=True)
    assert fast.makespan == exact.makespan == 4
    assert fast.status == "optimal" and exact.status == "optimal"


def test_within_float_infeasible_reports_best_effort() -> None:
    # chain 3: the crane work alone takes 4 > 3 periods -> no schedule within the float.
    fast = level_fast(_float_problem(3), within_float=True)
    exact = level_exact(_float_problem(3), within_float=True, time_limit_s=EXACT_LIMIT)
    for r in (fast, exact):
        assert r.status == "infeasible"
        assert r.makespan == 4  # the best-effort schedule, one period over
        assert "float" in r.message
    assert "proven" in exact.message
    # Without the option the same problem levels normally.
    assert level_exact(_float_problem(3), time_limit_s=EXACT_LIMIT).status == "optimal"


# --- heuristic properties ----------------------------------------------------------------


def random_problem(seed: int, n: int = 25) -> LevelingProblem:
    rng = random.Random(seed)
    tasks = []
    for k in range(n):
        preds = tuple(
            Precedence(f"t{i}", rng.choice(["FS", "FS", "SS", "FF", "SF"]), rng.randint(-1, 2))
            for i in sorted(rng.sample(range(k), min(k, rng.randint(0, 2))))
        )
        demands = {r: rng.randint(1, 4) for r in ("R1", "R2") if rng.random() < 0.6}
        tasks.append(LevelTask(f"t{k}", rng.randint(1, 6), demands, preds))
    return LevelingProblem(tuple(tasks), (Resource("R1", 5), Resource("R2", 4, ((3, 8, 2),))))


def test_fast_mode_is_deterministic_for_a_seed() -> None:
    p = random_problem(7)
    runs = [level_fast(p, seed=3, iterations=60) for _ in range(2)]
    assert runs[0].starts == runs[1].starts
    assert runs[0].makespan == runs[1].makespan
    check_feasible(p, runs[0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_problems_are_feasible_and_exact_is_no_worse(seed: int) -> None:
    p = random_problem(seed)
    fast, exact = solve_both(p)
    assert exact.makespan <= fast.makespan
    assert exact.lower_bound <= exact.makespan
    assert fast.makespan >= lower_bound(p)


def test_bottlenecks_name_the_saturated_resource() -> None:
    p = LevelingProblem(
        tasks=(
            LevelTask("lift", 3, {"crane": 1}),
            LevelTask("place", 2, {"crane": 1}),
            LevelTask("paint", 2, {"painters": 1}),
        ),
        resources=(Resource("crane", 1), Resource("painters", 3)),
    )
    r = level_exact(p, time_limit_s=EXACT_LIMIT)
    assert r.bottlenecks[0].resource == "crane"
    assert r.bottlenecks[0].delayed_tasks == 1 and r.bottlenecks[0].delay_periods in (2, 3)
    assert [d.task for d in r.delayed_tasks()] in (["lift"], ["place"])


def test_empty_problem() -> None:
    p = LevelingProblem(tasks=())
    assert level_fast(p).makespan == 0
    assert level_exact(p).status == "optimal"


# --- validation --------------------------------------------------------------------------


def test_unknown_predecessor_names_both_tasks() -> None:
    p = LevelingProblem(tasks=(LevelTask("a", 1, predecessors=(Precedence("ghost"),)),))
    with pytest.raises(UnknownTaskError, match=r"'a'.*'ghost'"):
        level_fast(p)


def test_cycle_is_reported_with_its_tasks() -> None:
    p = LevelingProblem(
        tasks=(
            LevelTask("a", 1, predecessors=(Precedence("c"),)),
            LevelTask("b", 1, predecessors=(Precedence("a", "SS", -3),)),
            LevelTask("c", 1, predecessors=(Precedence("b"),)),
        )
    )
    with pytest.raises(CyclicDependencyError) as info:
        level_exact(p)
    assert set(info.value.task_ids) == {"a", "b", "c"}
    assert "dependency cycle" in str(info.value)


@pytest.mark.parametrize(
    ("task", "resources", "message"),
    [
        (LevelTask("big", 2, {"crane": 3}), (Resource("crane", 2),), "'big' needs 3 of resource 'crane'"),
        (LevelTask("neg", -1), (), "'neg': negative duration"),
        (LevelTask("who", 1, {"robot": 1}), (), "'who' demands unknown resource 'robot'"),
        (LevelTask("minus", 1, {"crane": -1}), (Resource("crane", 2),), "'minus': demand"),
        (
            LevelTask("long", 3, {"crane": 2}),
            (Resource("crane", 1, ((0, 2, 2),)),),
            "'long' needs 2 of resource 'crane' for 3 consecutive periods",
        ),
    ],
)
def test_invalid_input_is_rejected(task: LevelTask, resources: tuple[Resource, ...], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        validate_problem(LevelingProblem(tasks=(task,), resources=resources))


def test_bad_options_are_rejected() -> None:
    p = LevelingProblem(tasks=(LevelTask("a", 1),))
    with pytest.raises(InvalidInputError, match="objective"):
        level_fast(p, objective="cost")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="time_limit_s"):
        level_exact(p, time_limit_s=0)


# --- exact mode pipeline (heuristic, CP-SAT alongside the genetic search, CP-SAT) ----------


def scarce_problem(seed: int, n: int = 60) -> LevelingProblem:
    """Finish-start chains on two scarce resources: the heuristic cannot prove these optimal."""
    rng = random.Random(seed)
    tasks = []
    for k in range(n):
        preds = tuple(
            Precedence(f"t{i}") for i in sorted(rng.sample(range(max(0, k - 8), k), min(k, rng.randint(0, 2))))
        )
        demands = {r: rng.randint(1, 5) for r in ("R1", "R2") if rng.random() < 0.8}
        tasks.append(LevelTask(f"t{k}", rng.randint(1, 9), demands, preds))
    return LevelingProblem(tuple(tasks), (Resource("R1", 6), Resource("R2", 5)))


@pytest.mark.parametrize(("seed", "num_workers"), [(11, 2), (3, 1)])  # proved early / runs out of time
def test_exact_on_a_harder_problem_is_feasible_and_no_worse_than_fast(seed: int, num_workers: int) -> None:
    p = scarce_problem(seed)
    fast = level_fast(p)
    exact = level_exact(p, time_limit_s=2.0, num_workers=num_workers)
    check_feasible(p, exact)
    assert exact.status in ("optimal", "feasible")
    assert exact.makespan <= fast.makespan
    assert lower_bound(p) <= exact.lower_bound <= exact.makespan
    assert exact.solve_time_s < 4.0


def test_exact_weighted_delay_on_a_harder_problem() -> None:
    base = scarce_problem(5, n=40)
    tasks = tuple(
        LevelTask(t.id, t.duration, t.demands, t.predecessors, project="a" if k % 2 else "b")
        for k, t in enumerate(base.tasks)
    )
    p = LevelingProblem(tasks, base.resources, (LevelProject("a", priority=3.0), LevelProject("b", release=2)))
    r = level_exact(p, time_limit_s=1.5, objective="weighted_delay")
    check_feasible(p, r)
    assert r.objective_bound <= r.objective_value


def test_heuristic_run_goes_on_from_its_best_schedule() -> None:
    from pmo.engine.leveling import _compile, _Heuristic

    c = _compile(scarce_problem(3))
    h = _Heuristic(c, "makespan", False, lambda: False)
    h.run(0, 40)
    first = h.best_key
    assert h.best is not None
    h.run(1, 30, pop_size=10)
    assert h.best_key <= first
    assert len(h.best) == c.n


def test_exact_stops_the_solver_when_the_genetic_search_meets_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import pmo.engine.leveling as lv

    real_run = lv._Heuristic.run
    runs: list[int] = []

    def run(self: lv._Heuristic, seed: int, iterations: int, pop_size: int | None = None) -> None:
        runs.append(iterations)
        if len(runs) > 1:  # the first (warm start) run finds nothing, the long run does
            real_run(self, seed, iterations, pop_size)

    def slow_round(c: object, *, stoppers: list[object], time_limit_s: float, **kwargs: object) -> lv._Round:
        stopped = threading.Event()
        stoppers.append(stopped.set)
        stopped.wait(time_limit_s)
        return lv._Round(0, None, 0.0)  # UNKNOWN: no schedule, no bound

    monkeypatch.setattr(lv._Heuristic, "run", run)
    monkeypatch.setattr(lv, "_cpsat_round", slow_round)
    monkeypatch.setattr(lv, "_SMALL_PROBLEM_TASKS", 0)  # the GA runs beside CP-SAT above this size
    crane = Resource("crane", 1)
    p = LevelingProblem((LevelTask("a", 3, {"crane": 1}), LevelTask("b", 2, {"crane": 1})), (crane,))
    r = level_exact(p, time_limit_s=60)
    assert (r.status, r.makespan, r.lower_bound) == ("optimal", 5, 5)
    assert r.solve_time_s < 10
    assert len(runs) == 2


def test_exact_gives_small_problems_to_cpsat_on_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to _SMALL_PROBLEM_TASKS tasks no genetic search runs beside the solver: one CP-SAT round on
    all workers follows the warm start (PSPLIB j30: it finds the optima the GA misses)."""
    import pmo.engine.leveling as lv

    rounds: list[int] = []
    real_round = lv._cpsat_round

    def counted(c: object, *, num_workers: int, **kwargs: object) -> lv._Round:
        rounds.append(num_workers)
        return real_round(c, num_workers=num_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lv, "_cpsat_round", counted)
    r = level_exact(scarce_problem(3, n=30), time_limit_s=5, num_workers=2)
    assert r.status in ("optimal", "feasible")
    assert rounds == [2]


def test_disjunctions_pair_the_tasks_that_cannot_overlap() -> None:
    """Two tasks needing 2 + 2 of a resource of 3 can never overlap; 1 + 2 can.  Pairs already ordered
    by a precedence need no order literal, but still belong to the cliques."""
    import pmo.engine.leveling as lv

    r = Resource("r", 3)
    tasks = (
        LevelTask("a", 2, {"r": 2}),
        LevelTask("b", 2, {"r": 2}),
        LevelTask("c", 2, {"r": 2}, (Precedence("a"),)),
        LevelTask("d", 2, {"r": 1}),
    )
    c = lv._compile(LevelingProblem(tasks, (r,)))
    pairs, cliques = lv._disjunctions(c)
    names = {tuple(sorted(c.ids[j] for j in pair)) for pair in pairs}
    assert names == {("a", "b"), ("b", "c")}
    assert [sorted(c.ids[j] for j in clique) for clique in cliques] == [["a", "b", "c"]]
