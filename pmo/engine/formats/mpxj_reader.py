"""Read Microsoft Project ``.mpp``, Primavera ``.xer`` / PMXML and other project files through MPXJ.

`MPXJ <https://www.mpxj.org>`_ is a Java library that reads most project-management file formats.  It is
an optional extra: ``pip install 'pmo[mpp]'`` installs the PyPI packages ``mpxj`` (MPXJ's jars) and
``JPype1`` (the Python-Java bridge), and a Java runtime (11 or later) must be installed on the machine.
Without them :func:`read_with_mpxj` raises :class:`~pmo.engine.errors.OptionalDependencyError` saying so,
never an ``ImportError``.

The Java virtual machine can be started only once per process, so it is started lazily, on first use, by
:func:`start_jvm` (thread-safe, idempotent) and then kept for the life of the process; every later read
reuses it.  Starting it takes about a second, reading a typical ``.mpp`` file a tenth of a second.

MPXJ's ``UniversalProjectReader`` recognises the format from the file content.  Its model is mapped to
:class:`~pmo.engine.plan.ProjectPlan`: tasks with WBS codes and parents (MPXJ's task hierarchy), durations
(working minutes; elapsed units in calendar minutes), links with lags (percent lags converted to minutes
of the predecessor's duration), constraints (Primavera's "start on" / "mandatory start" become MSO, the
finish variants MFO), calendars (the weekly pattern with inheritance resolved, plus every dated exception
and work week as dated exceptions), resources (``max_units`` 1.0 = 100 %, rate per hour), assignments,
baselines 0-10 and actuals.  MS Project's project summary task and placeholder resource (unique id 0) are
dropped.  ProjectLibre ``.pod`` files are Java-serialised objects MPXJ cannot read: they give a clean
"unsupported format" :class:`~pmo.engine.errors.FileFormatError`.

>>> mpxj_unavailable_reason() is None or "pmo[mpp]" in mpxj_unavailable_reason() or "Java" in mpxj_unavailable_reason()
True
"""

from __future__ import annotations

import importlib
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from pmo.engine.calendar import DayPattern, WorkingCalendar
from pmo.engine.errors import EngineError, FileFormatError, OptionalDependencyError
from pmo.engine.formats.mspdi import merge_calendar_days
from pmo.engine.plan import (
    PlanAssignment,
    PlanBaseline,
    PlanDependency,
    PlanResource,
    PlanTask,
    ProjectPlan,
    ResourceType,
)
from pmo.engine.schedule import Constraint, ConstraintType, DependencyType

__all__ = ["INSTALL_HINT", "mpxj_unavailable_reason", "read_with_mpxj", "start_jvm"]

INSTALL_HINT = (
    "reading .mpp, .xer and PMXML files needs MPXJ: pip install 'pmo[mpp]' and install a Java runtime "
    "(11 or later, e.g. apt-get install default-jre-headless)"
)

_JVM_OPTIONS = (
    # MPXJ logs through log4j; without a provider it prints a warning on stderr at start-up
    "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
    "-Djava.awt.headless=true",
)
_lock = threading.Lock()
_jpype: ModuleType | None = None
_MAX_EXCEPTION_DAYS = 40 * 366

_CONSTRAINTS: dict[str, ConstraintType] = {
    "AS_SOON_AS_POSSIBLE": ConstraintType.ASAP,
    "AS_LATE_AS_POSSIBLE": ConstraintType.ALAP,
    "MUST_START_ON": ConstraintType.MSO,
    "MUST_FINISH_ON": ConstraintType.MFO,
    "START_NO_EARLIER_THAN": ConstraintType.SNET,
    "START_NO_LATER_THAN": ConstraintType.SNLT,
    "FINISH_NO_EARLIER_THAN": ConstraintType.FNET,
    "FINISH_NO_LATER_THAN": ConstraintType.FNLT,
    "START_ON": ConstraintType.MSO,
    "FINISH_ON": ConstraintType.MFO,
    "MANDATORY_START": ConstraintType.MSO,
    "MANDATORY_FINISH": ConstraintType.MFO,
}
_RELATIONS: dict[str, DependencyType] = {
    "FINISH_START": DependencyType.FS,
    "START_START": DependencyType.SS,
    "FINISH_FINISH": DependencyType.FF,
    "START_FINISH": DependencyType.SF,
}
_ELAPSED_MINUTES: dict[str, float] = {
    "ELAPSED_MINUTES": 1,
    "ELAPSED_HOURS": 60,
    "ELAPSED_DAYS": 1440,
    "ELAPSED_WEEKS": 7 * 1440,
    "ELAPSED_MONTHS": 30 * 1440,
    "ELAPSED_YEARS": 365 * 1440,
}
# MSPDI LagFormat codes of MPXJ time units (kept so a plan read here is written back with the same units)
_LAG_FORMATS: dict[str, int] = {
    "MINUTES": 3,
    "ELAPSED_MINUTES": 4,
    "HOURS": 5,
    "ELAPSED_HOURS": 6,
    "DAYS": 7,
    "ELAPSED_DAYS": 8,
    "WEEKS": 9,
    "ELAPSED_WEEKS": 10,
    "MONTHS": 11,
    "ELAPSED_MONTHS": 12,
    "PERCENT": 19,
    "ELAPSED_PERCENT": 20,
}
_POD_MAGIC = b"\xac\xed\x00\x05"


def _import(name: str) -> ModuleType:
    return importlib.import_module(name)


def mpxj_unavailable_reason() -> str | None:
    """``None`` if MPXJ can be used here, else why not (missing packages or Java), without starting Java.

    >>> reason = mpxj_unavailable_reason()
    >>> reason is None or isinstance(reason, str)
    True
    """
    if _jpype is not None:
        return None
    try:
        jpype = _import("jpype")
        _import("mpxj")
    except ImportError as exc:
        return f"{INSTALL_HINT} ({exc})"
    try:
        jpype.getDefaultJVMPath()
    except Exception as exc:  # JVMNotFoundException and friends
        return f"{INSTALL_HINT}: no Java runtime found ({exc})"
    return None


def start_jvm() -> ModuleType:
    """Start the Java virtual machine with MPXJ's jars (once per process) and return the ``jpype`` module.

    Raises :class:`~pmo.engine.errors.OptionalDependencyError` when ``mpxj``/``JPype1`` are not installed,
    no Java runtime is found, or the JVM was already started by other code without MPXJ on its class path.
    """
    global _jpype
    if _jpype is not None:
        return _jpype
    with _lock:
        if _jpype is not None:
            return _jpype
        try:
            jpype = _import("jpype")
            _import("mpxj")  # puts MPXJ's jars on the class path
        except ImportError as exc:
            raise OptionalDependencyError(f"{INSTALL_HINT} ({exc})") from None
        if not jpype.isJVMStarted():
            try:
                jvm_path = jpype.getDefaultJVMPath()
            except Exception as exc:
                raise OptionalDependencyError(f"{INSTALL_HINT}: no Java runtime found ({exc})") from None
            try:
                jpype.startJVM(jvm_path, *_JVM_OPTIONS, convertStrings=False)
            except Exception as exc:  # OSError, RuntimeError from a broken runtime
                raise OptionalDependencyError(f"{INSTALL_HINT}: the Java runtime did not start ({exc})") from None
        try:
            jpype.JClass("org.mpxj.reader.UniversalProjectReader")
        except Exception:
            raise OptionalDependencyError(
                "the Java virtual machine was started without MPXJ's jars on its class path; "
                "import pmo.engine.formats.mpxj_reader before other code starts Java"
            ) from None
        _jpype = jpype
        return jpype


# ---------------------------------------------------------------------------------------------- conversions


def _s(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def _dt(value: Any) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(str(value)).replace(second=0, microsecond=0)


def _num(value: Any) -> float | None:
    return None if value is None else float(value.doubleValue() if hasattr(value, "doubleValue") else value)


class _Ctx:
    def __init__(self, jpype: ModuleType, project: Any) -> None:
        self.jpype = jpype
        self.project = project
        self.props = project.getProjectProperties()
        self.TimeUnit = jpype.JClass("org.mpxj.TimeUnit")
        self.DayOfWeek = jpype.JClass("java.time.DayOfWeek")
        self.LocalDate = jpype.JClass("java.time.LocalDate")

    def minutes(self, duration: Any) -> tuple[int, bool]:
        """(minutes, elapsed) of an MPXJ Duration; percent units give (percent, False)."""
        if duration is None:
            return 0, False
        units = str(duration.getUnits().name())
        value = float(duration.getDuration())
        if units in _ELAPSED_MINUTES:
            return round(value * _ELAPSED_MINUTES[units]), True
        if units in ("PERCENT", "ELAPSED_PERCENT"):
            return round(value), units == "ELAPSED_PERCENT"
        converted = duration.convertUnits(self.TimeUnit.MINUTES, self.props)
        return round(float(converted.getDuration())), False


def _pattern(hours: Any) -> DayPattern:
    intervals: list[tuple[int, int]] = []
    if hours is None:
        return ()
    for r in hours:
        s, e = r.getStart(), r.getEnd()
        if s is None or e is None:
            continue
        a = int(s.getHour()) * 60 + int(s.getMinute())
        b = int(e.getHour()) * 60 + int(e.getMinute())
        if b <= a:
            b = 1440
        intervals.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return tuple(merged)


_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _calendar(
    ctx: _Ctx, cal: Any, minutes_per_day: int, days_per_week: int, window: tuple[date, date]
) -> WorkingCalendar:
    dows = [getattr(ctx.DayOfWeek, n) for n in _WEEKDAYS]
    week = tuple(_pattern(cal.getHours(d)) if cal.isWorkingDay(d) else () for d in dows)
    # candidate dates: every dated exception and work week of the calendar and of its ancestors
    names: dict[date, str] = {}
    c, depth = cal, 0
    lo, hi = window
    while c is not None and depth < 20:
        ranges: list[tuple[Any, Any, str]] = []
        for exc in c.getCalendarExceptions():
            for e in exc.getExpandedExceptions() or [exc]:
                ranges.append((e.getFromDate(), e.getToDate(), _s(e.getName()) or ""))
        for ww in c.getWorkWeeks():
            dr = ww.getDateRange()
            if dr is not None:
                ranges.append((dr.getStart(), dr.getEnd(), _s(ww.getName()) or "work week"))
        for a, b, label in ranges:
            if a is None:
                continue
            first = date.fromisoformat(str(a))
            last = date.fromisoformat(str(b)) if b is not None else first
            first, last = max(first, lo), min(last, hi, first + timedelta(days=_MAX_EXCEPTION_DAYS))
            d = first
            while d <= last:
                names.setdefault(d, label)
                d += timedelta(days=1)
        c, depth = c.getParent(), depth + 1
    days: dict[date, tuple[DayPattern, str]] = {}
    for d, label in names.items():
        jd = ctx.LocalDate.of(d.year, d.month, d.day)
        pattern = _pattern(cal.getHours(jd)) if cal.isWorkingDate(jd) else ()
        days[d] = (pattern, label)
    exceptions = merge_calendar_days(days)
    name = _s(cal.getName()) or f"Calendar {cal.getUniqueID()}"
    return WorkingCalendar(
        name=name,
        week=week,
        exceptions=exceptions,
        minutes_per_day=minutes_per_day,
        days_per_week=days_per_week,
    )


# ---------------------------------------------------------------------------------------------- reader


def read_with_mpxj(path: str | Path, *, name: str | None = None) -> ProjectPlan:
    """Read a project file MPXJ understands (``.mpp``, ``.mpx``, ``.xer``, PMXML, MSPDI, Planner, ...).

    Raises :class:`~pmo.engine.errors.OptionalDependencyError` when MPXJ or Java is missing and
    :class:`~pmo.engine.errors.FileFormatError` (naming the file) when the file cannot be read or its
    format is not supported.
    """
    path = Path(path)
    label = name or str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileFormatError(f"cannot read file: {exc.strerror or exc}", path=label) from None
    if not head:
        raise FileFormatError("the file is empty", path=label)
    if head.startswith(_POD_MAGIC):
        raise FileFormatError(
            "unsupported format: this is a Java-serialised ProjectLibre/Projity .pod file, which MPXJ cannot "
            "read; save it from ProjectLibre as MS Project XML or .mpp",
            path=label,
        )
    jpype = start_jvm()
    reader_class = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
    try:
        project = reader_class().read(str(path))
    except jpype.JException as exc:
        message = _s(exc.getMessage()) or type(exc).__name__
        raise FileFormatError(f"MPXJ cannot read the file: {message}", path=label) from None
    if project is None:
        raise FileFormatError(
            "unsupported format: MPXJ does not recognise this file (it reads .mpp, .mpx, .xer, PMXML and "
            "MSPDI .xml, Planner, ...)",
            path=label,
        )
    try:
        return _convert(jpype, project, label)
    except jpype.JException as exc:
        message = _s(exc.getMessage()) or type(exc).__name__
        raise FileFormatError(f"MPXJ failed while converting the file: {message}", path=label) from None
    except EngineError as exc:
        if isinstance(exc, FileFormatError):
            raise
        raise FileFormatError(str(exc), path=label) from None


def _convert(jpype: ModuleType, project: Any, label: str) -> ProjectPlan:
    ctx = _Ctx(jpype, project)
    props = ctx.props
    mpd = int(props.getMinutesPerDay() or 480) or 480
    mpw = int(props.getMinutesPerWeek() or 5 * mpd) or 5 * mpd
    dpw = min(7, max(1, round(mpw / mpd)))
    start = _dt(props.getStartDate())
    finish = _dt(props.getFinishDate())
    status = _dt(props.getStatusDate())

    java_tasks = [t for t in project.getTasks() if t.getUniqueID() is not None and int(t.getUniqueID()) != 0]
    java_tasks = [t for t in java_tasks if not bool(t.getNull())]
    dates = [d for t in java_tasks for d in (_dt(t.getStart()), _dt(t.getFinish())) if d is not None]
    anchor_lo = min([d for d in (start, *dates) if d is not None], default=datetime(2000, 1, 1)).date()
    anchor_hi = max([d for d in (finish, *dates) if d is not None], default=datetime(2000, 1, 1)).date()
    window = (anchor_lo - timedelta(days=5 * 366), anchor_hi + timedelta(days=10 * 366))

    calendars: dict[str, WorkingCalendar] = {}
    for cal in project.getCalendars():
        cid = str(cal.getUniqueID())
        try:
            calendars[cid] = _calendar(ctx, cal, mpd, dpw, window)
        except EngineError as exc:
            raise FileFormatError(f"calendar {cid} {_s(cal.getName())!r}: {exc}", path=label) from None
    default = project.getDefaultCalendar()
    calendar_id = str(default.getUniqueID()) if default is not None else None
    if calendar_id is not None and calendar_id not in calendars:
        calendar_id = None
    project_calendar = (
        calendars[calendar_id] if calendar_id is not None else WorkingCalendar(minutes_per_day=mpd, days_per_week=dpw)
    )

    uids = {str(t.getUniqueID()) for t in java_tasks}
    parents: dict[str, str | None] = {}
    for t in java_tasks:
        p = t.getParentTask()
        puid = str(p.getUniqueID()) if p is not None and p.getUniqueID() is not None else None
        parents[str(t.getUniqueID())] = puid if puid in uids else None
    has_child = {p for p in parents.values() if p is not None}

    def depth(uid: str) -> int:
        d, x = 1, parents.get(uid)
        while x is not None and d < 1000:
            d, x = d + 1, parents.get(x)
        return d

    tasks: list[PlanTask] = []
    baselines: list[PlanBaseline] = []
    durations: dict[str, int] = {}
    for t in java_tasks:
        uid = str(t.getUniqueID())
        duration, elapsed = ctx.minutes(t.getDuration())
        durations[uid] = duration
        remaining_d = t.getRemainingDuration()
        remaining = ctx.minutes(remaining_d)[0] if remaining_d is not None else None
        constraint = _constraint(t)
        cal = t.getCalendar()
        cal_id = str(cal.getUniqueID()) if cal is not None else None
        pct = _num(t.getPercentageComplete()) or 0.0
        mode = t.getTaskMode()
        outline = t.getOutlineLevel()
        tasks.append(
            PlanTask(
                uid=uid,
                name=_s(t.getName()) or "",
                wbs=_s(t.getWBS()) or "",
                outline_level=int(outline) if outline is not None and int(outline) > 0 else depth(uid),
                parent_uid=parents[uid],
                duration_minutes=max(0, duration),
                is_milestone=bool(t.getMilestone()),
                is_summary=bool(t.getSummary()) or uid in has_child,
                constraint=constraint,
                start=_dt(t.getStart()),
                finish=_dt(t.getFinish()),
                actual_start=_dt(t.getActualStart()),
                actual_finish=_dt(t.getActualFinish()),
                percent_complete=min(100.0, max(0.0, pct)),
                remaining_minutes=None if remaining is None else max(0, remaining),
                calendar_id=cal_id if cal_id in calendars else None,
                notes=_s(t.getNotes()),
                duration_is_elapsed=elapsed,
                manual=mode is not None and str(mode.name()) == "MANUALLY_SCHEDULED",
                active=bool(t.getActive()),
                ignore_resource_calendar=bool(t.getIgnoreResourceCalendar()),
                row_id=int(t.getID()) if t.getID() is not None else None,
            )
        )
        for n in range(11):
            bs = _dt(t.getBaselineStart() if n == 0 else t.getBaselineStart(n))
            bf = _dt(t.getBaselineFinish() if n == 0 else t.getBaselineFinish(n))
            bd = t.getBaselineDuration() if n == 0 else t.getBaselineDuration(n)
            bc = _num(t.getBaselineCost() if n == 0 else t.getBaselineCost(n))
            if bs is None and bf is None and bd is None and bc is None:
                continue
            baselines.append(PlanBaseline(uid, n, bs, bf, None if bd is None else ctx.minutes(bd)[0], bc))

    dependencies: list[PlanDependency] = []
    for t in java_tasks:
        uid = str(t.getUniqueID())
        for rel in t.getPredecessors():
            pred = rel.getPredecessorTask()
            if pred is None or pred.getUniqueID() is None:
                continue
            puid = str(pred.getUniqueID())
            if puid not in uids:
                continue
            kind = _RELATIONS.get(str(rel.getType().name()), DependencyType.FS)
            lag_d = rel.getLag()
            lag, elapsed = ctx.minutes(lag_d)
            units = str(lag_d.getUnits().name()) if lag_d is not None else ""
            if units in ("PERCENT", "ELAPSED_PERCENT"):
                lag, elapsed = round(durations.get(puid, 0) * lag / 100), False
            dependencies.append(PlanDependency(puid, uid, kind, lag, elapsed, _LAG_FORMATS.get(units)))

    resources: list[PlanResource] = []
    for r in project.getResources():
        if r.getUniqueID() is None or int(r.getUniqueID()) == 0 or bool(r.getNull()):
            continue
        rtype = str(r.getType().name()) if r.getType() is not None else "WORK"
        rkind = {"MATERIAL": ResourceType.MATERIAL, "COST": ResourceType.COST}.get(rtype, ResourceType.WORK)
        max_units = _num(r.getMaxUnits())
        rcal = r.getCalendar()
        rcal_id = str(rcal.getUniqueID()) if rcal is not None else None
        resources.append(
            PlanResource(
                str(r.getUniqueID()),
                _s(r.getName()) or "",
                rkind,
                max_units=1.0 if max_units is None else max(0.0, max_units / 100),
                calendar_id=rcal_id if rcal_id in calendars else None,
                standard_rate=_rate_per_hour(r.getStandardRate(), mpd, mpw),
            )
        )
    resource_uids = {r.uid for r in resources}
    assignments: list[PlanAssignment] = []
    for a in project.getResourceAssignments():
        task, res = a.getTask(), a.getResource()
        if task is None or res is None:
            continue
        tuid, ruid = str(task.getUniqueID()), str(res.getUniqueID())
        if tuid not in uids or ruid not in resource_uids:
            continue
        a_units = _num(a.getUnits())
        assignments.append(
            PlanAssignment(
                tuid,
                ruid,
                units=1.0 if a_units is None else a_units / 100,
                work_minutes=max(0, ctx.minutes(a.getWork())[0]),
                uid=_s(a.getUniqueID()),
            )
        )

    if start is None and finish is None:
        starts = [t.start for t in tasks if t.start is not None]
        if not starts:
            raise FileFormatError("the project has no start date and no task dates", path=label)
        start = min(starts)
    schedule_from = props.getScheduleFrom()
    return ProjectPlan(
        name=_s(props.getProjectTitle()) or _s(props.getName()) or Path(label).stem,
        start=start,
        finish=finish,
        status_date=status,
        calendar=project_calendar,
        calendars=calendars,
        tasks=tuple(tasks),
        dependencies=tuple(dependencies),
        resources=tuple(resources),
        assignments=tuple(assignments),
        baselines=tuple(baselines),
        calendar_id=calendar_id,
        schedule_from_start=schedule_from is None or str(schedule_from.name()) != "FINISH" or finish is None,
        source=label,
    )


def _constraint(t: Any) -> Constraint | None:
    ct = t.getConstraintType()
    if ct is None:
        return None
    kind = _CONSTRAINTS.get(str(ct.name()))
    if kind is None or kind is ConstraintType.ASAP:
        return None
    if not kind.needs_date:
        return Constraint(kind)
    when = _dt(t.getConstraintDate())
    return Constraint(kind, when) if when is not None else None


def _rate_per_hour(rate: Any, minutes_per_day: int, minutes_per_week: int) -> float:
    if rate is None:
        return 0.0
    amount = float(rate.getAmount())
    units = str(rate.getUnits().name()).replace("ELAPSED_", "") if rate.getUnits() is not None else "HOURS"
    hours = {
        "MINUTES": 1 / 60,
        "HOURS": 1.0,
        "DAYS": minutes_per_day / 60,
        "WEEKS": minutes_per_week / 60,
        "MONTHS": 20 * minutes_per_day / 60,
        "YEARS": 52 * minutes_per_week / 60,
    }.get(units, 1.0)
    return amount / hours if hours else amount
