"""Working calendars: when work can happen, and arithmetic in working minutes.

A :class:`WorkingCalendar` is a weekly pattern of working intervals (minutes from midnight, per weekday,
Monday = 0) plus dated exceptions: holidays (no working time) or days with their own intervals (a working
Saturday, a short day).  All arithmetic uses naive :class:`~datetime.datetime` values (the caller deals
with time zones) at minute resolution (seconds are dropped) and durations in integer *working minutes*.

Two conventions matter and are used consistently by the scheduler:

* adding work is "finish" arithmetic: ``add_working_minutes(start, n)`` returns the *earliest* instant at
  which ``n`` working minutes have elapsed, so a 480-minute task that starts Monday 08:00 finishes Monday
  17:00 (not Tuesday 08:00);
* subtracting work is "start" arithmetic: ``add_working_minutes(finish, -n)`` returns the *latest*
  instant from which ``n`` working minutes end at ``finish`` (Tuesday 08:00 minus 240 minutes is Monday
  13:00, the end of lunch, not 12:00).

Every operation walks working intervals day by day and skips whole exception-free weeks at once, so adding
years of work costs a few hundred steps at most, never one step per minute.

>>> from datetime import datetime
>>> cal = WorkingCalendar.standard()
>>> cal.add_working_minutes(datetime(2025, 1, 6, 8), 480)    # Monday 08:00 + 1 day of work
datetime.datetime(2025, 1, 6, 17, 0)
>>> cal.add_working_minutes(datetime(2025, 1, 10, 13), 480)  # Friday 13:00 + 1 day: over the weekend
datetime.datetime(2025, 1, 13, 12, 0)
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pmo.engine.errors import InvalidInputError

__all__ = [
    "STANDARD_DAY",
    "CalendarException",
    "DayPattern",
    "Interval",
    "WorkingCalendar",
]

Interval = tuple[int, int]
"""A working interval ``(start_minute, end_minute)`` counted from midnight, ``0 <= start < end <= 1440``."""

DayPattern = tuple[Interval, ...]
"""The working intervals of one day, sorted and non-overlapping; ``()`` means a non-working day."""

MINUTES_PER_DAY = 1440
STANDARD_DAY: DayPattern = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))
"""08:00-12:00 and 13:00-17:00: 480 working minutes."""

_STANDARD_WEEK: tuple[DayPattern, ...] = (STANDARD_DAY,) * 5 + ((), ())
_EPOCH = datetime(1, 1, 1)  # ordinal 1, a Monday
_DURATION_RE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(mo|min|m|h|d|w|ed|eh)?\s*$", re.IGNORECASE)


def _to_minute(dt: datetime) -> int:
    """Absolute minute number of a naive datetime (seconds and microseconds are dropped)."""
    return dt.toordinal() * MINUTES_PER_DAY + dt.hour * 60 + dt.minute


def _from_minute(minute: int) -> datetime:
    """Inverse of :func:`_to_minute`."""
    return _EPOCH + timedelta(minutes=minute - MINUTES_PER_DAY)


_MINUTE_DELTAS = [timedelta(minutes=m) for m in range(MINUTES_PER_DAY + 1)]


class _MinuteConverter:
    """Absolute minute -> datetime, caching each day's midnight (fast for many values)."""

    __slots__ = ("_days",)

    def __init__(self) -> None:
        self._days: dict[int, datetime] = {}

    def __call__(self, minute: int) -> datetime:
        ordinal, t = divmod(minute, MINUTES_PER_DAY)
        midnight = self._days.get(ordinal)
        if midnight is None:
            midnight = self._days[ordinal] = datetime.fromordinal(ordinal)
        return midnight + _MINUTE_DELTAS[t]


def _check_naive(dt: datetime, what: str) -> None:
    if not isinstance(dt, datetime):
        raise InvalidInputError(f"{what} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is not None:
        raise InvalidInputError(f"{what} must be a naive datetime (the caller handles time zones)")


def _validate_pattern(pattern: object, what: str) -> DayPattern:
    """Check a day pattern and return it as a tuple of int pairs."""
    try:
        intervals = tuple((int(s), int(e)) for s, e in pattern)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{what}: expected a sequence of (start_minute, end_minute) pairs") from exc
    previous_end = 0
    for start, end in intervals:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise InvalidInputError(f"{what}: interval ({start}, {end}) must satisfy 0 <= start < end <= 1440")
        if start < previous_end:
            raise InvalidInputError(f"{what}: intervals must be sorted and must not overlap")
        previous_end = end
    return intervals


def _overlap(pattern: DayPattern, lo: int, hi: int) -> int:
    """Working minutes of ``pattern`` inside the minute-of-day window ``[lo, hi)``."""
    total = 0
    for start, end in pattern:
        a = start if start > lo else lo
        b = end if end < hi else hi
        if b > a:
            total += b - a
    return total


@dataclass(frozen=True, slots=True)
class CalendarException:
    """A dated exception to the weekly pattern, for one day or an inclusive range of days.

    ``intervals=()`` (the default) makes the days non-working (a holiday, a resource's leave); otherwise
    the days use exactly these working intervals (a working Saturday, a half day).

    >>> from datetime import date
    >>> CalendarException(date(2025, 12, 25), name="Christmas").is_holiday
    True
    >>> half_day = CalendarException(date(2025, 12, 24), intervals=((480, 720),))
    >>> half_day.days()
    (datetime.date(2025, 12, 24),)
    """

    start: date
    finish: date | None = None
    intervals: DayPattern = ()
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.start, date):
            raise InvalidInputError(f"calendar exception {self.name!r}: start must be a date")
        if self.finish is not None and self.finish < self.start:
            raise InvalidInputError(f"calendar exception {self.name!r}: finish is before start")
        what = f"calendar exception {self.name or self.start.isoformat()!r} intervals"
        object.__setattr__(self, "intervals", _validate_pattern(self.intervals, what))

    @property
    def is_holiday(self) -> bool:
        """True when the exception removes all working time.

        >>> from datetime import date
        >>> CalendarException(date(2025, 5, 1)).is_holiday
        True
        """
        return not self.intervals

    def days(self) -> tuple[date, ...]:
        """The dates covered, in order.

        >>> from datetime import date
        >>> len(CalendarException(date(2025, 8, 4), date(2025, 8, 15), name="leave").days())
        12
        """
        first = self.start.toordinal()
        last = (self.finish or self.start).toordinal()
        return tuple(date.fromordinal(o) for o in range(first, last + 1))


@dataclass(frozen=True)
class WorkingCalendar:
    """A weekly working pattern plus dated exceptions.

    ``week`` holds seven day patterns, Monday first.  ``exceptions`` are applied in order (a later
    exception wins for the same date).  ``minutes_per_day`` and ``days_per_week`` only convert day and
    week *counts* to minutes (``"3d"`` = 3 x 480 minutes); they do not change where working time is.

    Derive a resource calendar from a project calendar with :meth:`with_exceptions` or
    :meth:`with_holidays`; the result is a new calendar, the base one is unchanged.

    >>> from datetime import date, datetime
    >>> project = WorkingCalendar.standard()
    >>> alice = project.with_holidays(date(2025, 1, 7), name="Alice")   # Alice is off on Tuesday
    >>> start = datetime(2025, 1, 6, 8)
    >>> project.add_working_minutes(start, 2 * 480), alice.add_working_minutes(start, 2 * 480)
    (datetime.datetime(2025, 1, 7, 17, 0), datetime.datetime(2025, 1, 8, 17, 0))
    >>> project.minutes_per_week
    2400
    """

    name: str = "Standard"
    week: tuple[DayPattern, ...] = _STANDARD_WEEK
    exceptions: tuple[CalendarException, ...] = ()
    minutes_per_day: int = 480
    days_per_week: int = 5
    _by_ordinal: dict[int, DayPattern] = field(init=False, repr=False, compare=False)
    _exception_minutes: dict[int, int] = field(init=False, repr=False, compare=False)
    _exception_ordinals: list[int] = field(init=False, repr=False, compare=False)
    _weekday_minutes: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _week_minutes: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise InvalidInputError(f"calendar {self.name!r}: week must have 7 day patterns (Monday first)")
        week = tuple(_validate_pattern(p, f"calendar {self.name!r} weekday {i}") for i, p in enumerate(self.week))
        exceptions = tuple(self.exceptions)
        for exc in exceptions:
            if not isinstance(exc, CalendarException):
                raise InvalidInputError(f"calendar {self.name!r}: exceptions must be CalendarException")
        if not isinstance(self.minutes_per_day, int) or self.minutes_per_day <= 0:
            raise InvalidInputError(f"calendar {self.name!r}: minutes_per_day must be a positive int")
        if not isinstance(self.days_per_week, int) or not 1 <= self.days_per_week <= 7:
            raise InvalidInputError(f"calendar {self.name!r}: days_per_week must be within 1..7")
        by_ordinal: dict[int, DayPattern] = {}
        for exc in exceptions:
            first = exc.start.toordinal()
            last = (exc.finish or exc.start).toordinal()
            for ordinal in range(first, last + 1):
                by_ordinal[ordinal] = exc.intervals
        weekday_minutes = tuple(_overlap(p, 0, MINUTES_PER_DAY) for p in week)
        week_minutes = sum(weekday_minutes)
        exception_minutes = {o: _overlap(p, 0, MINUTES_PER_DAY) for o, p in by_ordinal.items()}
        if week_minutes == 0 and not any(exception_minutes.values()):
            raise InvalidInputError(f"calendar {self.name!r} has no working time at all")
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "exceptions", exceptions)
        object.__setattr__(self, "_by_ordinal", by_ordinal)
        object.__setattr__(self, "_exception_minutes", exception_minutes)
        object.__setattr__(self, "_exception_ordinals", sorted(by_ordinal))
        object.__setattr__(self, "_weekday_minutes", weekday_minutes)
        object.__setattr__(self, "_week_minutes", week_minutes)

    # ------------------------------------------------------------------ construction helpers

    @classmethod
    def standard(cls, name: str = "Standard") -> WorkingCalendar:
        """Monday to Friday, 08:00-12:00 and 13:00-17:00 (480 minutes a day), no exceptions.

        >>> cal = WorkingCalendar.standard()
        >>> cal.week[0], cal.week[5]
        (((480, 720), (780, 1020)), ())
        """
        return cls(name=name)

    def with_exceptions(self, *exceptions: CalendarException, name: str | None = None) -> WorkingCalendar:
        """A copy of this calendar with more exceptions (they win over existing ones on the same date).

        >>> from datetime import date, datetime
        >>> sat = CalendarException(date(2025, 1, 11), intervals=((480, 720),), name="working Saturday")
        >>> cal = WorkingCalendar.standard().with_exceptions(sat)
        >>> cal.add_working_minutes(datetime(2025, 1, 10, 13), 480)   # Friday 13:00 + 8h: 4h Fri, 4h Sat
        datetime.datetime(2025, 1, 11, 12, 0)
        """
        return WorkingCalendar(
            name=self.name if name is None else name,
            week=self.week,
            exceptions=self.exceptions + tuple(exceptions),
            minutes_per_day=self.minutes_per_day,
            days_per_week=self.days_per_week,
        )

    def with_holidays(self, *days: date, name: str | None = None) -> WorkingCalendar:
        """A copy of this calendar where the given dates are non-working.

        >>> from datetime import date
        >>> cal = WorkingCalendar.standard().with_holidays(date(2025, 12, 25), date(2025, 12, 26))
        >>> cal.working_minutes_on(date(2025, 12, 25)), cal.working_minutes_on(date(2025, 12, 24))
        (0, 480)
        """
        return self.with_exceptions(*(CalendarException(d) for d in days), name=name)

    # ------------------------------------------------------------------ day level

    def intervals_on(self, day: date) -> DayPattern:
        """The working intervals of a date (its exception if any, else its weekday pattern).

        >>> from datetime import date
        >>> WorkingCalendar.standard().intervals_on(date(2025, 1, 6))
        ((480, 720), (780, 1020))
        """
        return self._pattern(day.toordinal())

    def working_minutes_on(self, day: date) -> int:
        """Working minutes of a date.

        >>> from datetime import date
        >>> WorkingCalendar.standard().working_minutes_on(date(2025, 1, 11))   # a Saturday
        0
        """
        ordinal = day.toordinal()
        minutes = self._exception_minutes.get(ordinal)
        return self._weekday_minutes[(ordinal - 1) % 7] if minutes is None else minutes

    @property
    def minutes_per_week(self) -> int:
        """``minutes_per_day * days_per_week``: what one week (``"1w"``) of duration means.

        >>> WorkingCalendar.standard().minutes_per_week
        2400
        """
        return self.minutes_per_day * self.days_per_week

    def days_to_minutes(self, days: float) -> int:
        """Convert a count of working days to working minutes (rounded to the minute).

        >>> WorkingCalendar.standard().days_to_minutes(2.5)
        1200
        """
        return round(days * self.minutes_per_day)

    def minutes_to_days(self, minutes: int) -> float:
        """Convert working minutes to (fractional) working days.

        >>> WorkingCalendar.standard().minutes_to_days(1200)
        2.5
        """
        return minutes / self.minutes_per_day

    def parse_duration(self, text: str | int | float) -> int:
        """Parse ``"3d"``, ``"4h"``, ``"90m"``, ``"2w"``, ``"1mo"`` (20 days) into working minutes.

        A bare number is a number of minutes.  Days, weeks and months use this calendar's
        ``minutes_per_day`` and ``days_per_week``; a month is 20 working days (MS Project's default).

        >>> cal = WorkingCalendar.standard()
        >>> [cal.parse_duration(x) for x in ("3d", "1.5h", "90min", "2w", 45)]
        [1440, 90, 90, 4800, 45]
        """
        if isinstance(text, bool):
            raise InvalidInputError(f"duration must be a number or a string like '3d', got {text!r}")
        if isinstance(text, int | float):
            return round(text)
        match = _DURATION_RE.match(text)
        if match is None:
            raise InvalidInputError(f"cannot parse duration {text!r} (expected e.g. '3d', '4h', '30m', '2w')")
        value = float(match.group(1))
        unit = (match.group(2) or "m").lower()
        factor = {
            "m": 1,
            "min": 1,
            "h": 60,
            "d": self.minutes_per_day,
            "w": self.minutes_per_week,
            "mo": 20 * self.minutes_per_day,
        }.get(unit)
        if factor is None:
            raise InvalidInputError(f"duration {text!r}: elapsed units are not working durations")
        return round(value * factor)

    # ------------------------------------------------------------------ public datetime API

    def is_working_time(self, dt: datetime) -> bool:
        """True if ``dt`` lies inside a working interval (start inclusive, end exclusive).

        >>> from datetime import datetime
        >>> cal = WorkingCalendar.standard()
        >>> cal.is_working_time(datetime(2025, 1, 6, 8)), cal.is_working_time(datetime(2025, 1, 6, 12))
        (True, False)
        """
        _check_naive(dt, "dt")
        return self._is_working(_to_minute(dt))

    def next_working_time(self, dt: datetime) -> datetime:
        """``dt`` itself if it is working time, else the start of the next working interval.

        >>> from datetime import datetime
        >>> WorkingCalendar.standard().next_working_time(datetime(2025, 1, 10, 17))   # Friday 17:00
        datetime.datetime(2025, 1, 13, 8, 0)
        """
        _check_naive(dt, "dt")
        return _from_minute(self._next_working(_to_minute(dt)))

    def previous_working_time(self, dt: datetime) -> datetime:
        """``dt`` itself if working time ends at or runs through it, else the end of the previous interval.

        >>> from datetime import datetime
        >>> WorkingCalendar.standard().previous_working_time(datetime(2025, 1, 13, 8))   # Monday 08:00
        datetime.datetime(2025, 1, 10, 17, 0)
        """
        _check_naive(dt, "dt")
        return _from_minute(self._previous_working(_to_minute(dt)))

    def add_working_minutes(self, dt: datetime, minutes: int) -> datetime:
        """Move ``minutes`` working minutes forward (positive) or backward (negative) from ``dt``.

        Forward returns the earliest instant at which the work is done (a finish); backward returns the
        latest instant from which the work ends at ``dt`` (a start).  Zero returns ``dt`` unchanged.

        >>> from datetime import datetime
        >>> cal = WorkingCalendar.standard()
        >>> cal.add_working_minutes(datetime(2025, 1, 6, 8), 480)      # Monday 08:00 + 1 day
        datetime.datetime(2025, 1, 6, 17, 0)
        >>> cal.add_working_minutes(datetime(2025, 1, 7, 8), -240)     # Tuesday 08:00 - 4 hours
        datetime.datetime(2025, 1, 6, 13, 0)
        >>> cal.add_working_minutes(datetime(2025, 1, 6, 8), 52 * 2400)  # a year of work
        datetime.datetime(2026, 1, 2, 17, 0)
        """
        _check_naive(dt, "dt")
        if minutes == 0:
            return dt
        if minutes > 0:
            return _from_minute(self._forward(_to_minute(dt), minutes))
        return _from_minute(self._backward(_to_minute(dt), -minutes))

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes in ``[start, end)``; negative when ``end`` is before ``start``.

        >>> from datetime import datetime
        >>> cal = WorkingCalendar.standard()
        >>> cal.working_minutes_between(datetime(2025, 1, 6, 8), datetime(2025, 1, 13, 8))
        2400
        >>> cal.working_minutes_between(datetime(2025, 1, 6, 17), datetime(2025, 1, 6, 11))
        -300
        """
        _check_naive(start, "start")
        _check_naive(end, "end")
        return self._between(_to_minute(start), _to_minute(end))

    def offsets_to_datetimes(self, origin: datetime, offsets: Iterable[int], *, finish: bool) -> dict[int, datetime]:
        """Convert many working-minute offsets from ``origin`` to datetimes with one sorted sweep.

        An offset ``w`` denotes every instant with ``w`` working minutes between ``origin`` and it.  With
        ``finish=True`` the earliest such instant is returned (where work *ends*, e.g. 17:00); with
        ``finish=False`` the latest one (where work *resumes*, e.g. 08:00 next day).  The scheduler uses
        this to turn 100,000 integer dates into datetimes in one pass.

        >>> from datetime import datetime
        >>> cal = WorkingCalendar.standard()
        >>> monday = datetime(2025, 1, 6, 8)
        >>> cal.offsets_to_datetimes(monday, [480, 960], finish=True)
        {480: datetime.datetime(2025, 1, 6, 17, 0), 960: datetime.datetime(2025, 1, 7, 17, 0)}
        >>> cal.offsets_to_datetimes(monday, [480, -240], finish=False)
        {-240: datetime.datetime(2025, 1, 3, 13, 0), 480: datetime.datetime(2025, 1, 7, 8, 0)}
        """
        _check_naive(origin, "origin")
        values = sorted(set(offsets))
        finishes, starts = self._sweep(_to_minute(origin), values)
        convert = _MinuteConverter()
        return {w: convert(m) for w, m in zip(values, finishes if finish else starts, strict=True)}

    def _offset_maps(
        self, origin: datetime, start_offsets: set[int], finish_offsets: set[int]
    ) -> tuple[dict[int, datetime], dict[int, datetime]]:
        """Both conversions of :meth:`offsets_to_datetimes` from a single sweep: (starts, finishes)."""
        values = sorted(start_offsets | finish_offsets)
        finishes, starts = self._sweep(_to_minute(origin), values)
        convert = _MinuteConverter()
        start_map: dict[int, datetime] = {}
        finish_map: dict[int, datetime] = {}
        for w, f, s in zip(values, finishes, starts, strict=True):
            f_dt = convert(f)
            if w in finish_offsets:
                finish_map[w] = f_dt
            if w in start_offsets:
                start_map[w] = f_dt if s == f else convert(s)
        return start_map, finish_map

    def _sweep(self, origin: int, values: list[int]) -> tuple[list[int], list[int]]:
        """Earliest and latest instants (absolute minutes) with each working-minute count in ``values``.

        ``values`` must be sorted and unique.  Counts are relative to ``origin`` (count 0).  The walk moves
        interval by interval from one value to the next (dense values cost O(1) each) and hands long gaps
        to :meth:`_forward` / :meth:`_backward`, which skip whole weeks.
        """
        split = bisect_left(values, 0)
        finishes: list[int] = []
        starts: list[int] = []
        down_f: list[int] = []
        down_s: list[int] = []
        if split:
            self._sweep_down(origin, values[split - 1 :: -1], down_f, down_s)
            down_f.reverse()
            down_s.reverse()
        up = values[split:]
        if up and up[0] == 0:
            finishes.append(self._previous_working(origin))
            starts.append(self._next_working(origin))
            up = up[1:]
        if up:
            self._sweep_up(origin, up, finishes, starts)
        return down_f + finishes, down_s + starts

    def _sweep_up(self, origin: int, values: list[int], finishes: list[int], starts: list[int]) -> None:
        day = MINUTES_PER_DAY
        week = self._week_minutes
        start = self._next_working(origin)  # same count as origin
        d, t = divmod(start, day)
        p = self._pattern(d)
        j = next(i for i, (s, e) in enumerate(p) if s <= t < e)
        c = 0  # count at instant d*day + t, which lies inside interval j (s <= t <= e)
        for w in values:
            need = w - c
            while True:
                e = p[j][1]
                avail = e - t
                if need <= avail:
                    t += need
                    break
                need -= avail
                j += 1
                if j < len(p):
                    t = p[j][0]
                    continue
                if week and need > week:  # long gap: let _forward skip whole weeks, then re-anchor
                    f = self._forward(d * day + e, need)
                    d, t = divmod(f, day)
                    if t == 0:
                        d, t = d - 1, day
                    p = self._pattern(d)
                    j = next(i for i, (s, e2) in enumerate(p) if s < t <= e2)
                    need = 0
                    break
                while True:
                    d += 1
                    p = self._pattern(d)
                    if p:
                        break
                    if self._no_more_work(d, True):
                        raise self._exhausted()
                j = 0
                t = p[0][0]
            c = w
            f = d * day + t
            finishes.append(f)
            if t < p[j][1]:
                starts.append(f)
            elif j + 1 < len(p):
                starts.append(d * day + p[j + 1][0])
            else:
                starts.append(self._next_working(f))

    def _sweep_down(self, origin: int, values: list[int], finishes: list[int], starts: list[int]) -> None:
        """Like :meth:`_sweep_up` for negative ``values`` in descending order."""
        day = MINUTES_PER_DAY
        week = self._week_minutes
        end = self._previous_working(origin)  # same count as origin
        d, t = divmod(end, day)
        if t == 0:
            d, t = d - 1, day
        p = self._pattern(d)
        j = next(i for i, (s, e) in enumerate(p) if s < t <= e)
        c = 0  # count at instant d*day + t, which lies inside interval j (s <= t <= e)
        for w in values:
            need = c - w
            while True:
                s = p[j][0]
                avail = t - s
                if need <= avail:
                    t -= need
                    break
                need -= avail
                j -= 1
                if j >= 0:
                    t = p[j][1]
                    continue
                if week and need > week:
                    b = self._backward(d * day + s, need)
                    d, t = divmod(b, day)
                    p = self._pattern(d)
                    j = next(i for i, (s2, e) in enumerate(p) if s2 <= t < e)
                    need = 0
                    break
                while True:
                    d -= 1
                    p = self._pattern(d)
                    if p:
                        break
                    if self._no_more_work(d, False):
                        raise self._exhausted()
                j = len(p) - 1
                t = p[j][1]
            c = w
            b = d * day + t
            starts.append(b)
            if t > p[j][0]:
                finishes.append(b)
            elif j > 0:
                finishes.append(d * day + p[j - 1][1])
            else:
                finishes.append(self._previous_working(b))

    # ------------------------------------------------------------------ integer-minute core

    def _pattern(self, ordinal: int) -> DayPattern:
        pattern = self._by_ordinal.get(ordinal)
        return self.week[(ordinal - 1) % 7] if pattern is None else pattern

    def _day_minutes(self, ordinal: int) -> int:
        minutes = self._exception_minutes.get(ordinal)
        return self._weekday_minutes[(ordinal - 1) % 7] if minutes is None else minutes

    def _no_more_work(self, ordinal: int, forward: bool) -> bool:
        """True when no working time exists beyond ``ordinal`` in the given direction."""
        if self._week_minutes:
            return False
        exc = self._exception_ordinals
        worked = [o for o in exc if self._exception_minutes[o]]
        return not worked or (ordinal > worked[-1] if forward else ordinal < worked[0])

    def _exhausted(self) -> InvalidInputError:
        return InvalidInputError(f"calendar {self.name!r} has no working time in that direction")

    def _is_working(self, minute: int) -> bool:
        ordinal, t = divmod(minute, MINUTES_PER_DAY)
        return any(start <= t < end for start, end in self._pattern(ordinal))

    def _next_working(self, minute: int) -> int:
        ordinal, t = divmod(minute, MINUTES_PER_DAY)
        for start, end in self._pattern(ordinal):
            if t < end:
                return ordinal * MINUTES_PER_DAY + (start if start > t else t)
        while True:
            ordinal += 1
            pattern = self._pattern(ordinal)
            if pattern:
                return ordinal * MINUTES_PER_DAY + pattern[0][0]
            if self._no_more_work(ordinal, True):
                raise self._exhausted()

    def _previous_working(self, minute: int) -> int:
        ordinal, t = divmod(minute, MINUTES_PER_DAY)
        for start, end in reversed(self._pattern(ordinal)):
            if start < t:
                return ordinal * MINUTES_PER_DAY + (end if end < t else t)
        while True:
            ordinal -= 1
            pattern = self._pattern(ordinal)
            if pattern:
                return ordinal * MINUTES_PER_DAY + pattern[-1][1]
            if self._no_more_work(ordinal, False):
                raise self._exhausted()

    def _forward(self, minute: int, amount: int) -> int:
        """Earliest instant ``x >= minute`` with ``amount`` (> 0) working minutes in ``[minute, x)``."""
        ordinal, t = divmod(minute, MINUTES_PER_DAY)
        for start, end in self._pattern(ordinal):
            if end <= t:
                continue
            if start < t:
                start = t
            avail = end - start
            if amount <= avail:
                return ordinal * MINUTES_PER_DAY + start + amount
            amount -= avail
        ordinal += 1
        week = self._week_minutes
        exc = self._exception_ordinals
        while True:
            if week and amount > week:
                # skip whole weeks that contain no exception; keep >= 1 minute so we land on the finish day
                k = (amount - 1) // week
                i = bisect_left(exc, ordinal)
                if i < len(exc):
                    k = min(k, (exc[i] - ordinal) // 7)
                if k > 0:
                    ordinal += 7 * k
                    amount -= k * week
            day = self._day_minutes(ordinal)
            if amount <= day:
                for start, end in self._pattern(ordinal):
                    avail = end - start
                    if amount <= avail:
                        return ordinal * MINUTES_PER_DAY + start + amount
                    amount -= avail
            amount -= day
            if not day and self._no_more_work(ordinal, True):
                raise self._exhausted()
            ordinal += 1

    def _backward(self, minute: int, amount: int) -> int:
        """Latest instant ``x <= minute`` with ``amount`` (> 0) working minutes in ``[x, minute)``."""
        ordinal, t = divmod(minute, MINUTES_PER_DAY)
        for start, end in reversed(self._pattern(ordinal)):
            if start >= t:
                continue
            if end > t:
                end = t
            avail = end - start
            if amount <= avail:
                return ordinal * MINUTES_PER_DAY + end - amount
            amount -= avail
        ordinal -= 1
        week = self._week_minutes
        exc = self._exception_ordinals
        while True:
            if week and amount > week:
                k = (amount - 1) // week
                i = bisect_right(exc, ordinal) - 1
                if i >= 0:
                    k = min(k, (ordinal - exc[i]) // 7)
                if k > 0:
                    ordinal -= 7 * k
                    amount -= k * week
            day = self._day_minutes(ordinal)
            if amount <= day:
                for start, end in reversed(self._pattern(ordinal)):
                    avail = end - start
                    if amount <= avail:
                        return ordinal * MINUTES_PER_DAY + end - amount
                    amount -= avail
            amount -= day
            if not day and self._no_more_work(ordinal, False):
                raise self._exhausted()
            ordinal -= 1

    def _between(self, a: int, b: int) -> int:
        """Signed working minutes in ``[a, b)``."""
        if b < a:
            return -self._between(b, a)
        da, ta = divmod(a, MINUTES_PER_DAY)
        db, tb = divmod(b, MINUTES_PER_DAY)
        if da == db:
            return _overlap(self._pattern(da), ta, tb)
        total = _overlap(self._pattern(da), ta, MINUTES_PER_DAY) + _overlap(self._pattern(db), 0, tb)
        days = db - da - 1
        if days > 0:
            weeks, rest = divmod(days, 7)
            total += weeks * self._week_minutes
            weekday_minutes = self._weekday_minutes
            for j in range(rest):
                total += weekday_minutes[(da + j) % 7]  # weekday of ordinal da+1+7*weeks+j
            exc = self._exception_ordinals
            for ordinal in exc[bisect_right(exc, da) : bisect_left(exc, db)]:
                total += self._exception_minutes[ordinal] - weekday_minutes[(ordinal - 1) % 7]
        return total
