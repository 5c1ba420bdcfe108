"""Benchmark the CPM engine against networkx's longest-path pass on a random DAG.

Usage::

    python bench/bench_cpm.py [--tasks 100000] [--links 300000] [--seed 1] [--repeat 3] [--general]

The network is deterministic for a seed: task ``i`` lasts 1-10 whole working days and every link joins
a random task to a later task at most ``--window`` positions further (so paths are long, as in real
schedules), FS with zero lag, duplicates removed.  We time :func:`pmo.engine.schedule.critical_path`
end to end (input normalisation, topological order, forward and backward passes, floats, conversion
to datetimes; best of ``--repeat``) and ``networkx.dag_longest_path_length`` on the same graph (edge
weight = predecessor duration), check that both find the same longest path, print the figures and the
ratio, and say whether the < 1 s target is met.  The exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmo.engine.schedule import Dependency, ProjectNetwork, Task, critical_path

TARGET_SECONDS = 1.0
DAY = 480


def build(tasks: int, links: int, seed: int, window: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Deterministic random DAG: durations in minutes and unique (predecessor, successor) pairs."""
    rng = random.Random(seed)
    durations = [rng.randint(1, 10) * DAY for _ in range(tasks)]
    pairs: set[tuple[int, int]] = set()
    links = min(links, tasks * (tasks - 1) // 2)
    while len(pairs) < links:
        v = rng.randrange(1, tasks)
        u = rng.randrange(max(0, v - window), v)
        pairs.add((u, v))
    return durations, sorted(pairs)


def best_of(repeat: int, fn: object) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=int, default=1000, help="max index distance of a link")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--general", action="store_true", help="also time the general (multi-calendar) path")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    durations, pairs = build(args.tasks, args.links, args.seed, args.window)
    ids = [f"T{i}" for i in range(args.tasks)]
    network = ProjectNetwork(
        tasks=[Task(ids[i], d) for i, d in enumerate(durations)],
        dependencies=[Dependency(ids[u], ids[v]) for u, v in pairs],
        start=datetime(2025, 1, 6, 8),
    )
    print(f"network: {args.tasks:,} tasks, {len(pairs):,} links (seed {args.seed}, window {args.window});"
          f" built in {time.perf_counter() - t0:.2f} s")  # fmt: skip

    ours, schedule = best_of(args.repeat, lambda: critical_path(network))
    assert hasattr(schedule, "finish")
    cal = network.calendar
    assert network.start is not None
    latest_start = max(ts.early_start for ts in schedule.tasks.values())  # type: ignore[attr-defined]
    our_length = cal.working_minutes_between(network.start, latest_start)
    print(f"pmo critical_path (fast path, forward + backward + floats): {ours:.3f} s (best of {args.repeat})")
    print(f"  project finish {schedule.finish}, {len(schedule.critical_path)} critical tasks")  # type: ignore[attr-defined]

    try:
        import networkx as nx  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - networkx is a dev dependency
        print("networkx is not installed: no anchor")
        return 0
    graph = nx.DiGraph()
    graph.add_nodes_from(range(args.tasks))
    graph.add_weighted_edges_from((u, v, durations[u]) for u, v in pairs)
    anchor, nx_length = best_of(args.repeat, lambda: nx.dag_longest_path_length(graph, weight="weight"))
    print(f"networkx dag_longest_path_length (forward only): {anchor:.3f} s (best of {args.repeat})")
    same = "same" if nx_length == our_length else f"DIFFERENT ({nx_length} vs {our_length})"
    print(f"  longest path {nx_length:,} working minutes: {same} as ours")
    print(f"ratio pmo / networkx = {ours / anchor:.2f} ({anchor / ours:.1f}x faster than the anchor)")
    if args.general:
        general, _ = best_of(1, lambda: critical_path(network, force_general=True))
        print(f"pmo critical_path general path (datetime arithmetic): {general:.3f} s")
    verdict = "MET" if ours < TARGET_SECONDS else "NOT met"
    print(f"target < {TARGET_SECONDS:.0f} s for the full pass: {verdict}; faster than networkx: {ours < anchor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
