"""Multi-project levelling on MPSPLIB instances (as MS Project ``.mpp`` files) against Microsoft Project.

Usage::

    python bench/bench_mpsplib.py [--time-limit 30] [--mode exact|fast|both] [--workers 2] [--seed 0]

Data: ``../shared/data/mpsplib`` next to the repository (see its README.md): MPSPLIB instances converted to
``.mpp``, the counts MPXJ reads from them and the total makespan (TMS, days) that Microsoft Project's own
levelling heuristic (P-SGS with the minimum-slack rule) reached on each.  For every ``.mpp`` present we read it
with MPXJ, check the task / resource / relation / assignment counts, build the multi-project problem
(:func:`pmo.engine.formats.mpsplib.plan_to_multiproject_problem`, one period = one working day), level it
with :func:`~pmo.engine.leveling.level_fast` and/or :func:`~pmo.engine.leveling.level_exact` (CP-SAT,
``--time-limit`` seconds per instance, ``--workers`` workers), check the schedule independently (links, lags,
releases, capacities per day) and print our TMS next to Microsoft Project's.

TMS is measured as MPSPLIB defines it and as the reference reads: finish of the last project minus the
earliest project start, in working days, a task started at period ``s`` lasting ``d`` days finishing at
``s + d`` (so a plan running from day 1 09:00 to day ``n`` 19:00 has TMS ``n``).  The resource-unconstrained
TMS we compute equals the working days spanned by the unlevelled dates stored in each file, and equals the
reference on ``mp_j30_a5_nr4`` where MS Project levelled nothing (0.00 s).

The default run (both modes, 30 s exact per instance) takes about four minutes.  When the data folder or
MPXJ/Java is missing the script says so and exits 0; it exits 0 whatever the results.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmo.engine.formats.mpsplib import MultiProjectProblem, plan_to_multiproject_problem, total_makespan
from pmo.engine.formats.mpxj_reader import mpxj_unavailable_reason, read_with_mpxj
from pmo.engine.leveling import (
    LevelingResult,
    level_exact,
    level_fast,
    schedule_unconstrained,
)
from pmo.engine.plan import ProjectPlan

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mpsplib"
INSTANCES = "MPSPLIBtoMPP Instances"


def instance_name(path: Path) -> str:
    """``6 mp_j30_a2_nr1.mpp`` -> ``mp_j30_a2_nr1``."""
    return path.stem.split(" ", 1)[-1]


def load_csv(path: Path, key: str) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    with path.open(newline="") as fh:
        return {row[key]: row for row in csv.DictReader(fh)}


def check_counts(plan: ProjectPlan, expected: dict[str, str] | None) -> str:
    """Compare with ``expected_counts_mpxj.csv``.  MPXJ lists one resource-less placeholder assignment for each
    task without a resource (the dummy milestones); the reader drops them, so they are added back here."""
    if expected is None:
        return "no expected counts"
    assigned = {a.task_uid for a in plan.assignments}
    placeholders = sum(1 for t in plan.tasks if t.uid not in assigned)
    got = {
        "tasks_excl_uid0": len(plan.tasks),
        "resources_excl_uid0": len(plan.resources),
        "relations": len(plan.dependencies),
        "assignments": len(plan.assignments) + placeholders,
    }
    bad = [f"{k} {v} != {expected[k]}" for k, v in got.items() if str(v) != expected[k].strip()]
    return "counts ok" if not bad else "COUNTS DIFFER: " + ", ".join(bad)


def verify(problem: MultiProjectProblem, result: LevelingResult) -> list[str]:
    """Independent feasibility check of a schedule: precedences with lags, releases, capacities per period."""
    errors: list[str] = []
    s, dur = result.starts, {t.id: t.duration for t in problem.tasks}
    release = {p.id: p.release for p in problem.projects}
    cap = {r.id: r.capacity for r in problem.resources}
    usage: dict[tuple[str, int], int] = {}
    for t in problem.tasks:
        if t.id not in s:
            return [f"task {t.id} not scheduled"]
        if s[t.id] < release.get(t.project, 0):
            errors.append(f"task {t.id} starts before its project release")
        for p in t.predecessors:
            sp, fp, sj, fj = s[p.task], s[p.task] + dur[p.task], s[t.id], s[t.id] + t.duration
            ok = {
                "FS": sj >= fp + p.lag,
                "SS": sj >= sp + p.lag,
                "FF": fj >= fp + p.lag,
                "SF": fj >= sp + p.lag,
            }[p.type]
            if not ok:
                errors.append(f"link {p.task} -> {t.id} {p.type}{p.lag:+d} violated")
        for r, q in t.demands.items():
            for period in range(s[t.id], s[t.id] + t.duration):
                usage[(r, period)] = usage.get((r, period), 0) + q
    errors += [f"resource {r} over capacity in period {k}" for (r, k), q in sorted(usage.items()) if q > cap[r]]
    return errors


def run_mode(
    problem: MultiProjectProblem, mode: str, args: argparse.Namespace
) -> tuple[int, int, str, float, list[str]]:
    """Level in one mode: (TMS or -1, proven lower bound on the TMS, status, seconds, schedule errors)."""
    t0 = time.perf_counter()
    if mode == "fast":
        result = level_fast(problem, seed=args.seed)
    else:
        result = level_exact(problem, time_limit_s=args.time_limit, seed=args.seed, num_workers=args.workers)
    elapsed = time.perf_counter() - t0
    first = min((p.release for p in problem.projects), default=0)
    if result.status == "infeasible" and not result.starts:
        return -1, result.lower_bound - first, result.status, elapsed, [f"no schedule ({result.message})"]
    return total_makespan(problem, result), result.lower_bound - first, result.status, elapsed, verify(problem, result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--time-limit", type=float, default=30.0, help="exact solver seconds per instance")
    parser.add_argument("--mode", choices=("exact", "fast", "both"), default="both")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (exact mode)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    folder = args.data / INSTANCES
    files = sorted(folder.glob("*.mpp"), key=lambda p: instance_name(p)) if folder.is_dir() else []
    if not files:
        print(f"SKIP: no MPSPLIB .mpp files under {folder} (shared data set absent)")
        return 0
    reason = mpxj_unavailable_reason()
    if reason is not None:
        print(f"SKIP: MPXJ unavailable: {reason}")
        return 0
    reference = load_csv(args.data / "reference_tms_p-sgs-minslk.csv", "instance")
    counts = {instance_name(Path(k)): v for k, v in load_csv(args.data / "expected_counts_mpxj.csv", "file").items()}
    modes = ("fast", "exact") if args.mode == "both" else (args.mode,)
    exact = f" (exact: {args.time_limit:g} s x {args.workers} workers per instance)" if "exact" in modes else ""
    print(
        f"MPSPLIB multi-project levelling vs MS Project P-SGS/MINSLK: {len(files)} instance(s), "
        f"mode {'/'.join(modes)}{exact}, seed {args.seed}"
    )
    print("TMS in working days (finish of the last project - earliest start); LB = proven lower bound\n")
    header = (
        f"{'instance':<16} {'proj':>4} {'tasks':>5} {'CPM':>4} {'mode':<5} {'TMS':>4} {'LB':>4} "
        f"{'status':<8} {'time s':>7} {'MSP':>4} {'diff':>5} {'shorter':<7}"
    )
    print(header)
    print("-" * len(header))
    stats: dict[str, list[tuple[int, int]]] = {m: [] for m in modes}
    notes: list[str] = []
    t_start = time.perf_counter()
    for path in files:
        name = instance_name(path)
        try:
            plan = read_with_mpxj(path)
            problem = plan_to_multiproject_problem(plan)
            cpm = total_makespan(problem, schedule_unconstrained(problem))
        except Exception as exc:  # a benchmark reports and goes on
            print(f"{name:<16} cannot be read or mapped: {type(exc).__name__}: {exc}")
            notes.append(f"{name}: FAILED to read or map")
            continue
        count_msg = check_counts(plan, counts.get(name))
        if count_msg != "counts ok":
            notes.append(f"{name}: {count_msg}")
        ref_row = reference.get(name)
        ref = int(ref_row["tms_p_sgs_minslk"]) if ref_row else None
        best_lb = 0
        for k, mode in enumerate(modes):
            try:
                tms, lb, status, elapsed, errors = run_mode(problem, mode, args)
            except Exception as exc:  # a benchmark reports and goes on
                tms, lb, status, elapsed, errors = -1, 0, "error", 0.0, [f"{type(exc).__name__}: {exc}"]
            best_lb = max(best_lb, lb)
            notes += [f"{name} {mode}: {'FAILED' if tms < 0 else 'INVALID SCHEDULE'}: {e}" for e in errors[:5]]
            ok_schedule = tms >= 0 and not errors
            if ref is not None and ok_schedule:
                stats[mode].append((tms, ref))
            diff = f"{tms - ref:+d}" if ref is not None and ok_schedule else "-"
            shorter = ("yes" if tms < ref else "no") if ref is not None and ok_schedule else "-"
            lead = f"{name:<16} {len(problem.projects):>4} {len(problem.tasks):>5} {cpm:>4}" if k == 0 else " " * 32
            print(
                f"{lead} {mode:<5} {tms if tms >= 0 else '-':>4} {lb:>4} {status:<8} {elapsed:>7.1f} "
                f"{ref if ref is not None else '-':>4} {diff:>5} {shorter:<7}"
            )
        if ref is not None and best_lb >= ref:
            notes.append(
                f"{name}: MS Project's TMS {ref} equals the proven lower bound {best_lb}: it is optimal "
                "and cannot be beaten, only matched"
            )
        if ref is None:
            notes.append(f"{name}: no reference TMS")
    print()
    for mode in modes:
        pairs = stats[mode]
        if not pairs:
            print(f"{mode}: no comparable instance")
            continue
        n_shorter = sum(1 for ours, ref in pairs if ours < ref)
        equal = sum(1 for ours, ref in pairs if ours == ref)
        ratio = sum(ours / ref for ours, ref in pairs) / len(pairs)
        print(
            f"{mode}: shorter than MS Project on {n_shorter}/{len(pairs)} instance(s), equal on {equal}; "
            f"mean TMS ratio ours/MS Project {ratio:.3f}"
        )
    for note in notes:
        print("note:", note)
    print(f"total time {time.perf_counter() - t_start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
