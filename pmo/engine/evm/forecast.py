"""The recommended forecast: base forecasts corrected by the reference class of closed projects
(see the package docstring)."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

from pmo.engine.evm._util import _ratio
from pmo.engine.evm.baseline import Baseline
from pmo.engine.evm.results import CostForecasts, Forecast, PeriodMetrics, ReferenceRecord, TimeForecasts

# ---------------------------------------------------------------------------------------------- forecast


def _weighted_quantile(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """Quantile ``q`` of weighted values (linear between the mid-points of the weight steps).

    >>> _weighted_quantile([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], 0.5)
    2.0
    >>> _weighted_quantile([1.0, 3.0], [1.0, 1.0], 0.5)
    2.0
    """
    pairs = sorted(zip(values, weights, strict=True))
    total = sum(w for _, w in pairs)
    positions: list[float] = []
    running = 0.0
    for _, w in pairs:
        positions.append((running + w / 2) / total)
        running += w
    target = min(max(q, positions[0]), positions[-1])
    j = bisect_left(positions, target)
    if positions[j] == target or j == 0:
        return pairs[j][0]
    p0, p1 = positions[j - 1], positions[j]
    return pairs[j - 1][0] + (pairs[j][0] - pairs[j - 1][0]) * (target - p0) / (p1 - p0)


def _reference_class(
    history: Sequence[ReferenceRecord],
    progress: float,
    sector: str | None,
    kind: str,
    window: float,
    min_projects: int,
) -> list[list[float]]:
    """The ratios of the periods near ``progress``, one list per reference project (of the same sector
    when enough); empty when fewer than ``min_projects`` projects remain."""

    def collect(same_sector: bool) -> list[list[float]]:
        per_project: dict[str, list[float]] = {}
        for r in history:
            if same_sector and r.sector != sector:
                continue
            if abs(r.progress - progress) > window:
                continue
            ratio = r.time_ratio if kind == "time" else r.cost_ratio
            if ratio is not None and math.isfinite(ratio) and ratio > 0:
                per_project.setdefault(r.project, []).append(ratio)
        return list(per_project.values())

    projects = collect(True) if sector is not None else []
    if len(projects) < min_projects:
        projects = collect(False)
    return projects if len(projects) >= min_projects else []


def _correction(projects: list[list[float]], band: tuple[float, float]) -> tuple[float, float, float]:
    """The factor on the base forecast and its band from a reference class.  The factor: the median of
    the projects' own medians weighted by ``1 / ratio`` (each project counts once).  The band: the
    quantiles of every period's ratio, each project's periods sharing one weight, so that how much a
    project's ratio moves from period to period widens the band as it should."""
    medians = [_weighted_quantile(v, [1.0] * len(v), 0.5) for v in projects]
    mid = _weighted_quantile(medians, [1.0 / r for r in medians], 0.5)
    ratios = [r for v in projects for r in v]
    weights = [1.0 / len(v) for v in projects for _ in v]
    low, high = (_weighted_quantile(ratios, weights, q) for q in band)
    return mid, low, high


def _base_cost(costs: CostForecasts) -> float:
    """The mean of the PF=1 and the CPI forecasts (PF=1 alone while CPI is undefined)."""
    return costs.pf1 if costs.cpi is None else (costs.pf1 + costs.cpi) / 2


def recommend(
    baseline: Baseline,
    *,
    at_days: float,
    es_days: float,
    ev: float,
    ac: float,
    time_forecasts: TimeForecasts,
    cost_forecasts: CostForecasts,
    history: Sequence[ReferenceRecord] | None = None,
    sector: str | None = None,
    progress_window: float = 0.2,
    min_projects: int = 8,
    band: tuple[float, float] = (0.1, 0.9),
) -> Forecast | None:
    """The recommended finish and final cost with an 80 % range (method in the module docstring).

    Returns None only when no base forecast exists (never in practice: ES with PF=1 and the PF=1 cost
    forecast are always defined).  ``method`` tells which way the forecast was made.

    >>> from datetime import datetime
    >>> from pmo.engine.evm import Baseline, PlannedValuePoint, StatusPoint, analyse
    >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
    ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
    >>> m = analyse(b, [StatusPoint(datetime(2025, 1, 10, 17), ev=400.0, ac=500.0)])[0]
    >>> history = [ReferenceRecord(f"P{i}", "IT", 0.4, 1.1 + i / 100, 1.2) for i in range(8)]
    >>> f = recommend(b, at_days=m.at_days, es_days=m.es_days, ev=m.ev, ac=m.ac, time_forecasts=m.eac_time,
    ...               cost_forecasts=m.eac_cost, history=history, sector="IT")
    >>> round(f.duration_days, 2), f.finish, round(f.cost, 2)      # 11 days x ~1.135, 1 175 x 1.2
    (12.48, datetime.datetime(2025, 1, 22, 11, 49), 1410.0)
    >>> [round(x, 2) for x in f.duration_range]                     # 11 x 10th and 90th percentiles
    [12.13, 12.84]
    """
    base_time = time_forecasts.es_pf1
    if base_time is None:
        return None
    base_cost = _base_cost(cost_forecasts)
    mpd = baseline.calendar.minutes_per_day
    progress = ev / baseline.budget
    done = progress >= 1.0
    time_class = (
        []
        if done or not history
        else _reference_class(history, progress, sector, "time", progress_window, min_projects)
    )
    cost_class = (
        []
        if done or not history
        else _reference_class(history, progress, sector, "cost", progress_window, min_projects)
    )
    methods: list[str] = []
    if time_class:
        mid, lo_r, hi_r = _correction(time_class, band)
        duration = max(at_days, base_time.days * mid)
        duration_range = (max(at_days, base_time.days * lo_r), max(at_days, base_time.days * hi_r))
        methods.append(f"time: earned schedule x reference class of {len(time_class)} projects")
    else:
        duration = base_time.days
        others = [t.days for t in (time_forecasts.es_pf1, time_forecasts.es_spi_t) if t is not None]
        duration_range = (min(others), max(others))
        methods.append("time: earned schedule (PF=1), range PF=1..SPI(t)")
    if cost_class:
        mid, lo_r, hi_r = _correction(cost_class, band)
        cost = max(ac, base_cost * mid)
        cost_range = (max(ac, base_cost * lo_r), max(ac, base_cost * hi_r))
        methods.append(f"cost: (PF=1 + CPI) / 2 x reference class of {len(cost_class)} projects")
    else:
        cost = base_cost
        candidates = [c for c in (cost_forecasts.pf1, cost_forecasts.cpi, cost_forecasts.cpi_spi) if c is not None]
        cost_range = (min(candidates), max(candidates))
        methods.append("cost: (PF=1 + CPI) / 2, range PF=1..CPI x SPI")
    duration_range = (min(duration_range[0], duration), max(duration_range[1], duration))
    cost_range = (min(cost_range[0], cost), max(cost_range[1], cost))
    return Forecast(
        finish=baseline.date_of(duration * mpd),
        duration_days=duration,
        cost=cost,
        finish_range=(baseline.date_of(duration_range[0] * mpd), baseline.date_of(duration_range[1] * mpd)),
        duration_range=duration_range,
        cost_range=cost_range,
        method="; ".join(methods),
    )


def reference_records(
    project: str,
    sector: str,
    periods: Sequence[PeriodMetrics],
    *,
    real_duration_days: float,
    real_cost: float,
) -> list[ReferenceRecord]:
    """The reference-class records of one closed project (periods before completion only).

    >>> from datetime import datetime
    >>> from pmo.engine.evm import Baseline, PlannedValuePoint, StatusPoint, analyse
    >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
    ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
    >>> ms = analyse(b, [StatusPoint(datetime(2025, 1, 10, 17), ev=400.0, ac=500.0)])
    >>> r = reference_records("P1", "IT", ms, real_duration_days=12.1, real_cost=1500.0)[0]
    >>> round(r.time_ratio, 9), round(r.cost_ratio, 9), r.progress
    (1.1, 1.276595745, 0.4)
    """
    out: list[ReferenceRecord] = []
    for m in periods:
        if m.ev >= m.bac:
            continue
        base_time = m.eac_time.es_pf1
        base_cost = _base_cost(m.eac_cost)
        out.append(
            ReferenceRecord(
                project=project,
                sector=sector,
                progress=m.percent_complete,
                time_ratio=None if base_time is None else _ratio(real_duration_days, base_time.days),
                cost_ratio=_ratio(real_cost, base_cost),
            )
        )
    return out
