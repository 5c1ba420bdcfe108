"""Fuzzing the expense import (CSV and Excel; the project's cost page and `POST /costs/import`).

Valid files are mutated by hypothesis: lines deleted, duplicated, swapped or truncated, numbers and dates
replaced with junk, cells made huge, other delimiters, encodings and stray bytes; for Excel, cells set to
junk values, rows deleted, and the workbook's own XML inside the zip damaged.  Every import either
succeeds or raises the services' :class:`~pmo.core.errors.DomainError`, and a failed one writes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pmo.control import services
from pmo.control.models import CostEntry
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from tests.control.test_costs import GOOD_CSV
from tests.engine.test_format_fuzzing import encoded, mutated_text, stable_xlsx
from tests.planning.test_import_fuzzing import attempt

FUZZ = settings(
    derandomize=os.environ.get("PMO_FUZZ_RANDOM") is None,
    max_examples=int(os.environ.get("PMO_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)

CELL_JUNK: list[Any] = [
    None,
    "",
    "x",
    -1,
    0,
    0.001,
    1e308,
    float("inf"),
    float("nan"),
    10**30,
    "1e400",
    "inf",
    "NaN",
    "-0",
    "9" * 40,
    "2026-02-30",
    "31/12/9999",
    "\u0663",
    dt.datetime(1900, 1, 1),
    dt.datetime(9999, 12, 31),
    dt.time(8, 0),
    True,
    "travel",
    "x" * 300,
]


@st.composite
def csv_file(draw: st.DrawFn) -> bytes:
    text = draw(mutated_text(GOOD_CSV.decode()))
    if draw(st.booleans()):
        lines = text.splitlines()
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        cell = draw(st.sampled_from([str(c) for c in CELL_JUNK] + ['"unclosed', "a" * 200_000]))
        lines.insert(i, f"2026-01-06,material,{cell},{cell},{cell}")
        text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace(",", draw(st.sampled_from([";", "\t", "|", ",,"])))
    return draw(encoded(text))


@pytest.mark.parametrize(
    "row",
    [
        "2026-01-06,material,10,,1e400",  # the task number overflows float -> int
        "2026-01-06,material,10,,inf",
        "2026-01-06,material,10,," + "a" * 200_000,  # a field beyond the csv module's size limit
        "2026-01-06,material,0.001,,",  # more than 0, but 0.00 once rounded to cents
        "2026-01-06,material,999999999999.999,,",  # under 1e12, but 1e12 (15 digits) once rounded
    ],
)
def test_found_by_fuzzing_bad_cells_are_named(roles: Any, measured: Any, row: str) -> None:
    content = ("date,category,amount,description,task\n" + row + "\n").encode()
    with pytest.raises(ValidationFailed):
        services.cost_entries_import(
            actor=roles[Role.PROJECT_MANAGER], project=measured["p1"], filename="c.csv", content=content
        )
    assert not CostEntry.objects.exists()


def sensible(created: list[CostEntry]) -> None:
    """What a successful import wrote: amounts in cents within the column's range, known categories."""
    assert created
    for entry in CostEntry.objects.filter(pk__in=[e.pk for e in created]):
        assert Decimal("0.01") <= entry.amount < Decimal("1e12") and entry.amount == entry.amount.quantize(
            Decimal("0.01")
        )
        assert entry.category in ("material", "services", "travel", "other")
        assert len(entry.description) <= 255


@FUZZ
@given(content=csv_file())
def test_mutated_csv_imports_or_changes_nothing(roles: Any, measured: Any, content: bytes) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    attempt(
        lambda: services.cost_entries_import(actor=pm, project=measured["p1"], filename="c.csv", content=content),
        sensible,
    )


def good_workbook() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Category", "Amount", "Description", "Task"])
    sheet.append([dt.datetime(2026, 1, 9), "other", 250.25, "Licences", 2])
    sheet.append(["2026-01-10", "travel", "1,300.00", "Trip", None])
    sheet.append([dt.date(2026, 1, 11), "services", 99, None, 3])
    return book


@st.composite
def xlsx_file(draw: st.DrawFn) -> bytes:
    book = good_workbook()
    sheet = book.active
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "delete_row", "insert_row", "sheet"]))
        row = draw(st.integers(1, 5))
        if op == "cell":
            sheet.cell(row=row, column=draw(st.integers(1, 6))).value = draw(st.sampled_from(CELL_JUNK))
        elif op == "delete_row":
            sheet.delete_rows(row)
        elif op == "insert_row":
            sheet.insert_rows(row)
        else:
            book.create_sheet("Other", index=0)
    buffer = io.BytesIO()
    book.save(buffer)
    data = stable_xlsx(buffer.getvalue())
    damage = draw(st.sampled_from(["none", "none", "sheet_xml", "truncate"]))
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "sheet_xml":
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        target_name = draw(st.sampled_from([n for n in source.namelist() if n.endswith(".xml")]))
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                body = source.read(name)
                if name == target_name:
                    body = draw(mutated_text(body.decode())).encode()
                target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), body)
        data = out.getvalue()
    return data


def test_found_by_fuzzing_a_damaged_sheet_is_named(roles: Any, measured: Any) -> None:
    """The workbook opens (read-only mode reads the sheet's XML lazily) but the sheet's XML is cut short:
    the ParseError came out of the row iteration."""
    buffer = io.BytesIO()
    good_workbook().save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, body[: len(body) // 2] if name == "xl/worksheets/sheet1.xml" else body)
    with pytest.raises(ValidationFailed) as error:
        services.cost_entries_import(
            actor=roles[Role.PROJECT_MANAGER], project=measured["p1"], filename="c.xlsx", content=out.getvalue()
        )
    assert error.value.fields["file"][0].startswith("Not a readable Excel workbook: ")
    assert not CostEntry.objects.exists()


@FUZZ
@given(content=xlsx_file())
def test_mutated_excel_imports_or_changes_nothing(roles: Any, measured: Any, content: bytes) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    attempt(lambda: services.cost_entries_import(actor=pm, project=measured["p1"], filename="c.xlsx", content=content))
