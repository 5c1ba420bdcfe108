"""Fuzzing the JSON inputs of the command-line contracts (`pmo select`, `pmo evm`, `pmo risk simulate`).

Each command's documented example input is mutated by hypothesis (values replaced with junk such as
null, negative, huge, NaN, strings, lists; keys dropped or renamed; list items duplicated; the text
truncated or re-encoded).  Whatever the file holds, the command answers with its exit code (0 done,
1 no solution, 2 bad input with a message) and never with a traceback.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo.cli import main
from tests.commands.test_evm_cli import PROJECT
from tests.commands.test_risk_command import UNCERTAIN
from tests.commands.test_select_cli import PROBLEM
from tests.engine.test_format_fuzzing import encoded, mutated_json, mutated_text

FUZZ = settings(
    derandomize=os.environ.get("PMO_FUZZ_RANDOM") is None,
    max_examples=int(os.environ.get("PMO_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

COMMANDS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "select": (PROBLEM, ["select", "{file}", "--json", "--time-limit", "2"]),
    "evm": (PROJECT, ["evm", "{file}", "--json"]),
    "risk": (UNCERTAIN, ["risk", "simulate", "{file}", "--json", "--iterations", "50"]),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@FUZZ
@given(data=st.data())
def test_mutated_json_exits_with_a_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, data: st.DataObject
) -> None:
    seed, argv = COMMANDS[command]
    text = json.dumps(data.draw(mutated_json(seed), label="document"))
    if data.draw(st.booleans(), label="damage the text"):
        text = data.draw(mutated_text(text), label="text")
    path = tmp_path / "input.json"
    path.write_bytes(data.draw(encoded(text), label="bytes"))
    code = main([arg.replace("{file}", str(path)) for arg in argv])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        assert err.strip()


def test_found_by_fuzzing_a_tiny_performance_index_gives_no_date_beyond_9999(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """EV 1.5 of a BAC of 1 000 after three weeks: PD / (SPI x CPI) is some 26 million working days, past
    the year 9999; the EVM engine raised OverflowError (a traceback) instead of leaving that forecast
    undated like the other undefined ones."""
    document = {**PROJECT, "status": [{"date": "2025-01-24", "ev": 1.5, "ac": 500}]}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(document))
    assert main(["evm", str(path), "--json"]) == 0
    [period] = json.loads(capsys.readouterr().out)["periods"]
    assert (period["spi"], period["cpi"]) == (0.0025, 0.003)
    assert period["eac_time"] == {
        "pv_pf1": "2025-02-28T16:42:00",
        "ed_pf1": "2025-02-28T16:42:00",
        "es_pf1": "2025-02-28T16:24:00",
        "es_spi_t": "2044-03-04T17:00:00",
    }
