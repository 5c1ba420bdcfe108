"""The inputs of earned value: the baseline's time-phased planned value curve and status points."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import InvalidInputError
from pmo.engine.evm._util import _finite, _naive

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
