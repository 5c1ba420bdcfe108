"""Reading .mpp, .xer, PMXML (and .mpx, Planner) files through MPXJ.

These tests need the optional extra ``pmo[mpp]`` (PyPI ``mpxj`` + ``JPype1``) and a Java runtime; they are
skipped with the reason when either is missing.  The Java virtual machine starts once for the whole test
process (on the first read) and is shared by every test.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from pmo.engine.errors import FileFormatError, OptionalDependencyError
from pmo.engine.formats import mpxj_reader
from pmo.engine.formats.mpxj_reader import INSTALL_HINT, mpxj_unavailable_reason, read_with_mpxj
from pmo.engine.formats.mspdi import read_mspdi, write_mspdi
from pmo.engine.plan import schedule_plan

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "project_file_samples"
_REASON = mpxj_unavailable_reason()
needs_mpxj = pytest.mark.skipif(_REASON is not None, reason=f"MPXJ unavailable: {_REASON}")


def needs_samples() -> Path:
    if not (SAMPLES / "expected_counts_mpxj.csv").is_file():
        pytest.skip(f"project file samples not found at {SAMPLES.resolve()} (shared data set absent)")
    return SAMPLES


def rows(*formats: str) -> list[dict[str, str]]:
    if not (SAMPLES / "expected_counts_mpxj.csv").is_file():
        return []
    with (SAMPLES / "expected_counts_mpxj.csv").open() as fh:
        return [r for r in csv.DictReader(fh) if r["format"] in formats]


def row_id(row: dict[str, str] | None) -> str:
    return Path(row["file"]).name if row else "absent"


# ---------------------------------------------------------------------------------------------- without MPXJ


def test_missing_packages_give_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_module(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(mpxj_reader, "_jpype", None)
    monkeypatch.setattr(mpxj_reader, "_import", no_module)
    f = tmp_path / "plan.mpp"
    f.write_bytes(b"\xd0\xcf\x11\xe0 not really an mpp")
    with pytest.raises(OptionalDependencyError) as info:
        read_with_mpxj(f)
    assert "pip install 'pmo[mpp]'" in str(info.value) and "Java runtime" in str(info.value)
    reason = mpxj_unavailable_reason()
    assert reason is not None and reason.startswith(INSTALL_HINT)


def test_missing_java_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class FakeJpype:
        @staticmethod
        def isJVMStarted() -> bool:
            return False

        @staticmethod
        def getDefaultJVMPath() -> str:
            raise RuntimeError("No JVM shared library file (libjvm.so) found")

    def fake_import(name: str) -> object:
        return FakeJpype if name == "jpype" else object()

    monkeypatch.setattr(mpxj_reader, "_jpype", None)
    monkeypatch.setattr(mpxj_reader, "_import", fake_import)
    f = tmp_path / "plan.xer"
    f.write_text("ERMHDR\t8.4\n")
    with pytest.raises(OptionalDependencyError, match="no Java runtime found"):
        read_with_mpxj(f)


def test_pod_and_empty_files_fail_cleanly_without_java(tmp_path: Path) -> None:
    pod = tmp_path / "x.pod"
    pod.write_bytes(b"\xac\xed\x00\x05sr\x00 com.projity.server.data.ProjectData")
    with pytest.raises(FileFormatError, match="unsupported format: this is a Java-serialised ProjectLibre"):
        read_with_mpxj(pod)
    empty = tmp_path / "e.mpp"
    empty.write_bytes(b"")
    with pytest.raises(FileFormatError, match="the file is empty"):
        read_with_mpxj(empty)
    with pytest.raises(FileFormatError, match="cannot read file"):
        read_with_mpxj(tmp_path / "missing.mpp")


# ---------------------------------------------------------------------------------------------- with MPXJ


@needs_mpxj
@pytest.mark.parametrize("row", rows("MPP", "XER", "PMXML", "MPX", "XML") or [None], ids=row_id)  # XML = GNOME Planner
def test_counts_match_mpxj(row: dict[str, str] | None) -> None:
    root = needs_samples()
    assert row is not None
    plan = read_with_mpxj(root / row["file"])
    assert (len(plan.tasks), len(plan.resources), len(plan.dependencies)) == (
        int(row["tasks_excl_uid0"]),
        int(row["resources_excl_uid0"]),
        int(row["relations"]),
    )


@needs_mpxj
@pytest.mark.parametrize("row", rows("ERROR unsupported") or [None], ids=row_id)
def test_pod_files_are_unsupported(row: dict[str, str] | None) -> None:
    root = needs_samples()
    assert row is not None
    with pytest.raises(FileFormatError) as info:
        read_with_mpxj(root / row["file"])
    assert "unsupported format" in str(info.value) and row["file"].split("/")[-1] in str(info.value)


@needs_mpxj
def test_not_a_project_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mpp"
    junk.write_bytes(b"hello, this is not a project file at all\n" * 10)
    with pytest.raises(FileFormatError, match=r"junk\.mpp: (unsupported format|MPXJ cannot read)"):
        read_with_mpxj(junk)


def task_links_mpp() -> list[str]:
    folder = SAMPLES / "mpxj_junit_data" / "generated" / "task-links"
    return sorted(p.name for p in folder.glob("*.mpp")) if folder.is_dir() else []


@needs_mpxj
@pytest.mark.parametrize("name", task_links_mpp() or ["absent"])
def test_task_links_mpp_cpm_dates_equal_ms_project(name: str) -> None:
    path = needs_samples() / "mpxj_junit_data" / "generated" / "task-links" / name
    plan = read_with_mpxj(path)
    sched = schedule_plan(plan)
    mismatches = [
        (t.label, t.start, t.finish, sched[t.uid].start, sched[t.uid].finish)
        for t in plan.tasks
        if (t.start, t.finish) != (sched[t.uid].start, sched[t.uid].finish)
    ]
    assert mismatches == []


@needs_mpxj
def test_mpp_mapping_details() -> None:
    plan = read_with_mpxj(needs_samples() / "mpxj_junit_data" / "legacy" / "sample.mpp")
    assert plan.calendar.name == "Standard" and plan.start == datetime(2003, 1, 7, 8)
    by_name = {t.name: t for t in plan.tasks}
    assert by_name["First Task"].is_summary and by_name["Second Task"].parent_uid == by_name["First Task"].uid
    assert by_name["Third task"].is_milestone
    lag = next(d for d in plan.dependencies if d.successor_uid == by_name["Related Task 2b"].uid)
    assert (lag.type.value, lag.lag_minutes) == ("FS", 480)
    lead = next(d for d in plan.dependencies if d.successor_uid == by_name["Related Task 3b"].uid)
    assert lead.lag_minutes == -480
    assert {r.name for r in plan.resources} == {"First Resource", "Second Resource"}
    night = next(c for c in plan.calendars.values() if c.name == "Night Shift")
    assert night.week[0] == ((1380, 1440),)


@needs_mpxj
def test_large_mpp_schedules_like_ms_project() -> None:
    path = needs_samples() / "projectlibre_samples" / "Commercial construction project plan.mpp"
    plan = read_with_mpxj(path)
    sched = schedule_plan(plan)
    same = sum((t.start, t.finish) == (sched[t.uid].start, sched[t.uid].finish) for t in plan.tasks)
    assert same == len(plan.tasks) == 145
    assert sched.finish == datetime(2001, 4, 26, 17)


@needs_mpxj
def test_mpxj_reads_our_mspdi_back(tmp_path: Path) -> None:
    """Our writer's output is valid for MPXJ: same counts, same dates."""
    source = needs_samples() / "mpxj_junit_data" / "legacy" / "sample1.xml"
    plan = read_mspdi(source)
    out = tmp_path / "written.xml"
    out.write_bytes(write_mspdi(plan))
    back = read_with_mpxj(out)
    assert (len(back.tasks), len(back.resources), len(back.dependencies), len(back.assignments)) == (
        len(plan.tasks),
        len(plan.resources),
        len(plan.dependencies),
        len(plan.assignments),
    )
    assert [(t.uid, t.start, t.finish, t.duration_minutes) for t in back.tasks] == [
        (t.uid, t.start, t.finish, t.duration_minutes) for t in plan.tasks
    ]
    assert [(d.predecessor_uid, d.successor_uid, d.type, d.lag_minutes) for d in back.dependencies] == [
        (d.predecessor_uid, d.successor_uid, d.type, d.lag_minutes) for d in plan.dependencies
    ]


@needs_mpxj
def test_xer_calendars_and_exceptions() -> None:
    plan = read_with_mpxj(needs_samples() / "mpxj_junit_data" / "TwentyFourHourCalendar.xer")
    holidays = {d.isoformat() for c in plan.calendars.values() for e in c.exceptions if e.is_holiday for d in e.days()}
    assert "2019-07-04" in holidays
    assert schedule_plan(plan).finish == datetime(2019, 6, 12, 17)
