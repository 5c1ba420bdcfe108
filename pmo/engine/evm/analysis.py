"""The earned value and earned schedule formulas, and the analysis of status periods."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pmo.engine.errors import InvalidInputError
from pmo.engine.evm._util import _finite, _naive, _ratio
from pmo.engine.evm.baseline import Baseline, StatusPoint
from pmo.engine.evm.forecast import recommend
from pmo.engine.evm.results import CostForecasts, DatedDuration, PeriodMetrics, ReferenceRecord, TimeForecasts

# ---------------------------------------------------------------------------------------------- formulas


def eac_cost(ac: float, bac: float, ev: float, pf: float | None) -> float | None:
    """``AC + (BAC - EV) / PF``; None when PF is None or 0.

    >>> eac_cost(500.0, 1000.0, 400.0, 1.0), eac_cost(500.0, 1000.0, 400.0, 0.8), eac_cost(1.0, 2.0, 0.0, 0.0)
    (1100.0, 1250.0, None)
    """
    if pf is None or pf == 0:
        return None
    return ac + (bac - ev) / pf


def eac_time_es(at: float, pd: float, es: float, pf: float | None) -> float | None:
    """Earned schedule duration forecast ``AT + (PD - ES) / PF`` (any unit); None when PF is None or 0.

    >>> eac_time_es(5.0, 10.0, 4.0, 1.0), eac_time_es(5.0, 10.0, 4.0, 0.8)
    (11.0, 12.5)
    """
    if pf is None or pf == 0:
        return None
    return at + (pd - es) / pf


def tcpi(bac: float, ev: float, ac: float, target: float | None) -> float | None:
    """To-complete performance index ``(BAC - EV) / (target - AC)``; None when target is None or = AC.

    >>> tcpi(1000.0, 400.0, 500.0, 1000.0), tcpi(1000.0, 400.0, 500.0, 500.0)
    (1.2, None)
    """
    if target is None:
        return None
    return _ratio(bac - ev, target - ac)


def _product(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a * b


def _blend(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else 0.8 * a + 0.2 * b


# ---------------------------------------------------------------------------------------------- analysis


def analyse(
    baseline: Baseline,
    status: Sequence[StatusPoint],
    *,
    history: Sequence[ReferenceRecord] | None = None,
    sector: str | None = None,
    min_projects: int = 8,
) -> list[PeriodMetrics]:
    """EVM and earned-schedule metrics of each status point, with the recommended forecast.

    ``history``, ``sector`` and ``min_projects`` feed :func:`recommend` (the reference class); without history the
    recommended forecast is the earned-schedule / CPI forecast with a range over the textbook methods.

    >>> from datetime import datetime
    >>> from pmo.engine.evm import Baseline, PlannedValuePoint, StatusPoint, analyse
    >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
    ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
    >>> m = analyse(b, [StatusPoint(datetime(2025, 1, 10, 17), ev=400.0, ac=500.0)])[0]
    >>> m.sv, m.cv, m.sv_t_days, m.eac_cost.pf1, m.tcpi_bac
    (-100.0, -100.0, -1.0, 1100.0, 1.2)
    >>> m.forecast.cost, [round(c, 6) for c in m.forecast.cost_range]
    (1175.0, [1100.0, 1437.5])
    """
    out: list[PeriodMetrics] = []
    for i, point in enumerate(status):
        _naive(point.at, f"status[{i}].date")
        ev = _finite(point.ev, f"status[{i}].ev")
        ac = _finite(point.ac, f"status[{i}].ac")
        if ev < 0 or ac < 0:
            raise InvalidInputError(f"status[{i}]: ev and ac must be >= 0")
        out.append(_period(baseline, point, ev, ac, history, sector, min_projects))
    return out


def _period(
    baseline: Baseline,
    point: StatusPoint,
    ev: float,
    ac: float,
    history: Sequence[ReferenceRecord] | None,
    sector: str | None,
    min_projects: int,
) -> PeriodMetrics:
    mpd = baseline.calendar.minutes_per_day
    bac = baseline.budget
    pv = baseline.pv_at(point.at)
    sv, cv = ev - pv, ev - ac
    spi, cpi = _ratio(ev, pv), _ratio(ev, ac)
    pd_min = baseline.planned_duration_minutes
    at_min = max(0, baseline.offset_of(point.at))
    es_min = baseline.earned_schedule_minutes(ev, at_minutes=at_min, pv=pv)
    pd, at, es = pd_min / mpd, at_min / mpd, es_min / mpd
    spi_t = _ratio(es, at)
    sci, sci_t = _product(spi, cpi), _product(spi_t, cpi)

    costs = CostForecasts(
        pf1=ac + bac - ev,
        cpi=eac_cost(ac, bac, ev, cpi),
        spi=eac_cost(ac, bac, ev, spi),
        spi_t=eac_cost(ac, bac, ev, spi_t),
        cpi_spi=eac_cost(ac, bac, ev, sci),
        cpi_spi_t=eac_cost(ac, bac, ev, sci_t),
        cpi80_spi20=eac_cost(ac, bac, ev, _blend(cpi, spi)),
        cpi80_spi_t20=eac_cost(ac, bac, ev, _blend(cpi, spi_t)),
    )

    def dated(days: float | None) -> DatedDuration | None:
        if days is None or not math.isfinite(days):
            return None
        try:
            return DatedDuration(days, baseline.date_of(days * mpd))
        except OverflowError:  # beyond year 9999 (a tiny performance index): a duration with no date
            return None

    ed = None if spi is None else at * spi
    longest = max(pd, at)
    times = TimeForecasts(
        pv_pf1=dated(pd - sv * pd / bac),
        pv_spi=dated(_ratio(pd, spi)),
        pv_sci=dated(_ratio(pd, sci)),
        ed_pf1=dated(None if ed is None else at + longest - ed),
        ed_spi=dated(None if ed is None else eac_time_es(at, longest, ed, spi)),
        ed_sci=dated(None if ed is None else eac_time_es(at, longest, ed, sci)),
        es_pf1=dated(at + pd - es),
        es_spi_t=dated(eac_time_es(at, pd, es, spi_t)),
        es_sci_t=dated(eac_time_es(at, pd, es, sci_t)),
    )

    p_factor: float | None = None
    if baseline.activities and point.activity_ev is not None:
        planned = [(a, baseline.activity_pv_at_offset(a, es_min)) for a in baseline.activities]
        total = sum(value for _, value in planned)
        kept = sum(min(value, float(point.activity_ev.get(a.id, 0.0))) for a, value in planned)
        p_factor = _ratio(kept, total)

    forecast = recommend(
        baseline,
        at_days=at,
        es_days=es,
        ev=ev,
        ac=ac,
        time_forecasts=times,
        cost_forecasts=costs,
        history=history,
        sector=sector,
        min_projects=min_projects,
    )
    eac_for_tcpi = forecast.cost if forecast is not None else costs.cpi_spi
    etc = None if costs.cpi is None else costs.cpi - ac
    return PeriodMetrics(
        status_date=point.at,
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=sv,
        cv=cv,
        spi=spi,
        cpi=cpi,
        percent_complete=ev / bac,
        pd_days=pd,
        at_days=at,
        es_days=es,
        es_date=baseline.date_of(es_min),
        sv_t_days=es - at,
        spi_t=spi_t,
        p_factor=p_factor,
        eac_cost=costs,
        etc=etc,
        vac=None if costs.cpi is None else bac - costs.cpi,
        tcpi_bac=tcpi(bac, ev, ac, bac),
        tcpi_eac=tcpi(bac, ev, ac, eac_for_tcpi),
        eac_time=times,
        forecast=forecast,
    )
