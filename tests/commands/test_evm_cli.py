"""`pmo evm`: the JSON contract, the table, DSLIB workbooks and bad input (exit 2, never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pmo.cli import main

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dslib_real_projects"
AGNES = DATA / "Excel" / "C2011-05 Telecom System Agnes.xlsx"

# 5 weeks of 5 working days from Monday 6 January 2025; cumulative PV at the end of each week.
PROJECT: dict[str, Any] = {
    "bac": 1000,
    "baseline": [
        {"date": "2025-01-06", "pv": 0},
        {"date": "2025-01-10", "pv": 100},
        {"date": "2025-01-17", "pv": 300},
        {"date": "2025-01-24", "pv": 600},
        {"date": "2025-01-31", "pv": 800},
        {"date": "2025-02-07", "pv": 1000},
    ],
    "status": [{"date": "2025-01-24", "ev": 450, "ac": 500}],
}


def write(tmp_path: Path, document: object, name: str = "project.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def run_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["evm", str(path), "--json", *extra]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(write(tmp_path, PROJECT), capsys)
    assert list(out) == ["bac", "periods"]
    assert out["bac"] == 1000.0
    (period,) = out["periods"]
    assert list(period) == [
        "status_date", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "es", "spi_t", "sv_t_days",
        "eac_cost", "eac_time", "forecast",
    ]  # fmt: skip
    # worked by hand: ES = 2 + (450 - 300) / (600 - 300) weeks = 12.5 days; AT = 15 days
    assert period["status_date"] == "2025-01-24"
    assert (period["pv"], period["ev"], period["ac"], period["sv"], period["cv"]) == (600, 450, 500, -150, -50)
    assert (period["spi"], period["cpi"]) == (0.75, 0.9)
    assert period["es"] == "2025-01-22T12:00:00"
    assert period["spi_t"] == pytest.approx(12.5 / 15, abs=1e-15)
    assert period["sv_t_days"] == -2.5
    assert period["eac_cost"]["pf1"] == 1050
    assert period["eac_cost"]["cpi"] == pytest.approx(1000 / 0.9, abs=1e-9)
    assert period["eac_cost"]["cpi_spi"] == pytest.approx(500 + 550 / 0.675, abs=1e-9)
    assert period["eac_time"] == {
        "pv_pf1": "2025-02-13T15:00:00",  # 28.75 days
        "ed_pf1": "2025-02-13T15:00:00",  # 28.75 days
        "es_pf1": "2025-02-12T12:00:00",  # 27.5 days
        "es_spi_t": "2025-02-14T17:00:00",  # 30 days
    }
    forecast = period["forecast"]
    assert list(forecast) == ["finish", "cost", "finish_range", "cost_range"]
    assert forecast["finish"] == "2025-02-12T12:00:00"
    assert forecast["cost"] == pytest.approx((1050 + 1000 / 0.9) / 2, abs=1e-9)
    assert forecast["finish_range"] == ["2025-02-12T12:00:00", "2025-02-14T17:00:00"]
    assert forecast["cost_range"] == [1050, pytest.approx(500 + 550 / 0.675, abs=1e-9)]


def test_zero_denominators_are_null_and_calendar_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {
        "calendar": {
            "working_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
            "hours": [["09:00", "17:00"]],
            "holidays": ["2025-01-08"],
        },
        "baseline": [{"date": "2025-01-06T09:00", "pv": 0}, {"date": "2025-01-11T17:00", "pv": 500}],
        "status": [{"date": "2025-01-06T09:00", "ev": 0, "ac": 0}, {"date": "2025-01-07", "ev": 100, "ac": 0}],
    }
    out = run_json(write(tmp_path, document), capsys)
    assert out["bac"] == 500.0
    first, second = out["periods"]
    assert (first["spi"], first["cpi"], first["spi_t"]) == (None, None, None)  # PV = 0, AC = 0, AT = 0
    assert first["eac_cost"]["cpi"] is None and first["eac_time"]["es_spi_t"] is None
    # 5 working days (Saturday works, Wednesday is a holiday); end of Tuesday = 2 days: PV 200
    assert (second["pv"], second["spi"], second["cpi"]) == (200.0, 0.5, None)
    assert second["es"] == "2025-01-06T17:00:00"
    assert second["eac_time"]["es_pf1"] == "2025-01-13T17:00:00"  # AT 2 + PD 5 - ES 1 = 6 days


def test_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evm", str(write(tmp_path, PROJECT))]) == 0
    out = capsys.readouterr().out
    assert "BAC 1,000" in out and "PD 25.00 working days" in out
    row = next(line for line in out.splitlines() if line.startswith("2025-01-24"))
    assert "0.750" in row and "0.900" in row and "2025-01-22 12:00" in row and "2025-02-12" in row


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[1, 2", "line 1, column 6: not valid JSON"),
        ([], "expected a JSON object"),
        ({"status": []}, "missing field 'baseline'"),
        ({**PROJECT, "baseline": []}, "baseline: expected a non-empty list"),
        ({**PROJECT, "bac": "lots"}, 'bac: expected a number, got "lots"'),
        ({**PROJECT, "bac": 0}, "bac: must be > 0"),
        ({**PROJECT, "baseline": [{"date": "2025-01-06", "pv": 0}, {"date": "2025-01-10"}]},
         "baseline[1]: missing field 'pv'"),
        ({**PROJECT, "baseline": [{"date": "2025-01-06", "pv": 10}, {"date": "2025-01-10", "pv": 5}]},
         "baseline[1].pv: below baseline[0].pv"),
        ({**PROJECT, "baseline": [{"date": "2025-01-10", "pv": 0}, {"date": "2025-01-06", "pv": 5}]},
         "baseline[1].date: before baseline[0].date"),
        ({**PROJECT, "baseline": [{"date": "6 Jan", "pv": 0}]}, 'baseline[0].date: not an ISO date or date-time'),
        ({**PROJECT, "status": [{"date": "2025-01-24", "ev": True, "ac": 1}]}, "status[0].ev: expected a number"),
        ({**PROJECT, "status": [{"date": "2025-01-24", "ev": 1, "ac": -1}]}, "status[0].ac: must be >= 0"),
        ({**PROJECT, "status": {"date": "2025-01-24"}}, "status: expected a list"),
        ({**PROJECT, "calendar": {"working_days": ["someday"]}}, 'calendar.working_days[0]: expected mon .. sun'),
        ({**PROJECT, "calendar": {"hours": [["8", "12:00"]]}}, 'calendar.hours[0][0]: expected a time HH:MM'),
        ({**PROJECT, "calendar": {"hours": [["13:00", "12:00"]]}}, "calendar.hours[0]: the end must be after"),
        ({**PROJECT, "calendar": {"holidays": ["Christmas"]}}, "calendar.holidays[0]: expected an ISO date"),
    ],
)  # fmt: skip
def test_bad_json_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object, message: str
) -> None:
    path = write(tmp_path, document)
    assert main(["evm", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"pmo evm: {path}")
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_unknown_fields_warn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(write(tmp_path, {**PROJECT, "owner": "me"}), capsys)
    assert len(out["periods"]) == 1
    assert main(["evm", str(write(tmp_path, {**PROJECT, "owner": "me"}, "p2.json"))]) == 0
    assert "warning: ignoring unknown field 'owner'" in capsys.readouterr().err


def test_format_from_extension_and_missing_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evm", str(tmp_path / "nothing.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    odd = write(tmp_path, PROJECT, "project.txt")
    assert main(["evm", str(odd)]) == 2
    assert "use --format json|dslib" in capsys.readouterr().err
    assert main(["evm", str(odd), "--format", "json", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["bac"] == 1000.0
    fake = write(tmp_path, "not a workbook", "fake.xlsx")
    assert main(["evm", str(fake)]) == 2
    err = capsys.readouterr().err
    assert "fake.xlsx: not a readable .xlsx workbook" in err and "Traceback" not in err


def test_dslib_workbook_from_a_synthetic_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.engine.test_dslib import make_workbook

    out = run_json(make_workbook(tmp_path / "mini.xlsx"), capsys)
    assert out["bac"] == 2400.0
    assert [p["status_date"] for p in out["periods"]] == ["2025-01-06T17:00:00", "2025-01-08T17:00:00"]
    assert out["periods"][0]["pv"] == 1100.0 and out["periods"][0]["es"] == "2025-01-06T12:00:00"
    bad = make_workbook(tmp_path / "bad.xlsx", bad_cost="lots")
    assert main(["evm", str(bad), "--format", "dslib"]) == 2
    assert "bad.xlsx, sheet 'Baseline Schedule', row 5: Total Cost" in capsys.readouterr().err


@pytest.mark.skipif(not AGNES.is_file(), reason=f"DSLIB data not present at {DATA}")
def test_real_dslib_workbook(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(AGNES, capsys)
    assert out["bac"] == pytest.approx(180485.270056152, abs=1e-6)
    tp3 = out["periods"][2]
    assert tp3["status_date"] == "2011-06-27T17:00:00"
    assert tp3["es"] == "2011-06-22T11:00:00" and tp3["spi_t"] == 0.875 and tp3["sv_t_days"] == -3.625
    assert tp3["eac_time"]["es_pf1"] == "2011-07-21T14:00:00"
    assert tp3["eac_time"]["es_spi_t"] == "2011-07-26T09:00:00"
    assert tp3["eac_time"]["pv_pf1"] == "2011-07-21T11:00:00"
    assert tp3["eac_time"]["ed_pf1"] == "2011-07-20T16:00:00"
