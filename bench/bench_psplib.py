"""Benchmark the levelling solvers on PSPLIB (j30 / j120) against the reference values.

Usage::

    python bench/bench_psplib.py [--set j30|j120|all] [--mode exact|fast|both]
                                 [--time-limit S] [--limit N] [--csv FILE]

Data: ``<repo>/../shared/data/psplib_rcpsp`` (``j30/*.sm``, ``j120/*.sm`` and
``reference.csv`` with ``ub`` = best known makespan, ``cpm_lb`` = critical-path bound,
``lb`` = best known lower bound, ``optimal`` = 1 when ``lb == ub``).  When the folder is
absent the script says so and exits 0.

Per set and mode it prints: share feasible, share optimal (makespan equal to the proved
optimum, or equal to the best known lower bound), share proved optimal by the solver,
mean % deviation from the best known ``ub`` and from ``cpm_lb``, mean and max time, and
the comparison with the targets (j30 exact <= 0.01 %, j120 exact <= 2 %, fast <= 5 %
from the best known).  Defaults: exact 1 s per j30 instance and 10 s per j120 instance;
fast mode runs its default number of iterations, capped at 0.1 s (j30) / 0.5 s (j120).
The full j120 exact run takes 60 x 10 s = 10 minutes.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pmo.engine.formats.psplib import read_psplib  # noqa: E402
from pmo.engine.leveling import LevelingResult, level_exact, level_fast  # noqa: E402

DATA = REPO / ".." / "shared" / "data" / "psplib_rcpsp"
EXACT_LIMIT = {"j30": 1.0, "j120": 10.0}
FAST_CAP = {"j30": 0.1, "j120": 0.5}
TARGET = {("j30", "exact"): 0.01, ("j120", "exact"): 2.0, ("j30", "fast"): 5.0, ("j120", "fast"): 5.0}


@dataclass
class Row:
    instance: str
    mode: str
    status: str
    makespan: int
    lower_bound: int
    ub: int
    lb: int
    cpm_lb: int
    optimal_known: bool
    seconds: float

    @property
    def dev_ub(self) -> float:
        return 100.0 * (self.makespan - self.ub) / self.ub

    @property
    def dev_cpm(self) -> float:
        return 100.0 * (self.makespan - self.cpm_lb) / self.cpm_lb

    @property
    def hits_optimum(self) -> bool:
        return self.makespan == (self.ub if self.optimal_known else self.lb)


def natural(path: Path) -> list[int | str]:
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", path.stem)]


def solve(path: Path, mode: str, limit: float, seed: int) -> tuple[LevelingResult, float]:
    problem = read_psplib(path)
    t0 = time.perf_counter()
    if mode == "exact":
        result = level_exact(problem, time_limit_s=limit, seed=seed)
    else:
        result = level_fast(problem, seed=seed, time_limit_s=limit)
    return result, time.perf_counter() - t0


def summarize(name: str, mode: str, rows: list[Row], limit: float) -> None:
    n = len(rows)
    feasible = [r for r in rows if r.status != "infeasible"]
    dev_ub = statistics.mean(r.dev_ub for r in feasible) if feasible else float("nan")
    dev_cpm = statistics.mean(r.dev_cpm for r in feasible) if feasible else float("nan")
    target = TARGET[(name, mode)]
    verdict = "meets" if dev_ub <= target else "MISSES"
    budget = f"{limit:.1f} s" if mode == "exact" else f"cap {limit:.1f} s"
    print(
        f"{name} {mode:5s} ({budget}) n={n}: "
        f"feasible {len(feasible)}/{n} ({100 * len(feasible) / n:.1f} %), "
        f"optimal {sum(r.hits_optimum for r in rows)}/{n}, "
        f"proved by solver {sum(r.status == 'optimal' for r in rows)}/{n}, "
        f"= best known {sum(r.makespan <= r.ub for r in rows)}/{n}"
    )
    print(
        f"    mean dev from best known {dev_ub:.3f} %, from CPM bound {dev_cpm:.2f} % "
        f"(best known: {statistics.mean(100 * (r.ub - r.cpm_lb) / r.cpm_lb for r in rows):.2f} %), "
        f"time mean {statistics.mean(r.seconds for r in rows):.3f} s, max {max(r.seconds for r in rows):.3f} s"
    )
    print(f"    target <= {target} % from best known: {verdict} (measured / target = {dev_ub / target:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("j30", "j120", "all"), default="all")
    parser.add_argument("--mode", choices=("exact", "fast", "both"), default="both")
    parser.add_argument("--time-limit", type=float, help="seconds per instance (exact: default 1 / 10; fast: cap)")
    parser.add_argument("--limit", type=int, help="only the first N instances of each set")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA, help=f"data folder (default {DATA})")
    parser.add_argument("--csv", type=Path, help="write one row per instance and mode to this file")
    parser.add_argument("--verbose", action="store_true", help="print every instance")
    args = parser.parse_args(argv)

    data = args.data.resolve()
    if not (data / "reference.csv").is_file():
        print(f"skipped: PSPLIB data not found at {data} (expected reference.csv, j30/, j120/)")
        return 0
    with open(data / "reference.csv", newline="") as fh:
        reference = {row["instance"]: row for row in csv.DictReader(fh)}
    sets = ("j30", "j120") if args.set == "all" else (args.set,)
    modes = ("exact", "fast") if args.mode == "both" else (args.mode,)
    all_rows: list[Row] = []
    for name in sets:
        files = sorted((data / name).glob("*.sm"), key=natural)[: args.limit]
        if not files:
            print(f"{name}: no .sm files in {data / name}")
            continue
        for mode in modes:
            limit = args.time_limit or (EXACT_LIMIT[name] if mode == "exact" else FAST_CAP[name])
            rows: list[Row] = []
            for path in files:
                ref = reference[path.stem]
                result, seconds = solve(path, mode, limit, args.seed)
                row = Row(
                    instance=path.stem,
                    mode=mode,
                    status=result.status,
                    makespan=result.makespan,
                    lower_bound=result.lower_bound,
                    ub=int(ref["ub"]),
                    lb=int(ref["lb"]),
                    cpm_lb=int(ref["cpm_lb"]),
                    optimal_known=ref["optimal"] == "1",
                    seconds=seconds,
                )
                rows.append(row)
                if args.verbose:
                    print(
                        f"  {row.instance:10s} {mode:5s} {row.status:10s} makespan {row.makespan:4d} "
                        f"(best {row.ub}, lb {row.lower_bound}) {row.dev_ub:6.2f} % {seconds:6.2f} s",
                        flush=True,
                    )
            summarize(name, mode, rows, limit)
            all_rows.extend(rows)
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["instance", "mode", "status", "makespan", "lower_bound", "ub", "cpm_lb", "seconds"])
            for r in all_rows:
                writer.writerow(
                    [r.instance, r.mode, r.status, r.makespan, r.lower_bound, r.ub, r.cpm_lb, f"{r.seconds:.3f}"]
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
