"""The outputs of earned value: forecasts and the metrics of one status period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# ---------------------------------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class DatedDuration:
    """A duration in working days from the baseline start and the date it ends on the calendar."""

    days: float
    finish: datetime


@dataclass(frozen=True, slots=True)
class CostForecasts:
    """EAC by ``AC + (BAC - EV) / PF`` for each performance factor (None where PF is undefined or 0)."""

    pf1: float
    cpi: float | None
    spi: float | None
    spi_t: float | None
    cpi_spi: float | None
    cpi_spi_t: float | None
    cpi80_spi20: float | None
    cpi80_spi_t20: float | None


@dataclass(frozen=True, slots=True)
class TimeForecasts:
    """EAC(t) by the planned value (pv), earned duration (ed) and earned schedule (es) methods."""

    pv_pf1: DatedDuration | None
    pv_spi: DatedDuration | None
    pv_sci: DatedDuration | None
    ed_pf1: DatedDuration | None
    ed_spi: DatedDuration | None
    ed_sci: DatedDuration | None
    es_pf1: DatedDuration | None
    es_spi_t: DatedDuration | None
    es_sci_t: DatedDuration | None


@dataclass(frozen=True, slots=True)
class Forecast:
    """The recommended forecast: finish and final cost with their ranges (see the module docstring)."""

    finish: datetime
    duration_days: float
    cost: float
    finish_range: tuple[datetime, datetime]
    duration_range: tuple[float, float]
    cost_range: tuple[float, float]
    method: str


@dataclass(frozen=True, slots=True)
class PeriodMetrics:
    """Every EVM / earned-schedule figure of one status point."""

    status_date: datetime
    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    percent_complete: float
    pd_days: float
    at_days: float
    es_days: float
    es_date: datetime
    sv_t_days: float
    spi_t: float | None
    p_factor: float | None
    eac_cost: CostForecasts
    etc: float | None
    vac: float | None
    tcpi_bac: float | None
    tcpi_eac: float | None
    eac_time: TimeForecasts
    forecast: Forecast | None


@dataclass(frozen=True, slots=True)
class ReferenceRecord:
    """One tracking period of a closed project, for the reference class of :func:`recommend`.

    ``time_ratio`` = real duration / earned-schedule forecast (PF=1), ``cost_ratio`` = real cost / the
    base cost forecast (mean of PF=1 and CPI), both at this period; ``progress`` = EV / BAC then.
    """

    project: str
    sector: str
    progress: float
    time_ratio: float | None
    cost_ratio: float | None
