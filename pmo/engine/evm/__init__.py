"""Earned value and earned schedule: PV, EV, AC, indices, cost and time forecasts, roll-ups.

Inputs
------
* a :class:`Baseline`: the cumulative, time-phased planned value (PV) curve of the baseline, as points
  ``(datetime, cumulative PV)`` on a :class:`~pmo.engine.calendar.WorkingCalendar`.  Between two points
  PV grows linearly in *working time*; two points at the same instant make a step (a cost incurred at
  once).  At the exact instant of a step the step is not yet counted (PV is left-continuous), so a
  fixed cost incurred when an activity starts on Monday 08:00 is not in the PV of Friday 17:00 nor of
  Monday 08:00.  :meth:`Baseline.from_activities` builds the curve from activities (cost spread
  linearly over the working time between baseline start and finish, ``cost_at_start`` incurred at the
  start) exactly as ProTrack does, and keeps the activities for the p-factor.  BAC is the final PV
  unless given.
* :class:`StatusPoint` values: status date, EV, AC (and, optionally, EV per activity for the p-factor).

Time is measured in working time from the baseline start and reported in *working days* (working
minutes divided by the calendar's ``minutes_per_day``); durations are turned back into dates with
"finish" arithmetic (a duration ending at the end of a working day gives 17:00 that day, not 08:00 the
next).

Formulas (``PD`` planned duration, ``AT`` actual time = working time from the baseline start to the
status date, ``ES`` earned schedule; all in working days)
-------------------------------------------------------------------------------------------------
* ``SV = EV - PV``, ``CV = EV - AC``, ``SPI = EV / PV``, ``CPI = EV / AC``, ``SCI = SPI x CPI``.
* Cost: ``EAC = AC + (BAC - EV) / PF`` with ``PF = 1`` (= ``AC + BAC - EV``), ``CPI`` (= ``BAC / CPI``),
  ``SPI``, ``SPI(t)``, ``SCI`` (= ``CPI x SPI``), ``SCI(t)``, ``0.8 CPI + 0.2 SPI`` and
  ``0.8 CPI + 0.2 SPI(t)``; ``ETC = EAC - AC``, ``VAC = BAC - EAC``; ``TCPI(BAC) = (BAC - EV) / (BAC -
  AC)`` and ``TCPI(EAC) = (BAC - EV) / (EAC - AC)`` with the recommended (else the ``CPI x SPI``) EAC.
* Earned schedule (Lipke): ``ES = C + (EV - PV_C) / (PV_C+1 - PV_C)``, i.e. the instant at which the
  baseline's PV curve reaches EV, interpolated linearly in working time between curve points.  Where
  PV is flat, the instant nearest the status date is taken, as ProTrack does: ``EV = PV`` gives
  ``ES = min(AT, PD)`` (SPI = 1 gives SPI(t) = 1), ``EV > PV`` the first instant PV reaches EV, ``EV < PV``
  the last instant PV is still at most EV.  With the baseline's ``resolution_minutes`` (1 by default;
  the DSLIB reader uses 60 because ProTrack counts ES in whole working hours) ES is rounded to the
  step, away from the status date.  ``SV(t) = ES - AT``,
  ``SPI(t) = ES / AT``.  p-factor: ``sum_i min(EV_i, PV_i(ES)) / sum_i PV_i(ES)`` over activities.
* Time (Vandevoorde & Vanhoucke 2006): planned value method ``PD - SV / (BAC / PD)`` (PF=1), ``PD / SPI``,
  ``PD / SCI``; earned duration ``ED = AT x SPI``, ``AT + (max(PD, AT) - ED) / PF`` with PF = 1, SPI, SCI;
  earned schedule ``AT + (PD - ES) / PF`` with PF = 1, SPI(t), SCI(t).

Every ratio whose denominator is zero (EV = 0, AC = 0, PV = 0, AT = 0) is ``None``, and so is every
forecast that needs it; nothing raises on such values.

Recommended forecast
--------------------
The textbook methods extrapolate the project's own performance and are biased: on the DSLIB real
projects the earned-schedule method (PF=1) misses the real duration by 10.19 % on average and the CPI
method the real cost by 9.81 %, and most projects end later and dearer than their indices say (work
added late, rework).  :func:`recommend` combines two corrections:

1. **base forecasts**: the duration by the earned-schedule method with PF=1 (``AT + PD - ES``, the most
   accurate time method in the empirical studies); the cost by the mean of the PF=1 and the CPI
   forecasts (``AC + BAC - EV`` assumes the overrun so far is a one-off, ``BAC / CPI`` that it goes on;
   the average of the two is more accurate than either on the DSLIB data, 9.3 % against 9.8 %);
2. **reference class** (Flyvbjerg's reference class forecasting applied to EVM, as in Batselier &
   Vanhoucke 2016-2017): the history (:class:`ReferenceRecord` values passed in as data: for each
   tracking period of each closed project its sector, its progress ``EV / BAC`` and the ratios *real
   outcome / base forecast* for time and cost) is narrowed to the periods within ``progress_window``
   (0.2) of the current progress, of projects of the same sector, or of every sector when fewer than
   ``min_projects`` (8) projects remain.  Each reference project counts once (the median of its ratios
   in the window).  The forecast is the base forecast times the median of those ratios weighted by
   ``1 / ratio`` (the factor that minimises the mean absolute percentage error over the class, since
   ``|f / r - 1| = |f - r| / r``); the range is the base forecast times the 10th and 90th percentiles
   of every period's ratio in the window (each project's periods sharing one weight), an 80 % band of
   the class.  Out of sample it holds fewer real outcomes (about 74 % for time and 76 % for cost on
   DSLIB, leave-one-out): read it as a likely range, not a guarantee.

Without history the forecast is the base forecast, and the range spans the textbook methods (time: ES
with PF = 1 and PF = SPI(t); cost: PF = 1, CPI and CPI x SPI).  The engine never reads files: the
caller builds the history from its closed projects with :func:`reference_records`.
``bench/bench_dslib.py`` measures the forecast leave-one-out on the 97 DSLIB projects (the project
being forecast is never in its own reference class).

>>> from datetime import datetime
>>> baseline = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
...                      PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))   # 10 working days
>>> m = analyse(baseline, [StatusPoint(datetime(2025, 1, 10, 17), ev=400.0, ac=500.0)])[0]
>>> m.pv, m.spi, m.cpi, m.es_days, m.spi_t
(500.0, 0.8, 0.8, 4.0, 0.8)
>>> m.eac_cost.cpi, m.eac_time.es_pf1.days, m.eac_time.es_pf1.finish
(1250.0, 11.0, datetime.datetime(2025, 1, 20, 17, 0))
>>> m.forecast.cost, m.forecast.finish     # no history: (PF=1 + CPI) / 2 and earned schedule
(1175.0, datetime.datetime(2025, 1, 20, 17, 0))
"""

from __future__ import annotations

from pmo.engine.evm.analysis import analyse, eac_cost, eac_time_es, tcpi
from pmo.engine.evm.baseline import Baseline, BaselineActivity, PlannedValuePoint, StatusPoint
from pmo.engine.evm.forecast import recommend, reference_records
from pmo.engine.evm.results import (
    CostForecasts,
    DatedDuration,
    Forecast,
    PeriodMetrics,
    ReferenceRecord,
    TimeForecasts,
)
from pmo.engine.evm.rollup import RollupMetrics, rollup

__all__ = [
    "Baseline",
    "BaselineActivity",
    "CostForecasts",
    "DatedDuration",
    "Forecast",
    "PeriodMetrics",
    "PlannedValuePoint",
    "ReferenceRecord",
    "RollupMetrics",
    "StatusPoint",
    "TimeForecasts",
    "analyse",
    "eac_cost",
    "eac_time_es",
    "recommend",
    "reference_records",
    "rollup",
    "tcpi",
]
