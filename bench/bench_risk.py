"""Benchmark the risk simulation engine: accuracy against closed forms, speed against a plain loop.

Usage::

    python bench/bench_risk.py [--iterations 10000] [--tasks 1000] [--links 3000] [--risks 50]
                               [--seed 1] [--repeat 3] [--anchor-iterations 100] [--no-memory]

(1) Correctness, with ``--iterations`` iterations (seed 0):

* a chain of 20 tasks (triangular and PERT): the mean duration must be the sum of the estimates' means
  (``(a + m + b) / 3``, ``(a + 4m + b) / 6``) and the standard deviation the root of the summed variances;
* two parallel tasks (different triangles): the project duration is their maximum, whose CDF is
  ``F1(x) F2(x)``; its mean ``lo + integral of (1 - F1 F2)`` is integrated numerically (Simpson, 200,000
  intervals) and its P80 solved by bisection;
* a chain with a risk (probability 0.3, triangular extra days): mean = sum of means + 0.3 x the impact's.

The relative error of each figure is printed with its target (1 %) and the sampling standard error.

(2) Speed: a random network of ``--tasks`` tasks and ``--links`` unique finish-to-start links (each from a
task to one of the next 50, seeded, hence acyclic), a third of the estimates PERT, ``--risks`` risk
events on random tasks, costs per day; :func:`pmo.engine.risk.simulate` with ``--iterations`` iterations
is timed end to end (validation, sampling, passes, sensitivities, summaries; best of ``--repeat``;
target under 3 s on this 2-core machine).  The anchor is a straightforward implementation that loops
over iterations in Python (``random.triangular`` / ``random.betavariate`` draws, risk draws, a forward
and a backward pass over the topological order, the critical tasks); it runs ``--anchor-iterations``
iterations and its time is scaled to ``--iterations``.  Both means must agree within sampling error.
The peak memory of one simulation is measured with ``tracemalloc`` (numpy reports its buffers to it).
The exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmo.engine.risk import Link, RiskEvent, RiskImpact, RiskModel, RiskTask, ThreePoint, simulate

TARGET_SECONDS = 3.0
TARGET_ERROR = 0.01  # relative


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def triangular_cdf(x: float, a: float, m: float, b: float) -> float:
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= m:
        return (x - a) ** 2 / ((b - a) * (m - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - m))


def simpson(f: object, lo: float, hi: float, intervals: int = 200_000) -> float:
    h = (hi - lo) / intervals
    total = f(lo) + f(hi)  # type: ignore[operator]
    for i in range(1, intervals):
        total += (4 if i % 2 else 2) * f(lo + i * h)  # type: ignore[operator]
    return total * h / 3


def report(label: str, measured: float, exact: float, standard_error: float) -> None:
    error = abs(measured - exact) / abs(exact)
    print(
        f"  {label}: {measured:.4f} (exact {exact:.4f}): relative error {100 * error:.3f} % "
        f"(target < {100 * TARGET_ERROR:.0f} %: {verdict(error < TARGET_ERROR)}; ratio to target "
        f"{error / TARGET_ERROR:.2f}; sampling s.e. {100 * standard_error / abs(exact):.3f} %)"
    )


def correctness(iterations: int) -> None:
    print(f"(1) correctness against closed forms ({iterations:,} iterations, seed 0)")
    rng = random.Random(5)
    estimates = []
    for i in range(20):
        a = rng.randint(1, 10)
        m = a + rng.randint(0, 6)
        b = m + rng.randint(1, 12)
        estimates.append(ThreePoint(a, m, b, "pert" if i % 3 == 0 else "triangular"))
    tasks = [RiskTask(f"T{i}", e) for i, e in enumerate(estimates)]
    links = [Link(f"T{i}", f"T{i + 1}") for i in range(len(tasks) - 1)]
    result = simulate(RiskModel(tasks, links), iterations=iterations)
    mean = math.fsum(e.mean for e in estimates)
    sd = math.sqrt(math.fsum(e.variance for e in estimates))
    report("chain of 20 tasks, mean", result.duration.summary.mean, mean, sd / math.sqrt(iterations))
    report("chain of 20 tasks, std", result.duration.summary.std, sd, sd / math.sqrt(2 * iterations))

    one, two = (2.0, 5.0, 11.0), (3.0, 4.0, 9.0)
    model = RiskModel([RiskTask("A", ThreePoint(*one)), RiskTask("B", ThreePoint(*two))])
    result = simulate(model, iterations=iterations)
    lo, hi = max(one[0], two[0]), max(one[2], two[2])
    both = lambda x: triangular_cdf(x, *one) * triangular_cdf(x, *two)  # noqa: E731
    mean_max = lo + simpson(lambda x: 1.0 - both(x), lo, hi)
    second = lo * lo + simpson(lambda x: 2 * x * (1.0 - both(x)), lo, hi)
    sd_max = math.sqrt(second - mean_max**2)
    report("max of two parallel tasks, mean", result.duration.summary.mean, mean_max, sd_max / math.sqrt(iterations))
    low, high = lo, hi
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if both(mid) < 0.8 else (low, mid)
    density = (both(low + 1e-6) - both(low - 1e-6)) / 2e-6
    report(
        "max of two parallel tasks, P80",
        result.duration.summary.p80,
        low,
        math.sqrt(0.8 * 0.2 / iterations) / density,
    )

    impact = ThreePoint(2, 4, 12)
    risky = RiskModel(tasks, links, [RiskEvent("R", 0.3, [RiskImpact("T5", impact)])])
    result = simulate(risky, iterations=iterations)
    var = sd**2 + 0.3 * (impact.variance + impact.mean**2) - (0.3 * impact.mean) ** 2
    report(
        "chain with a risk (p 0.3), mean",
        result.duration.summary.mean,
        mean + 0.3 * impact.mean,
        math.sqrt(var / iterations),
    )
    print(f"  risk occurrence {result.risk_occurrence['R']:.4f} (probability 0.3)")


def build(tasks: int, links: int, risks: int, seed: int, window: int = 50) -> RiskModel:
    """Deterministic random network: unique links to one of the next ``window`` tasks, so acyclic."""
    rng = random.Random(seed)
    out = []
    for i in range(tasks):
        a = rng.randint(1, 10)
        m = a + rng.randint(0, 5)
        b = m + rng.randint(1, 10)
        kind = "pert" if i % 3 == 0 else "triangular"
        out.append(RiskTask(f"T{i}", ThreePoint(a, m, b, kind), fixed_cost=1000, cost_per_day=400))
    pairs: set[tuple[int, int]] = set()
    links = min(links, tasks * (tasks - 1) // 2)
    while len(pairs) < links:
        v = rng.randrange(1, tasks)
        pairs.add((rng.randrange(max(0, v - window), v), v))
    events = [
        RiskEvent(
            f"R{k}",
            rng.choice([0.1, 0.2, 0.3, 0.5]),
            [RiskImpact(f"T{rng.randrange(tasks)}", ThreePoint(1, 3, 8), cost=ThreePoint(0, 2000, 5000))],
        )
        for k in range(risks)
    ]
    return RiskModel(out, [Link(f"T{u}", f"T{v}") for u, v in sorted(pairs)], events)


def loop_simulation(model: RiskModel, iterations: int, seed: int) -> tuple[list[float], list[int]]:
    """The anchor: one Python iteration at a time (durations, risks, forward and backward pass, criticality)."""
    rng = random.Random(seed)
    ids = [t.id for t in model.tasks]
    index = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for link in model.links:
        u, v = index[link.predecessor], index[link.successor]
        preds[v].append(u)
        succs[u].append(v)
    indeg = [len(p) for p in preds]
    order = [i for i in range(n) if not indeg[i]]
    for u in order:
        for v in succs[u]:
            indeg[v] -= 1
            if not indeg[v]:
                order.append(v)
    finishes: list[float] = []
    critical = [0] * n
    for _ in range(iterations):
        d = []
        for t in model.tasks:
            e = t.duration
            a, m, b = float(e.min), float(e.most_likely), float(e.max)
            if b <= a:
                d.append(a)
            elif e.is_pert:
                alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
                d.append(a + (b - a) * rng.betavariate(alpha, beta))
            else:
                d.append(rng.triangular(a, b, m))
        for risk in model.risks:
            if rng.random() < risk.probability:
                for impact in risk.impacts:
                    if impact.task_id is not None and impact.duration is not None:
                        e = impact.duration
                        d[index[impact.task_id]] += rng.triangular(float(e.min), float(e.max), float(e.most_likely))
        ef = [0.0] * n
        for v in order:
            es = max((ef[u] for u in preds[v]), default=0.0)
            ef[v] = es + d[v]
        finish = max(ef)
        lf = [finish] * n
        for u in reversed(order):
            if succs[u]:
                lf[u] = min(lf[v] - d[v] for v in succs[u])
        for i in range(n):
            if lf[i] - ef[i] <= 1e-9 * max(1.0, finish):
                critical[i] += 1
        finishes.append(finish)
    return finishes, critical


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--risks", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--anchor-iterations", type=int, default=100)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)

    correctness(args.iterations)

    model = build(args.tasks, args.links, args.risks, args.seed)
    print(
        f"(2) speed: {len(model.tasks):,} tasks, {len(model.links):,} links, {len(model.risks)} risks "
        f"(seed {args.seed}), {args.iterations:,} iterations"
    )
    times = []
    result = None
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        result = simulate(model, iterations=args.iterations, seed=0)
        times.append(time.perf_counter() - t0)
    assert result is not None
    best = min(times)
    s = result.duration.summary
    print(
        f"  pmo simulate: {best:.2f} s (best of {len(times)}; the first run, which also builds the PERT tables, "
        f"{times[0]:.2f} s); target < {TARGET_SECONDS:.0f} s: {verdict(best < TARGET_SECONDS)} "
        f"(ratio to target {best / TARGET_SECONDS:.2f})"
    )
    print(
        f"  duration mean {s.mean:.2f}, P10 {s.p10:.2f}, P50 {s.p50:.2f}, P90 {s.p90:.2f}; "
        f"{sum(v > 0 for v in result.criticality.values())} tasks ever critical"
    )
    if not args.no_memory:
        tracemalloc.start()
        simulate(model, iterations=args.iterations, seed=0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak memory of one simulation (tracemalloc): {peak / 2**20:.0f} MiB")

    t0 = time.perf_counter()
    finishes, _ = loop_simulation(model, args.anchor_iterations, seed=0)
    per_iteration = (time.perf_counter() - t0) / args.anchor_iterations
    anchor = per_iteration * args.iterations
    print(
        f"  anchor, per-iteration Python loop: {1000 * per_iteration:.1f} ms per iteration on "
        f"{args.anchor_iterations} iterations -> {anchor:.1f} s for {args.iterations:,} (scaled)"
    )
    loop_mean = statistics.fmean(finishes)
    loop_se = statistics.stdev(finishes) / math.sqrt(len(finishes)) if len(finishes) > 1 else math.inf
    se = math.hypot(loop_se, s.std / math.sqrt(args.iterations))
    agree = abs(loop_mean - s.mean) <= 4 * se
    print(
        f"  loop mean duration {loop_mean:.2f} vs pmo {s.mean:.2f}: difference {abs(loop_mean - s.mean):.2f} "
        f"({'within' if agree else 'NOT within'} 4 standard errors, {4 * se:.2f})"
    )
    print(f"  ratio pmo / anchor = {best / anchor:.4f} ({anchor / best:.0f}x faster than the loop)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
