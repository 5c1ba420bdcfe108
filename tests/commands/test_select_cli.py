"""`pmo select`: the JSON contract, the readable summary, infeasible must-dos and bad input."""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pmo.commands import select

# Budget 10 and two developers.  A+B fill the budget exactly (13); C would replace B for +1 but A+C cost 11.
# D is a must-do needing one developer, so E (two developers) can never join.
PROBLEM: dict[str, Any] = {
    "capacities": {"budget": 10, "developers": 2},
    "candidates": [
        {"id": "A", "value": 8, "costs": {"budget": 6}},
        {"id": "B", "value": 5, "costs": {"budget": 4}},
        {"id": "C", "value": 6, "costs": {"budget": 5}},
        {"id": "D", "value": 0, "costs": {"developers": 1}, "mandatory": True},
        {"id": "E", "value": 4, "costs": {"developers": 2}},
    ],
}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pmo")
    select.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["select", *argv])
    assert args.handler is select.run
    return select.run(args)


def write(tmp_path: Path, document: object, name: str = "problem.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_json_output_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli([str(write(tmp_path, PROBLEM)), "--json", "--time-limit", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "status": "optimal",
        "objective": 13,
        "bound": 13,
        "selected": ["A", "B", "D"],
        "usage": {"budget": 10, "developers": 1},
    }


def test_frontier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli([str(write(tmp_path, PROBLEM)), "--json", "--frontier", "4", "--time-limit", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    # at 25 % the must-do D (one developer) does not fit in half a developer
    assert out["frontier"] == [
        {"budget_fraction": 0.25, "objective": None, "selected": []},
        {"budget_fraction": 0.5, "objective": 6, "selected": ["C", "D"]},
        {"budget_fraction": 0.75, "objective": 8, "selected": ["A", "D"]},
        {"budget_fraction": 1.0, "objective": 13, "selected": ["A", "B", "D"]},
    ]
    assert out["objective"] == 13


def test_readable_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, PROBLEM)
    assert run_cli([str(path), "--time-limit", "5"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[:2] == [
        f"{path}: optimal, total value 13 (proven bound 13)",
        "selected 3: A, B, D",
    ]
    assert "budget                  10              10  100.0%" in text
    assert "binding: budget keeps out C; developers keeps out E" in text
    assert "  C: would exceed budget by 5; its value would need to rise by 2 to get in" in text
    assert "  E: would exceed developers by 1; it cannot be selected together with the must-do candidates" in text


def test_requires_and_excludes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem = {
        "capacities": {"budget": 10},
        "candidates": [
            {"id": "platform", "value": 1, "costs": {"budget": 4}},
            {"id": "app", "value": 9, "costs": {"budget": 3}, "requires": ["platform"]},
            {"id": "vendor", "value": 7, "costs": {"budget": 3}, "excludes": ["app"]},
            {"id": "small", "value": 2, "costs": {"budget": 3}},
        ],
    }
    assert run_cli([str(write(tmp_path, problem)), "--json", "--time-limit", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    # app (9) needs platform (1): 10 for 7 of budget, plus small (2) = 12; vendor+small+platform = 10
    assert (out["status"], out["objective"], out["selected"]) == ("optimal", 12, ["platform", "app", "small"])


def test_matches_enumeration_on_random_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(7)
    for trial in range(3):
        items = [
            {
                "id": f"p{i}",
                "value": rng.randint(1, 40),
                "costs": {"cash": rng.randint(1, 20), "staff": rng.randint(0, 5)},
            }
            for i in range(10)
        ]
        capacities = {"cash": 50, "staff": 12}
        best = max(
            sum(items[i]["value"] for i in subset)
            for k in range(len(items) + 1)
            for subset in itertools.combinations(range(len(items)), k)
            if all(sum(items[i]["costs"][d] for i in subset) <= cap for d, cap in capacities.items())
        )
        path = write(tmp_path, {"capacities": capacities, "candidates": items}, f"random{trial}.json")
        assert run_cli([str(path), "--json", "--time-limit", "5"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert (out["status"], out["objective"]) == ("optimal", best)
        chosen = [item for item in items if item["id"] in out["selected"]]
        assert sum(item["value"] for item in chosen) == best
        assert out["usage"] == {d: sum(item["costs"][d] for item in chosen) for d in capacities}


def test_infeasible_must_dos_name_the_constraint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem = {
        "capacities": {"budget": 10},
        "candidates": [
            {"id": "law", "value": 0, "costs": {"budget": 7}, "mandatory": True},
            {"id": "audit", "value": 0, "costs": {"budget": 6}, "mandatory": True},
        ],
    }
    assert run_cli([str(write(tmp_path, problem)), "--json", "--time-limit", "5"]) == 1
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert (out["status"], out["constraint"], out["selected"]) == ("infeasible", "budget", [])
    assert "budget" in out["message"] and "(constraint: budget)" in captured.err


def test_infeasible_exclusion_between_must_dos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem = {
        "capacities": {},
        "candidates": [
            {"id": "X", "value": 1, "mandatory": True, "excludes": ["Y"]},
            {"id": "Y", "value": 1, "mandatory": True},
        ],
    }
    assert run_cli([str(write(tmp_path, problem)), "--time-limit", "5"]) == 1
    err = capsys.readouterr().err
    assert "infeasible" in err and "(constraint: excludes X / Y)" in err


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "expected a JSON object with capacities and candidates"),
        ({"candidates": []}, "missing field 'capacities'"),
        ({"capacities": {"budget": 1}, "candidates": {}}, "candidates: expected a list of objects"),
        ({"capacities": {"budget": "lots"}, "candidates": []}, 'capacities.budget: expected a number, got "lots"'),
        ({"capacities": {"budget": -1}, "candidates": []}, "capacities.budget: must be >= 0, got -1"),
        ({"capacities": {}, "candidates": [{"value": 1}]}, "candidates[0]: missing field 'id'"),
        (
            {"capacities": {}, "candidates": [{"id": "A", "value": True}]},
            "candidates[0].value: expected a number, got true",
        ),
        (
            {"capacities": {}, "candidates": [{"id": "A", "value": 1}, {"id": "A", "value": 2}]},
            "candidates[1].id: duplicate id 'A'",
        ),
        (
            {"capacities": {"budget": 5}, "candidates": [{"id": "A", "value": 1, "costs": {"budgte": 1}}]},
            "candidates[0].costs: cost 'budgte' is not in capacities",
        ),
        (
            {"capacities": {"budget": 5}, "candidates": [{"id": "A", "value": 1, "costs": {"budget": -2}}]},
            "candidates[0].costs.budget: must be >= 0, got -2",
        ),
        (
            {"capacities": {}, "candidates": [{"id": "A", "value": 1, "mandatory": "yes"}]},
            'candidates[0].mandatory: expected true or false, got "yes"',
        ),
        (
            {"capacities": {}, "candidates": [{"id": "A", "value": 1, "requires": ["Z"]}]},
            "candidates[0].requires: unknown candidate 'Z'",
        ),
        (
            {"capacities": {}, "candidates": [{"id": "A", "value": 1, "excludes": "B"}]},
            "candidates[0].excludes: expected a list of candidate ids",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object, message: str
) -> None:
    path = write(tmp_path, document)
    assert run_cli([str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"pmo select: {path}: {message}\n"


def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli([str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err == f"pmo select: {tmp_path / 'nope.json'}: no such file\n"
    broken = tmp_path / "broken.json"
    broken.write_text('{"capacities": {},\n "candidates": [\n')
    assert run_cli([str(broken)]) == 2
    assert capsys.readouterr().err.startswith(f"pmo select: {broken}, line 3, column 1: not valid JSON")
    assert run_cli([str(write(tmp_path, PROBLEM)), "--time-limit", "0"]) == 2
    assert capsys.readouterr().err == "pmo select: --time-limit must be a number > 0\n"


def test_unknown_fields_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem = {"capacities": {}, "candidates": [{"id": "A", "value": 1, "require": ["B"]}], "note": "x"}
    path = write(tmp_path, problem)
    assert run_cli([str(path), "--json", "--time-limit", "5"]) == 0
    err = capsys.readouterr().err
    assert f"pmo select: {path}: warning: ignoring unknown field 'note'" in err
    assert f"pmo select: {path}: warning: candidates[0]: ignoring unknown field 'require'" in err


def test_through_the_pmo_command(tmp_path: Path) -> None:
    path = write(tmp_path, PROBLEM)
    result = subprocess.run(
        [sys.executable, "-m", "pmo", "select", str(path), "--json", "--time-limit", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["selected"] == ["A", "B", "D"]
