"""`pmo schedule FILE --format mspdi|mpp|xer`: schedule a project file from a project-management tool.

:func:`run_project_file` is what ``pmo schedule`` (:mod:`pmo.commands.schedule`) calls for project files:

* ``mspdi`` -- Microsoft Project XML, read by :func:`pmo.engine.formats.mspdi.read_mspdi`;
* ``mpp``, ``xer``, ``pmxml`` (and ``mpx``, ``planner``) -- read through MPXJ
  (:func:`pmo.engine.formats.mpxj_reader.read_with_mpxj`, the optional extra ``pmo[mpp]`` plus a Java
  runtime);
* ``auto`` -- MSPDI when the file is MS Project XML, else MPXJ.

The plan is scheduled on its own calendars with the critical path method
(:func:`pmo.engine.plan.schedule_plan`).  With ``level`` it is then resource-levelled on its work resources
(:func:`pmo.engine.plan.level_plan`): the levelling engine works in whole working days of the project
calendar when every duration and lag is a whole number of days, else in working hours; durations are
rounded up to whole periods and the levelled periods are turned back into dates on the project calendar.

``as_json`` prints exactly one JSON object::

    {"project_start": "2014-10-17T08:00:00", "project_finish": "2014-11-03T17:00:00",
     "tasks": [{"uid": "1", "name": "Task 1", "start": "...", "finish": "...",
                "total_float_minutes": 0, "critical": true}, ...]}

(every task of the file but MS Project's project summary task, in file order; with ``level`` the dates are
the levelled ones and floats are measured against the levelled finish).  Otherwise a readable summary:
finish, critical path and the levelling result.

Exit codes: 0 success; 1 levelling found no feasible schedule; 2 the file cannot be read or scheduled
(one line on stderr naming the file and the line or the task), the format is unknown, or the optional
MPXJ support is missing (the message says what to install).  Never a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pmo.engine.errors import (
    CyclicDependencyError,
    EngineError,
    FileFormatError,
    OptionalDependencyError,
    UnknownTaskError,
)
from pmo.engine.plan import PlanLevelingResult, ProjectPlan, level_plan, schedule_plan
from pmo.engine.schedule import Schedule

__all__ = ["PROJECT_FILE_FORMATS", "read_project_file", "run_project_file"]

PROJECT_FILE_FORMATS = ("mspdi", "mpp", "xer", "pmxml", "mpx", "planner", "auto")
_MPXJ_FORMATS = ("mpp", "xer", "pmxml", "mpx", "planner")
_PROG = "pmo schedule"
_CRITICAL_PATH_SHOWN = 12


def _looks_like_mspdi(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return b"schemas.microsoft.com/project" in head


def read_project_file(path: Path, fmt: str) -> ProjectPlan:
    """Read a project file in one of :data:`PROJECT_FILE_FORMATS` into a plan.

    Raises :class:`~pmo.engine.errors.FileFormatError` (bad file, unknown format) or
    :class:`~pmo.engine.errors.OptionalDependencyError` (MPXJ or Java missing).
    """
    fmt = fmt.lower()
    if fmt not in PROJECT_FILE_FORMATS:
        raise FileFormatError(
            f"unknown project file format {fmt!r} (use one of {', '.join(PROJECT_FILE_FORMATS)})", path=str(path)
        )
    if fmt == "auto":
        fmt = "mspdi" if _looks_like_mspdi(path) else "mpp"
    if fmt == "mspdi":
        from pmo.engine.formats.mspdi import read_mspdi

        return read_mspdi(path)
    from pmo.engine.formats.mpxj_reader import read_with_mpxj

    return read_with_mpxj(path)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def run_project_file(
    path: Path,
    fmt: str,
    *,
    level: bool,
    time_limit: float,
    seed: int,
    as_json: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Read, schedule (and with ``level`` resource-level) a project file and print the result.

    ``out``/``err`` default to the current ``sys.stdout``/``sys.stderr``.  See the module documentation
    for the formats, the JSON document and the exit codes.
    """
    path = Path(path)
    out = sys.stdout if out is None else out
    err_stream = sys.stderr if err is None else err

    def fail(message: str, code: int = 2) -> int:
        print(f"{_PROG}: {' '.join(message.split())}", file=err_stream)
        return code

    if not path.is_file():
        return fail(f"{path}: no such file")
    try:
        plan = read_project_file(path, fmt)
        schedule = schedule_plan(plan)
        leveled = level_plan(plan, time_limit_s=time_limit, seed=seed) if level else None
    except FileFormatError as exc:
        return fail(str(exc))
    except OptionalDependencyError as exc:
        return fail(f"{path}: {exc}")
    except (CyclicDependencyError, UnknownTaskError) as exc:
        return fail(f"{path}: {exc}")
    except EngineError as exc:
        return fail(f"{path}: {exc}")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"{path}: cannot read file: {exc}")
    except Exception as exc:  # never a traceback on the command line
        return fail(f"{path}: internal error while scheduling: {type(exc).__name__}: {exc}", 1)

    if leveled is not None and leveled.result.status == "infeasible":
        detail = leveled.result.message or "no feasible schedule"
        return fail(f"{path}: levelling failed: {detail}", 1)
    if as_json:
        print(json.dumps(_json_document(plan, schedule, leveled)), file=out)
    else:
        print(_summary(path, plan, schedule, leveled), file=out)
    return 0


def _json_document(plan: ProjectPlan, schedule: Schedule, leveled: PlanLevelingResult | None) -> dict[str, object]:
    tasks: list[dict[str, object]] = []
    for t in plan.tasks:
        if leveled is not None and t.uid in leveled.tasks:
            lt = leveled.tasks[t.uid]
            start, finish, slack, critical = lt.start, lt.finish, lt.total_float_minutes, lt.critical
        elif t.uid in schedule.tasks:
            ts = schedule[t.uid]
            start, finish, slack, critical = ts.start, ts.finish, ts.total_float_minutes, ts.critical
        else:  # an inactive task: not scheduled, reported with its stored dates
            if t.start is None or t.finish is None:
                continue
            start, finish, slack, critical = t.start, t.finish, 0, False
        tasks.append(
            {
                "uid": t.uid,
                "name": t.name,
                "start": _iso(start),
                "finish": _iso(finish),
                "total_float_minutes": int(slack),
                "critical": bool(critical),
            }
        )
    project_start = leveled.start if leveled is not None else schedule.start
    project_finish = leveled.finish if leveled is not None else schedule.finish
    return {"project_start": _iso(project_start), "project_finish": _iso(project_finish), "tasks": tasks}


def _days(minutes: int, minutes_per_day: int) -> str:
    days = minutes / minutes_per_day
    return f"{days:.0f}" if days == int(days) else f"{days:.1f}"


def _summary(path: Path, plan: ProjectPlan, schedule: Schedule, leveled: PlanLevelingResult | None) -> str:
    mpd = plan.calendar.minutes_per_day
    leaves = [t for t in plan.tasks if t.uid in schedule.tasks and not schedule[t.uid].is_summary]
    lines = [
        f"{plan.name} ({path.name})",
        f"  {len(plan.tasks)} tasks, {len(plan.dependencies)} links, {len(plan.resources)} resources,"
        f" {len(plan.assignments)} assignments; calendar {plan.calendar.name!r}",
        f"  start   {schedule.start:%Y-%m-%d %H:%M}",
        f"  finish  {schedule.finish:%Y-%m-%d %H:%M}  (critical path method, no resource limits)",
    ]
    stored = plan.finish
    if stored is not None and plan.schedule_from_start and stored != schedule.finish:
        lines.append(f"          the file says {stored:%Y-%m-%d %H:%M}")
    critical = [plan.label(uid) for uid in schedule.critical_path]
    shown = critical[:_CRITICAL_PATH_SHOWN]
    more = f" ... and {len(critical) - len(shown)} more" if len(critical) > len(shown) else ""
    path_text = " -> ".join(shown) + more if shown else "none (every task has float or is complete)"
    lines.append(f"  critical path ({len(critical)} of {len(leaves)} tasks): {path_text}")
    if leveled is not None:
        r = leveled.result
        unit = "day" if leveled.granularity == "day" else "hour"
        delay_days = _days(max(0, plan.calendar.working_minutes_between(leveled.cpm_finish, leveled.finish)), mpd)
        lines.append(
            f"  levelled finish  {leveled.finish:%Y-%m-%d %H:%M}  ({delay_days} working days after the CPM finish;"
            f" {r.status}, {r.makespan} {unit}s, lower bound {r.lower_bound}, {r.solve_time_s:.1f} s)"
        )
        for b in r.bottlenecks[:3]:
            if b.delay_periods <= 0:
                continue
            res = next((x for x in plan.resources if x.uid == b.resource), None)
            label = f"{res.name!r}" if res is not None else b.resource
            lines.append(
                f"    bottleneck {label}: delayed {b.delayed_tasks} tasks by {b.delay_periods} {unit}s in total,"
                f" {b.utilization:.0%} utilised"
            )
        lines.extend(f"    note: {n}" for n in leveled.notes[:5])
    return "\n".join(lines)
