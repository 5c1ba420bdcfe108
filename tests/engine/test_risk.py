"""Risk simulation engine: exact figures for fixed durations, closed forms within a few standard errors
for random ones, risk events, correlation, determinism, and errors that name the item."""

from __future__ import annotations

import itertools
import math
import random
from datetime import datetime

import numpy as np
import pytest

import pmo.engine.risk.simulation as simulation_module
from pmo.engine.errors import CyclicDependencyError, InvalidInputError
from pmo.engine.risk import (
    Correlation,
    CyclicNetworkError,
    Link,
    RiskEvent,
    RiskImpact,
    RiskModel,
    RiskTask,
    ThreePoint,
    histogram,
    s_curve,
    simulate,
    spearman,
    summarise,
    validate,
)
from pmo.engine.schedule import Dependency, ProjectNetwork, Task, critical_path

DAY = 480


def fixed(task_id: str, days: float, **kw: float) -> RiskTask:
    return RiskTask(task_id, ThreePoint.fixed(days), **kw)


def chain(*tasks: RiskTask) -> RiskModel:
    return RiskModel(tasks, [Link(a.id, b.id) for a, b in itertools.pairwise(tasks)])


def within(sample_mean: float, expected: float, sd: float, n: int, k: float = 4.0) -> bool:
    return abs(sample_mean - expected) <= k * sd / math.sqrt(n)


# ---------------------------------------------------------------------------------------------- exact cases


def test_fixed_durations_give_the_cpm_figures_exactly() -> None:
    # A(3) -> C(2), B(5) -> C, B -> D(1): critical path B, C = 7 days
    model = RiskModel(
        [fixed("A", 3, fixed_cost=100), fixed("B", 5, cost_per_day=10), fixed("C", 2), fixed("D", 1)],
        [Link("A", "C"), Link("B", "C"), Link("B", "D")],
    )
    r = simulate(model, iterations=50, target_duration=7, budget=149.99, milestones=["A", "C"])
    assert r.iterations == 50 and r.seed == 0
    s = r.duration.summary
    assert (s.mean, s.std, s.min, s.max, s.p10, s.p50, s.p80, s.p90) == (7, 0, 7, 7, 7, 7, 7, 7)
    assert r.deterministic_duration == 7.0
    assert r.criticality == {"A": 0.0, "B": 1.0, "C": 1.0, "D": 0.0}
    assert set(r.task_sensitivity.values()) == {0.0}
    assert r.cost.summary.mean == 150.0 and r.deterministic_cost == 150.0
    assert (r.chance_on_time, r.chance_within_budget, r.chance_on_time_and_budget) == (1.0, 0.0, 0.0)
    assert r.milestones["A"].p50 == 3.0 and r.milestones["C"].p80 == 7.0
    assert r.duration.curve == ((7.0, 1.0),)
    assert r.duration.histogram.edges[0] == 6.5 and sum(r.duration.histogram.counts) == 50
    assert r.drivers() == ()


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_link_types_and_lags_match_the_schedule_engine(seed: int) -> None:
    rng = random.Random(seed)
    n = 25
    durations = [rng.randint(1, 6) for _ in range(n)]
    links = []
    for v in range(1, n):
        for u in rng.sample(range(v), min(v, rng.randint(0, 3))):
            links.append((u, v, rng.choice(["FS", "SS", "FF", "SF"]), rng.randint(-2, 3)))
    model = RiskModel(
        [fixed(f"T{i}", d) for i, d in enumerate(durations)],
        [Link(f"T{u}", f"T{v}", t, lag) for u, v, t, lag in links],
    )
    start = datetime(2025, 1, 6, 8)
    sched = critical_path(
        ProjectNetwork(
            [Task(f"T{i}", d * DAY) for i, d in enumerate(durations)],
            [Dependency(f"T{u}", f"T{v}", t, lag * DAY) for u, v, t, lag in links],
            start=start,
        )
    )
    result = simulate(model, iterations=4, milestones=[f"T{i}" for i in range(n)])
    cal = ProjectNetwork([Task("x", 0)], start=start).calendar
    expected_finish = cal.working_minutes_between(start, sched.finish) / DAY
    assert result.duration.summary.mean == expected_finish
    for i in range(n):
        ts = sched.tasks[f"T{i}"]
        assert result.milestones[f"T{i}"].mean == cal.working_minutes_between(start, ts.early_finish) / DAY
        assert result.criticality[f"T{i}"] == (1.0 if ts.critical else 0.0), f"T{i}"


def test_each_link_type_with_lag() -> None:
    a, b = fixed("A", 4), fixed("B", 2)
    cases = {("FS", 1): 7, ("SS", 1): 4, ("FF", 1): 5, ("SF", 3): 4, ("FS", -3): 4, ("SS", -5): 4}
    for (kind, lag), finish in cases.items():
        r = simulate(RiskModel([a, b], [Link("A", "B", kind, lag)]), iterations=1, milestones=["B"])
        assert r.duration.summary.mean == finish, (kind, lag)
    # a lead never starts a task before the project start: B starts at 0, finishes at 2
    r = simulate(RiskModel([a, b], [Link("A", "B", "SS", -5)]), iterations=1, milestones=["B"])
    assert r.milestones["B"].mean == 2.0


def test_certain_risk_adds_exactly_its_impact_and_impossible_risk_nothing() -> None:
    base = chain(RiskTask("A", ThreePoint(2, 4, 9)), RiskTask("B", ThreePoint(1, 3, 4, "pert")))
    certain = RiskModel(base.tasks, base.links, [RiskEvent("R", 1.0, [RiskImpact("B", ThreePoint.fixed(3))])])
    never = RiskModel(base.tasks, base.links, [RiskEvent("R", 0.0, [RiskImpact("B", ThreePoint(5, 6, 7))])])
    plain = simulate(base, iterations=2000, seed=5, keep_samples=True).samples
    hit = simulate(certain, iterations=2000, seed=5, keep_samples=True)
    missed = simulate(never, iterations=2000, seed=5, keep_samples=True)
    assert plain is not None and hit.samples is not None and missed.samples is not None
    # the tasks' draws do not depend on the risks: common random numbers
    np.testing.assert_allclose(hit.samples.duration, plain.duration + 3.0, rtol=0, atol=1e-12)
    assert np.array_equal(missed.samples.duration, plain.duration)
    assert hit.risk_occurrence == {"R": 1.0} and missed.risk_occurrence == {"R": 0.0}
    assert hit.risk_sensitivity == {"R": 0.0}  # a constant effect does not rank


def test_risk_with_probability_and_cost() -> None:
    p, n = 0.3, 40_000
    model = RiskModel(
        [fixed("A", 10, cost_per_day=100)],
        risks=[RiskEvent("R", p, [RiskImpact("A", ThreePoint.fixed(5), cost=ThreePoint.fixed(1000))])],
    )
    r = simulate(model, iterations=n, seed=2, budget=1000)
    share = r.risk_occurrence["R"]
    assert within(share, p, math.sqrt(p * (1 - p)), n)
    # every iteration is 10 days and 1,000, or 15 days and 1,500 + 1,000
    assert r.duration.summary.mean == pytest.approx(10 + 5 * share, abs=1e-9)
    assert r.cost.summary.mean == pytest.approx(1000 + 1500 * share, abs=1e-6)
    assert r.chance_within_budget == pytest.approx(1 - share, abs=1e-12)
    assert r.risk_sensitivity["R"] == pytest.approx(1.0, abs=1e-12)
    assert r.risk_cost_sensitivity["R"] == pytest.approx(1.0, abs=1e-12)
    assert [d.id for d in r.drivers(of="cost")] == ["R"]


def test_project_level_cost_impact() -> None:
    model = RiskModel([fixed("A", 1)], risks=[RiskEvent("R", 1.0, [RiskImpact(None, cost=ThreePoint.fixed(250))])])
    r = simulate(model, iterations=10)
    assert (r.cost.summary.mean, r.duration.summary.mean) == (250.0, 1.0)


# ---------------------------------------------------------------------------------------------- closed forms


def test_chain_of_triangular_tasks_mean_is_the_sum_of_means() -> None:
    estimates = [ThreePoint(2, 4, 9), ThreePoint(1, 1, 5), ThreePoint(3, 6, 6), ThreePoint(0, 2, 10)]
    model = chain(*(RiskTask(f"T{i}", e) for i, e in enumerate(estimates)))
    n = 40_000
    r = simulate(model, iterations=n, seed=7)
    mean = sum(e.mean for e in estimates)
    sd = math.sqrt(sum(e.variance for e in estimates))
    assert within(r.duration.summary.mean, mean, sd, n)
    assert r.duration.summary.std == pytest.approx(sd, rel=0.02)
    assert set(r.criticality.values()) == {1.0}
    assert sum(r.duration.histogram.counts) == n


def test_pert_mean_and_variance() -> None:
    est = ThreePoint(2, 3, 12, "pert")
    assert est.mean == (2 + 4 * 3 + 12) / 6
    n = 40_000
    r = simulate(RiskModel([RiskTask("A", est)]), iterations=n, seed=1)
    assert within(r.duration.summary.mean, est.mean, math.sqrt(est.variance), n)
    assert r.duration.summary.std == pytest.approx(math.sqrt(est.variance), rel=0.02)
    # the inverse CDF itself: midpoint rule over u reproduces the mean and the variance
    u = (np.arange(200_000) + 0.5) / 200_000
    x = est.ppf(u)
    assert float(x.mean()) == pytest.approx(est.mean, rel=1e-6)
    assert float(x.var()) == pytest.approx(est.variance, rel=1e-5)
    assert np.allclose(est.cdf(x), u, atol=1e-9)


def test_max_of_two_parallel_identical_tasks_has_cdf_squared() -> None:
    est = ThreePoint(2, 5, 10)
    model = RiskModel([RiskTask("A", est), RiskTask("B", est)])
    n = 40_000
    r = simulate(model, iterations=n, seed=3, keep_samples=True)
    assert r.samples is not None
    for x in (3.0, 4.5, 6.0, 8.0, 9.5):
        f2 = float(est.cdf(x)) ** 2
        observed = float(np.mean(r.samples.duration <= x))
        assert within(observed, f2, math.sqrt(f2 * (1 - f2)), n), x
    # each task is critical about half the time, and exactly one of them in each iteration
    assert within(r.criticality["A"], 0.5, 0.5, n)
    assert r.criticality["A"] + r.criticality["B"] == 1.0


def test_full_correlation_makes_the_max_equal_either_task() -> None:
    est = ThreePoint(2, 5, 10)
    model = RiskModel([RiskTask("A", est), RiskTask("B", est)], correlations=[Correlation(("A", "B"), 1.0)])
    r = simulate(model, iterations=5000, seed=4, milestones=["A", "B"], keep_samples=True)
    assert r.samples is not None
    assert np.array_equal(r.samples.milestones["A"], r.samples.milestones["B"])
    assert np.array_equal(r.samples.duration, r.samples.milestones["A"])
    assert r.criticality == {"A": 1.0, "B": 1.0}
    # the marginal is still the triangle
    assert within(r.duration.summary.mean, est.mean, math.sqrt(est.variance), 5000)


def test_partial_correlation_gives_the_copula_rank_correlation() -> None:
    rho, n = 0.6, 20_000
    model = RiskModel(
        [
            RiskTask("A", ThreePoint(1, 2, 6)),
            RiskTask("B", ThreePoint(3, 4, 5, "pert")),
            RiskTask("C", ThreePoint(1, 2, 3)),
        ],
        correlations=[Correlation(("A", "B"), rho)],
    )
    r = simulate(model, iterations=n, seed=8, milestones=["A", "B", "C"], keep_samples=True)
    assert r.samples is not None
    ms = r.samples.milestones
    expected = 6 / math.pi * math.asin(rho / 2)
    assert spearman(ms["A"], ms["B"]) == pytest.approx(expected, abs=0.02)
    assert abs(spearman(ms["A"], ms["C"])) < 0.03
    # marginals unchanged by the copula
    assert within(float(ms["B"].mean()), ThreePoint(3, 4, 5, "pert").mean, math.sqrt(1 / 7 * 1 * 1), n)


def test_sensitivity_is_one_for_the_only_uncertain_task_and_near_zero_off_the_critical_path() -> None:
    model = RiskModel(
        [RiskTask("A", ThreePoint(1, 2, 3)), fixed("B", 5), RiskTask("C", ThreePoint(0, 1, 2))],
        [Link("A", "B")],
    )
    n = 10_000
    r = simulate(model, iterations=n, seed=9)
    assert r.task_sensitivity["A"] == pytest.approx(1.0, abs=1e-12)
    assert r.task_sensitivity["B"] == 0.0
    assert abs(r.task_sensitivity["C"]) < 4 / math.sqrt(n)
    assert r.criticality == {"A": 1.0, "B": 1.0, "C": 0.0}
    assert r.drivers(1)[0].id == "A"


def test_same_seed_same_result_and_block_size_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    model = RiskModel(
        [
            RiskTask("A", ThreePoint(1, 2, 5)),
            RiskTask("B", ThreePoint(2, 3, 8, "pert")),
            RiskTask("C", ThreePoint(1, 4, 6)),
        ],
        [Link("A", "C"), Link("B", "C", "SS", 1)],
        [RiskEvent("R", 0.4, [RiskImpact("C", ThreePoint(1, 2, 3), cost=ThreePoint(10, 20, 30))])],
        [Correlation(("A", "B"), 0.5)],
    )
    first = simulate(model, iterations=3000, seed=12, keep_samples=True)
    again = simulate(model, iterations=3000, seed=12, keep_samples=True)
    assert first == again
    assert first.samples is not None and again.samples is not None
    assert np.array_equal(first.samples.duration, again.samples.duration)
    other = simulate(model, iterations=3000, seed=13)
    assert other.duration.summary.mean != first.duration.summary.mean
    monkeypatch.setattr(simulation_module, "CHUNK_VALUES", 7)  # blocks of 2 iterations
    blocked = simulate(model, iterations=3000, seed=12, keep_samples=True)
    assert blocked.samples is not None
    assert np.array_equal(blocked.samples.duration, first.samples.duration)
    assert np.array_equal(blocked.samples.cost, first.samples.cost)
    assert blocked == first


def test_outputs_shape() -> None:
    model = chain(RiskTask("A", ThreePoint(1, 2, 4)), RiskTask("B", ThreePoint(2, 2, 7)))
    r = simulate(model, iterations=1000, seed=1, histogram_bins=10, curve_points=50, target_duration=5)
    h = r.duration.histogram
    assert len(h.edges) == 11 and len(h.counts) == 10 and sum(h.counts) == 1000
    assert h.edges[0] == r.duration.summary.min and h.edges[-1] == r.duration.summary.max
    curve = r.duration.curve
    assert len(curve) == 50 and curve[-1] == (r.duration.summary.max, 1.0)
    assert curve[0] == (r.duration.summary.min, 0.001)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(curve))
    assert r.chance_on_time is not None and 0 < r.chance_on_time < 1
    assert r.chance_within_budget is None and r.chance_on_time_and_budget is None


# ---------------------------------------------------------------------------------------------- statistics helpers


def test_summary_histogram_curve_and_spearman_helpers() -> None:
    s = summarise([4, 1, 3, 2])
    assert (s.mean, s.min, s.max, s.p50) == (2.5, 1.0, 4.0, 2.5)
    assert histogram([0, 1, 1, 2], bins=2).counts == (1, 3)
    assert s_curve([2.0, 2.0, 2.0, 5.0]) == ((2.0, 0.75), (5.0, 1.0))
    assert spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9486832980505138)  # mid-ranks for ties


def test_three_point_distributions() -> None:
    tri = ThreePoint(0, 3, 6)
    assert (tri.mean, tri.variance) == (3.0, 1.5)
    assert tri.cdf([1.5, 3, 6]).tolist() == [0.125, 0.5, 1.0]
    assert tri.ppf([0.125, 0.5]).tolist() == [1.5, 3.0]
    assert ThreePoint.fixed(4).ppf([0.0, 0.5, 1.0]).tolist() == [4.0, 4.0, 4.0]
    pert = ThreePoint(0, 3, 6, "pert")
    assert pert.mean == 3.0 and pert.variance == pytest.approx(9 / 7)
    assert float(pert.ppf(0.5)) == pytest.approx(3.0, abs=1e-9)
    # alpha = beta = 3 on [0, 1]: F(x) = 10x^3 - 15x^4 + 6x^5
    x = np.linspace(0, 1, 101)
    assert np.allclose(ThreePoint(0, 0.5, 1, "pert").cdf(x), 10 * x**3 - 15 * x**4 + 6 * x**5, atol=1e-7)


# ---------------------------------------------------------------------------------------------- errors


def three(a: float, m: float, b: float) -> ThreePoint:
    return ThreePoint(a, m, b)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (RiskModel([RiskTask("B", three(5, 4, 3))]), "task 'B': duration min 5 > max 3"),
        (RiskModel([RiskTask("B", three(5, 4, 6))]), "task 'B': duration min 5 > most_likely 4"),
        (RiskModel([RiskTask("B", three(1, 4, 3))]), "task 'B': duration most_likely 4 > max 3"),
        (RiskModel([RiskTask("B", three(-1, 4, 5))]), "task 'B': duration min must be >= 0, got -1"),
        (RiskModel([RiskTask("B", three(1, math.nan, 5))]), "task 'B': duration most_likely must be a finite number"),
        (RiskModel([RiskTask("B", ThreePoint(1, 2, 3, "normal"))]), "task 'B': duration distribution must be"),
        (RiskModel([fixed("B", 1, cost_per_day=-5)]), "task 'B': cost_per_day must be >= 0, got -5"),
        (RiskModel([fixed("A", 1), fixed("A", 2)]), "task 'A': duplicate task id"),
        (RiskModel([]), "the model has no tasks"),
        (RiskModel([fixed("A", 1)], [Link("A", "Z")]), "link 'A' -> 'Z': unknown task 'Z'"),
        (RiskModel([fixed("A", 1)], [Link("A", "A")]), "dependency cycle: A -> A"),
        (
            RiskModel([fixed("A", 1)], risks=[RiskEvent("R1", 1.5, [RiskImpact("A", three(1, 1, 1))])]),
            "risk 'R1': probability must be within 0..1, got 1.5",
        ),
        (
            RiskModel([fixed("A", 1)], risks=[RiskEvent("R1", -0.1, [])]),
            "risk 'R1': probability must be >= 0, got -0.1",
        ),
        (
            RiskModel(
                [fixed("A", 1)],
                risks=[RiskEvent("R1", 0.5, [RiskImpact("A", three(1, 1, 1)), RiskImpact("Z", three(1, 1, 1))])],
            ),
            "risk 'R1' impact 1: unknown task 'Z'",
        ),
        (
            RiskModel([fixed("A", 1)], risks=[RiskEvent("R1", 0.5, [RiskImpact("A", three(3, 2, 1))])]),
            "risk 'R1' impact 0: duration min 3 > max 1",
        ),
        (
            RiskModel([fixed("A", 1)], risks=[RiskEvent("R1", 0.5, [RiskImpact("A", cost=three(0, -2, 1))])]),
            "risk 'R1' impact 0: cost most_likely must be >= 0, got -2",
        ),
        (
            RiskModel([fixed("A", 1)], risks=[RiskEvent("R1", 0.5, [RiskImpact("A")])]),
            "risk 'R1' impact 0: give an extra duration, an extra cost or both",
        ),
        (
            RiskModel([fixed("A", 1)], risks=[RiskEvent("R1", 0.5, []), RiskEvent("R1", 0.5, [])]),
            "risk 'R1': duplicate risk id",
        ),
        (
            RiskModel([fixed("A", 1), fixed("B", 1)], correlations=[Correlation(("A", "B"), 1.2)]),
            "correlation 0: rho must be within 0..1, got 1.2",
        ),
        (
            RiskModel([fixed("A", 1), fixed("B", 1)], correlations=[Correlation(("A", "X"), 0.2)]),
            "correlation 0: unknown task 'X'",
        ),
        (
            RiskModel(
                [fixed("A", 1), fixed("B", 1), fixed("C", 1)],
                correlations=[Correlation(("A", "B"), 0.2), Correlation(("C", "A"), 0.3)],
            ),
            "correlation 1: task 'A' is already in correlation 0",
        ),
    ],
)
def test_invalid_models_name_the_item(model: RiskModel, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        simulate(model, iterations=1)
    assert str(info.value).startswith(message)


def test_cycles_name_their_tasks() -> None:
    model = RiskModel(
        [fixed(t, 1) for t in "ABCD"], [Link("A", "B"), Link("B", "C"), Link("C", "D", "SS"), Link("D", "B")]
    )
    with pytest.raises(CyclicNetworkError) as info:
        validate(model)
    assert info.value.task_ids == ("B", "C", "D")
    assert str(info.value) == "dependency cycle: B -> C -> D -> B"
    assert isinstance(info.value, CyclicDependencyError) and isinstance(info.value, InvalidInputError)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"iterations": 0}, "iterations must be an integer >= 1, got 0"),
        ({"iterations": True}, "iterations must be an integer >= 1, got True"),
        ({"seed": -1}, "seed must be an integer >= 0, got -1"),
        ({"target_duration": -1.0}, "target_duration must be a finite number >= 0, got -1.0"),
        ({"budget": math.nan}, "budget must be a finite number >= 0, got nan"),
        ({"milestones": ["Z"]}, "milestone: unknown task 'Z'"),
        ({"curve_points": 1}, "curve_points must be an integer >= 2, got 1"),
    ],
)
def test_invalid_options_name_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(")):
        simulate(RiskModel([fixed("A", 1)]), **options)  # type: ignore[arg-type]


def test_bad_link_type_is_named() -> None:
    with pytest.raises(InvalidInputError, match="link 'A' -> 'B': type must be FS, SS, FF or SF, got 'XX'"):
        Link("A", "B", "XX")


def test_changing_one_estimate_leaves_the_other_draws_alone() -> None:
    before = RiskModel([RiskTask("A", ThreePoint(1, 2, 5)), RiskTask("B", ThreePoint(1, 2, 3))])
    after = RiskModel([RiskTask("A", ThreePoint(1, 2, 5)), RiskTask("B", ThreePoint(4, 6, 9, "pert"))])
    one = simulate(before, iterations=500, seed=3, milestones=["A"], keep_samples=True).samples
    two = simulate(after, iterations=500, seed=3, milestones=["A"], keep_samples=True).samples
    assert one is not None and two is not None
    assert np.array_equal(one.milestones["A"], two.milestones["A"])


def test_money_may_be_decimal_and_results_serialise() -> None:
    from decimal import Decimal

    model = RiskModel([RiskTask("A", ThreePoint.fixed(Decimal("2")), fixed_cost=Decimal("100.50"))])  # type: ignore[arg-type]
    r = simulate(model, iterations=3, budget=Decimal("100.50"))  # type: ignore[arg-type]
    assert r.cost.summary.mean == 100.5 and r.chance_within_budget == 1.0
    d = r.to_dict()
    assert d["cost"]["summary"]["p50"] == 100.5
    assert d["duration"]["histogram"]["counts"][20] == 3
    assert d["milestones"] == {} and "samples" not in d
    import json

    assert json.loads(json.dumps(d)) == d


def test_milestones_must_be_a_list_of_ids() -> None:
    with pytest.raises(InvalidInputError, match="milestones must be a sequence of task ids, got 'A'"):
        simulate(RiskModel([fixed("A", 1)]), milestones="A")
