"""Tests of pmo.engine.calendar: working time, snapping, working-minute arithmetic, exceptions.

Dates: Monday 2025-01-06 is the reference week.  The standard calendar works 08:00-12:00 and 13:00-17:00
Monday to Friday (480 minutes a day, 2,400 a week).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from pmo.engine.calendar import CalendarException, WorkingCalendar
from pmo.engine.errors import EngineError, InvalidInputError

MON = datetime(2025, 1, 6)  # a Monday, midnight
STD = WorkingCalendar.standard()


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """MON + day_offset calendar days at hour:minute (day_offset 4 = Friday, 7 = next Monday)."""
    return MON + timedelta(days=day_offset, hours=hour, minutes=minute)


# ------------------------------------------------------------------------------------------ brute force


def brute_between(cal: WorkingCalendar, a: datetime, b: datetime) -> int:
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count = 0
    t = a
    while t < b:
        count += cal.is_working_time(t)
        t += timedelta(minutes=1)
    return sign * count


def brute_add(cal: WorkingCalendar, dt: datetime, minutes: int) -> datetime:
    one = timedelta(minutes=1)
    if minutes == 0:
        return dt
    t = dt
    count = 0
    if minutes > 0:
        while True:
            if cal.is_working_time(t):
                count += 1
                if count == minutes:
                    return t + one  # earliest instant at which the work is done
            t += one
    while True:
        t -= one
        if cal.is_working_time(t):
            count += 1
            if count == -minutes:
                return t  # latest instant from which the work ends at dt


def brute_next(cal: WorkingCalendar, dt: datetime) -> datetime:
    t = dt
    while not cal.is_working_time(t):
        t += timedelta(minutes=1)
    return t


def brute_previous(cal: WorkingCalendar, dt: datetime) -> datetime:
    t = dt
    while not cal.is_working_time(t - timedelta(minutes=1)):
        t -= timedelta(minutes=1)
    return t


NIGHT_SHIFT = WorkingCalendar(
    name="night shift",
    # 22:00-24:00 Monday-Friday and 00:00-06:00 Tuesday-Saturday: shifts straddle midnight
    week=(
        ((1320, 1440),),
        ((0, 360), (1320, 1440)),
        ((0, 360), (1320, 1440)),
        ((0, 360), (1320, 1440)),
        ((0, 360), (1320, 1440)),
        ((0, 360),),
        (),
    ),
)
BUSY = STD.with_holidays(date(2025, 1, 8), date(2025, 1, 13)).with_exceptions(
    CalendarException(date(2025, 1, 11), intervals=((540, 600), (660, 900)), name="working Saturday"),
    CalendarException(date(2025, 1, 20), date(2025, 1, 24), name="one week shutdown"),
)


# ------------------------------------------------------------------------------------------ basics


def test_standard_calendar_pattern() -> None:
    assert STD.week[0] == ((480, 720), (780, 1020))
    assert STD.week[5] == STD.week[6] == ()
    assert [STD.working_minutes_on(date(2025, 1, 6 + i)) for i in range(7)] == [480] * 5 + [0, 0]
    assert STD.minutes_per_day == 480
    assert STD.minutes_per_week == 2400


@pytest.mark.parametrize(
    ("dt", "working"),
    [
        (at(0, 7, 59), False),
        (at(0, 8), True),  # interval start is working
        (at(0, 11, 59), True),
        (at(0, 12), False),  # interval end is not
        (at(0, 12, 30), False),
        (at(0, 13), True),
        (at(0, 16, 59), True),
        (at(0, 17), False),
        (at(5, 10), False),  # Saturday
    ],
)
def test_is_working_time(dt: datetime, working: bool) -> None:
    assert STD.is_working_time(dt) is working


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (at(0, 7), at(0, 8)),
        (at(0, 8), at(0, 8)),
        (at(0, 10, 15), at(0, 10, 15)),
        (at(0, 12), at(0, 13)),  # lunch
        (at(0, 12, 30), at(0, 13)),
        (at(0, 17), at(1, 8)),  # evening -> next morning
        (at(4, 17), at(7, 8)),  # Friday evening -> Monday
        (at(5, 10), at(7, 8)),  # Saturday -> Monday
    ],
)
def test_next_working_time(dt: datetime, expected: datetime) -> None:
    assert STD.next_working_time(dt) == expected


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (at(0, 17), at(0, 17)),  # the end of working time counts
        (at(0, 18), at(0, 17)),
        (at(0, 12, 30), at(0, 12)),
        (at(0, 13), at(0, 12)),  # start of the afternoon: nothing worked yet, back to noon
        (at(0, 10, 15), at(0, 10, 15)),
        (at(7, 8), at(4, 17)),  # Monday 08:00 -> Friday 17:00
        (at(6, 12), at(4, 17)),  # Sunday -> Friday 17:00
    ],
)
def test_previous_working_time(dt: datetime, expected: datetime) -> None:
    assert STD.previous_working_time(dt) == expected


@pytest.mark.parametrize(
    ("dt", "minutes", "expected"),
    [
        (at(0, 8), 480, at(0, 17)),  # one day of work finishes the same evening, not next morning
        (at(0, 8), 240, at(0, 12)),  # half a day finishes at noon (earliest instant), not 13:00
        (at(0, 8), 241, at(0, 13, 1)),
        (at(0, 17), 1, at(1, 8, 1)),
        (at(0, 7), 60, at(0, 9)),  # starting before working time
        (at(4, 13), 480, at(7, 12)),  # Friday afternoon + 1 day -> Monday noon
        (at(0, 8), 2400, at(4, 17)),  # one week
        (at(0, 8), 2401, at(7, 8, 1)),
        (at(0, 8), 10 * 2400, at(67, 17)),  # ten weeks, via week skipping
        (at(0, 8), 0, at(0, 8)),
        (at(0, 12, 30), 0, at(0, 12, 30)),  # zero never snaps
        # backward: the latest instant from which the work ends at dt
        (at(0, 17), -480, at(0, 8)),
        (at(1, 8), -240, at(0, 13)),  # Tuesday 08:00 - 4h = Monday 13:00 (after lunch)
        (at(1, 8), -480, at(0, 8)),
        (at(7, 8), -1, at(4, 16, 59)),  # Monday 08:00 - 1 min = Friday 16:59
        (at(7, 8), -10 * 2400, at(7 - 70, 8)),  # ten weeks earlier, same Monday 08:00
    ],
)
def test_add_working_minutes(dt: datetime, minutes: int, expected: datetime) -> None:
    assert STD.add_working_minutes(dt, minutes) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(0, 8), at(0, 17), 480),
        (at(0, 11), at(0, 14), 120),  # 11-12 and 13-14
        (at(0, 8), at(7, 8), 2400),
        (at(0, 17), at(1, 8), 0),
        (at(4, 16), at(7, 9), 120),  # over a weekend
        (at(0, 8), at(70, 8), 10 * 2400),
        (at(7, 9), at(4, 16), -120),  # signed
        (at(0, 10), at(0, 10), 0),
    ],
)
def test_working_minutes_between(start: datetime, end: datetime, expected: int) -> None:
    assert STD.working_minutes_between(start, end) == expected


def test_seconds_are_dropped() -> None:
    assert STD.add_working_minutes(at(0, 8) + timedelta(seconds=59), 60) == at(0, 9)
    assert STD.working_minutes_between(at(0, 8, 0) + timedelta(seconds=30), at(0, 9)) == 60


def test_timezone_aware_datetimes_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match="naive"):
        STD.next_working_time(datetime(2025, 1, 6, 8, tzinfo=UTC))


# ------------------------------------------------------------------------------------------ exceptions


def test_holiday_moves_finish() -> None:
    cal = STD.with_holidays(date(2025, 1, 7))  # Tuesday off
    # Monday 08:00 + 2 days: Monday, (Tuesday off), Wednesday -> Wednesday 17:00
    assert cal.add_working_minutes(at(0, 8), 960) == at(2, 17)
    assert cal.add_working_minutes(at(2, 17), -960) == at(0, 8)
    assert cal.working_minutes_between(at(0, 8), at(3, 8)) == 960
    assert cal.next_working_time(at(0, 17)) == at(2, 8)
    assert cal.previous_working_time(at(2, 8)) == at(0, 17)
    assert not cal.is_working_time(at(1, 10))


def test_holiday_range_and_week_skipping() -> None:
    shutdown = CalendarException(date(2025, 12, 22), date(2026, 1, 2), name="winter shutdown")
    cal = STD.with_exceptions(shutdown)
    assert len(shutdown.days()) == 12
    # Friday 2025-12-19 17:00 + 1 minute -> Monday 2026-01-05 08:01
    assert cal.add_working_minutes(datetime(2025, 12, 19, 17), 1) == datetime(2026, 1, 5, 8, 1)
    # one year of work from Monday 2025-01-06: 52 weeks = 124,800 minutes -> Friday 2026-01-02 17:00.
    # The shutdown removes 10 weekdays (Dec 22-26, Dec 29-Jan 2) before that finish, so it moves
    # 10 working days later: Friday 2026-01-16 17:00
    year = 52 * 2400
    assert STD.add_working_minutes(at(0, 8), year) == datetime(2026, 1, 2, 17)
    assert cal.add_working_minutes(at(0, 8), year) == datetime(2026, 1, 16, 17)
    assert cal.working_minutes_between(at(0, 8), datetime(2026, 1, 16, 17)) == year
    assert cal.add_working_minutes(datetime(2026, 1, 16, 17), -year) == at(0, 8)


def test_working_saturday_exception() -> None:
    sat = CalendarException(date(2025, 1, 11), intervals=((480, 720),), name="working Saturday")
    cal = STD.with_exceptions(sat)
    assert cal.working_minutes_on(date(2025, 1, 11)) == 240
    # Friday 13:00 + 480: Friday 13-17 (240) + Saturday 08-12 (240)
    assert cal.add_working_minutes(at(4, 13), 480) == at(5, 12)
    assert cal.next_working_time(at(4, 17)) == at(5, 8)
    assert cal.working_minutes_between(at(4, 8), at(7, 8)) == 720


def test_later_exception_wins_and_base_is_unchanged() -> None:
    half = CalendarException(date(2025, 1, 7), intervals=((480, 720),))
    cal = STD.with_holidays(date(2025, 1, 7)).with_exceptions(half, name="Alice")
    assert cal.name == "Alice"
    assert cal.working_minutes_on(date(2025, 1, 7)) == 240
    assert STD.working_minutes_on(date(2025, 1, 7)) == 480  # the base calendar is immutable
    assert cal != STD
    assert WorkingCalendar.standard() == STD
    assert hash(STD) == hash(WorkingCalendar.standard())


def test_night_shift_across_midnight() -> None:
    # Monday 22:00 + 480 minutes: Mon 22-24 (120) + Tue 00-06 (360) -> Tuesday 06:00
    assert NIGHT_SHIFT.add_working_minutes(at(0, 22), 480) == at(1, 6)
    # midnight is inside the shift: working
    assert NIGHT_SHIFT.is_working_time(at(1, 0))
    assert NIGHT_SHIFT.add_working_minutes(at(0, 22), 120) == at(1, 0)
    assert NIGHT_SHIFT.previous_working_time(at(1, 0)) == at(1, 0)
    assert NIGHT_SHIFT.next_working_time(at(1, 6)) == at(1, 22)


# ------------------------------------------------------------------------------------------ randomized


@pytest.mark.parametrize("cal", [STD, BUSY, NIGHT_SHIFT], ids=["standard", "busy", "night"])
def test_matches_minute_by_minute_reference(cal: WorkingCalendar) -> None:
    rng = random.Random(7)
    for _ in range(40):
        dt = MON + timedelta(minutes=rng.randrange(0, 21 * 1440))
        minutes = rng.randint(-2500, 2500)
        result = cal.add_working_minutes(dt, minutes)
        assert result == brute_add(cal, dt, minutes), (dt, minutes)
        assert cal.working_minutes_between(dt, result) == minutes
        other = dt + timedelta(minutes=rng.randint(-6000, 6000))
        assert cal.working_minutes_between(dt, other) == brute_between(cal, dt, other), (dt, other)
        assert cal.next_working_time(dt) == brute_next(cal, dt)
        assert cal.previous_working_time(dt) == brute_previous(cal, dt)


def test_long_additions_round_trip_with_many_exceptions() -> None:
    rng = random.Random(3)
    holidays = sorted({date(2025, 1, 1) + timedelta(days=rng.randrange(3 * 365)) for _ in range(60)})
    cal = STD.with_holidays(*holidays)
    for _ in range(40):
        dt = at(rng.randrange(0, 400), rng.randrange(0, 24), rng.randrange(0, 60))
        minutes = rng.randint(-300_000, 300_000)
        result = cal.add_working_minutes(dt, minutes)
        assert cal.working_minutes_between(dt, result) == minutes
        # the result is a finish (forward) or a start (backward): snapping leaves it where it is
        if minutes > 0:
            assert cal.previous_working_time(result) == result
        elif minutes < 0:
            assert cal.next_working_time(result) == result


def test_offsets_to_datetimes_sweep() -> None:
    origin = at(0, 8)
    offsets = [0, 240, 480, 481, 2400, 2401, -1, -240, -2400, 12 * 2400 + 5]
    finishes = STD.offsets_to_datetimes(origin, offsets, finish=True)
    starts = STD.offsets_to_datetimes(origin, offsets, finish=False)
    assert finishes[480] == at(0, 17) and starts[480] == at(1, 8)
    assert finishes[240] == at(0, 12) and starts[240] == at(0, 13)
    assert finishes[0] == at(-3, 17) and starts[0] == at(0, 8)  # offset 0 is also last Friday 17:00
    assert starts[-240] == at(-3, 13) and finishes[-240] == at(-3, 12)
    for w in offsets:
        assert STD.working_minutes_between(origin, finishes[w]) == w
        assert STD.working_minutes_between(origin, starts[w]) == w
        assert STD.previous_working_time(finishes[w]) == finishes[w]
        assert STD.next_working_time(starts[w]) == starts[w]


SPARSE = WorkingCalendar(
    name="two days a week",
    week=(((600, 900),), (), (), ((0, 120), (1380, 1440)), (), (), ()),
    exceptions=(
        CalendarException(date(2025, 2, 3), date(2025, 2, 28), name="February off"),
        CalendarException(date(2025, 3, 8), intervals=((480, 481),), name="one minute on a Saturday"),
    ),
)


@pytest.mark.parametrize("cal", [STD, BUSY, NIGHT_SHIFT, SPARSE], ids=["standard", "busy", "night", "sparse"])
def test_offsets_to_datetimes_matches_the_definitions(cal: WorkingCalendar) -> None:
    # finish representation of offset w: the earliest instant with w working minutes since the origin
    # (add_working_minutes from the origin); start representation: the latest one (next working time)
    rng = random.Random(5)
    for _ in range(12):
        origin = MON + timedelta(minutes=rng.randrange(-5000, 40000))
        dense = [rng.randint(-3000, 3000) for _ in range(150)]
        sparse = [rng.randint(-400_000, 400_000) for _ in range(30)]
        offsets = dense + sparse + [0, 1, -1]
        finishes = cal.offsets_to_datetimes(origin, offsets, finish=True)
        starts = cal.offsets_to_datetimes(origin, offsets, finish=False)
        assert list(finishes) == sorted(set(offsets))
        for w in set(offsets):
            if w > 0:
                f = cal.add_working_minutes(origin, w)
                s = cal.next_working_time(f)
            elif w < 0:
                s = cal.add_working_minutes(origin, w)
                f = cal.previous_working_time(s)
            else:
                f, s = cal.previous_working_time(origin), cal.next_working_time(origin)
            assert (finishes[w], starts[w]) == (f, s), (origin, w)


# ------------------------------------------------------------------------------------------ durations


def test_duration_helpers_use_the_calendar_day_length() -> None:
    assert STD.parse_duration("3d") == 1440
    assert STD.parse_duration("4h") == 240
    assert STD.parse_duration("30m") == STD.parse_duration("30min") == STD.parse_duration(30) == 30
    assert STD.parse_duration("2w") == 4800
    assert STD.parse_duration("1mo") == 20 * 480
    assert STD.days_to_minutes(1.5) == 720
    assert STD.minutes_to_days(1200) == 2.5
    short_days = WorkingCalendar(name="7.5h days", minutes_per_day=450)
    assert short_days.parse_duration("2d") == 900
    with pytest.raises(InvalidInputError):
        STD.parse_duration("three days")


# ------------------------------------------------------------------------------------------ validation


def test_calendar_without_working_time_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="no working time"):
        WorkingCalendar(name="never", week=((),) * 7)


def test_running_past_the_last_working_time_raises_instead_of_looping() -> None:
    only_one_day = WorkingCalendar(
        name="one day",
        week=((),) * 7,
        exceptions=(CalendarException(date(2025, 1, 6), intervals=((480, 1020),)),),
    )
    assert only_one_day.add_working_minutes(at(0, 0), 540) == at(0, 17)
    with pytest.raises(InvalidInputError, match="no working time"):
        only_one_day.add_working_minutes(at(0, 8), 600)
    with pytest.raises(InvalidInputError):
        only_one_day.add_working_minutes(at(0, 9), -120)
    with pytest.raises(EngineError):
        only_one_day.next_working_time(at(1, 0))
    with pytest.raises(EngineError):
        only_one_day.previous_working_time(at(-1, 0))


@pytest.mark.parametrize(
    "week",
    [
        ((),) * 6,  # six days
        (((600, 500),),) + ((),) * 6,  # start after end
        (((480, 720), (700, 900)),) + ((),) * 6,  # overlapping
        (((0, 1500),),) + ((),) * 6,  # past midnight
    ],
)
def test_invalid_weekly_patterns(week: tuple[tuple[tuple[int, int], ...], ...]) -> None:
    with pytest.raises(InvalidInputError):
        WorkingCalendar(name="bad", week=week)


def test_invalid_exception() -> None:
    with pytest.raises(InvalidInputError, match="finish is before start"):
        CalendarException(date(2025, 1, 10), date(2025, 1, 9))
