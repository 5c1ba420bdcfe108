"""`pmo schedule`: output contract and error handling (through a tiny argparse harness)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from pmo.commands import schedule
from tests.engine.test_psplib import TINY


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pmo")
    schedule.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["schedule", *argv])
    assert args.handler is schedule.run
    return schedule.run(args)


@pytest.fixture
def tiny_sm(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.sm"
    path.write_text(TINY)
    return path


NEUTRAL = {
    "resources": [{"id": "crane", "capacity": 1}],
    "projects": [{"id": "P1", "release": 0, "priority": 1}, {"id": "P2", "release": 1, "priority": 5}],
    "tasks": [
        {"id": "a", "project": "P1", "duration": 3, "demands": {"crane": 1}},
        {"id": "b", "project": "P2", "duration": 2, "demands": {"crane": 1}},
        {"id": "c", "project": "P2", "duration": 1, "predecessors": [{"task": "b", "type": "SS", "lag": 1}]},
    ],
}


@pytest.fixture
def neutral_json(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(NEUTRAL))
    return path


@pytest.mark.parametrize("mode", ["exact", "fast"])
def test_psplib_json_output(tiny_sm: Path, mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli([str(tiny_sm), "--json", "--mode", mode, "--time-limit", "5"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"status", "makespan", "lower_bound", "tasks"}
    assert (doc["status"], doc["makespan"], doc["lower_bound"]) == ("optimal", 5, 5)
    assert [t["id"] for t in doc["tasks"]] == ["1", "2", "3", "4"]  # dummies included
    durations = {"1": 0, "2": 3, "3": 2, "4": 0}
    for t in doc["tasks"]:
        assert set(t) == {"id", "start", "finish"}
        assert t["finish"] == t["start"] + durations[t["id"]]
    assert doc["tasks"][0]["start"] == 0 and doc["tasks"][3]["start"] == 5


def test_neutral_json_unconstrained(neutral_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Without --level: critical-path schedule, a and b overlap on the crane.
    assert run_cli([str(neutral_json), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["status"] == "optimal" and doc["makespan"] == doc["lower_bound"] == 3
    assert doc["tasks"] == [
        {"id": "a", "start": 0, "finish": 3},
        {"id": "b", "start": 1, "finish": 3},  # P2 is released at period 1
        {"id": "c", "start": 2, "finish": 3},
    ]
    assert doc["projects"] == [{"id": "P1", "finish": 3}, {"id": "P2", "finish": 3}]


def test_neutral_json_levelled(neutral_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a [0,3) then b [3,5), c starts 1 after b: makespan 5 (b first would waste period 0).
    assert run_cli([str(neutral_json), "--level", "--json", "--time-limit", "5"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["status"], doc["makespan"], doc["lower_bound"]) == ("optimal", 5, 5)
    starts = {t["id"]: t["start"] for t in doc["tasks"]}
    assert starts == {"a": 0, "b": 3, "c": 4}
    assert doc["projects"] == [{"id": "P1", "finish": 3}, {"id": "P2", "finish": 5}]


def test_readable_summary(tiny_sm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli([str(tiny_sm), "--mode", "fast"]) == 0
    out = capsys.readouterr().out
    assert "makespan:     5 periods" in out
    assert "lower bound:  5" in out and "critical path 3" in out
    assert "status:       optimal" in out
    assert "R1: held back 1 task(s)" in out


def test_unconstrained_summary_flags_overloads(neutral_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli([str(neutral_json)]) == 0
    out = capsys.readouterr().out
    assert "resources over capacity (use --level):\n  crane: peak 2 > capacity 1" in out
    assert "critical path length: 3" in out


def test_truncated_file_exits_2_naming_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.sm"
    path.write_text(TINY[: TINY.index("REQUESTS/DURATIONS")])
    assert run_cli([str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(path) in captured.err and "line" in captured.err
    assert "REQUESTS/DURATIONS" in captured.err
    assert "Traceback" not in captured.err


def test_cycle_exits_2_naming_the_tasks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {
        "tasks": [
            {"id": "a", "duration": 1, "predecessors": ["c"]},
            {"id": "b", "duration": 1, "predecessors": [{"task": "a"}]},
            {"id": "c", "duration": 1, "predecessors": [{"task": "b", "type": "FS", "lag": 2}]},
        ]
    }
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(doc))
    assert run_cli([str(path), "--level"]) == 2
    err = capsys.readouterr().err
    assert "loop.json" in err and "dependency cycle" in err
    assert "a -> b -> c -> a" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"tasks": [{"id": "a", "duration": 1, "predecessors": ["zz"]}]}', "unknown predecessor 'zz'"),
        ('{"tasks": [{"id": "a", "duration": "long"}]}', "task 'a': field 'duration' must be an integer"),
        ('{"tasks": [\n{"id": "a",, }]}', "line 2"),
        (
            '{"resources": [{"id": "r", "capacity": 1}], "tasks": [{"id": "a", "duration": 2, "demands": {"r": 5}}]}',
            "'a' needs 5 of resource 'r'",
        ),
    ],
)
def test_bad_json_exits_2(tmp_path: Path, content: str, fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert run_cli([str(path), "--level"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and fragment in err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("plan.xml", "the project has no StartDate and no FinishDate"),
        ("plan.mpp", "unsupported format"),
        ("plan.xer", "unsupported format"),
    ],
)
def test_broken_project_files_give_one_line_naming_the_file(
    tmp_path: Path, name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Project files go to the MSPDI / MPXJ readers; a broken one is refused in one line on stderr.
    path = tmp_path / name
    path.write_text("<Project/>")
    assert run_cli([str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"pmo schedule: {path}: ") and message in error and error.count("\n") == 1


def test_unknown_extension_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("x")
    assert run_cli([str(path)]) == 2
    assert "--format" in capsys.readouterr().err
    assert run_cli([str(tmp_path / "nope.sm")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_explicit_format_overrides_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "instance.txt"
    path.write_text(TINY)
    assert run_cli([str(path), "--format", "psplib", "--json", "--mode", "fast", "--seed", "4"]) == 0
    assert json.loads(capsys.readouterr().out)["makespan"] == 5
