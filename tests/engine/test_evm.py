"""Earned value and earned schedule: exact figures worked out by hand, edge cases, roll-up, forecast."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pmo.engine.calendar import WorkingCalendar
from pmo.engine.errors import InvalidInputError
from pmo.engine.evm import (
    Baseline,
    BaselineActivity,
    PlannedValuePoint,
    ReferenceRecord,
    StatusPoint,
    analyse,
    eac_cost,
    recommend,
    reference_records,
    rollup,
    tcpi,
)

# Standard calendar (Mon-Fri, 08:00-12:00 and 13:00-17:00).  Monday 6 January 2025 is the start.
START = datetime(2025, 1, 6, 8)
FRIDAYS = [datetime(2025, 1, d, 17) for d in (10, 17, 24, 31)] + [datetime(2025, 2, 7, 17)]


def weekly_baseline() -> Baseline:
    """Earned-schedule textbook layout (Lipke 2003): cumulative PV per period, here 5 weeks of 5 days.

    Cumulative PV at the end of weeks 1..5: 100, 300, 600, 800, 1000.
    """
    values = [100.0, 300.0, 600.0, 800.0, 1000.0]
    return Baseline(
        (PlannedValuePoint(START, 0.0), *(PlannedValuePoint(f, v) for f, v in zip(FRIDAYS, values, strict=True)))
    )


def test_textbook_earned_schedule_example() -> None:
    # End of week 3 (AT = 15 working days): EV = 450, AC = 500, PV = 600.
    # ES = C + I = 2 + (450 - 300) / (600 - 300) = 2.5 weeks = 12.5 days.
    (m,) = analyse(weekly_baseline(), [StatusPoint(FRIDAYS[2], ev=450.0, ac=500.0)])
    assert (m.pv, m.ev, m.ac, m.bac) == (600.0, 450.0, 500.0, 1000.0)
    assert (m.sv, m.cv) == (-150.0, -50.0)
    assert m.spi == 0.75
    assert m.cpi == 0.9
    assert (m.pd_days, m.at_days, m.es_days) == (25.0, 15.0, 12.5)
    assert m.es_date == datetime(2025, 1, 22, 12)  # 12 days end Tue 21 Jan 17:00, + 4 h
    assert m.sv_t_days == -2.5
    assert m.spi_t == pytest.approx(12.5 / 15, abs=1e-15)
    assert m.percent_complete == 0.45
    # cost forecasts: AC + (BAC - EV) / PF
    assert m.eac_cost.pf1 == 1050.0
    assert m.eac_cost.cpi == pytest.approx(1000 / 0.9, abs=1e-9)
    assert m.eac_cost.spi == pytest.approx(500 + 550 / 0.75, abs=1e-9)
    assert m.eac_cost.cpi_spi == pytest.approx(500 + 550 / 0.675, abs=1e-9)
    assert m.eac_cost.spi_t == pytest.approx(500 + 550 / (12.5 / 15), abs=1e-9)
    assert m.eac_cost.cpi80_spi20 == pytest.approx(500 + 550 / (0.8 * 0.9 + 0.2 * 0.75), abs=1e-9)
    assert m.etc == pytest.approx(1000 / 0.9 - 500, abs=1e-9)
    assert m.vac == pytest.approx(1000 - 1000 / 0.9, abs=1e-9)
    assert m.tcpi_bac == 1.1  # (1000 - 450) / (1000 - 500)
    # time forecasts in working days and dates
    t = m.eac_time
    assert t.es_pf1 is not None and t.es_pf1.days == 27.5  # 15 + 25 - 12.5
    assert t.es_pf1.finish == datetime(2025, 2, 12, 12)  # day 27 ends Tue 11 Feb, + 4 h
    assert t.es_spi_t is not None and t.es_spi_t.days == pytest.approx(30.0, abs=1e-12)  # 15 + 12.5 / (5/6)
    assert t.es_spi_t.finish == datetime(2025, 2, 14, 17)
    assert t.pv_pf1 is not None and t.pv_pf1.days == 28.75  # 25 - (-150) x 25 / 1000
    assert t.pv_pf1.finish == datetime(2025, 2, 13, 15)  # day 28 ends Wed 12 Feb, + 6 h
    assert t.ed_pf1 is not None and t.ed_pf1.days == 28.75  # ED = 15 x 0.75 = 11.25; 15 + 25 - 11.25
    assert t.pv_spi is not None and t.pv_spi.days == pytest.approx(100 / 3, abs=1e-12)  # 25 / 0.75
    assert t.pv_spi.finish == datetime(2025, 2, 20, 10, 40)  # day 33 ends Wed 19 Feb, + 160 min
    assert t.ed_spi is not None and t.ed_spi.days == pytest.approx(15 + 13.75 / 0.75, abs=1e-12)
    assert t.pv_sci is not None and t.pv_sci.days == pytest.approx(25 / 0.675, abs=1e-12)


def test_interpolation_is_in_working_time_over_weekends_and_holidays() -> None:
    cal = WorkingCalendar.standard().with_holidays(datetime(2025, 1, 8).date())
    # 1 000 over Mon 6 .. Fri 10 January: 4 working days because Wednesday is a holiday.
    b = Baseline((PlannedValuePoint(START, 0.0), PlannedValuePoint(FRIDAYS[0], 1000.0)), cal)
    assert b.planned_duration_days == 4.0
    assert b.pv_at(datetime(2025, 1, 8, 12)) == 500.0  # the holiday adds nothing
    assert b.pv_at(datetime(2025, 1, 9, 12)) == 625.0  # 2.5 of 4 days
    assert b.pv_at(datetime(2025, 1, 3)) == 0.0  # before the start
    assert b.pv_at(datetime(2025, 3, 1)) == 1000.0  # after the finish
    (m,) = analyse(b, [StatusPoint(datetime(2025, 1, 9, 17), ev=500.0, ac=500.0)])
    assert (m.at_days, m.es_days, m.spi_t) == (3.0, 2.0, 2 / 3)
    assert m.es_date == datetime(2025, 1, 7, 17)


def test_steps_from_activities_count_just_after_their_instant() -> None:
    # A: 1 600 over Mon-Tue with 600 at its start; B: 400 on Thursday, all of it a fixed cost.
    acts = [
        BaselineActivity("A", START, datetime(2025, 1, 7, 17), 1600.0, 600.0),
        BaselineActivity("B", datetime(2025, 1, 9, 8), datetime(2025, 1, 9, 17), 400.0, 400.0),
    ]
    b = Baseline.from_activities(acts)
    assert b.bac == 2000.0
    assert b.pv_at(START) == 0.0  # the step at 08:00 is not yet incurred at 08:00
    assert b.pv_at(datetime(2025, 1, 6, 9)) == 662.5  # 600 + 1 000 x 1 / 16 hours
    assert b.pv_at(datetime(2025, 1, 8, 17)) == 1600.0
    assert b.pv_at(datetime(2025, 1, 9, 8)) == 1600.0  # Thursday 08:00: B not started yet
    assert b.pv_at(datetime(2025, 1, 9, 9)) == 2000.0
    # EV 1 800: PV reaches it with B's fixed cost, Thursday 08:00 = 3 days
    (m,) = analyse(b, [StatusPoint(datetime(2025, 1, 8, 17), ev=1800.0, ac=1800.0)])
    assert m.es_days == 3.0 and m.spi_t == 1.0


def test_plateau_takes_the_instant_nearest_the_status_date() -> None:
    # 1 000 in week 1, nothing planned in week 2, 1 000 more in week 3
    b = Baseline(
        (
            PlannedValuePoint(START, 0.0),
            PlannedValuePoint(FRIDAYS[0], 1000.0),
            PlannedValuePoint(FRIDAYS[1], 1000.0),
            PlannedValuePoint(FRIDAYS[2], 2000.0),
        )
    )
    wednesday = datetime(2025, 1, 15, 17)  # AT = 8 days, inside the plateau
    on, ahead, behind = analyse(
        b,
        [
            StatusPoint(wednesday, ev=1000.0, ac=1000.0),  # EV = PV: ES = AT
            StatusPoint(datetime(2025, 1, 20, 17), ev=1000.0, ac=1000.0),  # EV < PV: back to the end of plateau
            StatusPoint(datetime(2025, 1, 9, 17), ev=1000.0, ac=1000.0),  # EV > PV: forward to its start
        ],
    )
    assert (on.es_days, on.spi_t) == (8.0, 1.0)
    assert ahead.es_days == 10.0  # the last instant PV is still 1 000
    assert behind.es_days == 5.0  # the first instant PV reaches 1 000
    assert b.earned_schedule_minutes(1000.0) == 5 * 480  # without the status: the first instant


def test_finished_project_has_es_equal_to_pd() -> None:
    b = weekly_baseline()
    late = datetime(2025, 2, 14, 17)  # AT = 30 days, PD = 25
    (m,) = analyse(b, [StatusPoint(late, ev=1000.0, ac=1200.0)])
    assert (m.es_days, m.at_days, m.sv_t_days) == (25.0, 30.0, -5.0)
    assert m.spi_t == 25 / 30
    assert m.eac_time.es_pf1 is not None and m.eac_time.es_pf1.finish == late  # AT + PD - ES = AT
    assert m.eac_cost.cpi == 1200.0 and m.eac_cost.pf1 == 1200.0
    assert m.forecast is not None and (m.forecast.cost, m.forecast.finish) == (1200.0, late)


def test_zero_denominators_give_none_not_errors() -> None:
    b = weekly_baseline()
    before_start, at_start = analyse(
        b, [StatusPoint(datetime(2025, 1, 3, 17), ev=0.0, ac=0.0), StatusPoint(START, ev=0.0, ac=10.0)]
    )
    # PV = 0, EV = 0, AC = 0, AT = 0
    assert (before_start.pv, before_start.spi, before_start.cpi, before_start.spi_t) == (0.0, None, None, None)
    assert before_start.eac_cost.cpi is None and before_start.eac_cost.cpi_spi is None
    assert before_start.eac_cost.pf1 == 1000.0
    assert before_start.eac_time.pv_spi is None and before_start.eac_time.es_spi_t is None
    assert before_start.eac_time.es_pf1 is not None and before_start.eac_time.es_pf1.days == 25.0
    assert before_start.vac is None and before_start.etc is None
    # EV = 0 with AC > 0: CPI = 0, so every forecast dividing by it is None
    assert at_start.cpi == 0.0
    assert at_start.eac_cost.cpi is None
    assert at_start.forecast is not None and at_start.forecast.cost == 1010.0  # PF=1 while CPI is 0
    # EV = AC = BAC gives TCPI(BAC) = 0 / 0
    assert tcpi(1000.0, 1000.0, 1000.0, 1000.0) is None
    assert eac_cost(10.0, 100.0, 0.0, 0.0) is None


def test_p_factor_from_activity_ev() -> None:
    # A: 1 000 over week 1; B: 1 000 over week 2.  At the end of week 2, EV(A) = 600, EV(B) = 600.
    acts = [
        BaselineActivity("A", START, FRIDAYS[0], 1000.0),
        BaselineActivity("B", datetime(2025, 1, 13, 8), FRIDAYS[1], 1000.0),
    ]
    b = Baseline.from_activities(acts)
    status = StatusPoint(FRIDAYS[1], ev=1200.0, ac=1300.0, activity_ev={"A": 600.0, "B": 600.0})
    (m,) = analyse(b, [status])
    # ES = 6 days: PV_A(ES) = 1 000, PV_B(ES) = 200; kept = min(600, 1000) + min(600, 200) = 800
    assert m.es_days == 6.0
    assert m.p_factor == pytest.approx(800 / 1200, abs=1e-12)
    (no_detail,) = analyse(b, [StatusPoint(FRIDAYS[1], ev=1200.0, ac=1300.0)])
    assert no_detail.p_factor is None


def test_rollup_recomputes_indices_from_sums() -> None:
    b = weekly_baseline()
    small = Baseline((PlannedValuePoint(START, 0.0), PlannedValuePoint(FRIDAYS[0], 100.0)))
    (p1,) = analyse(b, [StatusPoint(FRIDAYS[2], ev=450.0, ac=500.0)])  # CPI 0.9
    (p2,) = analyse(small, [StatusPoint(FRIDAYS[2], ev=100.0, ac=50.0)])  # CPI 2.0
    r = rollup([p1, p2])
    assert (r.bac, r.pv, r.ev, r.ac, r.projects) == (1100.0, 700.0, 550.0, 550.0, 2)
    assert (r.sv, r.cv, r.cpi) == (-150.0, 0.0, 1.0)  # not the average 1.45 of the CPIs
    assert r.spi == pytest.approx(550 / 700, abs=1e-15)
    assert r.eac_pf1 == 1100.0 and r.eac_cpi == 1100.0 and r.vac == 0.0
    assert r.tcpi_bac == 1.0
    empty = rollup([])
    assert (empty.spi, empty.cpi, empty.eac_cpi) == (None, None, None)


def _history(ratio_t: float, ratio_c: float, sector: str, n: int, progress: float = 0.45) -> list[ReferenceRecord]:
    return [ReferenceRecord(f"{sector}{i}", sector, progress, ratio_t, ratio_c) for i in range(n)]


def test_recommended_forecast_uses_the_reference_class() -> None:
    b = weekly_baseline()
    status = [StatusPoint(FRIDAYS[2], ev=450.0, ac=500.0)]
    history = _history(1.2, 1.1, "IT", 8) + _history(2.0, 2.0, "construction", 8)
    (m,) = analyse(b, status, history=history, sector="IT")
    f = m.forecast
    assert f is not None
    # base: ES PF=1 = 27.5 days; cost (1 050 + 1 111.11) / 2; both x the IT ratios
    assert f.duration_days == pytest.approx(27.5 * 1.2, abs=1e-12)
    assert f.cost == pytest.approx((1050 + 1000 / 0.9) / 2 * 1.1, abs=1e-9)
    assert f.duration_range == pytest.approx((33.0, 33.0), abs=1e-12)
    assert "reference class of 8 projects" in f.method
    # 3 IT projects are too few: all 11 projects count; weights 1/r: 3 x 1/1.2 = 2.5 < 8 x 1/2 = 4, so 2.0
    (m2,) = analyse(b, status, history=history[:3] + history[8:], sector="IT")
    assert m2.forecast is not None and m2.forecast.duration_days == 55.0
    assert "reference class of 11 projects" in m2.forecast.method
    # no period at a similar progress: the base forecast and the textbook range
    far = _history(1.2, 1.1, "IT", 8, progress=0.9)
    (m3,) = analyse(b, status, history=far, sector="IT")
    assert m3.forecast is not None and m3.forecast.duration_days == 27.5
    assert m3.forecast.duration_range == (27.5, pytest.approx(30.0, abs=1e-12))


def test_recommend_never_forecasts_before_today_and_ranges_hold_the_forecast() -> None:
    b = weekly_baseline()
    (m,) = analyse(b, [StatusPoint(FRIDAYS[2], ev=450.0, ac=500.0)])
    history = [ReferenceRecord(f"P{i}", "IT", 0.45, 0.1, 0.1) for i in range(8)]
    f = recommend(
        b,
        at_days=m.at_days,
        es_days=m.es_days,
        ev=m.ev,
        ac=m.ac,
        time_forecasts=m.eac_time,
        cost_forecasts=m.eac_cost,
        history=history,
        sector="IT",
    )
    assert f is not None
    assert f.duration_days == 15.0 and f.cost == 500.0  # clamped to AT and AC
    assert f.duration_range[0] <= f.duration_days <= f.duration_range[1]
    assert f.cost_range[0] <= f.cost <= f.cost_range[1]


def test_reference_records_skip_finished_periods() -> None:
    b = weekly_baseline()
    periods = analyse(b, [StatusPoint(FRIDAYS[2], 450.0, 500.0), StatusPoint(FRIDAYS[4], 1000.0, 1100.0)])
    records = reference_records("P", "IT", periods, real_duration_days=33.0, real_cost=1200.0)
    assert len(records) == 1
    assert records[0].time_ratio == pytest.approx(1.2, abs=1e-12) and records[0].progress == 0.45


def test_resolution_rounds_es_away_from_the_status_date() -> None:
    points = (PlannedValuePoint(START, 0.0), PlannedValuePoint(FRIDAYS[0], 2400.0))  # 1 per working minute
    b = Baseline(points, resolution_minutes=60)
    assert b.earned_schedule_minutes(150.0, at_minutes=480, pv=480.0) == 120.0  # behind: floored
    assert b.earned_schedule_minutes(530.0, at_minutes=480, pv=480.0) == 540.0  # ahead: rounded up
    assert b.date_of(89) == datetime(2025, 1, 6, 9)  # dates to the nearest hour
    with pytest.raises(InvalidInputError, match="resolution_minutes"):
        Baseline(points, resolution_minutes=0)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ((), "at least one"),
        ((PlannedValuePoint(START, 10.0), PlannedValuePoint(FRIDAYS[0], 5.0)), r"baseline\[1\]\.pv .* cumulative"),
        ((PlannedValuePoint(FRIDAYS[0], 0.0), PlannedValuePoint(START, 5.0)), r"baseline\[1\]\.date is before"),
        ((PlannedValuePoint(START, float("nan")),), r"baseline\[0\]\.pv must be a finite number"),
        ((PlannedValuePoint(START, -1.0),), r"baseline\[0\]\.pv must be >= 0"),
        ((PlannedValuePoint(START, 0.0),), "bac must be > 0"),
        ((PlannedValuePoint(START.replace(tzinfo=UTC), 1.0),), "naive"),
    ],
)
def test_bad_baselines_are_rejected(points: tuple[PlannedValuePoint, ...], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Baseline(points)


def test_bad_status_and_activities_are_rejected() -> None:
    b = weekly_baseline()
    with pytest.raises(InvalidInputError, match=r"status\[1\]\.ev must be a finite number"):
        analyse(b, [StatusPoint(FRIDAYS[0], 1.0, 1.0), StatusPoint(FRIDAYS[1], float("inf"), 1.0)])
    with pytest.raises(InvalidInputError, match=r"status\[0\]: ev and ac must be >= 0"):
        analyse(b, [StatusPoint(FRIDAYS[0], 1.0, -1.0)])
    with pytest.raises(InvalidInputError, match="finish is before start"):
        Baseline.from_activities([BaselineActivity("A", FRIDAYS[1], FRIDAYS[0], 1.0)])
    with pytest.raises(InvalidInputError, match="cost_at_start"):
        Baseline.from_activities([BaselineActivity("A", START, FRIDAYS[0], 1.0, 2.0)])
    with pytest.raises(InvalidInputError, match="no activities"):
        Baseline.from_activities([])


def test_the_forecast_band_spans_every_period_of_the_reference_class() -> None:
    """Two reference projects: P0's periods at ratios 1.0 and 1.4 (median 1.2), P1's at 1.2.  The factor is
    the median of the project medians (1.2); the band spreads over every period (P0's two sharing one
    weight), so P0's swing widens it to 1.0 .. 1.4 where the medians alone would give a zero-width band."""
    from pmo.engine.evm.forecast import _correction

    assert _correction([[1.0, 1.4], [1.2]], (0.1, 0.9)) == pytest.approx((1.2, 1.0, 1.4))
