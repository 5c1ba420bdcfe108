"""`pmo risk simulate`: the JSON contract with exact figures, the readable summary and bad input (exit 2,
a message naming the field, never a traceback); a cycle exits 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pmo.cli import main

PROG = "pmo risk simulate"


def task(task_id: str, a: float, m: float, b: float, *preds: str, **extra: Any) -> dict[str, Any]:
    return {"id": task_id, "min": a, "most_likely": m, "max": b, "predecessors": list(preds), **extra}


# A(3) -> C(2) <- B(5), A -> D(1); R1 certainly adds 4 days to A, R2 never happens.
# A takes 7, so A -> C = 9 beats B -> C = 7: the duration is exactly 9, A and C are critical.
FIXED: dict[str, Any] = {
    "tasks": [task("A", 3, 3, 3), task("B", 5, 5, 5), task("C", 2, 2, 2, "A", "B"), task("D", 1, 1, 1, "A")],
    "risks": [
        {"id": "R1", "probability": 1, "impacts": [{"task": "A", "min": 4, "most_likely": 4, "max": 4}]},
        {"id": "R2", "probability": 0, "impacts": [{"task": "B", "min": 1, "most_likely": 2, "max": 9}]},
    ],
}

UNCERTAIN: dict[str, Any] = {
    "tasks": [
        task("A", 2, 4, 9),
        task("B", 3, 5, 10, "A", distribution="pert"),
        task("C", 1, 2, 3, "A"),
        task("D", 1, 1, 1, "B", "C"),
    ],
    "risks": [{"id": "R1", "probability": 0.3, "impacts": [{"task": "C", "min": 2, "most_likely": 4, "max": 8}]}],
}


def write(tmp_path: Path, document: object, name: str = "network.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def run_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["risk", "simulate", str(path), "--json", *extra]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_json_contract_exact_for_fixed_durations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(write(tmp_path, FIXED), capsys, "--iterations", "200")
    assert out == {
        "iterations": 200,
        "duration": {"mean": 9.0, "p10": 9.0, "p50": 9.0, "p80": 9.0, "p90": 9.0},
        "criticality": {"A": 1.0, "B": 0.0, "C": 1.0, "D": 0.0},
        "sensitivity": {"A": 0.0, "B": 0.0, "C": 0.0, "D": 0.0, "R1": 0.0, "R2": 0.0},
    }
    assert list(out) == ["iterations", "duration", "criticality", "sensitivity"]
    assert list(out["duration"]) == ["mean", "p10", "p50", "p80", "p90"]


def test_json_defaults_and_determinism(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, UNCERTAIN)
    first = run_json(path, capsys)
    assert first["iterations"] == 10_000
    assert run_json(path, capsys, "--seed", "0", "--iterations", "10000") == first
    other = run_json(path, capsys, "--seed", "1")
    assert other["duration"]["mean"] != first["duration"]["mean"]
    # A and D are on every path; B or C (never both, ties aside) closes the other
    crit = first["criticality"]
    assert crit["A"] == crit["D"] == 1.0
    assert crit["B"] + crit["C"] == pytest.approx(1.0, abs=1e-12)
    assert list(first["sensitivity"]) == ["A", "B", "C", "D", "R1"]
    assert first["sensitivity"]["D"] == 0.0
    assert first["sensitivity"]["A"] > first["sensitivity"]["R1"] > 0
    d = first["duration"]
    assert d["p10"] < d["p50"] < d["p80"] < d["p90"]


def test_single_uncertain_task_has_sensitivity_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {"tasks": [task("A", 1, 2, 6), task("B", 4, 4, 4, "A")]}
    out = run_json(write(tmp_path, document), capsys, "--iterations", "3000", "--seed", "7")
    assert out["sensitivity"]["A"] == pytest.approx(1.0, abs=1e-12)
    assert out["sensitivity"]["B"] == 0.0
    assert out["criticality"] == {"A": 1.0, "B": 1.0}
    # mean of the triangle (1 + 2 + 6) / 3 = 3, plus 4: within 4 standard errors
    assert out["duration"]["mean"] == pytest.approx(7.0, abs=4 * (14 / 18) ** 0.5 / 3000**0.5)


def test_readable_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, FIXED)
    assert main(["risk", "simulate", str(path), "--iterations", "100"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0] == f"{path}: 4 task(s), 2 risk(s), 100 iterations (seed 0)"
    assert lines[3] == "  mean 9.00   P10 9.00   P50 9.00   P80 9.00   P90 9.00   (min 9.00, max 9.00)"
    assert lines[4] == "  plan (most likely durations, no risk): 7.00; 0.0 % of iterations finish by then"
    assert "  none: the duration does not vary" in lines
    assert lines[-4:] == ["  A  100.0 %", "  C  100.0 %", "  B    0.0 %", "  D    0.0 %"]


def test_readable_summary_lists_drivers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["risk", "simulate", str(write(tmp_path, UNCERTAIN)), "--iterations", "2000"]) == 0
    out = capsys.readouterr().out
    assert "Top drivers (Spearman rank correlation with the duration)" in out
    assert "  task  A   +0." in out and "  risk  R1  +0." in out


def test_unknown_fields_warn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {"tasks": [task("A", 1, 1, 1, colour="red")], "notes": "x"}
    path = write(tmp_path, document)
    assert main(["risk", "simulate", str(path), "--json", "--iterations", "5"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{PROG}: {path}: warning: ignoring unknown field 'notes'",
        f"{PROG}: {path}: warning: tasks[0]: ignoring unknown field 'colour'",
    ]


def bad(**changes: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(FIXED))
    for key, value in changes.items():
        document[key] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"tasks": [task("A", 1, 1, 1), task("X", 1, 1, 1), task("B", 5, 4, 3)]},
            'tasks[2] "B": min 5 > max 3',
        ),
        ({"tasks": [task("B", 5, 4, 6)]}, 'tasks[0] "B": min 5 > most_likely 4'),
        ({"tasks": [task("B", 1, 4.5, 3)]}, 'tasks[0] "B": most_likely 4.5 > max 3'),
        ({"tasks": [task("A", -1, 1, 2)]}, "tasks[0].min: must be >= 0, got -1"),
        ({"tasks": [task("A", "x", 1, 2)]}, 'tasks[0].min: expected a number, got "x"'),
        ({"tasks": [task("A", True, 1, 2)]}, "tasks[0].min: expected a number, got true"),
        ({"tasks": [{"id": "A", "min": 1, "max": 2}]}, "tasks[0]: missing field 'most_likely'"),
        ({"tasks": [{"min": 1, "most_likely": 1, "max": 2}]}, "tasks[0]: missing field 'id'"),
        ({"tasks": [task("", 1, 1, 1)]}, 'tasks[0].id: expected a non-empty string, got ""'),
        ({"tasks": [task("A", 1, 1, 1), task("A", 1, 1, 1)]}, 'tasks[1].id: duplicate task id "A" (also tasks[0])'),
        (
            {"tasks": [task("A", 1, 2, 3, distribution="normal")]},
            'tasks[0].distribution: expected "triangular" or "pert", got "normal"',
        ),
        ({"tasks": [task("A", 1, 1, 1), task("B", 1, 1, 1, "Z")]}, 'tasks[1].predecessors[0]: unknown task "Z"'),
        ({"tasks": [task("A", 1, 1, 1, "A")]}, 'tasks[0].predecessors[0]: "A" cannot precede itself'),
        (
            {"tasks": [{**task("A", 1, 1, 1), "predecessors": "B"}]},
            "tasks[0].predecessors: expected a list of task ids",
        ),
        ({"tasks": []}, "tasks: expected a non-empty list of task objects"),
        ({"risks": []}, "missing field 'tasks'"),
        ([1, 2], "expected a JSON object with tasks (and risks)"),
        (
            bad(risks=[{"id": "R1", "probability": 1.5, "impacts": []}]),
            "risks[0].probability: must be within 0..1, got 1.5",
        ),
        (bad(risks=[{"id": "R1", "probability": -0.5}]), "risks[0].probability: must be within 0..1, got -0.5"),
        (bad(risks=[{"id": "R1"}]), "risks[0]: missing field 'probability'"),
        (
            bad(
                risks=[
                    {
                        "id": "R1",
                        "probability": 0.5,
                        "impacts": [
                            {"task": "A", "min": 1, "most_likely": 1, "max": 1},
                            {"task": "Z", "min": 1, "most_likely": 1, "max": 1},
                        ],
                    }
                ]
            ),
            'risks[0].impacts[1].task: unknown task "Z"',
        ),
        (
            bad(
                risks=[
                    {"id": "R1", "probability": 0.5, "impacts": [{"task": "A", "min": 5, "most_likely": 4, "max": 3}]}
                ]
            ),
            "risks[0].impacts[0]: min 5 > max 3",
        ),
        (
            bad(risks=[{"id": "R1", "probability": 0.5, "impacts": [{"task": "A", "min": 1, "max": 3}]}]),
            "risks[0].impacts[0]: missing field 'most_likely'",
        ),
        (bad(risks=[{"id": "A", "probability": 0.5}]), 'risks[0].id: "A" is also a task id (tasks[0])'),
        (
            bad(risks=[{"id": "R", "probability": 0.5}, {"id": "R", "probability": 0.1}]),
            'risks[1].id: duplicate risk id "R" (also risks[0])',
        ),
        (bad(risks={"id": "R"}), "risks: expected a list of risk objects"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object, message: str
) -> None:
    path = write(tmp_path, document)
    assert main(["risk", "simulate", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{PROG}: {path}: {message}\n"


def test_cycle_exits_1_naming_the_tasks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {"tasks": [task("A", 1, 1, 1, "C"), task("B", 1, 1, 1, "A"), task("C", 1, 1, 1, "B")]}
    path = write(tmp_path, document)
    assert main(["risk", "simulate", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{PROG}: {path}: dependency cycle: A -> B -> C -> A\n"


def test_unreadable_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["risk", "simulate", str(missing)]) == 2
    assert capsys.readouterr().err == f"{PROG}: {missing}: no such file\n"
    broken = write(tmp_path, '{"tasks": [', "broken.json")
    assert main(["risk", "simulate", str(broken)]) == 2
    assert capsys.readouterr().err.startswith(f"{PROG}: {broken}, line 1, column 12: not valid JSON")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--iterations", "0"], "--iterations must be an integer within 1..1000000, got 0"),
        (["--iterations", "1000001"], "--iterations must be an integer within 1..1000000, got 1000001"),
        (["--seed", "-1"], "--seed must be an integer >= 0, got -1"),
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str], message: str
) -> None:
    assert main(["risk", "simulate", str(write(tmp_path, FIXED)), *option]) == 2
    assert capsys.readouterr().err == f"{PROG}: {message}\n"


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["risk"], ["risk", "simulate"], ["risk", "simulate", "x.json", "--iterations", "many"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    assert "usage: pmo risk" in capsys.readouterr().err
