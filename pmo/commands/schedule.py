"""`pmo schedule FILE`: schedule (and level) a project file from the command line.

Usage::

    pmo schedule FILE [--format psplib|mspdi|mpp|xer|json] [--level] [--time-limit SECONDS]
                      [--seed N] [--json] [--mode exact|fast]

The format is guessed from the extension when not given (``.sm`` psplib, ``.json`` the
neutral JSON format, ``.xml`` mspdi, ``.mpp`` mpp, ``.xer`` xer).  PSPLIB files are always
levelled; neutral JSON files are levelled with ``--level`` and otherwise scheduled without
resource limits (critical-path method).  ``--json`` prints one JSON object::

    {"status": "optimal"|"feasible"|"infeasible", "makespan": int, "lower_bound": int,
     "tasks": [{"id": str, "start": int, "finish": int}, ...],
     "projects": [{"id": str, "finish": int}, ...]}          # neutral JSON input only

Exit codes: 0 success, 1 no feasible schedule, 2 unreadable or invalid input (the message
on stderr names the file, line or task).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

FORMATS = ("psplib", "mspdi", "mpp", "xer", "json")
_EXTENSIONS = {".sm": "psplib", ".json": "json", ".xml": "mspdi", ".mpp": "mpp", ".xer": "xer"}
_NOT_YET = ("mspdi", "mpp", "xer")
_PROG = "pmo schedule"


def add_parser(subparsers: Any) -> None:
    """Register the ``schedule`` subcommand on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "schedule",
        help="schedule and level a project file (PSPLIB .sm, neutral JSON)",
        description=(
            "Schedule a project file. PSPLIB files are always resource-levelled; JSON files only "
            "with --level (otherwise: critical-path schedule without resource limits)."
        ),
    )
    parser.add_argument("file", help="the project file")
    parser.add_argument("--format", choices=FORMATS, help="file format (default: guessed from the extension)")
    parser.add_argument("--level", action="store_true", help="respect resource capacities (levelling)")
    parser.add_argument(
        "--time-limit", type=float, default=10.0, metavar="SECONDS", help="levelling time limit (default 10)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument(
        "--mode",
        choices=("exact", "fast"),
        default="exact",
        help="exact: CP-SAT with a proven lower bound (default); fast: priority-rule heuristic",
    )
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"{_PROG}: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``pmo schedule`` for parsed arguments; returns the exit code."""
    from pmo.engine.errors import EngineError, FileFormatError

    path = Path(args.file)
    fmt = args.format or _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        return _fail(f"{path}: cannot guess the format from the extension; use --format ({'|'.join(FORMATS)})")
    if not path.is_file():
        return _fail(f"{path}: no such file")
    if fmt in _NOT_YET:
        # Project files (MSPDI, .mpp, .xer) are scheduled on their own calendars.
        from pmo.commands.schedule_files import run_project_file

        return run_project_file(
            path,
            fmt,
            level=bool(args.level),
            time_limit=float(getattr(args, "time_limit", 10.0)),
            seed=int(args.seed),
            as_json=bool(args.json),
        )
    time_limit = float(getattr(args, "time_limit", 10.0))
    if not time_limit > 0:
        return _fail("--time-limit must be > 0")
    try:
        return _schedule(args, path, fmt, time_limit)
    except FileFormatError as error:
        return _fail(str(error))
    except EngineError as error:
        return _fail(f"{path}: {error}")
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"{path}: cannot read file: {error}")


def _schedule(args: argparse.Namespace, path: Path, fmt: str, time_limit: float) -> int:
    from pmo.engine.leveling import (
        LevelingProblem,
        LevelingResult,
        level_exact,
        level_fast,
        schedule_unconstrained,
        validate_problem,
    )

    problem: LevelingProblem
    if fmt == "psplib":
        from pmo.engine.formats.psplib import read_psplib

        problem = read_psplib(path)
        level = True
    else:
        from pmo.engine.formats.neutral import read_neutral

        problem = read_neutral(path)
        level = bool(args.level)
    validate_problem(problem)
    seed = int(getattr(args, "seed", 0))
    result: LevelingResult
    if not level:
        result = schedule_unconstrained(problem)
    elif getattr(args, "mode", "exact") == "fast":
        result = level_fast(problem, seed=seed, time_limit_s=time_limit)
    else:
        result = level_exact(problem, time_limit_s=time_limit, seed=seed)

    if getattr(args, "json", False):
        doc: dict[str, Any] = {
            "status": result.status,
            "makespan": result.makespan,
            "lower_bound": result.lower_bound,
            "tasks": [
                {"id": t.id, "start": result.starts[t.id], "finish": result.finishes[t.id]}
                for t in problem.tasks
                if t.id in result.starts
            ],
        }
        if fmt == "json":
            declared = {p.id for p in problem.projects}
            doc["projects"] = [
                {"id": pid, "finish": fin} for pid, fin in result.project_finishes.items() if pid or pid in declared
            ]
        print(json.dumps(doc))
    else:
        print(_summary(path, problem, result, level))
    return 1 if result.status == "infeasible" else 0


def _summary(path: Path, problem: Any, result: Any, level: bool) -> str:
    from pmo.engine.leveling import lower_bound as static_bound
    from pmo.engine.leveling import schedule_unconstrained

    cpm = schedule_unconstrained(problem).makespan
    lines = [
        f"{path.name}: {len(problem.tasks)} tasks, {len(problem.resources)} resources",
        f"status:       {result.status} ({result.mode}, {result.solve_time_s:.2f} s)",
        f"makespan:     {result.makespan} periods",
        f"lower bound:  {result.lower_bound}"
        + (f" (critical path {cpm}, static bound {static_bound(problem)})" if level else ""),
    ]
    if result.message:
        lines.append(f"note:         {result.message}")
    declared = {p.id for p in problem.projects}
    finishes = [(pid, fin) for pid, fin in result.project_finishes.items() if pid or pid in declared]
    if len(finishes) > 1 or declared:
        lines.append("projects:     " + ", ".join(f"{pid} finishes {fin}" for pid, fin in finishes))
    if not level:
        over = [b for b in result.bottlenecks if b.peak > b.capacity]
        lines.append(f"critical path length: {cpm} (resource limits ignored)")
        if over:
            lines.append("resources over capacity (use --level):")
            lines.extend(f"  {b.resource}: peak {b.peak} > capacity {b.capacity}" for b in over)
        return "\n".join(lines)
    busy = [b for b in result.bottlenecks if b.delay_periods > 0]
    if busy:
        lines.append("bottlenecks:")
        lines.extend(
            f"  {b.resource}: held back {b.delayed_tasks} task(s) for {b.delay_periods} period(s) in total, "
            f"utilisation {100 * b.utilization:.0f} %"
            for b in busy
        )
    else:
        lines.append("bottlenecks:  none (no task waited for a resource)")
    delayed = result.delayed_tasks()[:5]
    if delayed:
        lines.append("most delayed by resources:")
        for d in delayed:
            held = f" (held by {', '.join(d.blocking_tasks[:4])})" if d.blocking_tasks else ""
            lines.append(
                f"  task {d.task}: starts {d.start} instead of {d.ready}, waited {d.resource_delay} "
                f"period(s) for {d.resource}{held}"
            )
    return "\n".join(lines)
