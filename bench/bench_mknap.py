"""Benchmark the portfolio optimiser on OR-Library multidimensional knapsack instances.

Usage::

    python bench/bench_mknap.py [--time-limit 10] [--files mknap1,mknapcb1,...] [--limit N]
                                [--every K] [--workers 2] [--csv FILE] [--verbose]

Data: ``<repo>/../shared/data/mknap_orlib`` (``mknap1.txt`` with ``reference_mknap1.csv``, ``mknapcb*.txt``
with ``reference_mknapcb.csv``).  When the folder is absent the script says so and exits 0.

* ``mknap1`` (7 small problems with known optima): how many reach the optimum, how many are proven.
* every ``mknapcb`` file present (30 instances each, or the first ``--limit``): mean % gap to the best
  value of Chu & Beasley's genetic algorithm (``100 (CB - value) / CB``; negative = better than theirs), to
  the LP relaxation (``100 (LP - value) / LP``), instances at least as good as CB, proven optima, mean time
  -- per file and overall, with the ratio to the targets (mknap1 7/7 optimal; mean gap to Chu & Beasley
  <= 0.02 % over all files at 10 s per instance on 2 cores).

Each instance is solved by :func:`pmo.engine.selection.optimise_portfolio` (``explain=0``) within the time
limit; the time reported is the wall time of the whole call.  The load average is printed at the start
and the end: other processes on the machine slow the solver down and make the figures pessimistic.
The full run (7 files x 30 instances x 10 s) takes about 35 minutes.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pmo.engine.formats.mknap import MknapInstance, read_mknap  # noqa: E402
from pmo.engine.selection import optimise_portfolio  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mknap_orlib"
TARGET_CB_GAP = 0.02  # % mean gap to Chu & Beasley over all mknapcb files
DEFAULT_FILES = ("mknap1", "mknapcb1", "mknapcb2", "mknapcb3", "mknapcb5", "mknapcb6", "mknapcb7", "mknapcb9")


@dataclass
class Row:
    file: str
    instance: str
    n: int
    m: int
    status: str
    value: float
    bound: float
    reference: float
    lp: float
    seconds: float

    @property
    def gap_ref(self) -> float:
        return 100.0 * (self.reference - self.value) / self.reference

    @property
    def gap_lp(self) -> float:
        return 100.0 * (self.lp - self.value) / self.lp if self.lp else 0.0


def solve(inst: MknapInstance, limit: float, workers: int) -> tuple[str, float, float, float, float]:
    t0 = time.perf_counter()
    result = optimise_portfolio(inst.to_problem(), time_limit_s=limit, workers=workers, explain=0)
    seconds = time.perf_counter() - t0
    return result.status, result.objective, result.bound, result.lp_bound or 0.0, seconds


def load_avg() -> str:
    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
    except OSError:  # pragma: no cover - not on every platform
        return "load average unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance (default 10)")
    parser.add_argument("--files", default=",".join(DEFAULT_FILES), help="comma-separated file stems")
    parser.add_argument("--limit", type=int, help="only the first N instances of each file")
    parser.add_argument("--every", type=int, default=1, help="only every K-th instance (a quick sample)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT threads (default 2)")
    parser.add_argument("--data", type=Path, default=DATA, help=f"data folder (default {DATA})")
    parser.add_argument("--csv", type=Path, help="write one row per instance to this file")
    parser.add_argument("--verbose", action="store_true", help="print every instance")
    args = parser.parse_args(argv)

    data = args.data.resolve()
    if not data.is_dir():
        print(f"skipped: mknap data not found at {data} (expected mknap1.txt, mknapcb*.txt and reference CSVs)")
        return 0
    print(f"mknap benchmark: {args.time_limit:g} s per instance, {args.workers} worker(s); {load_avg()}")
    rows: list[Row] = []
    cb_rows: list[Row] = []
    for stem in [s.strip() for s in args.files.split(",") if s.strip()]:
        path = data / f"{stem}.txt"
        if not path.is_file():
            print(f"{stem}: not present in {data}, skipped")
            continue
        instances = read_mknap(path)[:: max(1, args.every)][: args.limit]
        file_rows: list[Row] = []
        if stem == "mknap1":
            with open(data / "reference_mknap1.csv", newline="") as fh:
                refs = {r["instance"]: float(r["optimum_in_file"]) for r in csv.DictReader(fh)}
        else:
            with open(data / "reference_mknapcb.csv", newline="") as fh:
                cb_refs = {
                    int(r["index_in_file"]): (float(r["best_known_chu_beasley_1997"]), float(r["lp_relaxation"]))
                    for r in csv.DictReader(fh)
                    if r["file"] == path.name
                }
        for inst in instances:
            status, value, bound, lp, seconds = solve(inst, args.time_limit, args.workers)
            if stem == "mknap1":
                reference, lp_ref = refs[inst.name], lp
            else:
                reference, lp_ref = cb_refs[inst.index]
            row = Row(stem, inst.name, inst.n, inst.m, status, value, bound, reference, lp_ref, seconds)
            file_rows.append(row)
            if args.verbose:
                print(
                    f"  {row.instance:14s} {row.m:2d}x{row.n:<3d} {row.status:8s} value {row.value:10.1f} "
                    f"bound {row.bound:10.1f} ref {row.reference:10.1f}  gap ref {row.gap_ref:7.4f} %  "
                    f"gap LP {row.gap_lp:6.3f} %  {row.seconds:5.2f} s",
                    flush=True,
                )
        rows.extend(file_rows)
        n = len(file_rows)
        if not n:
            continue
        mean_t = statistics.fmean(r.seconds for r in file_rows)
        max_t = max(r.seconds for r in file_rows)
        proven = sum(r.status == "optimal" for r in file_rows)
        if stem == "mknap1":
            hits = sum(abs(r.value - r.reference) <= 1e-6 * max(1.0, r.reference) for r in file_rows)
            print(
                f"{stem}: optimum reached {hits}/{n} (target {n}/{n}: {'meets' if hits == n else 'MISSES'}), "
                f"proven {proven}/{n}, time mean {mean_t:.2f} s, max {max_t:.2f} s",
                flush=True,
            )
        else:
            cb_rows.extend(file_rows)
            gap_cb = statistics.fmean(r.gap_ref for r in file_rows)
            gap_lp = statistics.fmean(r.gap_lp for r in file_rows)
            ref_lp = statistics.fmean(100.0 * (r.lp - r.reference) / r.lp for r in file_rows)
            reached = sum(r.value >= r.reference - 1e-9 for r in file_rows)
            print(
                f"{stem} ({file_rows[0].m}x{file_rows[0].n}, n={n}): gap to Chu & Beasley {gap_cb:.4f} %, "
                f"to LP {gap_lp:.3f} % (CB's own {ref_lp:.3f} %), >= CB {reached}/{n}, proven {proven}/{n}, "
                f"time mean {mean_t:.2f} s, max {max_t:.2f} s",
                flush=True,
            )
    if cb_rows:
        gap_cb = statistics.fmean(r.gap_ref for r in cb_rows)
        gap_lp = statistics.fmean(r.gap_lp for r in cb_rows)
        mean_t = statistics.fmean(r.seconds for r in cb_rows)
        verdict = "meets" if gap_cb <= TARGET_CB_GAP else "MISSES"
        print(
            f"overall mknapcb (n={len(cb_rows)}): gap to Chu & Beasley {gap_cb:.4f} %, to LP {gap_lp:.3f} %, "
            f">= CB {sum(r.value >= r.reference - 1e-9 for r in cb_rows)}/{len(cb_rows)}, "
            f"time mean {mean_t:.2f} s"
        )
        print(
            f"    target <= {TARGET_CB_GAP} % to Chu & Beasley at 10 s / 2 cores: {verdict} "
            f"(measured / target = {gap_cb / TARGET_CB_GAP:.2f}; run at {args.time_limit:g} s, "
            f"{args.workers} worker(s))"
        )
    print(f"done; {load_avg()}")
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "instance", "m", "n", "status", "value", "bound", "reference", "lp", "seconds"])
            for r in rows:
                writer.writerow(
                    [r.file, r.instance, r.m, r.n, r.status, r.value, r.bound, r.reference, r.lp, f"{r.seconds:.3f}"]
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
