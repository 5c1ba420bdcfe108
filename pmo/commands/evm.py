"""`pmo evm FILE`: earned value, earned schedule and forecasts of a project, per status date.

Usage::

    pmo evm FILE [--format json|dslib] [--json]

The format is guessed from the extension (``.json``, ``.xlsx``) unless ``--format`` is given.

``--format json``: one JSON object::

    {"bac": number,                                  (optional: the last baseline PV by default)
     "calendar": {"working_days": ["mon", ...],      (optional, all keys optional: Monday-Friday,
                  "hours": [["08:00", "12:00"], ...], 08:00-12:00 and 13:00-17:00, no holidays)
                  "holidays": ["2025-12-25", ...]},
     "baseline": [{"date": ISO, "pv": number}],      (cumulative, time-phased; the first is the start)
     "status": [{"date": ISO, "ev": number, "ac": number}]}

Dates are ISO 8601 (``2025-01-31`` or ``2025-01-31T17:00``; a time-zone offset is dropped, times are
the project's wall-clock).  A date without a time means the end of that day, except for the first
baseline point, which is the start of the baseline and means the start of its day.

``--format dslib``: a workbook of the DSLIB real-project database (baseline schedule, ``Agenda``
calendar, tracking periods); see :mod:`pmo.engine.formats.dslib`.

``--json`` prints::

    {"bac": number,
     "periods": [{"status_date": ISO, "pv", "ev", "ac", "sv", "cv", "spi", "cpi",
                  "es": ISO datetime, "spi_t", "sv_t_days",
                  "eac_cost": {"pf1", "cpi", "cpi_spi"},
                  "eac_time": {"pv_pf1", "ed_pf1", "es_pf1", "es_spi_t"},      (ISO datetimes)
                  "forecast": {"finish": ISO datetime, "cost": number,
                               "finish_range": [ISO, ISO], "cost_range": [number, number]}}]}

A figure that divides by zero (SPI with PV = 0, CPI with AC = 0, ...) is ``null``.  Without ``--json``
a table with one row per status date is printed.  The forecast is the recommended one of
:mod:`pmo.engine.evm` without a reference class (none is passed on the command line).

Exit codes: 0 done; 2 unreadable or invalid input (the message names the field, or the sheet and row).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pmo.commands.jsonfile import InputError, UnreadableFile, read_json

_PROG = "pmo evm"
_TOP_LEVEL_FIELDS = ("bac", "calendar", "baseline", "status")
_CALENDAR_FIELDS = ("working_days", "hours", "holidays")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOUR_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def add_parser(subparsers: Any) -> None:
    """Register the ``evm`` subcommand on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "evm",
        help="earned value, earned schedule and forecasts of a project per status date",
        description=(
            "Compute PV, EV, AC, SPI, CPI, earned schedule, SPI(t), cost and time forecasts and the "
            "recommended forecast of a project for each status date, from a JSON file or a DSLIB workbook."
        ),
    )
    parser.add_argument("file", help="the project: a JSON file or a DSLIB .xlsx workbook")
    parser.add_argument("--format", choices=("json", "dslib"), help="input format (default: from the extension)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"{_PROG}: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``pmo evm`` for parsed arguments; returns the exit code."""
    from pmo.engine.errors import EngineError
    from pmo.engine.evm import analyse

    path = Path(args.file)
    fmt = args.format
    if fmt is None:
        suffix = path.suffix.lower()
        if suffix == ".json":
            fmt = "json"
        elif suffix in (".xlsx", ".xlsm"):
            fmt = "dslib"
        else:
            return _fail(f"{path}: cannot tell the format from the extension {suffix!r}; use --format json|dslib")
    if not path.is_file():
        return _fail(f"{path}: no such file")
    labels: list[str]
    warnings: list[str] = []
    try:
        if fmt == "dslib":
            from pmo.engine.formats.dslib import read_dslib

            project = read_dslib(path)
            baseline = project.baseline
            status = project.status_points()
            labels = [p.status_date.isoformat() for p in project.periods]
        else:
            baseline, status, labels, warnings = problem_from_json(read_json(path))
        for warning in warnings:
            print(f"{_PROG}: {path}: warning: {warning}", file=sys.stderr)
        periods = analyse(baseline, status)
    except UnreadableFile as error:
        return _fail(str(error))
    except InputError as error:
        return _fail(f"{path}: {error}")
    except EngineError as error:
        # FileFormatError already names the file (and sheet and row)
        text = str(error)
        return _fail(text if text.startswith(path.name) or text.startswith(str(path)) else f"{path}: {text}")

    if args.json:
        out = {
            "bac": baseline.budget,
            "periods": [_period_json(m, label) for m, label in zip(periods, labels, strict=True)],
        }
        print(json.dumps(out))
    else:
        print(table(path, baseline, periods, labels))
    return 0


# ------------------------------------------------------------------------------------------- JSON input


def problem_from_json(document: object) -> tuple[Any, list[Any], list[str], list[str]]:
    """The baseline, status points, status labels and warnings of a decoded JSON document.

    Raises :class:`InputError` naming the field (``status[2].ev``) when the shape is wrong.
    """
    from pmo.engine.evm import Baseline, PlannedValuePoint, StatusPoint

    warnings: list[str] = []
    if not isinstance(document, dict):
        raise InputError("expected a JSON object with baseline and status")
    warnings += [f"ignoring unknown field {key!r}" for key in document if key not in _TOP_LEVEL_FIELDS]
    for key in ("baseline", "status"):
        if key not in document:
            raise InputError(f"missing field {key!r}")
    calendar = _calendar(document.get("calendar"), warnings)
    bac = None
    if document.get("bac") is not None:
        bac = _number(document["bac"], "bac")
        if bac <= 0:
            raise InputError(f"bac: must be > 0, got {_show(document['bac'])}")
    raw_baseline = document["baseline"]
    if not isinstance(raw_baseline, list) or not raw_baseline:
        raise InputError("baseline: expected a non-empty list of {date, pv} objects")
    points = []
    for i, raw in enumerate(raw_baseline):
        where = f"baseline[{i}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected an object with date and pv")
        warnings += [f"{where}: ignoring unknown field {key!r}" for key in raw if key not in ("date", "pv")]
        for key in ("date", "pv"):
            if key not in raw:
                raise InputError(f"{where}: missing field {key!r}")
        at = _moment(raw["date"], f"{where}.date", start_of_day=i == 0)
        pv = _number(raw["pv"], f"{where}.pv")
        if pv < 0:
            raise InputError(f"{where}.pv: must be >= 0, got {_show(raw['pv'])}")
        if points and at < points[-1].at:
            raise InputError(f"{where}.date: before baseline[{i - 1}].date (points must be in time order)")
        if points and pv < points[-1].pv:
            raise InputError(f"{where}.pv: below baseline[{i - 1}].pv (planned value must be cumulative)")
        points.append(PlannedValuePoint(at, pv))
    raw_status = document["status"]
    if not isinstance(raw_status, list):
        raise InputError("status: expected a list of {date, ev, ac} objects")
    status = []
    labels = []
    for i, raw in enumerate(raw_status):
        where = f"status[{i}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected an object with date, ev and ac")
        warnings += [f"{where}: ignoring unknown field {key!r}" for key in raw if key not in ("date", "ev", "ac")]
        for key in ("date", "ev", "ac"):
            if key not in raw:
                raise InputError(f"{where}: missing field {key!r}")
        at = _moment(raw["date"], f"{where}.date", start_of_day=False)
        ev = _number(raw["ev"], f"{where}.ev")
        ac = _number(raw["ac"], f"{where}.ac")
        for key, value in (("ev", ev), ("ac", ac)):
            if value < 0:
                raise InputError(f"{where}.{key}: must be >= 0, got {_show(raw[key])}")
        status.append(StatusPoint(at, ev, ac))
        labels.append(str(raw["date"]).strip())
    try:
        baseline = Baseline(tuple(points), calendar, bac)
    except Exception as error:  # InvalidInputError: a message that names the field
        raise InputError(str(error)) from None
    return baseline, status, labels, warnings


def _calendar(raw: object, warnings: list[str]) -> Any:
    from pmo.engine.calendar import CalendarException, WorkingCalendar

    if raw is None:
        return WorkingCalendar.standard()
    if not isinstance(raw, dict):
        raise InputError("calendar: expected an object with working_days, hours and holidays")
    warnings += [f"calendar: ignoring unknown field {key!r}" for key in raw if key not in _CALENDAR_FIELDS]
    days = raw.get("working_days", list(_DAYS[:5]))
    if not isinstance(days, list) or not days:
        raise InputError('calendar.working_days: expected a non-empty list such as ["mon", "tue"]')
    working: set[int] = set()
    for i, day in enumerate(days):
        if isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6:
            working.add(day)
        elif isinstance(day, str) and day.strip().lower()[:3] in _DAYS:
            working.add(_DAYS.index(day.strip().lower()[:3]))
        else:
            raise InputError(f"calendar.working_days[{i}]: expected mon .. sun (or 0 .. 6), got {_show(day)}")
    hours = raw.get("hours", [["08:00", "12:00"], ["13:00", "17:00"]])
    if not isinstance(hours, list) or not hours:
        raise InputError('calendar.hours: expected a non-empty list of ["HH:MM", "HH:MM"] pairs')
    intervals: list[tuple[int, int]] = []
    for i, pair in enumerate(hours):
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f'calendar.hours[{i}]: expected a ["HH:MM", "HH:MM"] pair')
        lo, hi = (_clock(value, f"calendar.hours[{i}][{j}]") for j, value in enumerate(pair))
        if not lo < hi:
            raise InputError(f"calendar.hours[{i}]: the end must be after the start")
        if intervals and lo < intervals[-1][1]:
            raise InputError(f"calendar.hours[{i}]: intervals must be in order and must not overlap")
        intervals.append((lo, hi))
    holidays = raw.get("holidays", [])
    if not isinstance(holidays, list):
        raise InputError("calendar.holidays: expected a list of ISO dates")
    exceptions = []
    for i, text in enumerate(holidays):
        try:
            day = date.fromisoformat(str(text)) if isinstance(text, str) else None
        except ValueError:
            day = None
        if day is None:
            raise InputError(f"calendar.holidays[{i}]: expected an ISO date such as 2025-12-25, got {_show(text)}")
        exceptions.append(CalendarException(day, name="holiday"))
    pattern = tuple(intervals)
    return WorkingCalendar(
        name="calendar",
        week=tuple(pattern if d in working else () for d in range(7)),
        exceptions=tuple(exceptions),
        minutes_per_day=sum(hi - lo for lo, hi in intervals),
    )


def _clock(value: object, where: str) -> int:
    match = _HOUR_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise InputError(f"{where}: expected a time HH:MM, got {_show(value)}")
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    if int(match.group(2)) > 59 or minutes > 1440:
        raise InputError(f"{where}: not a time of day: {_show(value)}")
    return minutes


def _moment(value: object, where: str, *, start_of_day: bool) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected an ISO date or date-time string, got {_show(value)}")
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            midnight = datetime.combine(day, time())
            return midnight if start_of_day else midnight + timedelta(days=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise InputError(f"{where}: not an ISO date or date-time: {_show(value)}") from None
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{where}: expected a number, got {_show(value)}")
    return float(value)


def _show(value: object) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


# ------------------------------------------------------------------------------------------- output


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _finish(value: Any) -> str | None:
    return None if value is None else _iso(value.finish)


def _period_json(m: Any, label: str) -> dict[str, Any]:
    forecast = m.forecast
    return {
        "status_date": label,
        "pv": m.pv,
        "ev": m.ev,
        "ac": m.ac,
        "sv": m.sv,
        "cv": m.cv,
        "spi": m.spi,
        "cpi": m.cpi,
        "es": _iso(m.es_date),
        "spi_t": m.spi_t,
        "sv_t_days": m.sv_t_days,
        "eac_cost": {"pf1": m.eac_cost.pf1, "cpi": m.eac_cost.cpi, "cpi_spi": m.eac_cost.cpi_spi},
        "eac_time": {
            "pv_pf1": _finish(m.eac_time.pv_pf1),
            "ed_pf1": _finish(m.eac_time.ed_pf1),
            "es_pf1": _finish(m.eac_time.es_pf1),
            "es_spi_t": _finish(m.eac_time.es_spi_t),
        },
        "forecast": None
        if forecast is None
        else {
            "finish": _iso(forecast.finish),
            "cost": forecast.cost,
            "finish_range": [_iso(forecast.finish_range[0]), _iso(forecast.finish_range[1])],
            "cost_range": [forecast.cost_range[0], forecast.cost_range[1]],
        },
    }


def table(path: Path, baseline: Any, periods: list[Any], labels: list[str]) -> str:
    """The readable report: one row per status date."""
    lines = [
        f"{path}: BAC {_money(baseline.budget)}, baseline {baseline.start:%Y-%m-%d %H:%M} .. "
        f"{baseline.finish:%Y-%m-%d %H:%M} (PD {baseline.planned_duration_days:.2f} working days), "
        f"{len(periods)} status date(s)"
    ]
    if not periods:
        return lines[0]
    header = (
        f"{'status date':<19} {'PV':>13} {'EV':>13} {'AC':>13} {'SPI':>6} {'CPI':>6} {'ES':>16} "
        f"{'SPI(t)':>6} {'SV(t)d':>7} {'EAC(t) ES':>10} {'EAC CPI':>13} {'forecast finish [range]':>35} "
        f"{'forecast cost [range]':>40}"
    )
    lines += ["", header]
    for m, label in zip(periods, labels, strict=True):
        f = m.forecast
        es_pf1 = m.eac_time.es_pf1
        finish = (
            "-" if f is None else f"{f.finish:%Y-%m-%d} [{f.finish_range[0]:%Y-%m-%d}..{f.finish_range[1]:%Y-%m-%d}]"
        )
        cost = "-" if f is None else f"{_money(f.cost)} [{_money(f.cost_range[0])}..{_money(f.cost_range[1])}]"
        lines.append(
            f"{label[:19]:<19} {_money(m.pv):>13} {_money(m.ev):>13} {_money(m.ac):>13} {_index(m.spi):>6} "
            f"{_index(m.cpi):>6} {m.es_date:%Y-%m-%d %H:%M} {_index(m.spi_t):>6} {m.sv_t_days:7.2f} "
            f"{'-' if es_pf1 is None else f'{es_pf1.finish:%Y-%m-%d}':>10} {_money(m.eac_cost.cpi):>13} "
            f"{finish:>35} {cost:>40}"
        )
    lines.append("")
    lines.append("ES = earned schedule; EAC(t) ES = finish by earned schedule (PF=1); EAC CPI = BAC / CPI;")
    lines.append("forecast = recommended finish and cost with an 80 % range (see pmo.engine.evm).")
    return "\n".join(lines)


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _index(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
