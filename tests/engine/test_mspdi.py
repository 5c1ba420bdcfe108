"""MSPDI (Microsoft Project XML) reader and writer.

Small documents written inline give exact expected values; the real files of
``shared/data/project_file_samples`` (when present) are read with MPXJ's counts, the task-links family is
scheduled by our CPM engine and compared with the dates Microsoft Project stored, and every file
survives a write/read round trip.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from pmo.engine.calendar import STANDARD_DAY, CalendarException, WorkingCalendar
from pmo.engine.errors import CyclicDependencyError, FileFormatError
from pmo.engine.formats.mspdi import MSPDI_NAMESPACE, parse_duration, read_mspdi, write_mspdi
from pmo.engine.plan import (
    ELAPSED_CALENDAR,
    PlanAssignment,
    PlanBaseline,
    PlanDependency,
    PlanResource,
    PlanTask,
    ProjectPlan,
    ResourceType,
    plan_to_network,
    schedule_plan,
)
from pmo.engine.schedule import Constraint, ConstraintType, DependencyType

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "project_file_samples"
NS = MSPDI_NAMESPACE


def needs_samples() -> Path:
    if not (SAMPLES / "expected_counts_mpxj.csv").is_file():
        pytest.skip(f"project file samples not found at {SAMPLES.resolve()} (shared data set absent)")
    return SAMPLES


def expected_rows(fmt: str) -> list[dict[str, str]]:
    with (needs_samples() / "expected_counts_mpxj.csv").open() as fh:
        return [r for r in csv.DictReader(fh) if r["format"] == fmt]


def doc(body: str, header: str = "<StartDate>2025-01-06T08:00:00</StartDate>") -> bytes:
    return f'<?xml version="1.0"?>\n<Project xmlns="{NS}"><Name>t</Name>{header}{body}</Project>'.encode()


def task(uid: int, name: str, hours: float = 8, level: int = 1, extra: str = "") -> str:
    h, m = int(hours), round((hours - int(hours)) * 60)
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>{level}</OutlineLevel>"
        f"<Duration>PT{h}H{m}M0S</Duration>{extra}</Task>"
    )


def link(pred: int, kind: int = 1, lag_tenths: int = 0, fmt: int = 7) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{kind}</Type>"
        f"<LinkLag>{lag_tenths}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
    )


MON = datetime(2025, 1, 6, 8)


# ---------------------------------------------------------------------------------------------- basics


def test_parse_duration_forms() -> None:
    assert parse_duration("PT8H0M0S") == 480
    assert parse_duration("PT7H30M0S") == 450
    assert parse_duration("PT0H0M0S") == 0
    assert parse_duration("PT-16H0M0S") == -960
    assert parse_duration("-PT1H0M0S") == -60
    assert parse_duration("P2DT1H") == 2 * 1440 + 60
    assert parse_duration("PT0H0M30S") == 0  # 30 s rounds to the minute (banker's rounding: 0.5 -> 0)
    assert parse_duration("PT1H0M45S") == 61
    assert parse_duration("8h") is None
    assert parse_duration("P") is None


def test_tasks_outline_and_fields() -> None:
    body = (
        "<Tasks>"
        + task(0, "project", 16, 0)
        + task(1, "Phase", 16, 1, "<WBS>1</WBS><Summary>1</Summary>")
        + task(2, "Design", 16, 2, "<WBS>1.1</WBS><Notes>first</Notes>")
        + task(3, "Review", 0, 2, "<WBS>1.2</WBS><Milestone>1</Milestone>" + link(2))
        + task(4, "Later", 4.5, 1, "<WBS>2</WBS><Manual>1</Manual><Active>0</Active>")
        + "</Tasks>"
    )
    plan = read_mspdi(doc(body), name="t.xml")
    assert [t.uid for t in plan.tasks] == ["1", "2", "3", "4"]  # UID 0 (project summary) dropped
    phase, design, review, later = plan.tasks
    assert (phase.is_summary, phase.parent_uid, phase.outline_level) == (True, None, 1)
    assert (design.parent_uid, design.wbs, design.duration_minutes, design.notes) == ("1", "1.1", 960, "first")
    assert (review.is_milestone, review.duration_minutes, review.parent_uid) == (True, 0, "1")
    assert (later.duration_minutes, later.manual, later.active, later.parent_uid) == (270, True, False, None)
    assert plan.dependencies == (PlanDependency("2", "3", DependencyType.FS, 0, False, 7),)
    assert plan.start == MON and plan.name == "t" and plan.source == "t.xml"


def test_link_types_and_lags() -> None:
    # LinkLag is in tenths of minutes; Type 0 FF, 1 FS, 2 SF, 3 SS; LagFormat 8 (elapsed days), 19 (%)
    links = link(1, 0, 4800) + link(2, 1, -2400, 5) + link(3, 2, 14400, 8) + link(4, 3, 50, 19)
    body = (
        "<Tasks>"
        + task(1, "A", 16)
        + task(2, "B")
        + task(3, "C")
        + task(4, "D", 16)
        + task(5, "E", 8, 1, links)
        + "</Tasks>"
    )
    deps = read_mspdi(doc(body)).dependencies
    assert [(d.predecessor_uid, d.type, d.lag_minutes, d.lag_is_elapsed, d.lag_format) for d in deps] == [
        ("1", DependencyType.FF, 480, False, 7),
        ("2", DependencyType.FS, -240, False, 5),
        ("3", DependencyType.SF, 1440, True, 8),
        ("4", DependencyType.SS, 480, False, 19),  # 50 % of D's 960 minutes
    ]


def test_task_links_semantics_match_ms_project() -> None:
    """The 2019 task-links project, rebuilt inline: Thursday start, FS 0/1d/2d/1w/2w, SF/SS/FF 2d."""
    pairs = [(1, 0, 7), (1, 4800, 7), (1, 9600, 7), (1, 24000, 9), (1, 48000, 9), (2, 9600, 7), (3, 9600, 7)]
    pairs.append((0, 9600, 7))
    body = "<Tasks>"
    for k, (kind, lag, fmt) in enumerate(pairs):
        a, b = 2 * k + 1, 2 * k + 2
        body += task(a, "Task 1") + task(b, "Task 2", 8, 1, link(a, kind, lag, fmt))
    body += "</Tasks>"
    plan = read_mspdi(doc(body, "<StartDate>2018-10-18T08:00:00</StartDate>"))
    sched = schedule_plan(plan)
    starts = [sched[str(2 * k + 2)].start.date().isoformat() for k in range(len(pairs))]
    assert starts == [
        "2018-10-19",  # FS
        "2018-10-22",  # FS 1d: Thursday 17:00 + 1 working day = Friday 17:00 -> Monday
        "2018-10-23",  # FS 2d
        "2018-10-26",  # FS 1w
        "2018-11-02",  # FS 2w
        "2018-10-19",  # SF 2d: finish >= Thursday 08:00 + 2d = Friday 17:00
        "2018-10-22",  # SS 2d: start >= Friday 17:00 -> Monday 08:00
        "2018-10-22",  # FF 2d: finish >= Monday 17:00
    ]
    assert sched.finish == datetime(2018, 11, 2, 17)


def test_constraints_progress_and_baselines() -> None:
    extra_a = (
        "<ConstraintType>4</ConstraintType><ConstraintDate>2025-01-08T08:00:00</ConstraintDate>"
        "<Baseline><Number>0</Number><Start>2025-01-06T08:00:00</Start><Finish>2025-01-06T17:00:00</Finish>"
        "<Duration>PT8H0M0S</Duration><Cost>12345</Cost></Baseline>"
        "<Baseline><Number>3</Number><Start>2025-01-07T08:00:00</Start></Baseline>"
    )
    extra_b = (
        "<PercentComplete>50</PercentComplete><ActualStart>2025-01-06T08:00:00</ActualStart>"
        "<RemainingDuration>PT8H0M0S</RemainingDuration><ConstraintType>1</ConstraintType>"
    )
    extra_c = "<ConstraintType>7</ConstraintType>"  # FNLT without a date: treated as ASAP
    body = "<Tasks>" + task(1, "A", 8, 1, extra_a) + task(2, "B", 16, 1, extra_b) + task(3, "C", 8, 1, extra_c)
    plan = read_mspdi(doc(body + "</Tasks>"))
    a, b, c = plan.tasks
    assert a.constraint == Constraint(ConstraintType.SNET, datetime(2025, 1, 8, 8))
    assert b.constraint == Constraint(ConstraintType.ALAP)
    assert c.constraint is None
    assert (b.percent_complete, b.actual_start, b.remaining_minutes) == (50.0, MON, 480)
    assert plan.baselines == (
        PlanBaseline("1", 0, MON, datetime(2025, 1, 6, 17), 480, 123.45),
        PlanBaseline("1", 3, datetime(2025, 1, 7, 8), None, None, None),
    )
    sched = schedule_plan(plan)
    assert sched["1"].start == datetime(2025, 1, 8, 8)  # SNET
    assert sched["2"].start == MON and sched["2"].finish == datetime(2025, 1, 7, 17)  # 4h done + 8h left


def test_resources_and_assignments() -> None:
    body = (
        "<Tasks>" + task(1, "A", 16) + "</Tasks><Resources>"
        "<Resource><UID>0</UID><Name>placeholder</Name></Resource>"
        "<Resource><UID>1</UID><Name>Ann</Name><Type>1</Type><MaxUnits>0.5</MaxUnits>"
        "<StandardRate>80</StandardRate></Resource>"
        "<Resource><UID>2</UID><Name>Cement</Name><Type>0</Type></Resource>"
        "<Resource><UID>3</UID><Name>Travel</Name><Type>0</Type><IsCostResource>1</IsCostResource></Resource>"
        "</Resources><Assignments>"
        "<Assignment><UID>7</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>0.5</Units>"
        "<Work>PT8H0M0S</Work></Assignment>"
        "<Assignment><UID>8</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID></Assignment>"
        "</Assignments>"
    )
    plan = read_mspdi(doc(body))
    assert plan.resources == (
        PlanResource("1", "Ann", ResourceType.WORK, 0.5, None, 80.0),
        PlanResource("2", "Cement", ResourceType.MATERIAL),
        PlanResource("3", "Travel", ResourceType.COST),
    )
    assert plan.assignments == (PlanAssignment("1", "1", 0.5, 480, "7"),)


def calendar_xml(uid: int, name: str, days: str, extra: str = "", base: int = -1) -> str:
    return (
        f"<Calendar><UID>{uid}</UID><Name>{name}</Name><IsBaseCalendar>{int(base == -1)}</IsBaseCalendar>"
        f"<BaseCalendarUID>{base}</BaseCalendarUID><WeekDays>{days}</WeekDays>{extra}</Calendar>"
    )


def weekday(day_type: int, *times: tuple[str, str]) -> str:
    if not times:
        return f"<WeekDay><DayType>{day_type}</DayType><DayWorking>0</DayWorking></WeekDay>"
    wt = "".join(f"<WorkingTime><FromTime>{a}</FromTime><ToTime>{b}</ToTime></WorkingTime>" for a, b in times)
    return (
        f"<WeekDay><DayType>{day_type}</DayType><DayWorking>1</DayWorking><WorkingTimes>{wt}</WorkingTimes></WeekDay>"
    )


STD_DAYS = (
    weekday(1)
    + "".join(weekday(d, ("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")) for d in range(2, 7))
    + weekday(7)
)


def test_calendars_weekdays_inheritance_and_legacy_exceptions() -> None:
    legacy = (
        "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod><FromDate>2025-12-24T00:00:00"
        "</FromDate><ToDate>2025-12-26T23:59:00</ToDate></TimePeriod></WeekDay>"
    )
    night = weekday(2, ("23:00:00", "00:00:00")) + weekday(3, ("00:00:00", "03:00:00"), ("23:00:00", "00:00:00"))
    calendars = (
        "<Calendars>"
        + calendar_xml(1, "Standard", STD_DAYS + legacy)
        + calendar_xml(2, "Night", night)  # a base calendar defining two days: the others use the default
        + calendar_xml(3, "Ann", weekday(6), base=1)  # derived: Friday off, inherits the rest and the holidays
        + "</Calendars>"
    )
    plan = read_mspdi(
        doc(calendars + "<Tasks/>", "<StartDate>2025-01-06T08:00:00</StartDate><CalendarUID>1</CalendarUID>")
    )
    std, nightcal, ann = plan.calendars["1"], plan.calendars["2"], plan.calendars["3"]
    assert plan.calendar is std and plan.calendar_id == "1"
    assert std.week == (STANDARD_DAY,) * 5 + ((), ())
    assert std.exceptions == (CalendarException(date(2025, 12, 24), date(2025, 12, 26)),)
    assert nightcal.week[0] == ((1380, 1440),) and nightcal.week[1] == ((0, 180), (1380, 1440))
    assert nightcal.week[2] == STANDARD_DAY and nightcal.week[6] == ()
    assert ann.week[4] == () and ann.week[3] == STANDARD_DAY and ann.name == "Ann"
    assert ann.exceptions == std.exceptions


def test_calendars_2007_exceptions_recurring_and_working() -> None:
    exceptions = (
        "<Exceptions>"
        # every Monday and Wednesday of two weeks (Type 6 weekly, DaysOfWeek bitmap 2 + 8)
        "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod><FromDate>2025-01-06T00:00:00"
        "</FromDate><ToDate>2025-01-17T23:59:00</ToDate></TimePeriod><Occurrences>4</Occurrences><Name>gym</Name>"
        "<Type>6</Type><Period>1</Period><DaysOfWeek>10</DaysOfWeek><DayWorking>0</DayWorking></Exception>"
        # a working Saturday, mornings only
        "<Exception><TimePeriod><FromDate>2025-01-11T00:00:00</FromDate><ToDate>2025-01-11T23:59:00</ToDate>"
        "</TimePeriod><Name>catch-up</Name><Type>1</Type><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>"
        "<FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></Exception>"
        # 25 December every year, 3 occurrences (Type 2 yearly absolute: Month 0-based, MonthDay)
        "<Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>2025-12-25T00:00:00"
        "</FromDate><ToDate>2027-12-25T23:59:00</ToDate></TimePeriod><Occurrences>3</Occurrences>"
        "<Name>Xmas</Name><Type>2</Type><Month>11</Month><MonthDay>25</MonthDay><DayWorking>0</DayWorking>"
        "</Exception>"
        # the last Monday of May (Type 3 yearly relative: MonthItem 4 = Monday, MonthPosition 4 = last)
        "<Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>2025-01-01T00:00:00"
        "</FromDate><ToDate>2025-12-31T23:59:00</ToDate></TimePeriod><Occurrences>1</Occurrences>"
        "<Name>Memorial</Name><Type>3</Type><Month>4</Month><MonthItem>4</MonthItem><MonthPosition>4</MonthPosition>"
        "<DayWorking>0</DayWorking></Exception>"
        "</Exceptions>"
    )
    # the legacy DayType 0 entry is ignored when Exceptions are present (as MS Project 2007+ writes both)
    legacy = (
        "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod><FromDate>2025-03-03T00:00:00"
        "</FromDate><ToDate>2025-03-03T23:59:00</ToDate></TimePeriod></WeekDay>"
    )
    cal_xml = "<Calendars>" + calendar_xml(1, "Standard", STD_DAYS + legacy, exceptions) + "</Calendars>"
    plan = read_mspdi(
        doc(cal_xml + "<Tasks/>", "<StartDate>2025-01-06T08:00:00</StartDate><CalendarUID>1</CalendarUID>")
    )
    cal = plan.calendar
    off = [d.isoformat() for exc in cal.exceptions if exc.is_holiday for d in exc.days()]
    assert off == [
        "2025-01-06",
        "2025-01-08",
        "2025-01-13",
        "2025-01-15",
        "2025-05-26",
        "2025-12-25",
        "2026-12-25",
        "2027-12-25",
    ]
    assert cal.intervals_on(date(2025, 1, 11)) == ((480, 720),)
    assert cal.working_minutes_on(date(2025, 3, 3)) == 480
    # a 3-day task starting Monday 6 Jan: Mon off, Tue, Wed off, Thu, Fri -> finishes Friday 17:00
    one = read_mspdi(
        doc(
            cal_xml + "<Tasks>" + task(1, "A", 24) + "</Tasks>",
            "<StartDate>2025-01-06T08:00:00</StartDate><CalendarUID>1</CalendarUID>",
        )
    )
    assert schedule_plan(one)["1"].finish == datetime(2025, 1, 10, 17)


def test_task_calendar_and_elapsed_duration() -> None:
    cals = (
        "<Calendars>"
        + calendar_xml(1, "Standard", STD_DAYS)
        + calendar_xml(2, "Weekend", "".join(weekday(d) for d in range(1, 7)) + weekday(7, ("08:00:00", "16:00:00")))
        + "</Calendars>"
    )
    body = (
        "<Tasks>"
        + task(1, "on weekend calendar", 8, 1, "<CalendarUID>2</CalendarUID>")
        + task(2, "two elapsed days", 48, 1, "<DurationFormat>8</DurationFormat>")
        + "</Tasks>"
    )
    plan = read_mspdi(doc(cals + body, "<StartDate>2025-01-06T08:00:00</StartDate><CalendarUID>1</CalendarUID>"))
    assert plan.tasks[0].calendar_id == "2" and plan.tasks[1].duration_is_elapsed
    net = plan_to_network(plan)
    assert net.tasks[1].calendar is ELAPSED_CALENDAR
    sched = schedule_plan(plan)
    assert (sched["1"].start, sched["1"].finish) == (datetime(2025, 1, 11, 8), datetime(2025, 1, 11, 16))
    assert sched["2"].finish == datetime(2025, 1, 8, 8)


def test_single_resource_calendar_drives_the_task() -> None:
    cals = (
        "<Calendars>"
        + calendar_xml(1, "Standard", STD_DAYS)
        + calendar_xml(3, "Ann", weekday(2), base=1)
        + "</Calendars>"
    )
    body = (
        "<Tasks>" + task(1, "A", 8) + "</Tasks><Resources><Resource><UID>1</UID><Name>Ann</Name>"
        "<CalendarUID>3</CalendarUID></Resource></Resources><Assignments><Assignment><UID>1</UID>"
        "<TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units></Assignment></Assignments>"
    )
    plan = read_mspdi(doc(cals + body, "<StartDate>2025-01-06T08:00:00</StartDate><CalendarUID>1</CalendarUID>"))
    assert schedule_plan(plan)["1"].start == datetime(2025, 1, 7, 8)  # Ann does not work on Mondays
    assert schedule_plan(plan, use_resource_calendars=False)["1"].start == MON


# ---------------------------------------------------------------------------------------------- errors


def test_error_not_xml() -> None:
    with pytest.raises(FileFormatError) as info:
        read_mspdi(b"MPP\x00\x01 binary garbage", name="x.xml")
    assert info.value.path == "x.xml" and info.value.line == 1
    assert "not well-formed XML" in str(info.value) and "not an XML file" in str(info.value)


def test_error_truncated_names_the_line() -> None:
    data = doc("<Tasks>" + task(1, "A") + task(2, "B") + "</Tasks>").replace(b"><", b">\n<")
    cut = data[: data.index(b"<Name>B")]
    with pytest.raises(FileFormatError) as info:
        read_mspdi(cut, name="cut.xml")
    assert info.value.line is not None and info.value.line >= cut.count(b"\n")
    assert str(info.value).startswith(f"cut.xml, line {info.value.line}: not well-formed XML")


def test_error_wrong_root_and_empty() -> None:
    with pytest.raises(
        FileFormatError, match=r"p6\.xml, line 1: not an MSPDI file: the root element is <APIBusinessObjects>"
    ):
        read_mspdi(b'<APIBusinessObjects xmlns="http://xmlns.oracle.com/Primavera"/>', name="p6.xml")
    with pytest.raises(FileFormatError, match="the file is empty"):
        read_mspdi(b"  \n", name="e.xml")


def test_error_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="cannot read file"):
        read_mspdi(tmp_path / "nope.xml")


def test_error_unknown_predecessor_names_task_and_line() -> None:
    data = doc("<Tasks>\n" + task(1, "Design") + "\n" + task(2, "Build", 8, 1, "\n" + link(99)) + "\n</Tasks>")
    with pytest.raises(FileFormatError) as info:
        read_mspdi(data, name="plan.xml")
    assert str(info.value) == "plan.xml, line 5: task UID 2 'Build': predecessor UID 99 does not exist"


def test_error_bad_values_name_task() -> None:
    with pytest.raises(
        FileFormatError, match=r"<MSPDI document>, line 2: task UID 1 'A': Duration '3 days' is not an ISO 8601"
    ):
        read_mspdi(doc("<Tasks><Task><UID>1</UID><Name>A</Name><Duration>3 days</Duration></Task></Tasks>"))
    with pytest.raises(FileFormatError, match=r"task UID 1 'A': Start 'soon' is not a date-time"):
        read_mspdi(doc("<Tasks><Task><UID>1</UID><Name>A</Name><Start>soon</Start></Task></Tasks>"))
    with pytest.raises(FileFormatError, match=r"task UID 2 'B': link Type 9"):
        read_mspdi(doc("<Tasks>" + task(1, "A") + task(2, "B", 8, 1, link(1, 9)) + "</Tasks>"))
    with pytest.raises(FileFormatError, match="duplicate task UID 1"):
        read_mspdi(doc("<Tasks>" + task(1, "A") + task(1, "B") + "</Tasks>"))


def test_cycle_is_reported_with_uids_and_names() -> None:
    body = "<Tasks>" + task(1, "Design", 8, 1, link(2)) + task(2, "Build", 8, 1, link(1)) + "</Tasks>"
    plan = read_mspdi(doc(body))
    with pytest.raises(CyclicDependencyError) as info:
        schedule_plan(plan)
    assert str(info.value) == "dependency cycle: UID 1 'Design' -> UID 2 'Build' -> UID 1 'Design'"


# ---------------------------------------------------------------------------------------------- writer

# Element order of Microsoft's schema (mspdi_pj12.xsd), the subset the writer uses
TASK_ORDER = [
    "UID", "ID", "Name", "Active", "Manual", "Type", "IsNull", "WBS", "OutlineNumber", "OutlineLevel",
    "Priority", "Start", "Finish", "Duration", "DurationFormat", "Milestone", "Summary", "Critical",
    "EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "FreeSlack", "TotalSlack", "PercentComplete",
    "ActualStart", "ActualFinish", "RemainingDuration", "ConstraintType", "CalendarUID", "ConstraintDate",
    "IgnoreResourceCalendar", "Notes", "PredecessorLink", "Baseline",
]  # fmt: skip
PROJECT_ORDER = [
    "SaveVersion", "Name", "Title", "ScheduleFromStart", "StartDate", "FinishDate", "FYStartDate",
    "CriticalSlackLimit", "CalendarUID", "DefaultStartTime", "DefaultFinishTime", "MinutesPerDay",
    "MinutesPerWeek", "DaysPerMonth", "DefaultTaskType", "DurationFormat", "WorkFormat", "HonorConstraints",
    "NewTasksEffortDriven", "NewTasksEstimated", "WeekStartDay", "StatusDate", "NewTasksAreManual",
    "Calendars", "Tasks", "Resources", "Assignments",
]  # fmt: skip


def rich_plan() -> ProjectPlan:
    std = WorkingCalendar(
        "Standard",
        exceptions=(
            CalendarException(date(2025, 1, 1), name="New year"),
            CalendarException(date(2025, 1, 11), intervals=((480, 720),), name="Saturday"),
        ),
    )
    ann = WorkingCalendar(
        "Ann",
        week=(STANDARD_DAY,) * 4 + ((), (), ()),
        exceptions=(*std.exceptions, CalendarException(date(2025, 2, 3), date(2025, 2, 7), name="leave")),
    )
    night = WorkingCalendar("Night", week=(((1320, 1440),), ((0, 360), (1320, 1440))) + ((),) * 5)
    tasks = (
        PlanTask("1", "Phase", "1", 1, None, 0, is_summary=True, row_id=1, start=MON, finish=datetime(2025, 1, 13, 17)),
        PlanTask("2", "Design", "1.1", 2, "1", 960, start=MON, finish=datetime(2025, 1, 7, 17), row_id=2,
                 actual_start=MON, percent_complete=50, remaining_minutes=480, notes="n1"),
        PlanTask("3", "Build", "1.2", 2, "1", 1440, constraint=Constraint("SNET", datetime(2025, 1, 9, 8)),
                 start=datetime(2025, 1, 9, 8), finish=datetime(2025, 1, 13, 17), calendar_id="9", row_id=3),
        PlanTask("4", "Ship", "2", 1, None, 0, is_milestone=True, constraint=Constraint("ALAP"),
                 start=datetime(2025, 1, 13, 17), finish=datetime(2025, 1, 13, 17), row_id=4),
        PlanTask("5", "Wait", "3", 1, None, 2880, duration_is_elapsed=True, manual=True, active=False,
                 start=MON, finish=datetime(2025, 1, 8, 8), row_id=5),
    )  # fmt: skip
    return ProjectPlan(
        "Rich",
        MON,
        finish=datetime(2025, 1, 13, 17),
        status_date=datetime(2025, 1, 7, 12),
        calendar=std,
        calendars={"1": std, "7": ann, "9": night},
        tasks=tasks,
        dependencies=(
            PlanDependency("2", "3", "FS", 480, False, 7),
            PlanDependency("3", "4", "FF", -120, False, 5),
            PlanDependency("1", "5", "SS", 2880, True, 8),
        ),
        resources=(
            PlanResource("1", "Ann", ResourceType.WORK, 1.0, "7", 55.5),
            PlanResource("2", "Steel", ResourceType.MATERIAL, 1.0, None, 3.0),
            PlanResource("3", "Fees", ResourceType.COST),
        ),
        assignments=(PlanAssignment("2", "1", 0.5, 480, "1"), PlanAssignment("3", "2", 2.0, 0, "2")),
        baselines=(
            PlanBaseline("2", 0, MON, datetime(2025, 1, 7, 17), 960, 1000.0),
            PlanBaseline("3", 10, datetime(2025, 1, 9, 8), datetime(2025, 1, 13, 17), 1440, 0.01),
        ),
        calendar_id="1",
        source="rich.xml",
    )


def test_round_trip_rich_plan() -> None:
    plan = rich_plan()
    again = read_mspdi(write_mspdi(plan), name="rich.xml")
    assert again == plan


def test_written_document_structure() -> None:
    data = write_mspdi(rich_plan())
    root = etree.fromstring(data)
    assert etree.QName(root).namespace == NS and data.startswith(b"<?xml version='1.0' encoding='UTF-8'")

    def names(el: etree._Element) -> list[str]:
        return [etree.QName(c).localname for c in el]

    def in_order(seq: list[str], order: list[str]) -> bool:
        positions = [order.index(n) for n in seq]
        return positions == sorted(positions)

    assert in_order(names(root), PROJECT_ORDER)
    tasks = root.find(f"{{{NS}}}Tasks")
    for t in tasks:
        assert in_order(names(t), TASK_ORDER), names(t)
    first = tasks[0]
    assert first.findtext(f"{{{NS}}}UID") == "0" and first.findtext(f"{{{NS}}}OutlineLevel") == "0"
    build = tasks[3]
    assert build.findtext(f"{{{NS}}}Name") == "Build"
    assert build.findtext(f"{{{NS}}}Duration") == "PT24H0M0S"
    assert build.findtext(f"{{{NS}}}ConstraintType") == "4"
    pl = build.find(f"{{{NS}}}PredecessorLink")
    assert [pl.findtext(f"{{{NS}}}{n}") for n in ("PredecessorUID", "Type", "LinkLag", "LagFormat")] == [
        "2", "1", "4800", "7",
    ]  # fmt: skip
    cal_ann = next(c for c in root.iter(f"{{{NS}}}Calendar") if c.findtext(f"{{{NS}}}Name") == "Ann")
    assert cal_ann.findtext(f"{{{NS}}}IsBaseCalendar") == "0"  # a resource calendar derived from Standard
    assert cal_ann.findtext(f"{{{NS}}}BaseCalendarUID") == "1"


def test_write_with_schedule_writes_computed_dates_and_slack() -> None:
    plan = read_mspdi(doc("<Tasks>" + task(1, "A", 16) + task(2, "B", 8) + task(3, "C", 8, 1, link(1)) + "</Tasks>"))
    sched = schedule_plan(plan)
    root = etree.fromstring(write_mspdi(plan, sched))
    b = next(t for t in root.iter(f"{{{NS}}}Task") if t.findtext(f"{{{NS}}}UID") == "2")
    assert b.findtext(f"{{{NS}}}Start") == "2025-01-06T08:00:00"
    assert b.findtext(f"{{{NS}}}TotalSlack") == str(2 * 480 * 10)  # tenths of minutes
    assert b.findtext(f"{{{NS}}}Critical") == "0"
    assert root.findtext(f"{{{NS}}}FinishDate") == "2025-01-08T17:00:00"


def test_write_renumbers_non_integer_uids() -> None:
    plan = ProjectPlan(
        "p",
        MON,
        tasks=(PlanTask("design", "D", duration_minutes=480), PlanTask("build", "B", duration_minutes=480)),
        dependencies=(PlanDependency("design", "build"),),
    )
    again = read_mspdi(write_mspdi(plan))
    assert [t.uid for t in again.tasks] == ["1", "2"]
    assert again.dependencies[0].predecessor_uid == "1"
    assert schedule_plan(again).finish == datetime(2025, 1, 7, 17)


# ---------------------------------------------------------------------------------------------- real files


def mspdi_rows() -> list[dict[str, str]]:
    if not (SAMPLES / "expected_counts_mpxj.csv").is_file():
        return []
    with (SAMPLES / "expected_counts_mpxj.csv").open() as fh:
        return [r for r in csv.DictReader(fh) if r["format"] == "MSPDI"]


@pytest.mark.parametrize("row", mspdi_rows() or [None], ids=lambda r: Path(r["file"]).name if r else "absent")
def test_real_mspdi_counts_match_mpxj(row: dict[str, str] | None) -> None:
    root = needs_samples()
    assert row is not None
    plan = read_mspdi(root / row["file"])
    assert len(plan.tasks) == int(row["tasks_excl_uid0"])
    assert len(plan.resources) == int(row["resources_excl_uid0"])
    assert len(plan.dependencies) == int(row["relations"])


def test_every_mspdi_sample_is_covered() -> None:
    rows = expected_rows("MSPDI")
    assert len(rows) == 10  # 6 task-links versions, sample, sample1, mspdipriority, mspditimephased


@pytest.mark.parametrize("version", ["2003", "2007", "2010", "2013", "2016", "2019"])
def test_task_links_cpm_dates_equal_ms_project(version: str) -> None:
    path = needs_samples() / "mpxj_junit_data" / "generated" / "task-links" / f"task-links-project{version}-mspdi.xml"
    plan = read_mspdi(path)
    sched = schedule_plan(plan)
    mismatches = [
        (t.label, t.start, t.finish, sched[t.uid].start, sched[t.uid].finish)
        for t in plan.tasks
        if (t.start, t.finish) != (sched[t.uid].start, sched[t.uid].finish)
    ]
    assert mismatches == []
    assert len(plan.tasks) == 16
    assert sched.finish == plan.finish


@pytest.mark.parametrize("row", mspdi_rows() or [None], ids=lambda r: Path(r["file"]).name if r else "absent")
def test_real_mspdi_round_trip(row: dict[str, str] | None) -> None:
    root = needs_samples()
    assert row is not None
    plan = read_mspdi(root / row["file"])
    again = read_mspdi(write_mspdi(plan), name=plan.source)
    assert again == plan
