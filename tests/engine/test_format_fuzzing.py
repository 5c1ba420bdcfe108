"""Fuzzing the engine's file readers (no database).

Each reader gets a small valid file, mutated by hypothesis: truncated, lines or XML elements deleted,
duplicated, swapped or moved, numbers and dates replaced with junk (negative, huge, not finite, other
scripts' digits, impossible dates), odd encodings and stray bytes.  Whatever comes in, the reader either
returns its result or raises the engine's own error family (:class:`~pmo.engine.errors.EngineError`,
which every reader documents as ``FileFormatError``); no ``KeyError``, ``OverflowError`` or lxml error
leaks out.  The runs are derandomised, so CI sees the same examples every time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pmo.engine.calendar import CalendarException, WorkingCalendar
from pmo.engine.errors import EngineError
from pmo.engine.formats.mknap import read_mknap
from pmo.engine.formats.mspdi import read_mspdi, write_mspdi
from pmo.engine.formats.neutral import read_neutral
from pmo.engine.formats.psplib import read_psplib
from pmo.engine.plan import PlanAssignment, PlanBaseline, PlanDependency, PlanResource, PlanTask, ProjectPlan
from pmo.engine.schedule import Constraint, ConstraintType, DependencyType
from tests.engine.test_mknap import SMALL as MKNAP_SMALL
from tests.engine.test_psplib import TINY as PSPLIB_TINY

FUZZ = settings(
    derandomize=os.environ.get("PMO_FUZZ_RANDOM") is None,
    max_examples=int(os.environ.get("PMO_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

# Values that readers meet in damaged or hostile files, in place of a number, a date or a duration.
JUNK = [
    "",
    " ",
    "-1",
    "0",
    "-0",
    "1.5",
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "NaN",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "2147483648",
    "x",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: str.isdigit() is True, int() accepts it
    "\uff12",  # FULLWIDTH DIGIT TWO
    "\u00b2",  # SUPERSCRIPT TWO: isdigit() True, int() refuses it
    "é",
    "\x00",
    "2025-02-30T08:00:00",
    "2025-13-01T08:00:00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00",
    "2025-01-06",
    "25:00:00",
    "PT-8H0M0S",
    "PT99999999999H0M0S",
    "P9999999999999DT0H0M0S",
    "PT8H0M0S",
    "1",
    "2",
    "7",
]

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def check(read: Callable[[], object]) -> None:
    """Run a reader: a result or an EngineError are both fine; anything else fails the test."""
    with contextlib.suppress(EngineError):
        read()


# --- generic text mutations -----------------------------------------------------------------------


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str:
    """`text` after one to four line- or token-level mutations."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "delete", "duplicate", "swap", "number", "insert", "shuffle"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "truncate":
            flat = "\n".join(lines)
            flat = flat[: draw(st.integers(0, len(flat)))]
            lines = flat.splitlines()
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "shuffle":
            lines = draw(st.permutations(lines))
        elif op == "number":
            matches = list(NUMBER.finditer(lines[i]))
            if matches:
                m = matches[draw(st.integers(0, len(matches) - 1))]
                junk = draw(st.sampled_from(JUNK))
                lines[i] = lines[i][: m.start()] + junk + lines[i][m.end() :]
        else:
            lines.insert(i, draw(st.text(max_size=30)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """The text in a plausible or wrong encoding, sometimes with stray bytes."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


# --- PSPLIB .sm -----------------------------------------------------------------------------------


def test_psplib_seed_file_reads(tmp_path: Path) -> None:
    assert len(read_psplib(PSPLIB_TINY).tasks) == 4


@FUZZ
@given(data=st.data())
def test_psplib_mutations_raise_only_engine_errors(tmp_path: Path, data: st.DataObject) -> None:
    text = data.draw(mutated_text(PSPLIB_TINY))
    content = data.draw(encoded(text))
    path = tmp_path / "fuzz.sm"
    path.write_bytes(content)
    check(lambda: read_psplib(path))
    if "\n" in text:
        check(lambda: read_psplib(text, name="fuzz.sm"))


# --- OR-Library mknap -----------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_mknap_mutations_raise_only_engine_errors(tmp_path: Path, data: st.DataObject) -> None:
    content = data.draw(encoded(data.draw(mutated_text(MKNAP_SMALL))))
    path = tmp_path / "fuzz.txt"
    path.write_bytes(content)
    check(lambda: read_mknap(path))


# --- neutral JSON ---------------------------------------------------------------------------------

NEUTRAL: dict[str, Any] = {
    "resources": [{"id": "crane", "capacity": 1}, {"id": "crew", "capacity": 3}],
    "projects": [{"id": "P", "release": 2}, {"id": "Q"}],
    "tasks": [
        {"id": "A", "project": "P", "duration": 3, "demands": {"crane": 1}},
        {"id": "B", "project": "P", "duration": 2, "demands": {"crew": 2}, "predecessors": [{"task": "A", "lag": 1}]},
        {"id": "C", "project": "Q", "duration": 4, "predecessors": ["A", {"task": "B", "type": "SS"}]},
    ],
}

JSON_JUNK: list[Any] = [
    None,
    True,
    -1,
    0,
    1.5,
    10**30,
    -(10**30),
    float("nan"),
    float("inf"),
    "",
    "x",
    "3",
    [],
    {},
    ["A"],
    {"task": "Z"},
]


@st.composite
def mutated_json(draw: st.DrawFn, doc: Any) -> Any:
    """A deep copy of `doc` with one to three values replaced, keys dropped or list items duplicated."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 3))):
        slots: list[tuple[Any, Any]] = []

        def walk(node: Any, slots: list[tuple[Any, Any]] = slots) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    slots.append((node, key))
                    walk(value)
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    slots.append((node, index))
                    walk(value)

        walk(doc)
        if not slots:
            break
        parent, key = draw(st.sampled_from(slots))
        op = draw(st.sampled_from(["replace", "drop", "duplicate", "rename"]))
        if op == "replace":
            parent[key] = json.loads(json.dumps(draw(st.sampled_from(JSON_JUNK))))
        elif op == "drop":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "task", "zzz", "duration", ""]))] = parent.pop(key)
    return doc


@FUZZ
@given(data=st.data())
def test_neutral_json_mutations_raise_only_engine_errors(tmp_path: Path, data: st.DataObject) -> None:
    doc = data.draw(mutated_json(NEUTRAL))
    check(lambda: read_neutral(doc if isinstance(doc, dict) else {"tasks": doc}))
    text = json.dumps(doc)  # NaN and Infinity as JSON extensions, as Python writes them
    text = data.draw(mutated_text(text)) if data.draw(st.booleans()) else text
    path = tmp_path / "fuzz.json"
    path.write_bytes(data.draw(encoded(text)))
    check(lambda: read_neutral(path))


# --- MSPDI (Microsoft Project XML) ----------------------------------------------------------------


def seed_plan() -> ProjectPlan:
    """A small plan touching every part of the MSPDI writer: calendars with exceptions, an outline,
    constraints, progress, links with lags, resources, assignments and a baseline."""
    mon = datetime(2025, 1, 6, 8)
    calendar = WorkingCalendar.standard()
    calendar = WorkingCalendar(
        week=calendar.week,
        minutes_per_day=calendar.minutes_per_day,
        exceptions=(CalendarException(datetime(2025, 1, 8).date(), name="holiday"),),
    )
    tasks = (
        PlanTask(uid="1", name="Phase", wbs="1", outline_level=1, duration_minutes=1440, is_summary=True),
        PlanTask(
            uid="2",
            name="Design",
            wbs="1.1",
            outline_level=2,
            parent_uid="1",
            duration_minutes=960,
            start=mon,
            finish=datetime(2025, 1, 7, 17),
            actual_start=mon,
            percent_complete=50.0,
            remaining_minutes=480,
            notes="first",
        ),
        PlanTask(
            uid="3",
            name="Build",
            wbs="1.2",
            outline_level=2,
            parent_uid="1",
            duration_minutes=480,
            constraint=Constraint(ConstraintType.SNET, datetime(2025, 1, 9, 8)),
        ),
        PlanTask(uid="4", name="Done", wbs="2", outline_level=1, duration_minutes=0, is_milestone=True),
    )
    return ProjectPlan(
        name="Fuzz",
        start=mon,
        status_date=datetime(2025, 1, 7, 17),
        calendar=calendar,
        tasks=tasks,
        dependencies=(
            PlanDependency("2", "3", DependencyType.FS, 60),
            PlanDependency("3", "4", DependencyType.SS, 0),
        ),
        resources=(PlanResource(uid="1", name="Ada", max_units=1.0, standard_rate=50.0),),
        assignments=(PlanAssignment(task_uid="2", resource_uid="1", units=1.0, work_minutes=960),),
        baselines=(
            PlanBaseline(task_uid="2", number=0, start=mon, finish=datetime(2025, 1, 7, 17), duration_minutes=960),
        ),
    )


SEED_MSPDI = write_mspdi(seed_plan())


def test_mspdi_seed_file_reads() -> None:
    plan = read_mspdi(SEED_MSPDI)
    assert [t.name for t in plan.tasks] == ["Phase", "Design", "Build", "Done"]
    assert len(plan.dependencies) == 2 and len(plan.assignments) == 1


@st.composite
def mutated_xml(draw: st.DrawFn, content: bytes) -> bytes:
    """The document after one to four element-level mutations, then sometimes a byte-level one."""
    root = etree.fromstring(content)
    for _ in range(draw(st.integers(1, 4))):
        elements = [el for el in root.iter() if el is not root and isinstance(el.tag, str)]
        if not elements:
            break
        el = draw(st.sampled_from(elements))
        parent = el.getparent()
        op = draw(st.sampled_from(["delete", "duplicate", "text", "text", "text", "shuffle", "move"]))
        if op == "delete":
            parent.remove(el)
        elif op == "duplicate":
            parent.insert(parent.index(el), etree.fromstring(etree.tostring(el)))
        elif op == "text" and len(el) == 0:
            el.text = draw(st.sampled_from([j for j in JUNK if j != "\x00"]))
        elif op == "shuffle" and len(el):
            children = draw(st.permutations(list(el)))
            for child in list(el):
                el.remove(child)
            el.extend(children)
        elif op == "move":
            target = draw(st.sampled_from(elements))
            if el is not target and not any(a is el for a in target.iterancestors()):
                parent.remove(el)
                target.append(el)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    byte_op = draw(st.sampled_from(["none", "none", "truncate", "insert", "utf-16"]))
    if byte_op == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif byte_op == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif byte_op == "utf-16":
        data = data.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return data


@FUZZ
@given(data=st.data())
def test_mspdi_mutations_raise_only_engine_errors(data: st.DataObject) -> None:
    content = data.draw(mutated_xml(SEED_MSPDI), label="document")
    check(lambda: read_mspdi(content, name="fuzz.xml"))


# --- DSLIB workbooks (Excel) ----------------------------------------------------------------------


def stable_xlsx(data: bytes) -> bytes:
    """An .xlsx without the save time openpyxl writes (in docProps/core.xml and in the zip entries), so that
    the same example gives the same bytes on every run (hypothesis replays examples and checks this)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = source.read(name)
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, body)
    return out.getvalue()


def damage_inner_xml(data: st.DataObject, raw: bytes) -> bytes:
    """The workbook with one of its XML parts (a sheet, the shared strings, the workbook...) mutated as text."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    part = data.draw(st.sampled_from(sorted(n for n in source.namelist() if n.endswith(".xml"))), label="part")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == part:
                body = data.draw(mutated_text(body.decode()), label="xml").encode()
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), body)
    return out.getvalue()


@pytest.fixture(scope="module")
def dslib_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.engine.test_dslib import make_workbook

    return make_workbook(tmp_path_factory.mktemp("dslib") / "seed.xlsx")


def test_found_by_fuzzing_a_damaged_dslib_sheet_is_a_file_format_error(dslib_seed: Path, tmp_path: Path) -> None:
    """Read-only openpyxl parses a sheet's XML while its rows are read: a cut-short sheet raised ParseError."""
    from pmo.engine.errors import FileFormatError
    from pmo.engine.formats.dslib import read_dslib

    source = zipfile.ZipFile(dslib_seed)
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, body[: len(body) // 2] if name == "xl/worksheets/sheet1.xml" else body)
    with pytest.raises(FileFormatError, match=r"^cut\.xlsx: sheet 'Baseline Schedule' cannot be read: "):
        read_dslib(path)


CELL_JUNK: list[Any] = [None, "", "x", -1, 0, 1e308, float("nan"), 10**20, "2025-02-30", datetime(1900, 1, 1), "Yes"]


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples * 2 // 5))
@given(data=st.data())
def test_dslib_mutations_raise_only_engine_errors(tmp_path: Path, dslib_seed: Path, data: st.DataObject) -> None:
    import openpyxl

    from pmo.engine.formats.dslib import read_dslib

    wb = openpyxl.load_workbook(dslib_seed)
    for _ in range(data.draw(st.integers(1, 4))):
        ws = wb[data.draw(st.sampled_from(wb.sheetnames))]
        op = data.draw(st.sampled_from(["cell", "cell", "cell", "delete_row", "insert_row", "drop_sheet"]))
        row = data.draw(st.integers(1, max(1, ws.max_row)))
        if op == "cell":
            ws.cell(row=row, column=data.draw(st.integers(1, max(1, ws.max_column)))).value = data.draw(
                st.sampled_from(CELL_JUNK)
            )
        elif op == "delete_row":
            ws.delete_rows(row)
        elif op == "insert_row":
            ws.insert_rows(row)
        elif len(wb.sheetnames) > 1:
            wb.remove(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    raw = stable_xlsx(buffer.getvalue())
    damage = data.draw(st.sampled_from(["none", "none", "truncate", "inner_xml"]), label="damage")
    if damage == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif damage == "inner_xml":
        raw = damage_inner_xml(data, raw)
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(raw)
    check(lambda: read_dslib(path))


# --- MPXJ (.xer, and MSPDI read by MPXJ) ----------------------------------------------------------

XER_SEED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "project_file_samples"
XER_SEED = XER_SEED / "mpxj_junit_data" / "PredecessorCalendar.xer"


def _needs_mpxj() -> None:
    from pmo.engine.formats.mpxj_reader import mpxj_unavailable_reason

    reason = mpxj_unavailable_reason()
    if reason is not None:
        pytest.skip(f"MPXJ unavailable: {reason}")


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 5))
@given(data=st.data())
def test_mpxj_mspdi_mutations_raise_only_engine_errors(tmp_path: Path, data: st.DataObject) -> None:
    _needs_mpxj()
    from pmo.engine.formats.mpxj_reader import read_with_mpxj

    path = tmp_path / "fuzz.xml"
    path.write_bytes(data.draw(mutated_xml(SEED_MSPDI), label="document"))
    check(lambda: read_with_mpxj(path))


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 5))
@given(data=st.data())
def test_mpxj_xer_mutations_raise_only_engine_errors(tmp_path: Path, data: st.DataObject) -> None:
    _needs_mpxj()
    if not XER_SEED.is_file():
        pytest.skip(f"{XER_SEED.name} not found (shared data set absent)")
    from pmo.engine.formats.mpxj_reader import read_with_mpxj

    path = tmp_path / "fuzz.xer"
    text = XER_SEED.read_bytes().decode("latin-1")
    path.write_bytes(data.draw(encoded(data.draw(mutated_text(text), label="text")), label="bytes"))
    check(lambda: read_with_mpxj(path))
