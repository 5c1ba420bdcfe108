"""Roll-up of projects' figures to a program or portfolio: sums, indices recomputed from the sums."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pmo.engine.evm._util import _ratio
from pmo.engine.evm.analysis import _product, eac_cost, tcpi
from pmo.engine.evm.results import PeriodMetrics

# ---------------------------------------------------------------------------------------------- roll-up


@dataclass(frozen=True, slots=True)
class RollupMetrics:
    """Program / portfolio figures: sums of PV, EV, AC, BAC and indices recomputed from the sums."""

    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac_pf1: float
    eac_cpi: float | None
    eac_cpi_spi: float | None
    vac: float | None
    tcpi_bac: float | None
    projects: int


def rollup(periods: Iterable[PeriodMetrics]) -> RollupMetrics:
    """Roll project metrics (one period per project, same status date) up to a program or portfolio.

    PV, EV, AC and BAC are summed; SPI, CPI and the EACs are recomputed from the sums, never averaged.

    >>> from datetime import datetime
    >>> from pmo.engine.evm import Baseline, PlannedValuePoint, StatusPoint, analyse
    >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
    ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
    >>> day = datetime(2025, 1, 10, 17)
    >>> p1, p2 = analyse(b, [StatusPoint(day, 400.0, 500.0), StatusPoint(day, 600.0, 500.0)])
    >>> r = rollup([p1, p2])
    >>> r.pv, r.ev, r.ac, r.spi, r.cpi, r.eac_cpi
    (1000.0, 1000.0, 1000.0, 1.0, 1.0, 2000.0)
    """
    items = list(periods)
    bac = sum(m.bac for m in items)
    pv = sum(m.pv for m in items)
    ev = sum(m.ev for m in items)
    ac = sum(m.ac for m in items)
    spi, cpi = _ratio(ev, pv), _ratio(ev, ac)
    eac_cpi = eac_cost(ac, bac, ev, cpi)
    return RollupMetrics(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac_pf1=ac + bac - ev,
        eac_cpi=eac_cpi,
        eac_cpi_spi=eac_cost(ac, bac, ev, _product(spi, cpi)),
        vac=None if eac_cpi is None else bac - eac_cpi,
        tcpi_bac=tcpi(bac, ev, ac, bac),
        projects=len(items),
    )
