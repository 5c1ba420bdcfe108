"""Reader for DSLIB real-project workbooks (the ProTrack Excel export of the OR&S project database).

A workbook (``C20xx-yy <name>.xlsx``) holds, among chart sheets:

* ``Baseline Schedule``: a title row, a header row (``ID``, ``Name``, ``WBS``, ``Baseline Start``,
  ``Baseline End``, ``Duration``, ``Resource Demand``, ``Fixed Cost``, ``Total Cost`` ...), the project
  row (ID 0) and the activities.  Summary rows (a WBS code that prefixes another one, e.g. ``1.2`` over
  ``1.2.1``) repeat their children's costs and are left out of the PV curve.
* ``Resources``: ``Cost/Use`` of each resource and ``Assigned To`` (``"3;14[0.40 Workers];"``: activity
  ids with their units); a per-use cost is incurred when the activity starts, scaled by the units.
* ``Agenda``: working hours (``"8:00 - 9:00"``, ``Yes``/``No``), working days (``Monday`` .. ``Sunday``,
  ``Yes``/``No``) and optional holidays (dates in column G).
* ``Project Control - TP1``, ``TP2`` ...: ``TP Status Date`` in row 1, a header row and, per row, EV
  (``Earned Value (EV)``) and ``Actual Cost``; the project row (ID 0) has the project totals.
* ``Tracking Overview``: ProTrack's own EVM results (used by the benchmark, not read here).

Like ProTrack, the baseline works in whole working hours (``resolution_minutes=60``: ES rounded to the
hour away from the status date, forecast dates rounded to the nearest hour).  The PV curve follows
ProTrack exactly: each activity's ``Fixed Cost`` plus its per-use resource costs are incurred at its
baseline start, the rest of its ``Total Cost`` linearly over its working time (checked against all 1186
tracking periods of the 97 DSLIB workbooks by ``bench/bench_dslib.py``).  A milestone whose baseline end
is the working instant before its start (ProTrack's convention) ends at its start.

Errors raise :class:`~pmo.engine.errors.FileFormatError` naming the file, the sheet and the row.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pmo.engine.calendar import CalendarException, WorkingCalendar
from pmo.engine.errors import EngineError, FileFormatError
from pmo.engine.evm import Baseline, BaselineActivity, StatusPoint

__all__ = ["DslibProject", "DslibTrackingPeriod", "read_dslib"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SLOT_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_ASSIGNED_RE = re.compile(r"^\s*(\d+)\s*(?:\[\s*([0-9.]+)[^\]]*\])?\s*$")


@dataclass(frozen=True)
class DslibTrackingPeriod:
    """One tracking period: its name, status date, cumulative EV and AC, EV per activity id."""

    name: str
    status_date: datetime
    ev: float
    ac: float
    activity_ev: Mapping[str, float] = field(default_factory=dict)

    def status_point(self) -> StatusPoint:
        """This period as an engine :class:`~pmo.engine.evm.StatusPoint` (with EV per activity)."""
        return StatusPoint(self.status_date, self.ev, self.ac, dict(self.activity_ev))


@dataclass(frozen=True)
class DslibProject:
    """A DSLIB workbook: the baseline (PV curve + activities), its calendar and its tracking periods."""

    name: str
    path: str
    calendar: WorkingCalendar
    baseline: Baseline
    periods: tuple[DslibTrackingPeriod, ...]
    baseline_start: datetime
    baseline_finish: datetime
    bac: float

    def status_points(self) -> list[StatusPoint]:
        """Every tracking period as a :class:`~pmo.engine.evm.StatusPoint`."""
        return [p.status_point() for p in self.periods]


class _Sheet:
    """The rows of one sheet as tuples, with 1-based row numbers for error messages."""

    def __init__(self, workbook: Any, title: str, file: str) -> None:
        self.title = title
        self.file = file
        try:
            worksheet = workbook[title]
        except KeyError as exc:
            raise FileFormatError(f"no sheet {title!r}", path=file) from exc
        try:  # read-only mode parses the sheet's XML here: a damaged sheet fails now, not on opening
            self.rows: list[tuple[Any, ...]] = [tuple(r) for r in worksheet.iter_rows(values_only=True)]
        except Exception as exc:  # ParseError, ValueError, IndexError... from openpyxl
            raise FileFormatError(f"sheet {title!r} cannot be read: {exc}", path=file) from None

    def error(self, row: int | None, detail: str) -> FileFormatError:
        where = f"{self.file}, sheet {self.title!r}" + ("" if row is None else f", row {row}")
        return FileFormatError(detail, path=where)

    def header(self, required: Sequence[str]) -> tuple[int, dict[str, int]]:
        """The index of the first row holding every ``required`` name, and the column of each name."""
        for index, row in enumerate(self.rows[:10]):
            names = [str(v).strip() if v is not None else "" for v in row]
            if all(name in names for name in required):
                return index, {name: names.index(name) for name in names if name}
        raise self.error(None, f"no header row with {', '.join(required)}")

    def number(
        self, row: int, values: tuple[Any, ...], column: int, what: str, *, default: float | None = None
    ) -> float:
        value = values[column] if column < len(values) else None
        if value is None or value == "":
            if default is not None:
                return default
            raise self.error(row + 1, f"{what} is empty")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                return float(str(value).replace(",", "."))
            except ValueError:
                raise self.error(row + 1, f"{what}: expected a number, got {value!r}") from None
        return float(value)

    def moment(self, row: int, values: tuple[Any, ...], column: int, what: str) -> datetime:
        value = values[column] if column < len(values) else None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None, second=0, microsecond=0)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        raise self.error(row + 1, f"{what}: expected a date, got {value!r}")


def read_dslib(path: str | Path) -> DslibProject:
    """Read a DSLIB workbook; raises :class:`FileFormatError` naming the file, sheet and row."""
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise FileFormatError("reading .xlsx files needs openpyxl", path=str(path)) from exc
    file = Path(path).name
    with warnings.catch_warnings():  # "Unknown extension is not supported" (chart sheets): harmless
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except FileNotFoundError:
            raise FileFormatError("no such file", path=str(path)) from None
        except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
            raise FileFormatError(f"not a readable .xlsx workbook: {exc}", path=file) from None
        try:
            return _read(workbook, file, str(path))
        finally:
            workbook.close()


def _read(workbook: Any, file: str, path: str) -> DslibProject:
    calendar = _calendar(_Sheet(workbook, "Agenda", file))
    name, start, finish, bac, activities, leaf_ids = _baseline(workbook, file, calendar)
    try:
        baseline = Baseline.from_activities(activities, calendar, bac=bac, start=start, resolution_minutes=60)
    except EngineError as exc:
        raise FileFormatError(f"baseline schedule: {exc}", path=f"{file}, sheet 'Baseline Schedule'") from None
    periods = tuple(_tracking(workbook, file, leaf_ids))
    return DslibProject(name, path, calendar, baseline, periods, start, finish, bac)


def _calendar(sheet: _Sheet) -> WorkingCalendar:
    slots: list[tuple[int, int]] = []
    working_days: dict[str, bool] = {}
    holidays: set[date] = set()
    for index, row in enumerate(sheet.rows[1:], start=1):
        cells = list(row) + [None] * 7
        if isinstance(cells[0], str) and cells[0].strip() and cells[1] is not None:
            match = _SLOT_RE.match(cells[0])
            if not match:
                raise sheet.error(index + 1, f"working hour {cells[0]!r}: expected 'H:MM - H:MM'")
            h0, m0, h1, m1 = (int(g) for g in match.groups())
            lo, hi = h0 * 60 + m0, h1 * 60 + m1
            if hi == 0:
                hi = 1440
            if not 0 <= lo < hi <= 1440:
                raise sheet.error(index + 1, f"working hour {cells[0]!r} is not within one day")
            if _yes(cells[1], sheet, index):
                slots.append((lo, hi))
        if isinstance(cells[3], str) and cells[3].strip():
            day = cells[3].strip().lower()
            if day not in _WEEKDAYS:
                raise sheet.error(index + 1, f"working day {cells[3]!r}: expected Monday .. Sunday")
            working_days[day] = _yes(cells[4], sheet, index)
        if cells[6] is not None and cells[6] != "":
            if isinstance(cells[6], datetime):
                holidays.add(cells[6].date())
            elif isinstance(cells[6], date):
                holidays.add(cells[6])
            else:
                raise sheet.error(index + 1, f"holiday {cells[6]!r}: expected a date")
    slots.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in slots:
        if merged and merged[-1][1] >= lo:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    if not merged:
        raise sheet.error(None, "no working hours ('Yes' in column B)")
    missing = [d for d in _WEEKDAYS if d not in working_days]
    if missing:
        raise sheet.error(None, f"working days: no row for {', '.join(missing)}")
    if not any(working_days.values()):
        raise sheet.error(None, "no working day")
    pattern = tuple(merged)
    week = tuple(pattern if working_days[d] else () for d in _WEEKDAYS)
    return WorkingCalendar(
        name="Agenda",
        week=week,
        exceptions=tuple(CalendarException(d, name="holiday") for d in sorted(holidays)),
        minutes_per_day=sum(hi - lo for lo, hi in merged),
    )


def _yes(value: object, sheet: _Sheet, index: int) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    if text in ("yes", "no"):
        return text == "yes"
    raise sheet.error(index + 1, f"expected Yes or No, got {value!r}")


def _baseline(
    workbook: Any, file: str, calendar: WorkingCalendar
) -> tuple[str, datetime, datetime, float, list[BaselineActivity], set[str]]:
    sheet = _Sheet(workbook, "Baseline Schedule", file)
    head, cols = sheet.header(("ID", "Name", "WBS", "Baseline Start", "Baseline End", "Fixed Cost", "Total Cost"))
    raw: list[tuple[int, tuple[Any, ...]]] = []
    project: tuple[int, tuple[Any, ...]] | None = None
    seen: set[str] = set()
    for index in range(head + 1, len(sheet.rows)):
        row = sheet.rows[index]
        ident = row[cols["ID"]] if cols["ID"] < len(row) else None
        if ident is None or ident == "":
            continue
        key = _id(ident)
        if key == "0" and project is None:
            project = (index, row)
            continue
        if key in seen:
            raise sheet.error(index + 1, f"duplicate activity ID {key}")
        seen.add(key)
        raw.append((index, row))
    if project is None:
        raise sheet.error(None, "no project row (ID 0)")
    p_index, p_row = project
    name = str(p_row[cols["Name"]] or "")
    start = sheet.moment(p_index, p_row, cols["Baseline Start"], "project Baseline Start")
    finish = sheet.moment(p_index, p_row, cols["Baseline End"], "project Baseline End")
    bac = sheet.number(p_index, p_row, cols["Total Cost"], "project Total Cost")
    if not raw:
        raise sheet.error(None, "no activities")
    codes = [str(row[cols["WBS"]] or "").strip() for _, row in raw]
    prefixes = {code[:i] for code in codes for i, ch in enumerate(code) if ch == "."}
    per_use = _per_use_costs(workbook, file)
    activities: list[BaselineActivity] = []
    leaf_ids: set[str] = set()
    for (index, row), code in zip(raw, codes, strict=True):
        if code and code in prefixes:
            continue  # a summary row: its children carry the cost
        ident = _id(row[cols["ID"]])
        a_start = sheet.moment(index, row, cols["Baseline Start"], "Baseline Start")
        a_finish = sheet.moment(index, row, cols["Baseline End"], "Baseline End")
        if a_finish < a_start and calendar.working_minutes_between(a_finish, a_start) == 0:
            a_finish = a_start  # a milestone: ProTrack ends it at the previous working instant
        if a_finish < a_start:
            raise sheet.error(index + 1, f"activity {ident}: Baseline End is before Baseline Start")
        cost = sheet.number(index, row, cols["Total Cost"], "Total Cost", default=0.0)
        fixed = sheet.number(index, row, cols["Fixed Cost"], "Fixed Cost", default=0.0)
        at_start = min(cost, fixed + per_use.get(ident, 0.0))
        if cost < 0 or at_start < 0:
            raise sheet.error(index + 1, f"activity {ident}: negative cost")
        activities.append(BaselineActivity(ident, a_start, a_finish, cost, at_start))
        leaf_ids.add(ident)
    return name, start, finish, bac, activities, leaf_ids


def _id(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _per_use_costs(workbook: Any, file: str) -> dict[str, float]:
    """Per-use resource cost of each activity id (Cost/Use x units, summed over its resources)."""
    if "Resources" not in workbook.sheetnames:
        return {}
    sheet = _Sheet(workbook, "Resources", file)
    head, cols = sheet.header(("ID", "Cost/Use", "Assigned To"))
    costs: dict[str, float] = {}
    for index in range(head + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if cols["ID"] >= len(row) or row[cols["ID"]] is None:
            continue
        per_use = sheet.number(index, row, cols["Cost/Use"], "Cost/Use", default=0.0)
        if not per_use:
            continue
        assigned = row[cols["Assigned To"]] if cols["Assigned To"] < len(row) else None
        for part in str(assigned or "").split(";"):
            if not part.strip():
                continue
            match = _ASSIGNED_RE.match(part)
            if not match:
                raise sheet.error(index + 1, f"Assigned To: cannot read {part.strip()!r}")
            units = float(match.group(2)) if match.group(2) else 1.0
            costs[match.group(1)] = costs.get(match.group(1), 0.0) + per_use * units
    return costs


def _tracking_sheets(workbook: Any) -> Iterator[str]:
    for title in workbook.sheetnames:
        if title.startswith("Project Control") or re.fullmatch(r"TP\s*\d+", title):
            yield title


def _tracking(workbook: Any, file: str, leaf_ids: set[str]) -> Iterator[DslibTrackingPeriod]:
    for title in _tracking_sheets(workbook):
        sheet = _Sheet(workbook, title, file)
        if not sheet.rows or len(sheet.rows[0]) < 6 or str(sheet.rows[0][1]).strip() != "TP Status Date":
            raise sheet.error(1, "expected 'TP Status Date' in column B")
        status = sheet.moment(0, sheet.rows[0], 2, "TP Status Date")
        tp_name = str(sheet.rows[0][5] or title)
        head, cols = sheet.header(("ID", "Actual Cost", "Earned Value (EV)"))
        ev = ac = None
        activity_ev: dict[str, float] = {}
        for index in range(head + 1, len(sheet.rows)):
            row = sheet.rows[index]
            if cols["ID"] >= len(row) or row[cols["ID"]] is None or row[cols["ID"]] == "":
                continue
            ident = _id(row[cols["ID"]])
            if ident == "0" and ev is None:
                ev = sheet.number(index, row, cols["Earned Value (EV)"], "Earned Value (EV)", default=0.0)
                ac = sheet.number(index, row, cols["Actual Cost"], "Actual Cost", default=0.0)
            elif ident in leaf_ids:
                value = sheet.number(index, row, cols["Earned Value (EV)"], "Earned Value (EV)", default=0.0)
                activity_ev[ident] = value
        if ev is None or ac is None:
            raise sheet.error(None, "no project row (ID 0)")
        yield DslibTrackingPeriod(tp_name, status, ev, ac, activity_ev)
