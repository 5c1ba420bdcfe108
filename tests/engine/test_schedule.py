"""Tests of pmo.engine.schedule: CPM passes, links, constraints, calendars, progress, WBS, errors.

Unless stated otherwise the project starts Monday 2025-01-06 08:00 on the standard calendar (08:00-12:00,
13:00-17:00, Monday-Friday).  Hand computations are in working-day offsets: ``S(k)`` is the start of
working day ``k`` (08:00) and ``F(k)`` the end of ``k`` days of work (17:00 of working day ``k - 1``), so
a 2-day task starting at offset 0 runs S(0)-F(2) = Monday 08:00 - Tuesday 17:00.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import networkx as nx  # type: ignore[import-untyped]
import pytest

from pmo.engine.calendar import CalendarException, WorkingCalendar
from pmo.engine.errors import CyclicDependencyError, EngineError, InvalidInputError, UnknownTaskError
from pmo.engine.schedule import (
    Constraint,
    ConstraintType,
    Dependency,
    DependencyType,
    ProjectNetwork,
    Schedule,
    Task,
    critical_path,
)

D = 480  # one working day in minutes
MON = datetime(2025, 1, 6, 8)
STD = WorkingCalendar.standard()


def _working_days() -> list[date]:
    days: list[date] = []
    d = date(2024, 12, 2)  # five weeks before the project, for negative offsets
    while len(days) < 150:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


WD = _working_days()
K0 = WD.index(date(2025, 1, 6))  # offset 0 = Mon Jan 6; 4 = Fri Jan 10; 5 = Mon Jan 13; -1 = Fri Jan 3


def S(k: int) -> datetime:
    """Start of working day k (08:00)."""
    return datetime.combine(WD[K0 + k], time(8))


def F(k: int) -> datetime:
    """End of k working days from the project start (17:00 of working day k - 1)."""
    return datetime.combine(WD[K0 + k - 1], time(17))


def run(tasks: list[Task], deps: list[Dependency] | None = None, **kw: object) -> Schedule:
    kw.setdefault("start", MON)
    return critical_path(ProjectNetwork(tasks, deps or [], **kw))  # type: ignore[arg-type]


def links(*pairs: str) -> list[Dependency]:
    """links("AB", "BC") -> FS links A->B, B->C."""
    return [Dependency(p[0], p[1]) for p in pairs]


def check(s: Schedule, task_id: str, es: int, ef: int, ls: int, lf: int, tf_days: float, ff_days: float) -> None:
    ts = s[task_id]
    assert (ts.early_start, ts.early_finish) == (S(es), F(ef)), task_id
    assert (ts.late_start, ts.late_finish) == (S(ls), F(lf)), task_id
    assert ts.total_float_minutes == tf_days * D, task_id
    assert ts.free_float_minutes == ff_days * D, task_id


# ------------------------------------------------------------------------------------------ textbook


def test_textbook_network_one() -> None:
    # A3 -> B4 -> D5 -> F2 ; A -> C2 -> E1 -> F
    # forward:  A 0-3, B 3-7, C 3-5, D 7-12, E 5-6, F 12-14 (project: 14 days)
    # backward: F 12-14, D 7-12, E 11-12, B 3-7, C 9-11 (LF = LS_E), A 0-3
    # total float = LS - ES: C 6, E 6, others 0
    # free float:  C: ES_E - EF_C = 5 - 5 = 0;  E: ES_F - EF_E = 12 - 6 = 6
    tasks = [
        Task("A", 3 * D),
        Task("B", 4 * D),
        Task("C", 2 * D),
        Task("D", 5 * D),
        Task("E", D),
        Task("F", 2 * D),
    ]
    s = run(tasks, links("AB", "AC", "BD", "CE", "DF", "EF"))
    check(s, "A", 0, 3, 0, 3, 0, 0)
    check(s, "B", 3, 7, 3, 7, 0, 0)
    check(s, "C", 3, 5, 9, 11, 6, 0)
    check(s, "D", 7, 12, 7, 12, 0, 0)
    check(s, "E", 5, 6, 11, 12, 6, 6)
    check(s, "F", 12, 14, 12, 14, 0, 0)
    assert s.critical_path == ("A", "B", "D", "F")
    assert (s.start, s.finish) == (MON, F(14))  # Thursday 2025-01-23 17:00
    assert s.finish == datetime(2025, 1, 23, 17)
    assert s.fast_path


def test_textbook_network_two_with_several_start_and_end_tasks() -> None:
    # 1(4) -> 3(3) -> 6(4);  1 -> 4(5);  2(6) -> 4 -> 6;  2 -> 5(2) -> 7(3)
    # forward:  1 0-4, 2 0-6, 3 4-7, 4 6-11 (max(4, 6)), 5 6-8, 6 11-15, 7 8-11; project 15
    # backward: 6 11-15, 7 12-15, 3 8-11, 4 6-11, 5 10-12, 1 LF min(8, 6) = 6 -> 2-6, 2 LF min(6, 10) -> 0-6
    # total float 1:2 2:0 3:4 4:0 5:4 6:0 7:4
    # free float  1: min(ES3, ES4) - 4 = 0;  3: 11 - 7 = 4;  5: ES7 - 8 = 0;  7: project 15 - 11 = 4
    tasks = [Task(str(i), d * D) for i, d in [(1, 4), (2, 6), (3, 3), (4, 5), (5, 2), (6, 4), (7, 3)]]
    s = run(tasks, links("13", "14", "24", "25", "36", "46", "57"))
    check(s, "1", 0, 4, 2, 6, 2, 0)
    check(s, "2", 0, 6, 0, 6, 0, 0)
    check(s, "3", 4, 7, 8, 11, 4, 4)
    check(s, "4", 6, 11, 6, 11, 0, 0)
    check(s, "5", 6, 8, 10, 12, 4, 0)
    check(s, "6", 11, 15, 11, 15, 0, 0)
    check(s, "7", 8, 11, 12, 15, 4, 4)
    assert s.critical_path == ("2", "4", "6")
    assert [ts.critical for ts in s.tasks.values()] == [False, True, False, True, False, True, False]


def test_doc_example_three_tasks() -> None:
    # A2 -> B3, A -> C1: B drives; C has 2 days of float
    s = run([Task("A", 2 * D), Task("B", 3 * D), Task("C", D)], links("AB", "AC"))
    assert s["C"].early_finish == datetime(2025, 1, 8, 17)
    assert s["C"].late_finish == datetime(2025, 1, 10, 17)
    assert s.critical_path == ("A", "B")


# ------------------------------------------------------------------------------------------ links

# P(2d) -> A(2d): A runs S(2)-F(4) = Wed 08:00 - Thu 17:00.  A -> B with the type and lag below.
LINK_CASES = [
    # type, lag, B days, B early start, B early finish, A total float, B total float (days)
    ("FS", 0, 3, S(4), F(7), 0, 0),
    ("FS", D, 3, S(5), F(8), 0, 0),  # one day gap
    ("FS", -D, 3, S(3), F(6), 0, 0),  # one day lead: B overlaps A's last day
    ("SS", D, 3, S(3), F(6), 0, 0),  # B starts a day after A starts; A: LS <= LS_B - 1 = 2
    ("SS", -D, 3, S(1), F(4), 0, 0),  # B starts a day before A, both finish at 4
    ("FF", 0, 1, S(3), F(4), 0, 0),  # B finishes with A
    ("FF", D, 1, S(4), F(5), 0, 0),
    ("FF", -D, 3, S(0), F(3), 0, 1),  # EF_B >= 3 -> ES_B >= 0; project ends at 4 (A): B has 1 day
    ("SF", D, 1, S(2), F(3), 0, 1),  # EF_B >= ES_A + 1 = 3
    ("SF", -D, 1, S(0), F(1), 0, 3),  # EF_B >= 1
    # FS + 4 h: A ends Thu 17:00 (offset 4 d); + 240 min = Fri 12:00, i.e. B resumes after lunch
    ("FS", 240, 1, datetime(2025, 1, 10, 13), datetime(2025, 1, 13, 12), 0, 0),
]


@pytest.mark.parametrize(("kind", "lag", "b_days", "b_es", "b_ef", "a_tf", "b_tf"), LINK_CASES)
def test_dependency_types_and_lags(
    kind: str, lag: int, b_days: int, b_es: datetime, b_ef: datetime, a_tf: int, b_tf: int
) -> None:
    s = run(
        [Task("P", 2 * D), Task("A", 2 * D), Task("B", b_days * D)],
        [Dependency("P", "A"), Dependency("A", "B", DependencyType(kind), lag)],
    )
    assert (s["A"].early_start, s["A"].early_finish) == (S(2), F(4))
    assert (s["B"].early_start, s["B"].early_finish) == (b_es, b_ef)
    assert s["A"].total_float_minutes == a_tf * D
    assert s["B"].total_float_minutes == b_tf * D
    assert s.fast_path
    # the general (datetime) path agrees
    general = critical_path(
        ProjectNetwork(
            [Task("P", 2 * D), Task("A", 2 * D), Task("B", b_days * D)],
            [Dependency("P", "A"), Dependency("A", "B", kind, lag)],  # type: ignore[arg-type]
            start=MON,
        ),
        force_general=True,
    )
    assert general == s


def test_no_task_starts_before_the_project_start_whatever_its_lead() -> None:
    # A(2d) SS -1d B: B would start a day before the project; it starts with the project
    s = run([Task("A", 2 * D), Task("B", D)], [Dependency("A", "B", DependencyType.SS, -D)])
    assert s["B"].early_start == MON


def test_elapsed_lag_counts_calendar_time() -> None:
    # A(2d) ends Tue 17:00; + 24 h elapsed = Wed 17:00 -> B starts at the next working time, Thu 08:00
    s = run([Task("A", 2 * D), Task("B", D)], [Dependency("A", "B", lag_minutes=24 * 60, lag_is_elapsed=True)])
    assert not s.fast_path
    assert (s["B"].early_start, s["B"].early_finish) == (S(3), F(4))
    # backward: LF_A = LS_B - 24 h = Wed 08:00 -> the end of working time before it: Tue 17:00
    assert s["A"].late_finish == F(2)
    assert s["A"].total_float_minutes == 0
    # 48 h elapsed from Friday 17:00 ends on Sunday 17:00 -> Monday 08:00, while 2 working days -> Wed
    elapsed = run([Task("A", 5 * D), Task("B", D)], [Dependency("A", "B", lag_minutes=2880, lag_is_elapsed=True)])
    working = run([Task("A", 5 * D), Task("B", D)], [Dependency("A", "B", lag_minutes=2 * D)])
    assert elapsed["B"].early_start == datetime(2025, 1, 13, 8)
    assert working["B"].early_start == datetime(2025, 1, 15, 8)


def test_milestones_sit_at_the_end_of_their_predecessor() -> None:
    # A(2d) -> M(0) -> B(1d): M at Tuesday 17:00 (not Wednesday 08:00); B starts Wednesday 08:00
    s = run([Task("S", 0), Task("A", 2 * D), Task("M", 0), Task("B", D)], links("SA", "AM", "MB"))
    assert s["S"].early_start == s["S"].early_finish == MON
    assert s["M"].early_start == s["M"].early_finish == datetime(2025, 1, 7, 17)
    assert s["M"].is_milestone and not s["A"].is_milestone
    assert s["B"].early_start == datetime(2025, 1, 8, 8)
    assert s.critical_path == ("S", "A", "M", "B")


# ------------------------------------------------------------------------------------------ constraints

CHAIN = [Task("A", 2 * D), Task("B", 2 * D), Task("C", D)]  # A 0-2 -> B 2-4 -> C 4-5


def chain(constrained: str, constraint: Constraint, **kw: object) -> Schedule:
    tasks = [Task(t.id, t.duration_minutes, constraint=constraint if t.id == constrained else None) for t in CHAIN]
    return run(tasks, links("AB", "BC"), **kw)


def test_snet_raises_the_early_start() -> None:
    # SNET B = S(6) (Tuesday Jan 14): B 6-8, C 8-9; A may slip until LS_B: TF = FF = 6 - 2 = 4 days
    s = chain("B", Constraint(ConstraintType.SNET, S(6)))
    check(s, "B", 6, 8, 6, 8, 0, 0)
    check(s, "C", 8, 9, 8, 9, 0, 0)
    check(s, "A", 0, 2, 4, 6, 4, 4)
    assert s.critical_path == ("B", "C")


def test_snet_on_a_non_working_day_snaps_forward() -> None:
    s = chain("B", Constraint(ConstraintType.SNET, datetime(2025, 1, 11, 10)))  # Saturday
    assert s["B"].early_start == S(5)  # Monday Jan 13 08:00


def test_fnet_raises_the_early_finish() -> None:
    # FNET C = F(8): C 7-8; B may finish at LS_C = 7: TF 3 days, A likewise
    s = chain("C", Constraint(ConstraintType.FNET, F(8)))
    check(s, "C", 7, 8, 7, 8, 0, 0)
    check(s, "B", 2, 4, 5, 7, 3, 3)
    check(s, "A", 0, 2, 3, 5, 3, 0)


def test_snlt_violation_gives_negative_float_not_an_error() -> None:
    # SNLT B = S(1) but logic gives ES_B = 2: LS_B = 1 -> TF_B = -1 day; A: LF <= LS_B -> -1 day
    s = chain("B", Constraint(ConstraintType.SNLT, S(1)))
    check(s, "B", 2, 4, 1, 3, -1, 0)
    check(s, "A", 0, 2, -1, 1, -1, 0)
    check(s, "C", 4, 5, 4, 5, 0, 0)
    assert s.critical_path == ("A", "B", "C")


def test_fnlt_caps_the_late_finish() -> None:
    # FNLT C = F(4): LF_C = 4 while EF_C = 5 -> -1 day down the chain
    s = chain("C", Constraint(ConstraintType.FNLT, F(4)))
    assert [s[t].total_float_minutes for t in "ABC"] == [-D, -D, -D]
    assert s["C"].late_finish == F(4)
    # a later FNLT does not extend the project: float stays 0
    later = chain("C", Constraint(ConstraintType.FNLT, F(10)))
    assert [later[t].total_float_minutes for t in "ABC"] == [0, 0, 0]


def test_mso_pins_the_start() -> None:
    # MSO B = S(5): B 5-7 early and late, C 7-8; A: LF = LS_B = 5 -> TF 3 days
    s = chain("B", Constraint(ConstraintType.MSO, S(5)))
    check(s, "B", 5, 7, 5, 7, 0, 0)
    check(s, "C", 7, 8, 7, 8, 0, 0)
    check(s, "A", 0, 2, 3, 5, 3, 3)


def test_mso_earlier_than_logic_overrides_the_link() -> None:
    # MSO B = S(1): B 1-3 although A ends at 2; A: LF = LS_B = 1 -> TF -1 day (negative on the predecessor)
    s = chain("B", Constraint(ConstraintType.MSO, S(1)))
    check(s, "B", 1, 3, 1, 3, 0, 0)
    check(s, "C", 3, 4, 3, 4, 0, 0)
    assert s["A"].total_float_minutes == -D
    assert s["B"].early_start < s["A"].early_finish


def test_mfo_pins_the_finish() -> None:
    # MFO B = F(5) (Friday 17:00): B 3-5, C 5-6; A: LF = LS_B = 3 -> TF 1 day
    s = chain("B", Constraint(ConstraintType.MFO, F(5)))
    check(s, "B", 3, 5, 3, 5, 0, 0)
    check(s, "C", 5, 6, 5, 6, 0, 0)
    check(s, "A", 0, 2, 1, 3, 1, 1)
    # a must-finish date in non-working time means the end of the working time before it
    weekend = chain("B", Constraint(ConstraintType.MFO, datetime(2025, 1, 11, 12)))
    assert weekend["B"].early_finish == F(5)


def test_alap_is_displayed_at_its_latest_position() -> None:
    # A(3d) -> C(1d); B(1d, ALAP) -> C; D(1d, ALAP) has no successor; B1 -> B2 -> C both ALAP
    # early: B 0-1, C 3-4.  Displayed: B as late as C allows: 2-3; D until the project finish: 3-4;
    # B2 2-3 and B1 1-2 (B1 as late as the displayed B2 allows)
    alap = Constraint(ConstraintType.ALAP)
    tasks = [
        Task("A", 3 * D),
        Task("B", D, constraint=alap),
        Task("C", D),
        Task("D", D, constraint=alap),
        Task("B1", D, constraint=alap),
        Task("B2", D, constraint=alap),
    ]
    s = run(tasks, [*links("AC", "BC"), Dependency("B1", "B2"), Dependency("B2", "C")])
    assert (s["B"].start, s["B"].finish) == (S(2), F(3))
    assert (s["B"].early_start, s["B"].late_start) == (S(0), S(2))  # CPM dates unchanged
    assert s["B"].total_float_minutes == s["B"].free_float_minutes == 2 * D
    assert (s["D"].start, s["D"].finish) == (S(3), F(4))
    assert (s["B2"].start, s["B1"].start) == (S(2), S(1))
    assert (s["A"].start, s["C"].start) == (S(0), S(3))  # ASAP tasks keep their early dates


def test_alap_only_consumes_free_float() -> None:
    # A(3d); X(1d, ALAP) -> Y(1d, ASAP).  Y is displayed at 1-2 (early), so X cannot move: its free float
    # is 0 although its total float is 1 day (MS Project: "without delaying subsequent tasks")
    s = run(
        [Task("A", 3 * D), Task("X", D, constraint=Constraint(ConstraintType.ALAP)), Task("Y", D)],
        links("XY"),
    )
    assert (s["X"].total_float_minutes, s["X"].free_float_minutes) == (D, 0)
    assert s["X"].start == S(0)


def test_constraint_validation() -> None:
    with pytest.raises(InvalidInputError, match="needs a date"):
        Constraint(ConstraintType.SNET)
    with pytest.raises(InvalidInputError, match="takes no date"):
        Constraint(ConstraintType.ASAP, MON)
    with pytest.raises(InvalidInputError):
        Constraint("LATER")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ calendars


def test_holiday_moves_dates() -> None:
    # Wednesday Jan 8 is a holiday: A(2d) Mon-Tue, B(2d) Thu-Fri
    cal = STD.with_holidays(date(2025, 1, 8))
    s = run([Task("A", 2 * D), Task("B", 2 * D)], links("AB"), calendar=cal)
    assert (s["B"].early_start, s["B"].early_finish) == (datetime(2025, 1, 9, 8), datetime(2025, 1, 10, 17))
    assert s.fast_path


def test_resource_calendar_differs_from_the_project_calendar() -> None:
    # Bob is off on Thursday Jan 9: A(2d) Mon-Tue; Bob's B(2d) works Wednesday and Friday
    bob = STD.with_holidays(date(2025, 1, 9), name="Bob")
    s = run([Task("A", 2 * D), Task("B", 2 * D, calendar=bob)], links("AB"))
    assert not s.fast_path
    assert (s["B"].early_start, s["B"].early_finish) == (datetime(2025, 1, 8, 8), datetime(2025, 1, 10, 17))


def test_float_is_measured_on_the_task_calendar() -> None:
    # B works mornings only (08:00-12:00).  A(2d) Mon-Tue -> B(480 min = 2 mornings): Wed 08:00 - Thu 12:00.
    # C(5d) Mon-Fri in parallel; milestone M after B and C sits at Friday 17:00.
    # B: LF = the end of B's working time before Fri 17:00 = Fri 12:00 -> TF = Thu 12:00..Fri 12:00 = 240
    #    LS_B = Fri 12:00 - 480 B-minutes = Thu 08:00
    # A: LF = the end of project working time before Thu 08:00 = Wed 17:00 -> TF = 1 day on A's calendar
    mornings = WorkingCalendar(name="mornings", week=(((480, 720),),) * 5 + ((), ()))
    tasks = [Task("A", 2 * D), Task("B", D, calendar=mornings), Task("C", 5 * D), Task("M", 0)]
    s = run(tasks, links("AB", "BM", "CM"))
    assert (s["B"].early_start, s["B"].early_finish) == (datetime(2025, 1, 8, 8), datetime(2025, 1, 9, 12))
    assert s["M"].early_start == datetime(2025, 1, 10, 17)
    assert (s["B"].late_start, s["B"].late_finish) == (datetime(2025, 1, 9, 8), datetime(2025, 1, 10, 12))
    assert s["B"].total_float_minutes == 240
    assert s["A"].late_finish == datetime(2025, 1, 8, 17)
    assert s["A"].total_float_minutes == D
    assert s.critical_path == ("C", "M")


def test_working_saturday_on_the_project_calendar() -> None:
    # Saturday Jan 11 is worked 08:00-12:00: a 3-day task from Thursday 08:00 works Thursday (480),
    # Friday (480), Saturday morning (240) and Monday morning (240) -> Monday 12:00
    cal = STD.with_exceptions(CalendarException(date(2025, 1, 11), intervals=((480, 720),)))
    s = run([Task("A", 3 * D, constraint=Constraint(ConstraintType.SNET, datetime(2025, 1, 9, 8)))], calendar=cal)
    assert s["A"].early_finish == datetime(2025, 1, 13, 12)


# ------------------------------------------------------------------------------------------ direction


def test_backward_scheduling_from_a_finish_date() -> None:
    # finish Fri Jan 24 17:00 = F(15).  A(2d) -> B(3d) -> C(1d);  D(1d) -> C
    # backward: C 14-15, B 11-14, A 9-11, D 13-14; project start = earliest late start = S(9) (Fri Jan 17)
    # forward from S(9): A 9-11, B 11-14, C 14-15, D 9-10 -> D has 4 days of float
    tasks = [Task("A", 2 * D), Task("B", 3 * D), Task("C", D), Task("D", D)]
    s = run(tasks, links("AB", "BC", "DC"), start=None, finish=datetime(2025, 1, 24, 17))
    check(s, "A", 9, 11, 9, 11, 0, 0)
    check(s, "B", 11, 14, 11, 14, 0, 0)
    check(s, "C", 14, 15, 14, 15, 0, 0)
    check(s, "D", 9, 10, 13, 14, 4, 4)
    assert (s["D"].start, s["D"].finish) == (S(13), F(14))  # displayed as late as possible
    assert (s.start, s.finish) == (S(9), F(15))
    assert s.critical_path == ("A", "B", "C")
    # an explicit ASAP constraint keeps a task at its early dates in a backward-scheduled project
    tasks[3] = Task("D", D, constraint=Constraint(ConstraintType.ASAP))
    s2 = run(tasks, links("AB", "BC", "DC"), start=None, finish=datetime(2025, 1, 24, 17))
    assert s2["D"].start == S(9)


def test_deadline_in_forward_scheduling() -> None:
    # A(2d) -> B(3d) ends F(5) = Fri Jan 10 17:00
    tasks = [Task("A", 2 * D), Task("B", 3 * D)]
    late = run(tasks, links("AB"), finish=F(6))  # one day to spare
    assert [late[t].total_float_minutes for t in "AB"] == [D, D]
    assert late.critical_path == ()
    assert late.finish == F(5)  # the scheduled finish, not the deadline
    tight = run(tasks, links("AB"), finish=F(4))  # one day short
    assert [tight[t].total_float_minutes for t in "AB"] == [-D, -D]
    assert tight.critical_path == ("A", "B")


# ------------------------------------------------------------------------------------------ progress

STATUS = datetime(2025, 1, 8, 12)  # Wednesday noon


def progress_network(**b_progress: object) -> list[Task]:
    b = {"actual_start": datetime(2025, 1, 8, 8), "percent_complete": 25.0, **b_progress}
    return [
        Task("A", 2 * D, actual_start=MON, actual_finish=datetime(2025, 1, 7, 17)),
        Task("B", 4 * D, **b),  # type: ignore[arg-type]
        Task("C", D),
        Task("D", 2 * D),
    ]


def test_progress_with_a_status_date() -> None:
    # A complete (Mon-Tue).  B started Wed 08:00, 25 % of 4 d done -> 3 d (1440 min) remain, resumed at the
    # status date Wed 12:00 -> 13:00: Wed 240 + Thu 480 + Fri 480 + Mon 240 -> Mon Jan 13 12:00.
    # C follows B: Mon 13:00 - Tue 12:00.  D (no predecessor, not started) cannot start before the status
    # date: Wed 13:00 + 960 -> Fri 12:00; its float runs to the project finish Tue 12:00: Fri 240 +
    # Mon 480 + Tue 240 = 960.
    s = run(progress_network(), links("AB", "BC"), status_date=STATUS)
    a, b, c, d = (s[t] for t in "ABCD")
    assert (a.early_start, a.early_finish, a.critical, a.total_float_minutes) == (MON, F(2), False, 0)
    assert (b.early_start, b.early_finish) == (datetime(2025, 1, 8, 8), datetime(2025, 1, 13, 12))
    assert (b.late_start, b.late_finish) == (datetime(2025, 1, 8, 8), datetime(2025, 1, 13, 12))
    assert (c.early_start, c.early_finish) == (datetime(2025, 1, 13, 13), datetime(2025, 1, 14, 12))
    assert (d.early_start, d.early_finish) == (datetime(2025, 1, 8, 13), datetime(2025, 1, 10, 12))
    assert d.total_float_minutes == 960
    assert s.critical_path == ("B", "C")
    assert s.finish == datetime(2025, 1, 14, 12)


def test_progress_remaining_minutes_override_percent() -> None:
    # 600 minutes remain from Wed 13:00: Wed 240 + Thu 08-12 240 + 13-15 120 -> Thu 15:00
    s = run(progress_network(remaining_minutes=600), links("AB", "BC"), status_date=STATUS)
    assert s["B"].early_finish == datetime(2025, 1, 9, 15)


def test_progress_without_status_date_resumes_after_the_work_done() -> None:
    # 25 % of 4 d done from Wed 08:00 -> resume Thu 08:00, 3 d remain -> Mon Jan 13 17:00
    s = run(progress_network(), links("AB", "BC"))
    assert s["B"].early_finish == datetime(2025, 1, 13, 17)


def test_links_into_started_work_are_ignored_and_actuals_win() -> None:
    # X(5d) -> B, but B has already started on Wed 08:00: B keeps its actual start and forecast
    tasks = [*progress_network(), Task("X", 5 * D)]
    s = run(tasks, [*links("AB", "BC"), Dependency("X", "B")], status_date=STATUS)
    assert s["B"].early_start == datetime(2025, 1, 8, 8)
    assert s["B"].early_finish == datetime(2025, 1, 13, 12)
    # a late actual finish pushes the successor: A finished Thursday 10:00 (late), B not started
    late_a = [
        Task("A", 2 * D, actual_start=MON, actual_finish=datetime(2025, 1, 9, 10)),
        Task("B", D),
    ]
    s2 = run(late_a, links("AB"), status_date=STATUS)
    assert s2["B"].early_start == datetime(2025, 1, 9, 10)


def test_complete_task_without_actual_start_derives_it() -> None:
    s = run([Task("A", 2 * D, actual_finish=datetime(2025, 1, 7, 17))], status_date=STATUS)
    assert s["A"].early_start == MON
    assert not s["A"].critical


def test_progress_validation() -> None:
    with pytest.raises(InvalidInputError, match="needs an actual_start"):
        run([Task("A", D, percent_complete=50)])
    with pytest.raises(InvalidInputError, match="no remaining work"):
        run([Task("A", D, actual_start=MON, percent_complete=100)], status_date=STATUS)
    with pytest.raises(InvalidInputError, match="percent_complete"):
        Task("A", D, percent_complete=150)


# ------------------------------------------------------------------------------------------ WBS


def test_summary_tasks_roll_up_and_links_on_summaries_expand_to_subtasks() -> None:
    # T (top) > S > {A(2d), B(3d), C(1d)};  A -> B;  Y(2d) -> S;  S -> X(1d)
    # Y -> S: every subtask after Y: A 2-4, B 4-7, C 2-3.  S -> X: X after every subtask: X 7-8.
    # C: LF = LS_X = 7 -> TF 4 days.  S rolls up: 2-7, TF = min of children = 0; T = S.
    tasks = [
        Task("T", 999),  # a summary's own duration is ignored
        Task("S", 999, parent_id="T"),
        Task("A", 2 * D, parent_id="S"),
        Task("B", 3 * D, parent_id="S"),
        Task("C", D, parent_id="S"),
        Task("X", D),
        Task("Y", 2 * D),
    ]
    s = run(tasks, links("AB", "YS", "SX"))
    check(s, "Y", 0, 2, 0, 2, 0, 0)
    check(s, "A", 2, 4, 2, 4, 0, 0)
    check(s, "B", 4, 7, 4, 7, 0, 0)
    check(s, "C", 2, 3, 6, 7, 4, 4)
    check(s, "X", 7, 8, 7, 8, 0, 0)
    for summary in ("S", "T"):
        ts = s[summary]
        assert ts.is_summary and ts.critical
        assert (ts.early_start, ts.early_finish, ts.late_start, ts.late_finish) == (S(2), F(7), S(2), F(7))
        assert (ts.start, ts.finish) == (S(2), F(7))
        assert ts.total_float_minutes == 0
    assert not s["A"].is_summary
    assert s.critical_path == ("Y", "A", "B", "X")  # summaries are not on the critical path
    assert list(s.tasks) == ["T", "S", "A", "B", "C", "X", "Y"]


def test_wbs_errors() -> None:
    with pytest.raises(InvalidInputError, match="own subtask"):
        run([Task("S"), Task("A", D, parent_id="S")], links("SA"))
    with pytest.raises(UnknownTaskError, match="parent 'NOPE'"):
        run([Task("A", D, parent_id="NOPE")])
    with pytest.raises(InvalidInputError, match="parent_id cycle"):
        run([Task("P", parent_id="Q"), Task("Q", parent_id="P"), Task("A", D, parent_id="P")])


# ------------------------------------------------------------------------------------------ errors


def test_cycle_error_names_the_tasks_of_the_cycle() -> None:
    # D -> A -> B -> C -> A, C -> E: only A, B, C form the cycle
    tasks = [Task(t, D) for t in "ABCDE"]
    with pytest.raises(CyclicDependencyError) as info:
        run(tasks, links("AB", "BC", "CA", "DA", "CE"))
    assert info.value.task_ids == ("A", "B", "C")
    assert str(info.value) == "dependency cycle: A -> B -> C -> A"
    assert isinstance(info.value, EngineError)
    # same answer on the general path (a task with its own calendar)
    tasks[4] = Task("E", D, calendar=STD.with_holidays(date(2025, 1, 7)))
    with pytest.raises(CyclicDependencyError) as info2:
        run(tasks, links("AB", "BC", "CA", "DA", "CE"))
    assert info2.value.task_ids == ("A", "B", "C")


def test_self_link_is_a_cycle() -> None:
    with pytest.raises(CyclicDependencyError, match=r"A -> A"):
        run([Task("A", D)], links("AA"))


def test_unknown_predecessor_and_successor() -> None:
    with pytest.raises(UnknownTaskError) as info:
        run([Task("A", D)], [Dependency("X", "A")])
    assert str(info.value) == "task 'A' references unknown predecessor 'X'"
    assert (info.value.task_id, info.value.referenced_by) == ("X", "A")
    with pytest.raises(UnknownTaskError, match="unknown successor 'Y'"):
        run([Task("A", D)], [Dependency("A", "Y")])


@pytest.mark.parametrize(
    "make",
    [
        lambda: run([Task("A", D), Task("A", D)]),  # duplicate id
        lambda: ProjectNetwork([Task("A", D)]),  # neither start nor finish
        lambda: Task("A", -1),
        lambda: Task("A", 1.5),  # type: ignore[arg-type]
        lambda: Task(""),
        lambda: Dependency("A", "B", "XX"),  # type: ignore[arg-type]
        lambda: Dependency("A", "B", lag_minutes=1.5),  # type: ignore[arg-type]
        lambda: ProjectNetwork([Task("A", D)], start=datetime(2025, 1, 6, tzinfo=UTC)),
    ],
)
def test_invalid_input(make: object) -> None:
    with pytest.raises(InvalidInputError):
        make()  # type: ignore[operator]


def test_empty_network() -> None:
    s = run([])
    assert (s.start, s.finish, s.critical_path, len(s.tasks)) == (MON, MON, (), 0)


def test_schedule_mapping_api() -> None:
    s = run([Task("A", D), Task("B", D)], links("AB"))
    assert len(s.tasks) == 2 and "A" in s.tasks and "Z" not in s.tasks
    assert s["B"] is s.tasks["B"]
    assert s["B"].task_id == "B"
    with pytest.raises(KeyError):
        s["Z"]


# ------------------------------------------------------------------------------------------ random networks


def test_forward_pass_matches_networkx_longest_path_on_a_random_dag() -> None:
    rng = random.Random(2024)
    n = 2000
    durations = [rng.randint(1, 10) * D for _ in range(n)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 6000:
        v = rng.randrange(1, n)
        pairs.add((rng.randrange(max(0, v - 100), v), v))
    ids = [f"T{i}" for i in range(n)]
    network = ProjectNetwork(
        [Task(ids[i], d) for i, d in enumerate(durations)],
        [Dependency(ids[u], ids[v]) for u, v in sorted(pairs)],
        start=MON,
    )
    s = critical_path(network)
    assert s.fast_path
    # networkx: node weights moved onto the out-edges, plus a sink fed by every task -> project length
    graph = nx.DiGraph()
    graph.add_weighted_edges_from((u, v, durations[u]) for u, v in pairs)
    graph.add_weighted_edges_from((u, "end", durations[u]) for u in range(n))
    length = nx.dag_longest_path_length(graph, weight="weight")
    assert STD.working_minutes_between(MON, s.finish) == length
    # every task of networkx's longest path is critical in ours
    path = [x for x in nx.dag_longest_path(graph, weight="weight") if x != "end"]
    assert all(s[ids[u]].critical for u in path)
    assert set(s.critical_path) >= {ids[u] for u in path}
    # and the general (datetime) path gives the very same schedule
    assert critical_path(network, force_general=True) == s


def _random_network(rng: random.Random) -> ProjectNetwork:
    """A small network using every feature: link types, lags, constraints, milestones, progress, WBS."""
    n = rng.randint(2, 20)
    cal = STD.with_holidays(date(2025, 1, 15)).with_exceptions(
        CalendarException(date(2025, 1, 18), intervals=((480, 720),))
    )
    status = datetime(2025, 1, 20, 10, 30) if rng.random() < 0.5 else None
    tasks = []
    for i in range(n):
        duration = rng.choice([0, 0, 30, 240, 480, 700, 960, 1440])
        constraint = None
        if rng.random() < 0.3:
            kind = rng.choice(list(ConstraintType))
            when = MON + timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 23), minutes=rng.choice([0, 30]))
            constraint = Constraint(kind, when if kind.needs_date else None)
        actual_start = actual_finish = None
        pct = 0.0
        if status is not None and duration and rng.random() < 0.25:
            actual_start = MON + timedelta(days=rng.randint(0, 10), hours=rng.randint(7, 16))
            if rng.random() < 0.5:
                actual_finish = actual_start + timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 5))
            else:
                pct = rng.choice([10.0, 50.0, 90.0])
        parent = "S" if i < 3 and n > 6 else None
        tasks.append(
            Task(
                f"T{i}",
                duration,
                parent_id=parent,
                constraint=constraint,
                actual_start=actual_start,
                actual_finish=actual_finish,
                percent_complete=pct,
            )
        )
    if n > 6:
        tasks.append(Task("S"))
    deps = []
    for _ in range(rng.randint(0, 2 * n)):
        a, b = sorted(rng.sample(range(n), 2))
        if (a < 3 and b < 3) or n <= 6 or rng.random() < 0.9:
            link = rng.choice(list(DependencyType))
            deps.append(Dependency(f"T{a}", f"T{b}", link, rng.choice([0, 0, 60, -60, 480, -480, 1000])))
    if n > 6:
        deps.append(Dependency("S", f"T{n - 1}"))
    if rng.random() < 0.3:
        return ProjectNetwork(tasks, deps, cal, finish=datetime(2025, 3, 3, 12), status_date=status)
    deadline = rng.choice([None, datetime(2025, 2, 20, 17)])
    return ProjectNetwork(tasks, deps, cal, start=MON, finish=deadline, status_date=status)


def test_fast_path_and_general_path_agree_on_random_networks() -> None:
    rng = random.Random(11)
    for _ in range(150):
        network = _random_network(rng)
        fast = critical_path(network)
        general = critical_path(network, force_general=True)
        assert fast.fast_path and not general.fast_path
        assert fast == general
        for ts in fast.tasks.values():
            assert 0 <= ts.free_float_minutes <= max(ts.total_float_minutes, 0)
            if network.start is not None and not ts.is_summary:
                # forward scheduling displays early dates, or later ones for ALAP tasks
                assert ts.start >= ts.early_start
