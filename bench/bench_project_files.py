"""Benchmark the project-file readers and the CPM engine on real MS Project / Primavera files.

Usage::

    python bench/bench_project_files.py [--data PATH] [--all-dates] [--json]

For every file in ``shared/data/project_file_samples`` (see its README):

* MSPDI ``.xml`` files are read with our reader (:func:`pmo.engine.formats.mspdi.read_mspdi`); every
  other file (``.mpp``, ``.mpx``, ``.xer``, PMXML, Planner) through MPXJ
  (:func:`pmo.engine.formats.mpxj_reader.read_with_mpxj`) when the optional extra ``pmo[mpp]`` and Java
  are installed, else it is reported as skipped;
* the task / resource / relation counts are compared with ``expected_counts_mpxj.csv`` (MPXJ 16.10's
  counts, MS Project's UID-0 summary task and placeholder resource excluded);
* files MPXJ cannot read either (the ProjectLibre ``.pod`` files) must fail with a clean
  :class:`~pmo.engine.errors.FileFormatError` ("unsupported format");
* for the *task-links* family (the same 16-task, 8-link project saved by MS Project 98 ... 2019) the plan
  is scheduled by our CPM engine (:func:`pmo.engine.plan.schedule_plan`) and every task's start and
  finish is compared with the dates Microsoft Project stored in the file.  The ``.mpx`` (Project 98)
  save stores dates without times, so it is compared by calendar day.  The target is 100 %.  With
  ``--all-dates`` the same comparison is printed for the other files too (informational: they contain
  progress, splits, timephased contours and resource-driven dates our CPM does not model).

It prints files read OK / total, count matches, date matches per file and the share matching, plus the
JVM start time and read times.  The exit status is 0 whatever the figures.

Note: the multi-project levelling comparison on ``shared/data/mpsplib`` is done elsewhere (the levelling
benchmarks); this script covers reading project files and CPM dates only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmo.engine.errors import EngineError, FileFormatError, OptionalDependencyError
from pmo.engine.formats.mpxj_reader import mpxj_unavailable_reason, read_with_mpxj, start_jvm
from pmo.engine.formats.mspdi import read_mspdi
from pmo.engine.plan import ProjectPlan, schedule_plan

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "project_file_samples"
TASK_LINKS = "generated/task-links/"


def is_mspdi(path: Path) -> bool:
    if path.suffix.lower() != ".xml":
        return False
    with path.open("rb") as fh:
        return b"schemas.microsoft.com/project" in fh.read(4096)


def compare_dates(plan: ProjectPlan, by_day: bool) -> tuple[int, int, list[str]]:
    """(tasks matching, tasks compared, descriptions of mismatches)."""
    sched = schedule_plan(plan)
    same, total, bad = 0, 0, []
    for t in plan.tasks:
        if t.start is None or t.finish is None or t.uid not in sched.tasks:
            continue
        total += 1
        ours = (sched[t.uid].start, sched[t.uid].finish)
        theirs: tuple[datetime | object, ...] = (t.start, t.finish)
        if by_day:
            ok = (ours[0].date(), ours[1].date()) == (t.start.date(), t.finish.date())
        else:
            ok = ours == theirs
        if ok:
            same += 1
        else:
            bad.append(
                f"{t.label}: file {t.start:%Y-%m-%d %H:%M} - {t.finish:%Y-%m-%d %H:%M}, "
                f"ours {ours[0]:%Y-%m-%d %H:%M} - {ours[1]:%Y-%m-%d %H:%M}"
            )
    return same, total, bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the project_file_samples folder")
    parser.add_argument("--all-dates", action="store_true", help="compare CPM dates on every file")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    data: Path = args.data
    csv_path = data / "expected_counts_mpxj.csv"
    if not csv_path.is_file():
        print(f"bench_project_files: no samples at {data.resolve()} (shared data set absent); nothing to do")
        return 0
    with csv_path.open() as fh:
        expected = {r["file"]: r for r in csv.DictReader(fh)}
    files = sorted(
        p for p in data.rglob("*") if p.is_file() and p.name not in ("README.md", "expected_counts_mpxj.csv")
    )

    reason = mpxj_unavailable_reason()
    jvm_seconds: float | None = None
    if reason is None:
        t0 = time.perf_counter()
        try:
            start_jvm()
            jvm_seconds = time.perf_counter() - t0
        except OptionalDependencyError as exc:
            reason = str(exc)

    results: list[dict[str, object]] = []
    read_ok = counts_ok = counted = skipped = clean_errors = expected_errors = 0
    family_same = family_total = 0
    print(f"{'file':62s} {'reader':6s} {'read':>6s}  counts (tasks/res/links)   CPM dates")
    for path in files:
        rel = path.relative_to(data).as_posix()
        row = expected.get(rel)
        mspdi = is_mspdi(path)
        reader = "ours" if mspdi else "mpxj"
        entry: dict[str, object] = {"file": rel, "reader": reader}
        results.append(entry)
        want_error = row is not None and row["format"].startswith("ERROR")
        if want_error:
            expected_errors += 1
        if not mspdi and reason is not None:
            skipped += 1
            entry["status"] = "skipped"
            print(f"{rel[-62:]:62s} {reader:6s} {'-':>6s}  skipped: MPXJ unavailable")
            continue
        t0 = time.perf_counter()
        try:
            plan = read_mspdi(path) if mspdi else read_with_mpxj(path)
        except FileFormatError as exc:
            seconds = time.perf_counter() - t0
            clean = want_error and "unsupported format" in str(exc)
            clean_errors += clean
            entry.update(status="error", clean=clean, error=str(exc), seconds=round(seconds, 3))
            verdict = "clean 'unsupported format' error, as expected" if clean else f"ERROR {exc}"
            print(f"{rel[-62:]:62s} {reader:6s} {seconds:6.2f}  {verdict}")
            continue
        except EngineError as exc:
            entry.update(status="error", clean=False, error=str(exc))
            print(f"{rel[-62:]:62s} {reader:6s} {'':6s}  ERROR {exc}")
            continue
        seconds = time.perf_counter() - t0
        read_ok += 1
        got = (len(plan.tasks), len(plan.resources), len(plan.dependencies))
        count_text = f"{got[0]}/{got[1]}/{got[2]}"
        if row is not None and not want_error:
            want = (int(row["tasks_excl_uid0"]), int(row["resources_excl_uid0"]), int(row["relations"]))
            counted += 1
            match = got == want
            counts_ok += match
            count_text += " = MPXJ" if match else f" != MPXJ {want[0]}/{want[1]}/{want[2]}"
        entry.update(status="read", seconds=round(seconds, 3), counts=list(got))
        date_text = ""
        family = TASK_LINKS in rel
        if family or args.all_dates:
            try:
                same, total, bad = compare_dates(plan, by_day=path.suffix.lower() == ".mpx")
            except EngineError as exc:
                date_text = f"not scheduled: {exc}"
            else:
                date_text = f"{same}/{total}" + (" (by day)" if path.suffix.lower() == ".mpx" else "")
                entry.update(dates_same=same, dates_total=total, mismatches=bad)
                if family:
                    family_same += same
                    family_total += total
                for line in bad[:3] if family else []:
                    date_text += f"\n{'':80s}{line}"
        print(f"{rel[-62:]:62s} {reader:6s} {seconds:6.2f}  {count_text:26s} {date_text}")

    total_files = len(files)
    print()
    print(f"files read OK:          {read_ok} / {total_files - expected_errors} readable"
          f" ({skipped} skipped: {'MPXJ unavailable' if reason else 'none'})")  # fmt: skip
    print(f"clean errors:           {clean_errors} / {expected_errors} unsupported files (.pod)")
    print(f"counts equal to MPXJ:   {counts_ok} / {counted}")
    share = 100.0 * family_same / family_total if family_total else 0.0
    print(
        f"task-links CPM dates:   {family_same} / {family_total} tasks equal MS Project's ({share:.1f} %, target 100 %)"
    )
    if jvm_seconds is not None:
        print(f"JVM start:              {jvm_seconds:.2f} s (once per process)")
    elif reason:
        print(f"MPXJ:                   unavailable ({reason})")
    if args.json:
        print(
            json.dumps(
                {
                    "files": total_files,
                    "read_ok": read_ok,
                    "skipped": skipped,
                    "clean_errors": clean_errors,
                    "counts_ok": counts_ok,
                    "counted": counted,
                    "task_links_dates_same": family_same,
                    "task_links_dates_total": family_total,
                    "jvm_start_s": jvm_seconds,
                    "results": results,
                },
                default=str,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
