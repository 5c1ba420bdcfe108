"""Benchmark the EVM / earned-schedule engine on the DSLIB real projects (OR&S, Ghent University).

Usage::

    python bench/bench_dslib.py [--data DIR] [--limit N] [--worst 10] [--verbose]

Data: ``<repo>/../shared/data/dslib_real_projects`` (``Excel/*.xlsx``, ``projects.csv``,
``tracking_periods.csv``, ``reference_forecast_mape.csv``).  When the folder is absent the script says so
and exits 0.

(a) Agreement with ProTrack: every workbook is read with :func:`pmo.engine.formats.dslib.read_dslib` and
    analysed with :func:`pmo.engine.evm.analyse`; per tracking period our PV, EV, AC, SPI, CPI, ES,
    SPI(t) and the nine EAC(t) are compared with ProTrack's values in ``tracking_periods.csv``: amounts
    and indices match when they agree to 1e-6 (relative, absolute below 1), dates when they fall on the
    same day.  The share that match per metric and the worst mismatches are printed.

(b) Forecast accuracy against the real outcomes (RD, RC in ``projects.csv``), computed exactly as
    ``reference_forecast_mape.csv`` does: per project the mean over the tracking periods before
    completion) of ``|forecast - actual| / actual``, then the mean (and the median) over projects.
    Time forecasts are dates converted to calendar days from the baseline start and compared with
    ``RD x PD_calendar_days / PD``.  Printed for ProTrack's own columns (which must reproduce the anchors),
    for our textbook methods, and for the recommended forecast evaluated leave-one-out: the reference
    class of each project is built from the other 96 projects only.  Ratios to the anchors (earned
    schedule PF=1, 10.19 % for time; CPI method, 9.81 % for cost) are printed; a ratio below 1 beats it.
    The share of real outcomes inside the forecast ranges (coverage) is printed too.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pmo.engine.evm import PeriodMetrics, ReferenceRecord, analyse, recommend, reference_records  # noqa: E402
from pmo.engine.formats.dslib import DslibProject, read_dslib  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "dslib_real_projects"
ANCHOR_TIME = ("EAC(t)-ES (PF=1)", 10.19)
ANCHOR_COST = ("EAC (PF=CPI)", 9.81)

# (our attribute on eac_time, ProTrack column)
TIME_COLUMNS = (
    ("pv_pf1", "EAC(t)-PV (PF=1)"),
    ("pv_spi", "EAC(t)-PV (PF=SPI)"),
    ("pv_sci", "EAC(t)-PV (PF=SCI)"),
    ("ed_pf1", "EAC(t)-ED (PF=1)"),
    ("ed_spi", "EAC(t)-ED (PF=SPI)"),
    ("ed_sci", "EAC(t)-ED (PF=SCI)"),
    ("es_pf1", "EAC(t)-ES (PF=1)"),
    ("es_spi_t", "EAC(t)-ES (PF=SPI(t))"),
    ("es_sci_t", "EAC(t)-ES (PF=SCI(t))"),
)
COST_COLUMNS = (
    ("pf1", "EAC (PF=1)"),
    ("cpi", "EAC (PF=CPI)"),
    ("spi", "EAC (PF=SPI)"),
    ("spi_t", "EAC (PF=SPI(t))"),
    ("cpi_spi", "EAC (PF=SCI)"),
    ("cpi_spi_t", "EAC (PF=SCI(t))"),
    ("cpi80_spi20", "EAC (PF=0.8*CPI+0.2*SPI)"),
    ("cpi80_spi_t20", "EAC (PF=0.8*CPI+0.2*SPI(t))"),
)


@dataclass
class Project:
    code: str
    sector: str
    start: datetime
    pd: float
    pd_cal: float
    bac: float
    rd: float
    rc: float
    before_completion: int
    workbook: DslibProject
    metrics: list[PeriodMetrics]
    reference: list[dict[str, str]]

    @property
    def rd_cal(self) -> float:
        return self.rd * self.pd_cal / self.pd

    def cal_days(self, when: datetime) -> float:
        return (when - self.start).total_seconds() / 86400.0


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _close(ours: float | None, theirs: float | None) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return abs(ours - theirs) <= 1e-6 * max(1.0, abs(theirs))


def sector_group(sector: str) -> str:
    """Construction / IT / Engineering / other, as the data's README groups them."""
    head = sector.split("(")[0].strip().lower()
    return head if head in ("construction", "it", "engineering") else "other"


def load(data: Path, limit: int | None) -> list[Project]:
    with open(data / "projects.csv", newline="", encoding="utf-8") as fh:
        projects = list(csv.DictReader(fh))
    with open(data / "tracking_periods.csv", newline="", encoding="utf-8") as fh:
        tracking: dict[str, list[dict[str, str]]] = {}
        for row in csv.DictReader(fh):
            tracking.setdefault(row["code"], []).append(row)
    out: list[Project] = []
    for row in projects[:limit]:
        workbook = read_dslib(data / "Excel" / row["file"])
        metrics = analyse(workbook.baseline, workbook.status_points())
        out.append(
            Project(
                code=row["code"],
                sector=sector_group(row["sector"]),
                start=datetime.fromisoformat(row["baseline_start"]),
                pd=float(row["PD_days"]),
                pd_cal=float(row["PD_calendar_days"]),
                bac=float(row["BAC"]),
                rd=float(row["RD_days"]),
                rc=float(row["RC"]),
                before_completion=int(row["tp_before_completion"]),
                workbook=workbook,
                metrics=metrics,
                reference=sorted(tracking.get(row["code"], []), key=lambda r: int(r["tp"])),
            )
        )
    return out


# ------------------------------------------------------------------------------------------- (a) agreement


def agreement(projects: list[Project], worst: int) -> None:
    checks: dict[str, list[tuple[float, str]]] = {}  # metric -> list of (error, description)
    counts: dict[str, list[int]] = {}  # metric -> [match, undefined, total]

    def record(metric: str, ok: bool, error: float, what: str, undefined: bool = False) -> None:
        c = counts.setdefault(metric, [0, 0, 0])
        c[0] += ok
        c[1] += undefined
        c[2] += 1
        if not ok and not undefined:
            checks.setdefault(metric, []).append((error, what))

    for p in projects:
        if len(p.reference) != len(p.metrics):
            print(f"{p.code}: {len(p.metrics)} tracking sheets but {len(p.reference)} rows in tracking_periods.csv")
        for m, ref in zip(p.metrics, p.reference, strict=False):
            where = f"{p.code} TP{ref['tp']} ({m.status_date:%Y-%m-%d})"
            for metric, ours, column in (
                ("PV", m.pv, "Planned Value (PV)"),
                ("EV", m.ev, "Earned Value (EV)"),
                ("AC", m.ac, "Actual Cost (AC)"),
                ("SPI", m.spi, "Schedule Performance Index (SPI)"),
                ("CPI", m.cpi, "Cost Performance Index (CPI)"),
                ("SPI(t)", m.spi_t, "SPI(t)"),
                ("p-factor", m.p_factor, "p-factor"),
            ):
                theirs = _float(ref[column])
                error = abs((ours or 0.0) - (theirs or 0.0)) / max(1.0, abs(theirs or 0.0))
                ok = _close(ours, theirs)
                # a zero denominator: ours is None, ProTrack prints a placeholder (0 or 1)
                undefined = not ok and ours is None
                record(metric, ok, error, f"{where}: ours {ours} ProTrack {theirs}", undefined)
            dated: list[tuple[str, datetime | None, str]] = [("ES", m.es_date, "Earned Schedule (ES)")]
            for attr, column in TIME_COLUMNS:
                value = getattr(m.eac_time, attr)
                dated.append((column, None if value is None else value.finish, column))
            for metric, ours_date, column in dated:
                theirs_date = _date(ref[column])
                ok = ours_date is not None and theirs_date is not None and ours_date.date() == theirs_date.date()
                error = (
                    abs((ours_date - theirs_date).total_seconds()) / 86400.0
                    if ours_date is not None and theirs_date is not None
                    else math.inf
                )
                undefined = ours_date is None  # the forecast divides by SPI, SPI(t) or CPI = 0 or undefined
                record(metric, ok, error, f"{where}: ours {ours_date} ProTrack {theirs_date}", undefined)
    print("\n(a) agreement with ProTrack (tracking_periods.csv): share of tracking periods that match")
    print("    amounts and indices to 1e-6 (relative), dates on the same day; 'undefined' = a zero denominator")
    print("    (EV = 0 or AC = 0): ours is None where ProTrack prints a placeholder")
    print(f"  {'metric':<24} {'match':>5}   {'total':>5}  {'share':>8}   {'undefined':>9}  {'match or undefined':>18}")
    for metric, (ok, undefined, total) in counts.items():
        print(
            f"  {metric:<24} {ok:5d} / {total:5d}  {100.0 * ok / total:6.2f} %   {undefined:9d}"
            f"  {100.0 * (ok + undefined) / total:16.2f} %"
        )
    if worst:
        for metric, errors in checks.items():
            errors.sort(key=lambda e: -e[0])
            print(f"  worst {metric}:")
            for error, what in errors[:worst]:
                print(f"    {what}  (error {error:.3g})")


# ------------------------------------------------------------------------------------------- (b) accuracy


def _mape(per_project: dict[str, list[float]]) -> tuple[float, float, int]:
    means = [statistics.fmean(v) for v in per_project.values() if v]
    return 100.0 * statistics.fmean(means), 100.0 * statistics.median(means), len(means)


def accuracy(projects: list[Project], data: Path) -> None:
    with open(data / "reference_forecast_mape.csv", newline="", encoding="utf-8") as fh:
        anchors = {r["method"]: (float(r["mape_pct"]), float(r["median_project_mape_pct"])) for r in csv.DictReader(fh)}

    # the history of every project, once; leave-one-out drops the project's own records
    history: dict[str, list[ReferenceRecord]] = {
        p.code: reference_records(p.code, p.sector, p.metrics, real_duration_days=p.rd, real_cost=p.rc)
        for p in projects
    }
    results: list[tuple[str, str, dict[str, list[float]]]] = []

    def collect(kind: str, label: str, value: Callable[[Project, PeriodMetrics, dict[str, str]], float | None]) -> None:
        per: dict[str, list[float]] = {}
        for p in projects:
            errors: list[float] = []
            for m, ref in zip(p.metrics, p.reference, strict=False):
                if int(ref["tp"]) > p.before_completion:
                    continue
                forecast = value(p, m, ref)
                if forecast is None:
                    continue
                actual = p.rd_cal if kind == "time" else p.rc
                errors.append(abs(forecast - actual) / actual)
            per[p.code] = errors
        results.append((kind, label, per))

    for _, column in TIME_COLUMNS:
        collect("time", f"ProTrack {column}", lambda p, m, r, c=column: _cal(p, _date(r[c])))
    for attr, column in TIME_COLUMNS:
        collect("time", f"ours     {column}", lambda p, m, r, a=attr: _cal(p, _finish(getattr(m.eac_time, a))))
    for _, column in COST_COLUMNS:
        collect("cost", f"ProTrack {column}", lambda p, m, r, c=column: _float(r[c]))
    for attr, column in COST_COLUMNS:
        collect("cost", f"ours     {column}", lambda p, m, r, a=attr: getattr(m.eac_cost, a))

    t0 = time.perf_counter()
    loo: dict[str, list[tuple[PeriodMetrics, object]]] = {}
    for p in projects:
        others = [r for code, records in history.items() if code != p.code for r in records]
        loo[p.code] = [
            (
                m,
                recommend(
                    p.workbook.baseline,
                    at_days=m.at_days,
                    es_days=m.es_days,
                    ev=m.ev,
                    ac=m.ac,
                    time_forecasts=m.eac_time,
                    cost_forecasts=m.eac_cost,
                    history=others,
                    sector=p.sector,
                ),
            )
            for m in p.metrics
        ]
    seconds = time.perf_counter() - t0
    forecasts = {p.code: dict(zip(range(len(p.metrics)), [f for _, f in loo[p.code]], strict=True)) for p in projects}

    def rec(p: Project, m: PeriodMetrics, kind: str) -> float | None:
        f = forecasts[p.code][p.metrics.index(m)]
        if f is None:
            return None
        return _cal(p, f.finish) if kind == "time" else f.cost  # type: ignore[attr-defined]

    collect("time", "ours     recommended, no history", lambda p, m, r: _cal(p, _finish(m.forecast)))
    collect("cost", "ours     recommended, no history", lambda p, m, r: None if m.forecast is None else m.forecast.cost)
    collect("time", "ours     RECOMMENDED (leave-one-out)", lambda p, m, r: rec(p, m, "time"))
    collect("cost", "ours     RECOMMENDED (leave-one-out)", lambda p, m, r: rec(p, m, "cost"))

    print("\n(b) forecast accuracy against real outcomes: MAPE over projects (mean of per-project means over")
    print("    the first tp_before_completion periods), median project MAPE; reference = reference_forecast_mape.csv")
    for kind in ("time", "cost"):
        anchor_name, anchor_value = ANCHOR_TIME if kind == "time" else ANCHOR_COST
        print(f"  {kind}: {'method':<44} {'MAPE %':>8} {'median %':>9} {'ref MAPE':>9} {'ratio to anchor':>16}")
        for k, label, per in results:
            if k != kind:
                continue
            mape, median, _ = _mape(per)
            column = label.split(" ", 1)[1].strip()
            ref = anchors.get(column, (math.nan, math.nan))[0]
            ref_text = f"{ref:9.2f}" if math.isfinite(ref) else " " * 9
            print(f"        {label:<44} {mape:8.2f} {median:9.2f} {ref_text} {mape / anchor_value:16.3f}")
        print(f"        anchor: {anchor_name} {anchor_value:.2f} %")

    inside_t = inside_c = total = 0
    for p in projects:
        for tp, (_, f) in enumerate(loo[p.code], start=1):
            if f is None or tp > p.before_completion:
                continue
            total += 1
            lo, hi = f.duration_range  # type: ignore[attr-defined]
            inside_t += lo <= p.rd <= hi
            lo_c, hi_c = f.cost_range  # type: ignore[attr-defined]
            inside_c += lo_c <= p.rc <= hi_c
    if total:
        print(
            f"  coverage of the recommended ranges (80 % band): time {100.0 * inside_t / total:.1f} %, "
            f"cost {100.0 * inside_c / total:.1f} % of {total} tracking periods; leave-one-out in {seconds:.1f} s"
        )


def _finish(value: object) -> datetime | None:
    return None if value is None else value.finish  # type: ignore[attr-defined]


def _cal(p: Project, when: datetime | None) -> float | None:
    return None if when is None else p.cal_days(when)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"data folder (default {DATA})")
    parser.add_argument("--limit", type=int, help="only the first N projects of projects.csv")
    parser.add_argument("--worst", type=int, default=5, help="mismatches listed per metric (default 5)")
    args = parser.parse_args(argv)
    data = args.data.resolve()
    if not (data / "projects.csv").is_file():
        print(f"skipped: DSLIB data not found at {data} (expected Excel/, projects.csv, tracking_periods.csv)")
        return 0
    t0 = time.perf_counter()
    projects = load(data, args.limit)
    print(f"DSLIB: {len(projects)} projects, {sum(len(p.metrics) for p in projects)} tracking periods read and")
    print(f"analysed in {time.perf_counter() - t0:.1f} s")
    agreement(projects, args.worst)
    accuracy(projects, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
