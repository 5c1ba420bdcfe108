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

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import InvalidInputError

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


def _ratio(numerator: float, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when the denominator is None or zero.

    >>> _ratio(1.0, 4.0), _ratio(1.0, 0.0), _ratio(1.0, None)
    (0.25, None, None)
    """
    if denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidInputError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _naive(value: datetime, what: str) -> None:
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is not None:
        raise InvalidInputError(f"{what} must be a naive datetime (the caller handles time zones)")


# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class PlannedValuePoint:
    """Cumulative planned value ``pv`` at instant ``at``.

    >>> PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0).pv
    0.0
    """

    at: datetime
    pv: float


@dataclass(frozen=True, slots=True)
class BaselineActivity:
    """One baseline activity: planned ``cost`` spread over ``start .. finish`` in working time.

    ``cost_at_start`` (part of ``cost``) is incurred at the start: fixed costs and per-use resource
    costs in ProTrack.  An activity without working time between start and finish incurs its whole cost
    at the start.

    >>> BaselineActivity("A", datetime(2025, 1, 6, 8), datetime(2025, 1, 6, 17), 800.0, 100.0).cost
    800.0
    """

    id: str
    start: datetime
    finish: datetime
    cost: float
    cost_at_start: float = 0.0


@dataclass(frozen=True, slots=True)
class StatusPoint:
    """The status of the project at ``at``: cumulative earned value and actual cost.

    ``activity_ev`` (optional) gives EV per baseline activity id; it is needed for the p-factor only.

    >>> StatusPoint(datetime(2025, 1, 10, 17), ev=400.0, ac=500.0).ac
    500.0
    """

    at: datetime
    ev: float
    ac: float
    activity_ev: Mapping[str, float] | None = None


@dataclass(frozen=True)
class Baseline:
    """A cumulative time-phased PV curve on a working calendar (see the module docstring).

    Points must be in time order with non-decreasing PV; ``bac`` defaults to the last point's PV.
    ``activities`` (set by :meth:`from_activities`) enable the p-factor.

    >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
    ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
    >>> b.bac, b.planned_duration_days, b.pv_at(datetime(2025, 1, 8, 12))
    (1000.0, 10.0, 250.0)
    """

    points: tuple[PlannedValuePoint, ...]
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.standard)
    bac: float | None = None
    activities: tuple[BaselineActivity, ...] = ()
    resolution_minutes: int = 1
    _offsets: list[int] = field(init=False, repr=False, compare=False)
    _values: list[float] = field(init=False, repr=False, compare=False)
    _keys: list[tuple[int, datetime]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        points = tuple(self.points)
        if not points:
            raise InvalidInputError("baseline: at least one planned value point is needed")
        previous: PlannedValuePoint | None = None
        for i, point in enumerate(points):
            _naive(point.at, f"baseline[{i}].date")
            _finite(point.pv, f"baseline[{i}].pv")
            if point.pv < 0:
                raise InvalidInputError(f"baseline[{i}].pv must be >= 0, got {point.pv}")
            if previous is not None:
                if point.at < previous.at:
                    raise InvalidInputError(f"baseline[{i}].date is before baseline[{i - 1}].date")
                if point.pv < previous.pv:
                    raise InvalidInputError(
                        f"baseline[{i}].pv {point.pv} is below baseline[{i - 1}].pv {previous.pv}:"
                        " planned value must be cumulative"
                    )
            previous = point
        bac = points[-1].pv if self.bac is None else _finite(self.bac, "bac")
        if bac <= 0:
            raise InvalidInputError(f"bac must be > 0, got {bac}")
        if not isinstance(self.resolution_minutes, int) or self.resolution_minutes < 1:
            raise InvalidInputError(f"resolution_minutes must be an int >= 1, got {self.resolution_minutes!r}")
        start = points[0].at
        offsets = [self.calendar.working_minutes_between(start, p.at) for p in points]
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "bac", bac)
        object.__setattr__(self, "activities", tuple(self.activities))
        object.__setattr__(self, "_offsets", offsets)
        object.__setattr__(self, "_values", [float(p.pv) for p in points])
        object.__setattr__(self, "_keys", [(o, p.at) for o, p in zip(offsets, points, strict=True)])

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_activities(
        cls,
        activities: Iterable[BaselineActivity],
        calendar: WorkingCalendar | None = None,
        *,
        bac: float | None = None,
        start: datetime | None = None,
        resolution_minutes: int = 1,
    ) -> Baseline:
        """The PV curve of activities (linear in working time, ``cost_at_start`` at the start).

        ``start`` defaults to the earliest activity start.

        >>> acts = [BaselineActivity("A", datetime(2025, 1, 6, 8), datetime(2025, 1, 7, 17), 1600.0, 600.0),
        ...         BaselineActivity("B", datetime(2025, 1, 8, 8), datetime(2025, 1, 8, 17), 400.0)]
        >>> b = Baseline.from_activities(acts)
        >>> [(p.at.day, p.at.hour, p.pv) for p in b.points]
        [(6, 8, 0.0), (6, 8, 600.0), (7, 17, 1600.0), (8, 17, 2000.0)]
        >>> b.pv_at(datetime(2025, 1, 6, 17)), b.pv_at(datetime(2025, 1, 8, 12))
        (1100.0, 1800.0)
        """
        cal = calendar or WorkingCalendar.standard()
        acts = tuple(activities)
        if not acts:
            raise InvalidInputError("baseline: no activities")
        for a in acts:
            _naive(a.start, f"activity {a.id!r} start")
            _naive(a.finish, f"activity {a.id!r} finish")
            _finite(a.cost, f"activity {a.id!r} cost")
            _finite(a.cost_at_start, f"activity {a.id!r} cost_at_start")
            if a.finish < a.start:
                raise InvalidInputError(f"activity {a.id!r}: finish is before start")
            if a.cost < 0 or a.cost_at_start < 0 or a.cost_at_start > a.cost + 1e-9 * abs(a.cost):
                raise InvalidInputError(f"activity {a.id!r}: need 0 <= cost_at_start <= cost")
        origin = min(a.start for a in acts) if start is None else start
        rate_change: dict[int, float] = {}
        lumps: dict[tuple[int, datetime], float] = {}
        when: dict[int, datetime] = {}
        for a in acts:
            s = cal.working_minutes_between(origin, a.start)
            f = cal.working_minutes_between(origin, a.finish)
            lump = a.cost if f <= s else a.cost_at_start
            if lump:
                lumps[(s, a.start)] = lumps.get((s, a.start), 0.0) + lump
            if f > s and a.cost - lump:
                rate = (a.cost - lump) / (f - s)
                rate_change[s] = rate_change.get(s, 0.0) + rate
                rate_change[f] = rate_change.get(f, 0.0) - rate
            for off, at in ((s, a.start), (f, a.finish)):
                if off not in when or at < when[off]:
                    when[off] = at
        by_offset: dict[int, list[tuple[datetime, float]]] = {}
        for (off, at), amount in sorted(lumps.items()):
            by_offset.setdefault(off, []).append((at, amount))
        points = [PlannedValuePoint(origin, 0.0)]
        cumulative, rate, last = 0.0, 0.0, 0
        for off in sorted(set(when) | {0}):
            cumulative = max(cumulative + rate * (off - last), points[-1].pv)  # no float decrease
            last = off
            at = when.get(off, origin)
            if points[-1].at != at or points[-1].pv != cumulative:
                points.append(PlannedValuePoint(max(at, points[-1].at), cumulative))
            for lump_at, amount in by_offset.get(off, []):
                lump_at = max(lump_at, points[-1].at)
                if points[-1].at != lump_at:
                    points.append(PlannedValuePoint(lump_at, cumulative))
                cumulative += amount
                points.append(PlannedValuePoint(lump_at, cumulative))
            rate += rate_change.get(off, 0.0)
        total = sum(a.cost for a in acts)
        if points[-1].pv != total and abs(points[-1].pv - total) <= 1e-9 * max(1.0, total):
            points = [PlannedValuePoint(p.at, min(p.pv, total)) for p in points]  # drop float residue
            points[-1] = PlannedValuePoint(points[-1].at, total)
        return cls(tuple(points), cal, bac, acts, resolution_minutes)

    # ------------------------------------------------------------------ queries

    @property
    def start(self) -> datetime:
        """The baseline start (the first point)."""
        return self.points[0].at

    @property
    def finish(self) -> datetime:
        """The baseline finish (the last point)."""
        return self.points[-1].at

    @property
    def planned_duration_minutes(self) -> int:
        """PD in working minutes."""
        return self._offsets[-1]

    @property
    def planned_duration_days(self) -> float:
        """PD in working days."""
        return self._offsets[-1] / self.calendar.minutes_per_day

    @property
    def budget(self) -> float:
        """BAC as a float (``bac`` is always set after construction)."""
        return float(self.bac) if self.bac is not None else self._values[-1]

    def offset_of(self, at: datetime) -> int:
        """Working minutes from the baseline start to ``at`` (negative before the start)."""
        return self.calendar.working_minutes_between(self.start, at)

    def date_of(self, minutes: float) -> datetime:
        """The instant ``minutes`` working minutes after the start (finish arithmetic).

        ``minutes`` is rounded to the nearest multiple of ``resolution_minutes`` (a whole minute by default).

        >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
        ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
        >>> b.date_of(480), b.date_of(0)
        (datetime.datetime(2025, 1, 6, 17, 0), datetime.datetime(2025, 1, 6, 8, 0))
        """
        step = self.resolution_minutes
        whole = round(minutes / step) * step
        if whole <= 0:
            return self.start
        return self.calendar.add_working_minutes(self.start, whole)

    def pv_at(self, at: datetime) -> float:
        """Cumulative PV at ``at`` (0 before the start, the last point's PV after the finish)."""
        _naive(at, "date")
        offset = self.offset_of(at)
        i = bisect_left(self._keys, (offset, at))  # points strictly before `at`
        if i == 0:
            return 0.0
        if i == len(self._keys):
            return self._values[-1]
        o0, o1 = self._offsets[i - 1], self._offsets[i]
        v0, v1 = self._values[i - 1], self._values[i]
        if o1 == o0 or v1 == v0:
            return v0
        return v0 + (v1 - v0) * (offset - o0) / (o1 - o0)

    def earned_schedule_minutes(self, ev: float, *, at_minutes: int | None = None, pv: float | None = None) -> float:
        """ES in working minutes: the instant at which the PV curve reaches ``ev``.

        Where the curve is flat at ``ev`` the instant is taken on the side of the status date: with the
        status (``at_minutes`` = AT and ``pv`` = PV at the status date), ``EV = PV`` gives ``min(AT, PD)``,
        ``EV > PV`` the first instant at which PV reaches EV (searching forward) and ``EV < PV`` the last
        instant at which PV is still at most EV (searching backward); without the status, the first.
        ``ev`` within 1e-8 x BAC of a curve value counts as equal to it (float noise in the data).  With a
        ``resolution_minutes`` step, the forward result is rounded up and the backward one down to the
        step (ProTrack's ES in whole hours), with 0.01 minute of slack for float noise.

        >>> b = Baseline((PlannedValuePoint(datetime(2025, 1, 6, 8), 0.0),
        ...               PlannedValuePoint(datetime(2025, 1, 17, 17), 1000.0)))
        >>> b.earned_schedule_minutes(250.0), b.earned_schedule_minutes(5000.0)
        (1200.0, 4800.0)
        >>> b.earned_schedule_minutes(250.0, at_minutes=1500, pv=312.5)   # behind: search backward
        1200.0
        """
        values, offsets = self._values, self._offsets
        tolerance = 1e-8 * max(1.0, self.budget)
        step = self.resolution_minutes
        pd = offsets[-1]
        if at_minutes is not None and pv is not None:
            if abs(ev - pv) <= tolerance:
                return float(min(max(0, at_minutes), pd))
            forward = ev > pv
        else:
            forward = True
        if forward:
            k = bisect_left(values, ev - tolerance)
            if k == 0:
                return 0.0
            if k == len(values):
                return float(pd)
            o0, o1 = offsets[k - 1], offsets[k]
            v0, v1 = values[k - 1], values[k]
            if o1 == o0:  # a step: PV reaches EV when the step is incurred (just after o0)
                return float(min(pd, o0 + step)) if step > 1 else float(o0)
            exact = o0 + min(1.0, max(0.0, (ev - v0) / (v1 - v0))) * (o1 - o0)
            return exact if step == 1 else float(min(pd, math.ceil((exact - 0.01) / step) * step))
        k = bisect_right(values, ev + tolerance) - 1
        if k < 0:
            return 0.0
        if k == len(values) - 1:
            return float(pd)
        o0, o1 = offsets[k], offsets[k + 1]
        v0, v1 = values[k], values[k + 1]
        exact = o0 + max(0.0, ev - v0) / (v1 - v0) * (o1 - o0)
        return exact if step == 1 else float(math.floor((exact + 0.01) / step) * step)

    def activity_pv_at_offset(self, activity: BaselineActivity, minutes: float) -> float:
        """PV of one activity ``minutes`` working minutes after the baseline start.

        >>> a = BaselineActivity("A", datetime(2025, 1, 6, 8), datetime(2025, 1, 7, 17), 1600.0, 600.0)
        >>> b = Baseline.from_activities([a])
        >>> b.activity_pv_at_offset(a, 0), b.activity_pv_at_offset(a, 480), b.activity_pv_at_offset(a, 9999)
        (0.0, 1100.0, 1600.0)
        """
        s = self.offset_of(activity.start)
        f = self.offset_of(activity.finish)
        if minutes <= s:
            return 0.0
        if minutes >= f:
            return activity.cost
        return activity.cost_at_start + (activity.cost - activity.cost_at_start) * (minutes - s) / (f - s)


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
        return DatedDuration(days, baseline.date_of(days * mpd))

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
