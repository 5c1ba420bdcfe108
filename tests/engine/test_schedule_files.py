"""`pmo schedule FILE --format mspdi|mpp|xer`: run_project_file with in-memory outputs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pmo.commands.schedule_files import run_project_file
from pmo.engine.formats.mpxj_reader import mpxj_unavailable_reason
from pmo.engine.formats.mspdi import MSPDI_NAMESPACE

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "project_file_samples"
TASK_LINKS = SAMPLES / "mpxj_junit_data" / "generated" / "task-links"
_REASON = mpxj_unavailable_reason()
needs_mpxj = pytest.mark.skipif(_REASON is not None, reason=f"MPXJ unavailable: {_REASON}")


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"sample file not found: {path.resolve()} (shared data set absent)")
    return path


def run(path: Path, fmt: str = "mspdi", *, level: bool = False, as_json: bool = True) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_project_file(path, fmt, level=level, time_limit=5.0, seed=0, as_json=as_json, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def task(uid: int, name: str, hours: int, extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>PT{hours}H0M0S</Duration>{extra}</Task>"
    )


def pred(uid: int, lag_tenths: int = 0) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID><Type>1</Type><LinkLag>{lag_tenths}</LinkLag>"
        "<LagFormat>7</LagFormat></PredecessorLink>"
    )


def write(tmp_path: Path, body: str, name: str = "plan.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0"?>\n<Project xmlns="{MSPDI_NAMESPACE}">\n<Name>demo</Name>\n'
        f"<StartDate>2025-01-06T08:00:00</StartDate>\n{body}\n</Project>\n"
    )
    return path


# A (2 days) -> C (1 day); B (1 day) in parallel; A and B need the single crane, C does not.
CRANE = (
    "<Tasks>\n"
    + task(1, "A", 16)
    + "\n"
    + task(2, "B", 8)
    + "\n"
    + task(3, "C", 8, pred(1))
    + "\n</Tasks>\n<Resources><Resource><UID>1</UID><Name>Crane</Name><Type>1</Type><MaxUnits>1</MaxUnits>"
    "</Resource></Resources>\n<Assignments>"
    "<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units></Assignment>"
    "<Assignment><UID>2</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units></Assignment>"
    "</Assignments>"
)


def test_json_cpm_exact(tmp_path: Path) -> None:
    code, out, err = run(write(tmp_path, CRANE))
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "project_start": "2025-01-06T08:00:00",
        "project_finish": "2025-01-08T17:00:00",
        "tasks": [
            {
                "uid": "1",
                "name": "A",
                "start": "2025-01-06T08:00:00",
                "finish": "2025-01-07T17:00:00",
                "total_float_minutes": 0,
                "critical": True,
            },
            {
                "uid": "2",
                "name": "B",
                "start": "2025-01-06T08:00:00",
                "finish": "2025-01-06T17:00:00",
                "total_float_minutes": 960,
                "critical": False,
            },
            {
                "uid": "3",
                "name": "C",
                "start": "2025-01-08T08:00:00",
                "finish": "2025-01-08T17:00:00",
                "total_float_minutes": 0,
                "critical": True,
            },
        ],
    }


def test_json_levelled_exact(tmp_path: Path) -> None:
    code, out, err = run(write(tmp_path, CRANE), level=True)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    # the crane does B after A or A after B; either way the finish is day 3 (A, C then B or B then A, C)
    assert doc["project_finish"] in ("2025-01-08T17:00:00", "2025-01-09T17:00:00")
    tasks = {t["uid"]: t for t in doc["tasks"]}
    a, b = tasks["1"], tasks["2"]
    assert a["finish"] < b["start"] or b["finish"] < a["start"]  # never both on the crane at once
    assert doc["project_finish"] == "2025-01-08T17:00:00"  # the optimum: A, then B in parallel with C
    assert (a["start"], b["start"], tasks["3"]["start"]) == (
        "2025-01-06T08:00:00",
        "2025-01-08T08:00:00",
        "2025-01-08T08:00:00",
    )
    assert (b["critical"], b["total_float_minutes"]) == (True, 0)


def test_readable_summary(tmp_path: Path) -> None:
    code, out, err = run(write(tmp_path, CRANE), level=True, as_json=False)
    assert (code, err) == (0, "")
    assert "finish  2025-01-08 17:00" in out
    assert "critical path (2 of 3 tasks): UID 1 'A' -> UID 3 'C'" in out
    assert "levelled finish  2025-01-08 17:00" in out and "optimal" in out


def test_task_links_json_equals_ms_project() -> None:
    path = needs(TASK_LINKS / "task-links-project2019-mspdi.xml")
    code, out, err = run(path)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert (doc["project_start"], doc["project_finish"]) == ("2018-10-18T08:00:00", "2018-11-02T17:00:00")
    assert [t["uid"] for t in doc["tasks"]] == [str(i) for i in range(1, 17)]
    assert doc["tasks"][9] == {
        "uid": "10",
        "name": "Task 2",
        "start": "2018-11-02T08:00:00",
        "finish": "2018-11-02T17:00:00",
        "total_float_minutes": 0,
        "critical": True,
    }


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_error_missing_file(tmp_path: Path) -> None:
    code, out, err = run(tmp_path / "nope.xml")
    assert (code, out) == (2, "")
    assert one_error_line(err) == f"pmo schedule: {tmp_path / 'nope.xml'}: no such file"


def test_error_not_xml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(b"\x00\x01\x02 this is not XML")
    code, out, err = run(path)
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith(f"pmo schedule: {path}, line 1: not well-formed XML")


def test_error_truncated_file(tmp_path: Path) -> None:
    path = write(tmp_path, CRANE)
    text = path.read_text()
    path.write_text(text[: text.index("<Resources>")])
    code, _, err = run(path)
    assert code == 2
    assert "line " in one_error_line(err) and "not well-formed XML" in err


def test_error_unknown_predecessor_names_task(tmp_path: Path) -> None:
    path = write(tmp_path, "<Tasks>\n" + task(1, "A", 8) + "\n" + task(2, "Build", 8, pred(42)) + "\n</Tasks>")
    code, _, err = run(path)
    assert code == 2
    assert one_error_line(err) == (
        f"pmo schedule: {path}, line 7: task UID 2 'Build': predecessor UID 42 does not exist"
    )


def test_error_cycle_names_tasks(tmp_path: Path) -> None:
    path = write(tmp_path, "<Tasks>" + task(1, "Design", 8, pred(2)) + task(2, "Build", 8, pred(1)) + "</Tasks>")
    code, _, err = run(path)
    assert code == 2
    assert one_error_line(err) == (
        f"pmo schedule: {path}: dependency cycle: UID 1 'Design' -> UID 2 'Build' -> UID 1 'Design'"
    )


def test_error_wrong_root_and_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "p6.xml"
    path.write_text('<APIBusinessObjects xmlns="http://xmlns.oracle.com/Primavera"/>')
    code, _, err = run(path)
    assert code == 2 and "not an MSPDI file" in one_error_line(err)
    code, _, err = run(write(tmp_path, CRANE), "gantt")
    assert code == 2 and "unknown project file format 'gantt'" in one_error_line(err)


@needs_mpxj
def test_mpp_json_equals_ms_project() -> None:
    path = needs(TASK_LINKS / "task-links-project2010-mpp14.mpp")
    code, out, err = run(path, "mpp")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert (doc["project_start"], doc["project_finish"]) == ("2014-10-17T08:00:00", "2014-11-03T17:00:00")
    assert len(doc["tasks"]) == 16


@needs_mpxj
def test_xer_and_levelling_on_a_real_plan() -> None:
    code, out, err = run(needs(SAMPLES / "mpxj_junit_data" / "TwentyFourHourCalendar.xer"), "xer")
    assert (code, err) == (0, "")
    assert json.loads(out)["project_finish"] == "2019-06-12T17:00:00"
    path = needs(SAMPLES / "projectlibre_samples" / "Commercial construction project plan.mpp")
    code, out, err = run(path, "mpp", level=True)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert len(doc["tasks"]) == 145
    assert doc["project_finish"] >= "2001-04-26T17:00:00"  # never before the unconstrained CPM finish


@needs_mpxj
def test_pod_is_a_clean_unsupported_error() -> None:
    path = needs(SAMPLES / "projectlibre_samples" / "Commercial construction project plan.pod")
    code, out, err = run(path, "mpp")
    assert (code, out) == (2, "")
    assert "unsupported format" in one_error_line(err) and str(path) in err


def test_without_mpxj_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pmo.engine.formats import mpxj_reader

    def no_module(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(mpxj_reader, "_jpype", None)
    monkeypatch.setattr(mpxj_reader, "_import", no_module)
    path = tmp_path / "plan.mpp"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 compound document")
    code, _, err = run(path, "mpp")
    assert code == 2
    line = one_error_line(err)
    assert "pip install 'pmo[mpp]'" in line and "Java runtime" in line
