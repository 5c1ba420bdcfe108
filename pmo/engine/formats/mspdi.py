"""Microsoft Project XML (MSPDI) reader and writer.

MSPDI is the XML interchange format of Microsoft Project (namespace ``http://schemas.microsoft.com/project``,
"Save As > XML").  A document is one ``<Project>`` with project properties, then ``Calendars``, ``Tasks``,
``Resources`` and ``Assignments``.  What matters for scheduling, and how it maps to :mod:`pmo.engine.plan`:

Calendars
    ``WeekDays/WeekDay`` with ``DayType`` 1-7 (Sunday..Saturday), ``DayWorking`` and
    ``WorkingTimes/WorkingTime`` (``FromTime``/``ToTime``; ``ToTime`` 00:00 means midnight at the end of the
    day).  Exceptions are either ``WeekDay`` entries with ``DayType`` 0 and a ``TimePeriod`` (Project 2003)
    or ``Exceptions/Exception`` (Project 2007+, possibly recurring: daily, weekly, monthly, yearly), which
    win when both are present.  ``WorkWeeks`` (alternative weekly patterns for a date range) are turned into
    dated exceptions.  A derived calendar (``BaseCalendarUID``) inherits the week days it does not define
    and its base's exceptions.  Every calendar is resolved into a :class:`~pmo.engine.calendar.WorkingCalendar`
    keyed by its ``UID``.
Tasks
    ``UID`` (the plan's uid), ``ID`` (row), ``Name``, ``WBS``, ``OutlineLevel`` (parents follow from the
    outline in file order), ``Duration`` (ISO 8601 ``PT16H0M0S`` = working hours; calendar hours for the
    elapsed ``DurationFormat`` values 4, 6, 8, 10, 12 and their estimated variants), ``Milestone``,
    ``Summary``, ``Manual``, ``Active``, ``Start``/``Finish`` (as MS Project scheduled them),
    ``ConstraintType`` (0 ASAP, 1 ALAP, 2 MSO, 3 MFO, 4 SNET, 5 SNLT, 6 FNET, 7 FNLT) and
    ``ConstraintDate``, ``PercentComplete``, ``ActualStart``/``ActualFinish``, ``RemainingDuration``,
    ``CalendarUID`` (-1 = none), ``Notes`` and ``Baseline`` (``Number`` 0-10, ``Start``, ``Finish``,
    ``Duration``, ``Cost`` in hundredths).  The project summary task (UID 0) is dropped.
Links
    ``PredecessorLink`` on the successor: ``PredecessorUID``, ``Type`` (0 FF, 1 FS, 2 SF, 3 SS),
    ``LinkLag`` in *tenths of minutes* (working minutes, or calendar minutes for the elapsed ``LagFormat``
    values 4, 6, 8, 10, 12), ``LagFormat`` (display unit; 19/20 = percent of the predecessor's duration).
    Cross-project links are skipped.
Resources and assignments
    ``Resource``: ``UID`` (0 is MS Project's placeholder and is dropped), ``Name``, ``Type`` (0 material,
    1 work; ``IsCostResource`` makes a cost resource), ``MaxUnits`` (1 = 100 %), ``CalendarUID``,
    ``StandardRate`` (per hour).  ``Assignment``: ``TaskUID``, ``ResourceUID`` (-65535 = "unassigned",
    skipped), ``Units``, ``Work``.

Errors (not XML, wrong root element, truncated file, bad values, a predecessor that does not exist) raise
:class:`~pmo.engine.errors.FileFormatError` naming the file, the XML line and the task (UID and name).

>>> xml = b'''<Project xmlns="http://schemas.microsoft.com/project">
...   <Name>demo</Name><StartDate>2025-01-06T08:00:00</StartDate>
...   <Tasks>
...     <Task><UID>1</UID><ID>1</ID><Name>Design</Name><OutlineLevel>1</OutlineLevel>
...       <Duration>PT16H0M0S</Duration></Task>
...     <Task><UID>2</UID><ID>2</ID><Name>Build</Name><OutlineLevel>1</OutlineLevel>
...       <Duration>PT8H0M0S</Duration>
...       <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>4800</LinkLag>
...         <LagFormat>7</LagFormat></PredecessorLink></Task>
...   </Tasks>
... </Project>'''
>>> plan = read_mspdi(xml)
>>> [(t.uid, t.name, t.duration_minutes) for t in plan.tasks]
[('1', 'Design', 960), ('2', 'Build', 480)]
>>> plan.dependencies[0].lag_minutes
480
>>> again = read_mspdi(write_mspdi(plan))   # the dates the file lacked are computed when writing
>>> [(t.uid, t.start, t.finish) for t in again.tasks][1]
('2', datetime.datetime(2025, 1, 9, 8, 0), datetime.datetime(2025, 1, 9, 17, 0))
>>> read_mspdi(write_mspdi(again)) == again
True
"""

from __future__ import annotations

import calendar as _cal
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from lxml import etree

from pmo.engine.calendar import STANDARD_DAY, CalendarException, DayPattern, WorkingCalendar
from pmo.engine.errors import EngineError, FileFormatError
from pmo.engine.plan import (
    PlanAssignment,
    PlanBaseline,
    PlanDependency,
    PlanResource,
    PlanTask,
    ProjectPlan,
    ResourceType,
    schedule_plan,
    wbs_parents,
)
from pmo.engine.schedule import Constraint, ConstraintType, DependencyType, Schedule

__all__ = ["MSPDI_NAMESPACE", "merge_calendar_days", "parse_duration", "read_mspdi", "write_mspdi"]

MSPDI_NAMESPACE = "http://schemas.microsoft.com/project"

_CONSTRAINTS: dict[int, ConstraintType] = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
_CONSTRAINT_CODES = {v: k for k, v in _CONSTRAINTS.items()}
_LINK_TYPES: dict[int, DependencyType] = {
    0: DependencyType.FF,
    1: DependencyType.FS,
    2: DependencyType.SF,
    3: DependencyType.SS,
}
_LINK_CODES = {v: k for k, v in _LINK_TYPES.items()}
# duration / lag format codes that count calendar time (estimated variants are +32)
_ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
_PERCENT_FORMATS = frozenset({19, 20, 51, 52})
_UNASSIGNED_RESOURCE = "-65535"
_MAX_EXCEPTION_DAYS = 40 * 366  # an exception or work week never expands beyond 40 years
_DEFAULT_WEEK: tuple[DayPattern, ...] = (STANDARD_DAY,) * 5 + ((), ())


# ---------------------------------------------------------------------------------------------- parsing


class _Doc:
    """The parsed document, its namespace and the name used in messages."""

    def __init__(self, root: etree._Element, name: str) -> None:
        self.root = root
        self.name = name
        tag = etree.QName(root)
        self.ns = tag.namespace or ""

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}" if self.ns else local

    def error(self, detail: str, el: etree._Element | None = None) -> FileFormatError:
        line = el.sourceline if el is not None else None
        return FileFormatError(detail, path=self.name, line=line)

    def children(self, el: etree._Element | None, local: str) -> list[etree._Element]:
        if el is None:
            return []
        return list(el.findall(self.q(local)))

    def child(self, el: etree._Element | None, local: str) -> etree._Element | None:
        if el is None:
            return None
        return el.find(self.q(local))


def _fields(el: etree._Element) -> dict[str, etree._Element]:
    """First child element of each local name (children with text or structure)."""
    out: dict[str, etree._Element] = {}
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments, processing instructions
        local = tag.rsplit("}", 1)[-1]
        if local not in out:
            out[local] = child
    return out


class _Fields:
    """Typed access to the fields of one element, with errors naming the element's line."""

    def __init__(self, doc: _Doc, el: etree._Element, what: str) -> None:
        self.doc = doc
        self.el = el
        self.what = what
        self.f = _fields(el)

    def text(self, name: str) -> str | None:
        el = self.f.get(name)
        if el is None or el.text is None:
            return None
        value = el.text.strip()
        return value or None

    def _bad(self, name: str, value: str, expected: str) -> FileFormatError:
        return self.doc.error(f"{self.what}: {name} {value!r} is not {expected}", self.f.get(name, self.el))

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            try:
                number = float(value)
            except ValueError:
                raise self._bad(name, value, "an integer") from None
            if not math.isfinite(number):
                raise self._bad(name, value, "an integer") from None
            return round(number)

    def number(self, name: str) -> float | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self._bad(name, value, "a number") from None
        if not math.isfinite(number):
            raise self._bad(name, value, "a number")
        return number

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in ("1", "true"):
            return True
        if value.lower() in ("0", "false"):
            return False
        raise self._bad(name, value, "a boolean (0 or 1)")

    def dt(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self._bad(name, value, "a date-time like 2025-01-06T08:00:00") from None
        return dt.replace(tzinfo=None, second=0, microsecond=0)

    def clock(self, name: str) -> int | None:
        """Minutes from midnight of a ``HH:MM:SS`` value."""
        value = self.text(name)
        if value is None:
            return None
        try:
            t = time.fromisoformat(value)
        except ValueError:
            try:  # some tools write a full date-time here
                t = datetime.fromisoformat(value).time()
            except ValueError:
                raise self._bad(name, value, "a time like 08:00:00") from None
        return t.hour * 60 + t.minute

    def minutes(self, name: str) -> int | None:
        """Minutes of an ISO 8601 duration (``PT16H0M0S``)."""
        value = self.text(name)
        if value is None:
            return None
        minutes = parse_duration(value)
        if minutes is None:
            raise self._bad(name, value, "an ISO 8601 duration like PT8H0M0S")
        return minutes


_DURATION_RE = re.compile(
    r"^(-)?P(?:(-?\d+(?:\.\d+)?)Y)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(-?\d+(?:\.\d+)?)H)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> int | None:
    """Minutes of an MSPDI duration (``PT16H30M0S``); ``None`` if it is not one.

    Days count 24 hours, months 30 days and years 365 days (MS Project itself writes hours only).  Negative
    components (MSPDI's ``PT-8H0M0S``) and a leading minus are accepted.

    >>> parse_duration("PT16H30M0S"), parse_duration("-PT8H0M0S"), parse_duration("P1DT2H"), parse_duration("0")
    (990, -480, 1560, 0)
    """
    text = text.strip()
    if text == "0":
        return 0
    m = _DURATION_RE.match(text)
    if m is None or text in ("P", "-P") or text.endswith("T"):
        return None
    sign, years, months, days, hours, minutes, seconds = m.groups()
    total = 0.0
    for value, factor in (
        (years, 365 * 1440),
        (months, 30 * 1440),
        (days, 1440),
        (hours, 60),
        (minutes, 1),
        (seconds, 1 / 60),
    ):
        if value is not None:
            total += float(value) * factor
    return -round(total) if sign else round(total)


def _load(source: str | Path | bytes, name: str | None) -> _Doc:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        label = name or "<MSPDI document>"
    else:
        path = Path(source)
        label = name or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FileFormatError(f"cannot read file: {exc.strerror or exc}", path=label) from None
    if not data.strip():
        raise FileFormatError("the file is empty (expected MSPDI XML)", path=label)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        msg = str(exc.msg) if exc.msg else str(exc)
        msg = re.sub(r",\s*line \d+, column \d+\s*$", "", msg)
        hint = "" if data.lstrip()[:1] == b"<" else " (this is not an XML file)"
        raise FileFormatError(f"not well-formed XML: {msg}{hint}", path=label, line=line) from None
    if not isinstance(root.tag, str):
        raise FileFormatError("no root element", path=label)
    qname = etree.QName(root)
    if qname.localname != "Project" or (qname.namespace not in (None, MSPDI_NAMESPACE)):
        found = f"<{qname.localname}>" + (f" in namespace {qname.namespace}" if qname.namespace else "")
        hint = ""
        if qname.localname == "APIBusinessObjects":
            hint = " (this is Primavera PMXML: use the pmxml format, read through MPXJ)"
        raise FileFormatError(
            f'not an MSPDI file: the root element is {found}, expected <Project xmlns="{MSPDI_NAMESPACE}">{hint}',
            path=label,
            line=root.sourceline,
        )
    return _Doc(root, label)


# ---------------------------------------------------------------------------------------------- calendars


def _normalise(intervals: list[tuple[int, int]]) -> DayPattern:
    """Sort and merge intervals; drop empty ones."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def _working_times(doc: _Doc, el: etree._Element, what: str) -> DayPattern:
    intervals: list[tuple[int, int]] = []
    for wt in doc.children(doc.child(el, "WorkingTimes"), "WorkingTime"):
        f = _Fields(doc, wt, what)
        start, end = f.clock("FromTime"), f.clock("ToTime")
        if start is None or end is None:
            continue
        if end == 0 or end <= start:
            end = 1440  # ToTime 00:00 (or before FromTime) ends at midnight
        intervals.append((start, end))
    return _normalise(intervals)


def _day_pattern(doc: _Doc, el: etree._Element, what: str) -> DayPattern:
    f = _Fields(doc, el, what)
    if not f.flag("DayWorking"):
        return ()
    pattern = _working_times(doc, el, what)
    return pattern if pattern else STANDARD_DAY


@dataclass
class _RawCalendar:
    uid: str
    name: str
    base_uid: str | None
    week: dict[int, DayPattern]  # Monday = 0; only the days the calendar defines
    days: dict[date, tuple[DayPattern, str]] = field(default_factory=dict)  # own dated patterns, later wins
    line: int | None = None


def _ms_weekday(day_type: int) -> int:
    """MSPDI DayType 1..7 (Sunday..Saturday) -> Python weekday (Monday = 0)."""
    return (day_type + 5) % 7


def _date_range(start: date, finish: date) -> Iterator[date]:
    n = min((finish - start).days, _MAX_EXCEPTION_DAYS)
    for k in range(n + 1):
        yield start + timedelta(days=k)


def _nth_weekday(year: int, month: int, weekday: int, position: int) -> date | None:
    """The ``position``-th (0-based; 4 = last) ``weekday`` (Monday = 0) of a month."""
    days = [d for d in range(1, _cal.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
    if position >= 4 or position >= len(days):
        return date(year, month, days[-1]) if position >= 4 else None
    return date(year, month, days[position])


def _add_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _occurrences(f: _Fields, start: date, finish: date) -> list[date]:
    """Dates of a (possibly recurring) 2007+ exception."""
    kind = f.integer("Type") or 1
    period = max(1, f.integer("Period") or 1)
    by_count = f.flag("EnteredByOccurrences")
    count = f.integer("Occurrences") if by_count else None
    limit = count if count is not None and count > 0 else _MAX_EXCEPTION_DAYS
    end = finish if not by_count or count is None else date.max
    out: list[date] = []
    if kind in (1, 7) or kind not in range(1, 8):  # daily (every `period` days)
        d = start
        while d <= end and len(out) < limit and (d - start).days <= _MAX_EXCEPTION_DAYS:
            out.append(d)
            d += timedelta(days=period)
        return out
    if kind == 6:  # weekly on the DaysOfWeek bitmap (1 = Sunday .. 64 = Saturday)
        mask = f.integer("DaysOfWeek") or 0
        weekdays = {_ms_weekday(b + 1) for b in range(7) if mask & (1 << b)}
        week0 = start - timedelta(days=start.weekday())
        d = start
        while d <= end and len(out) < limit and (d - start).days <= _MAX_EXCEPTION_DAYS:
            if ((d - week0).days // 7) % period == 0 and d.weekday() in weekdays:
                out.append(d)
            d += timedelta(days=1)
        return out
    relative = kind in (3, 5)
    step = 12 if kind in (2, 3) else period
    k = 0
    while len(out) < limit and k * step <= 40 * 12:
        year, month = _add_months(start, k * step)
        k += 1
        if kind in (2, 3):
            month = (f.integer("Month") or 0) + 1
            if not 1 <= month <= 12:
                break
        if relative:
            item = f.integer("MonthItem")
            position = f.integer("MonthPosition") or 0
            if item is None:
                break
            d_opt = _nth_weekday(year, month, _ms_weekday(item - 2 if item >= 3 else 1), position)
        else:
            day = f.integer("MonthDay") or start.day
            last = _cal.monthrange(year, month)[1]
            d_opt = date(year, month, min(max(day, 1), last))
        if d_opt is None or d_opt < start:
            continue
        if d_opt > end:
            break
        out.append(d_opt)
    return out


def _read_calendar(doc: _Doc, el: etree._Element) -> _RawCalendar:
    f = _Fields(doc, el, "calendar")
    uid = f.text("UID")
    if uid is None:
        raise doc.error("calendar without UID", el)
    name = f.text("Name") or f"Calendar {uid}"
    what = f"calendar UID {uid} {name!r}"
    f.what = what
    base = f.text("BaseCalendarUID")
    if base is not None and (base in ("-1", uid) or f.flag("IsBaseCalendar")):
        base = None
    raw = _RawCalendar(uid, name, base, {}, line=el.sourceline)
    legacy: list[etree._Element] = []
    for wd in doc.children(doc.child(el, "WeekDays"), "WeekDay"):
        wf = _Fields(doc, wd, what)
        day_type = wf.integer("DayType")
        if day_type is None:
            continue
        if day_type == 0:
            legacy.append(wd)
        elif 1 <= day_type <= 7:
            raw.week[_ms_weekday(day_type)] = _day_pattern(doc, wd, what)
    # alternative work weeks: dated weekly patterns (days they omit are non-working, as MPXJ reads them)
    for ww in doc.children(doc.child(el, "WorkWeeks"), "WorkWeek"):
        wwf = _Fields(doc, ww, what)
        period = doc.child(ww, "TimePeriod")
        if period is None:
            continue
        pf = _Fields(doc, period, what)
        start, finish = pf.dt("FromDate"), pf.dt("ToDate")
        if start is None or finish is None:
            continue
        week: dict[int, DayPattern] = {}
        for wd in doc.children(doc.child(ww, "WeekDays"), "WeekDay"):
            day_type = _Fields(doc, wd, what).integer("DayType")
            if day_type is not None and 1 <= day_type <= 7:
                week[_ms_weekday(day_type)] = _day_pattern(doc, wd, what)
        label = wwf.text("Name") or "work week"
        for d in _date_range(start.date(), finish.date()):
            raw.days[d] = (week.get(d.weekday(), ()), label)
    exceptions = doc.children(doc.child(el, "Exceptions"), "Exception")
    for ex in exceptions:
        ef = _Fields(doc, ex, what)
        period = doc.child(ex, "TimePeriod")
        if period is None:
            continue
        pf = _Fields(doc, period, what)
        start, finish = pf.dt("FromDate"), pf.dt("ToDate")
        if start is None and finish is None:
            continue
        first = (start or finish or datetime.min).date()
        last = (finish or start or datetime.min).date()
        if last < first:
            raise doc.error(f"{what}: exception ToDate is before FromDate", period)
        pattern = _working_times(doc, ex, what) if ef.flag("DayWorking") else ()
        label = ef.text("Name") or ""
        for d in _occurrences(ef, first, last):
            raw.days[d] = (pattern, label)
    if not exceptions:
        for wd in legacy:
            period = doc.child(wd, "TimePeriod")
            if period is None:
                continue
            pf = _Fields(doc, period, what)
            start, finish = pf.dt("FromDate"), pf.dt("ToDate")
            if start is None:
                continue
            pattern = _working_times(doc, wd, what) if _Fields(doc, wd, what).flag("DayWorking") else ()
            for d in _date_range(start.date(), (finish or start).date()):
                raw.days[d] = (pattern, "")
    return raw


def merge_calendar_days(days: Mapping[date, tuple[DayPattern, str]]) -> tuple[CalendarException, ...]:
    """Dated patterns ``{date: (intervals, name)}`` -> calendar exceptions, sorted, consecutive days with the
    same pattern and name merged into one range (the canonical form both readers produce).

    >>> from datetime import date
    >>> [exc] = merge_calendar_days({date(2025, 12, 25): ((), "Xmas"), date(2025, 12, 26): ((), "Xmas")})
    >>> exc.start, exc.finish, exc.name
    (datetime.date(2025, 12, 25), datetime.date(2025, 12, 26), 'Xmas')
    """
    out: list[CalendarException] = []
    run: list[date] = []
    key: tuple[DayPattern, str] | None = None

    def flush() -> None:
        if run and key is not None:
            out.append(CalendarException(run[0], run[-1] if len(run) > 1 else None, key[0], key[1]))

    for d in sorted(days):
        k = days[d]
        if run and k == key and (d - run[-1]).days == 1:
            run.append(d)
            continue
        flush()
        run, key = [d], k
    flush()
    return tuple(out)


def _resolve_calendars(
    doc: _Doc, raws: dict[str, _RawCalendar], minutes_per_day: int, days_per_week: int
) -> dict[str, WorkingCalendar]:
    resolved: dict[str, tuple[tuple[DayPattern, ...], dict[date, tuple[DayPattern, str]]]] = {}

    def resolve(uid: str, chain: tuple[str, ...]) -> tuple[tuple[DayPattern, ...], dict[date, tuple[DayPattern, str]]]:
        if uid in resolved:
            return resolved[uid]
        raw = raws[uid]
        if raw.base_uid is not None and raw.base_uid in raws and raw.base_uid not in chain:
            base_week, base_days = resolve(raw.base_uid, (*chain, uid))
        else:
            base_week, base_days = _DEFAULT_WEEK, {}
        week = tuple(raw.week.get(i, base_week[i]) for i in range(7))
        days = {**base_days, **raw.days}
        resolved[uid] = (week, days)
        return week, days

    out: dict[str, WorkingCalendar] = {}
    for uid, raw in raws.items():
        week, days = resolve(uid, ())
        try:
            out[uid] = WorkingCalendar(
                name=raw.name,
                week=week,
                exceptions=merge_calendar_days(days),
                minutes_per_day=minutes_per_day,
                days_per_week=days_per_week,
            )
        except EngineError as exc:
            raise FileFormatError(f"calendar UID {uid} {raw.name!r}: {exc}", path=doc.name, line=raw.line) from None
    return out


# ---------------------------------------------------------------------------------------------- reader


def read_mspdi(source: str | Path | bytes, *, name: str | None = None) -> ProjectPlan:
    """Read an MSPDI document (a path, or the bytes of one) into a :class:`~pmo.engine.plan.ProjectPlan`.

    ``name`` is the file name used in error messages (default: the path, or ``<MSPDI document>``).

    >>> read_mspdi(b"<Project/>").tasks
    Traceback (most recent call last):
    ...
    pmo.engine.errors.FileFormatError: <MSPDI document>: the project has no StartDate and no FinishDate
    >>> read_mspdi(b"<Tasks>", name="broken.xml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pmo.engine.errors.FileFormatError: broken.xml, line 1: not well-formed XML: Premature end of data ...
    """
    doc = _load(source, name)
    root = doc.root
    pf = _Fields(doc, root, "project")
    minutes_per_day = pf.integer("MinutesPerDay") or 480
    if minutes_per_day <= 0:
        minutes_per_day = 480
    minutes_per_week = pf.integer("MinutesPerWeek") or 5 * minutes_per_day
    days_per_week = min(7, max(1, round(minutes_per_week / minutes_per_day)))

    raws: dict[str, _RawCalendar] = {}
    for el in doc.children(doc.child(root, "Calendars"), "Calendar"):
        raw = _read_calendar(doc, el)
        raws[raw.uid] = raw
    calendars = _resolve_calendars(doc, raws, minutes_per_day, days_per_week)
    calendar_id = pf.text("CalendarUID")
    if calendar_id is not None and calendar_id not in calendars:
        calendar_id = None
    project_calendar = (
        calendars[calendar_id]
        if calendar_id is not None
        else WorkingCalendar(minutes_per_day=minutes_per_day, days_per_week=days_per_week)
    )

    tasks, dependencies, baselines = _read_tasks(doc, calendars)
    resources = _read_resources(doc, calendars)
    assignments = _read_assignments(doc, {t.uid for t in tasks}, {r.uid for r in resources})

    start = pf.dt("StartDate")
    finish = pf.dt("FinishDate")
    if start is None and finish is None:
        starts = [t.start for t in tasks if t.start is not None]
        if not starts:
            raise doc.error("the project has no StartDate and no FinishDate")
        start = min(starts)
    project_name = pf.text("Title") or pf.text("Name") or (Path(doc.name).stem if doc.name else "project")
    try:
        return ProjectPlan(
            name=project_name,
            start=start,
            finish=finish,
            status_date=pf.dt("StatusDate"),
            calendar=project_calendar,
            calendars=calendars,
            tasks=tuple(tasks),
            dependencies=tuple(dependencies),
            resources=tuple(resources),
            assignments=tuple(assignments),
            baselines=tuple(baselines),
            calendar_id=calendar_id,
            schedule_from_start=pf.flag("ScheduleFromStart", True) or finish is None,
            source=doc.name,
        )
    except EngineError as exc:
        raise FileFormatError(str(exc), path=doc.name) from None


def _read_tasks(
    doc: _Doc, calendars: Mapping[str, WorkingCalendar]
) -> tuple[list[PlanTask], list[PlanDependency], list[PlanBaseline]]:
    elements = doc.children(doc.child(doc.root, "Tasks"), "Task")
    rows: list[tuple[etree._Element, _Fields, str]] = []
    all_uids: set[str] = set()
    for el in elements:
        f = _Fields(doc, el, "task")
        uid = f.text("UID")
        if uid is None:
            raise doc.error("task without UID", el)
        name = f.text("Name") or ""
        f.what = f"task UID {uid} {name!r}"
        if uid in all_uids:
            raise doc.error(f"{f.what}: duplicate task UID {uid}", el)
        all_uids.add(uid)
        if uid == "0" or f.flag("IsNull"):
            continue  # the project summary task; blank rows
        rows.append((el, f, uid))
    levels = [max(1, f.integer("OutlineLevel") or 1) for _, f, _ in rows]
    parents = wbs_parents(levels)
    has_child = {p for p in parents if p is not None}

    tasks: list[PlanTask] = []
    baselines: list[PlanBaseline] = []
    durations: dict[str, int] = {}
    for row, (el, f, uid) in enumerate(rows):
        duration_format = f.integer("DurationFormat")
        duration = f.minutes("Duration") or 0
        if duration < 0:
            raise doc.error(f"{f.what}: negative Duration", f.f.get("Duration"))
        remaining = f.minutes("RemainingDuration")
        if remaining is not None and remaining < 0:
            remaining = 0
        constraint = _constraint(doc, f)
        calendar_id = f.text("CalendarUID")
        if calendar_id is not None and calendar_id not in calendars:
            calendar_id = None
        pct = f.number("PercentComplete") or 0.0
        parent = parents[row]
        durations[uid] = duration
        tasks.append(
            PlanTask(
                uid=uid,
                name=f.text("Name") or "",
                wbs=f.text("WBS") or "",
                outline_level=levels[row],
                parent_uid=rows[parent][2] if parent is not None else None,
                duration_minutes=duration,
                is_milestone=f.flag("Milestone"),
                is_summary=f.flag("Summary") or row in has_child,
                constraint=constraint,
                start=f.dt("Start"),
                finish=f.dt("Finish"),
                actual_start=f.dt("ActualStart"),
                actual_finish=f.dt("ActualFinish"),
                percent_complete=min(100.0, max(0.0, pct)),
                remaining_minutes=remaining,
                calendar_id=calendar_id,
                notes=f.text("Notes"),
                duration_is_elapsed=duration_format in _ELAPSED_FORMATS,
                manual=f.flag("Manual"),
                active=f.flag("Active", True),
                ignore_resource_calendar=f.flag("IgnoreResourceCalendar"),
                row_id=f.integer("ID"),
            )
        )
        for bl in doc.children(el, "Baseline"):
            bf = _Fields(doc, bl, f.what + " baseline")
            number = bf.integer("Number") or 0
            if not 0 <= number <= 10:
                continue
            cost = bf.number("Cost")
            baselines.append(
                PlanBaseline(
                    uid,
                    number,
                    start=bf.dt("Start"),
                    finish=bf.dt("Finish"),
                    duration_minutes=bf.minutes("Duration"),
                    cost=None if cost is None else cost / 100,
                )
            )

    kept = {uid for _, _, uid in rows}
    dependencies: list[PlanDependency] = []
    for el, f, uid in rows:
        for link in doc.children(el, "PredecessorLink"):
            lf = _Fields(doc, link, f.what)
            pred = lf.text("PredecessorUID")
            if pred is None or lf.flag("CrossProject"):
                continue
            if pred not in kept:
                if pred in all_uids:
                    continue  # a link to the project summary task or a blank row
                raise doc.error(f"{f.what}: predecessor UID {pred} does not exist", link)
            code = lf.integer("Type")
            kind = _LINK_TYPES.get(1 if code is None else code)
            if kind is None:
                raise doc.error(f"{f.what}: link Type {code} is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)", link)
            lag_format = lf.integer("LagFormat")
            raw_lag = lf.number("LinkLag") or 0.0
            if lag_format in _PERCENT_FORMATS:
                lag = round(durations.get(pred, 0) * raw_lag / 100)
            else:
                lag = round(raw_lag / 10)
            dependencies.append(
                PlanDependency(
                    pred,
                    uid,
                    kind,
                    lag,
                    lag_is_elapsed=lag_format in _ELAPSED_FORMATS,
                    lag_format=lag_format,
                )
            )
    return tasks, dependencies, baselines


def _constraint(doc: _Doc, f: _Fields) -> Constraint | None:
    code = f.integer("ConstraintType")
    if code is None or code == 0:
        return None
    kind = _CONSTRAINTS.get(code)
    if kind is None:
        raise doc.error(f"{f.what}: ConstraintType {code} is not within 0..7", f.f.get("ConstraintType"))
    if not kind.needs_date:
        return Constraint(kind)
    when = f.dt("ConstraintDate")
    if when is None:
        return None  # MS Project treats a dated constraint without date as ASAP
    return Constraint(kind, when)


def _read_resources(doc: _Doc, calendars: Mapping[str, WorkingCalendar]) -> list[PlanResource]:
    out: list[PlanResource] = []
    seen: set[str] = set()
    for el in doc.children(doc.child(doc.root, "Resources"), "Resource"):
        f = _Fields(doc, el, "resource")
        uid = f.text("UID")
        if uid is None:
            raise doc.error("resource without UID", el)
        f.what = f"resource UID {uid} {f.text('Name') or ''!r}"
        if uid in seen:
            raise doc.error(f"{f.what}: duplicate resource UID", el)
        seen.add(uid)
        if uid == "0" or f.flag("IsNull"):
            continue
        code = f.integer("Type")
        kind = ResourceType.MATERIAL if code == 0 else ResourceType.WORK
        if code == 2 or f.flag("IsCostResource"):
            kind = ResourceType.COST
        max_units = f.number("MaxUnits")
        calendar_id = f.text("CalendarUID")
        if calendar_id is not None and calendar_id not in calendars:
            calendar_id = None
        out.append(
            PlanResource(
                uid,
                f.text("Name") or "",
                kind,
                max_units=1.0 if max_units is None else max(0.0, max_units),
                calendar_id=calendar_id,
                standard_rate=f.number("StandardRate") or 0.0,
            )
        )
    return out


def _read_assignments(doc: _Doc, task_uids: set[str], resource_uids: set[str]) -> list[PlanAssignment]:
    out: list[PlanAssignment] = []
    for el in doc.children(doc.child(doc.root, "Assignments"), "Assignment"):
        f = _Fields(doc, el, "assignment")
        task, resource = f.text("TaskUID"), f.text("ResourceUID")
        if task is None or resource is None or resource == _UNASSIGNED_RESOURCE:
            continue
        if task not in task_uids or resource not in resource_uids:
            continue  # the project summary task, a blank row or the placeholder resource
        units = f.number("Units")
        out.append(
            PlanAssignment(
                task,
                resource,
                units=1.0 if units is None else units,
                work_minutes=max(0, f.minutes("Work") or 0),
                uid=f.text("UID"),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------- writer


def _fmt_dt(value: datetime) -> str:
    return value.replace(second=0, microsecond=0).isoformat(timespec="seconds")


def _fmt_duration(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    m = abs(minutes)
    return f"PT{sign}{m // 60}H{m % 60}M0S"


def _fmt_time(minute: int) -> str:
    minute %= 1440
    return f"{minute // 60:02d}:{minute % 60:02d}:00"


def _fmt_number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


class _Writer:
    def __init__(self) -> None:
        self.ns = MSPDI_NAMESPACE

    def el(self, parent: etree._Element, name: str, value: object = None) -> etree._Element:
        child = etree.SubElement(parent, f"{{{self.ns}}}{name}")
        if value is not None:
            if isinstance(value, bool):
                child.text = "1" if value else "0"
            elif isinstance(value, datetime):
                child.text = _fmt_dt(value)
            elif isinstance(value, float):
                child.text = _fmt_number(value)
            else:
                child.text = str(value)
        return child


def _int_ids(values: list[str], start: int) -> dict[str, int]:
    """Keep integer ids as they are; number the others after the largest one."""
    out: dict[str, int] = {}
    used: set[int] = set()
    for v in values:
        if re.fullmatch(r"-?\d+", v) and int(v) >= start and int(v) not in used:
            out[v] = int(v)
            used.add(int(v))
    nxt = max(used, default=start - 1) + 1
    for v in values:
        if v not in out:
            out[v] = nxt
            used.add(nxt)
            nxt += 1
    return out


def _preorder(plan: ProjectPlan) -> list[PlanTask]:
    """Tasks in outline order (each parent followed by its subtree), plan order among siblings."""
    children: dict[str | None, list[PlanTask]] = {}
    for t in plan.tasks:
        children.setdefault(t.parent_uid, []).append(t)
    out: list[PlanTask] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(reversed(children.get(t.uid, [])))
    return out


def _duration_format(minutes: int, elapsed: bool, minutes_per_day: int) -> int:
    if elapsed:
        return 8 if minutes % 1440 == 0 else 6
    return 7 if minutes % minutes_per_day == 0 else 5


def write_mspdi(plan: ProjectPlan, schedule: Schedule | None = None) -> bytes:
    """Write a plan as an MSPDI document Microsoft Project opens (UTF-8 bytes).

    Written: the project header (start, finish, status date, calendar, minutes per day/week), every
    calendar (week days and exceptions, both as Project 2003 ``DayType`` 0 entries and 2007+
    ``Exceptions``), tasks in outline order with WBS, outline levels, durations, constraints, progress,
    baselines and predecessor links (lags in tenths of minutes), resources and assignments.  Elements follow
    the order of Microsoft's schema.  With a ``schedule`` (from :func:`~pmo.engine.plan.schedule_plan`), task
    ``Start``/``Finish``, early and late dates, slack and critical flags are the computed ones; otherwise the
    stored dates are written (and computed only for tasks that have none).  Non-integer uids are renumbered.
    Percent lags are written as working minutes.

    >>> from datetime import datetime
    >>> plan = ProjectPlan("p", datetime(2025, 1, 6, 8), tasks=(PlanTask("1", "A", duration_minutes=480),))
    >>> b"<Duration>PT8H0M0S</Duration>" in write_mspdi(plan)
    True
    """
    explicit = schedule is not None
    if schedule is None and any(t.start is None or t.finish is None for t in plan.tasks):
        try:
            schedule = schedule_plan(plan)  # only to fill in the dates the plan lacks
        except EngineError:
            schedule = None
    w = _Writer()
    root = etree.Element(f"{{{w.ns}}}Project", nsmap={None: w.ns})
    cal = plan.calendar
    mpd = cal.minutes_per_day
    cal_ids = _int_ids(list(plan.calendars), 1)
    project_cal_uid: int
    calendars: list[tuple[int, WorkingCalendar, int | None]] = []  # (uid, calendar, base uid)
    if plan.calendar_id is not None and plan.calendar_id in cal_ids:
        project_cal_uid = cal_ids[plan.calendar_id]
    else:
        project_cal_uid = max(cal_ids.values(), default=0) + 1
        calendars.append((project_cal_uid, cal, None))
    resource_cal_ids = {r.calendar_id for r in plan.resources if r.calendar_id is not None}
    base_candidates = [(project_cal_uid, cal)] + [
        (cal_ids[cid], wc) for cid, wc in plan.calendars.items() if cid not in resource_cal_ids
    ]
    for cid, wc in plan.calendars.items():
        base: int | None = None
        if cid in resource_cal_ids and cid != plan.calendar_id:
            # a resource calendar derives from a base calendar whose exceptions it already holds (it inherits
            # them when read back); otherwise it is written as a base calendar of its own
            own = _exception_days(wc)
            for buid, bcal in base_candidates:
                if buid != cal_ids[cid] and _exception_days(bcal).items() <= own.items():
                    base = buid
                    break
        calendars.append((cal_ids[cid], wc, base))

    task_order = _preorder(plan)
    task_ids = _int_ids([t.uid for t in task_order], 1)
    resource_ids = _int_ids([r.uid for r in plan.resources], 1)

    starts = [t.start for t in plan.tasks if t.start is not None]
    finishes = [t.finish for t in plan.tasks if t.finish is not None]
    p_start: datetime | None
    p_finish: datetime | None
    if explicit and schedule is not None:
        p_start, p_finish = schedule.start, schedule.finish
    else:
        p_start = plan.start or min(starts, default=None) or (schedule.start if schedule else None)
        p_finish = plan.finish or max(finishes, default=None) or (schedule.finish if schedule else None)
    if plan.start is not None and plan.schedule_from_start:
        p_start = plan.start
    first_interval = next((p[0] for p in cal.week if p), (480, 1020))
    last_interval = next((p[-1] for p in cal.week if p), (480, 1020))

    w.el(root, "SaveVersion", 14)
    w.el(root, "Name", plan.name)
    w.el(root, "Title", plan.name)
    w.el(root, "ScheduleFromStart", plan.schedule_from_start)
    if p_start is not None:
        w.el(root, "StartDate", p_start)
    if p_finish is not None:
        w.el(root, "FinishDate", p_finish)
    w.el(root, "FYStartDate", 1)
    w.el(root, "CriticalSlackLimit", 0)
    w.el(root, "CalendarUID", project_cal_uid)
    w.el(root, "DefaultStartTime", _fmt_time(first_interval[0]))
    w.el(root, "DefaultFinishTime", _fmt_time(last_interval[1]))
    w.el(root, "MinutesPerDay", mpd)
    w.el(root, "MinutesPerWeek", cal.minutes_per_week)
    w.el(root, "DaysPerMonth", 20)
    w.el(root, "DefaultTaskType", 1)
    w.el(root, "DurationFormat", 7)
    w.el(root, "WorkFormat", 2)
    w.el(root, "HonorConstraints", 0)
    w.el(root, "NewTasksEffortDriven", 0)
    w.el(root, "NewTasksEstimated", 0)
    w.el(root, "WeekStartDay", 1)
    if plan.status_date is not None:
        w.el(root, "StatusDate", plan.status_date)
    w.el(root, "NewTasksAreManual", 0)

    xcals = w.el(root, "Calendars")
    for uid, wc, base in calendars:
        _write_calendar(w, xcals, uid, wc, base)

    xtasks = w.el(root, "Tasks")
    summary_task = w.el(xtasks, "Task")
    for name, value in (
        ("UID", 0),
        ("ID", 0),
        ("Name", plan.name),
        ("Type", 1),
        ("IsNull", False),
        ("WBS", "0"),
        ("OutlineNumber", "0"),
        ("OutlineLevel", 0),
    ):
        w.el(summary_task, name, value)
    if p_start is not None and p_finish is not None:
        w.el(summary_task, "Start", p_start)
        w.el(summary_task, "Finish", p_finish)
        w.el(summary_task, "Duration", _fmt_duration(max(0, cal.working_minutes_between(p_start, p_finish))))
        w.el(summary_task, "DurationFormat", 7)
    w.el(summary_task, "Summary", True)

    links_by_successor: dict[str, list[PlanDependency]] = {}
    for d in plan.dependencies:
        links_by_successor.setdefault(d.successor_uid, []).append(d)
    baselines_by_task: dict[str, list[PlanBaseline]] = {}
    for b in plan.baselines:
        baselines_by_task.setdefault(b.task_uid, []).append(b)
    outline_numbers = _outline_numbers(task_order)
    summaries = {t.parent_uid for t in plan.tasks if t.parent_uid is not None}
    for row, t in enumerate(task_order, start=1):
        _write_task(
            w,
            xtasks,
            plan,
            t,
            task_ids,
            cal_ids,
            t.row_id if t.row_id is not None else row,
            outline_numbers[t.uid],
            t.is_summary or t.uid in summaries,
            schedule,
            explicit,
            links_by_successor.get(t.uid, []),
            baselines_by_task.get(t.uid, []),
        )

    xres = w.el(root, "Resources")
    for row, r in enumerate(plan.resources, start=1):
        xr = w.el(xres, "Resource")
        w.el(xr, "UID", resource_ids[r.uid])
        w.el(xr, "ID", row)
        w.el(xr, "Name", r.name)
        w.el(xr, "Type", 0 if r.type is not ResourceType.WORK else 1)
        w.el(xr, "IsNull", False)
        w.el(xr, "MaxUnits", float(r.max_units))
        w.el(xr, "StandardRate", float(r.standard_rate))
        w.el(xr, "StandardRateFormat", 2)
        if r.calendar_id is not None and r.calendar_id in cal_ids:
            w.el(xr, "CalendarUID", cal_ids[r.calendar_id])
        w.el(xr, "IsCostResource", r.type is ResourceType.COST)

    xass = w.el(root, "Assignments")
    assignment_ids = _int_ids([a.uid or "" for a in plan.assignments], 0) if plan.assignments else {}
    used_assignment_ids: set[int] = set()
    next_assignment_id = max(assignment_ids.values(), default=-1) + 1
    for a in plan.assignments:
        aid = assignment_ids.get(a.uid or "") if a.uid else None
        if aid is None or aid in used_assignment_ids:
            aid = next_assignment_id
            next_assignment_id += 1
        used_assignment_ids.add(aid)
        xa = w.el(xass, "Assignment")
        w.el(xa, "UID", aid)
        w.el(xa, "TaskUID", task_ids[a.task_uid])
        w.el(xa, "ResourceUID", resource_ids[a.resource_uid])
        w.el(xa, "Units", float(a.units))
        w.el(xa, "Work", _fmt_duration(a.work_minutes))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True, pretty_print=True))


def _exception_days(wc: WorkingCalendar) -> dict[date, tuple[DayPattern, str]]:
    return {d: (exc.intervals, exc.name) for exc in wc.exceptions for d in exc.days()}


def _outline_numbers(order: list[PlanTask]) -> dict[str, str]:
    counters: dict[str | None, int] = {}
    out: dict[str, str] = {}
    for t in order:
        n = counters.get(t.parent_uid, 0) + 1
        counters[t.parent_uid] = n
        prefix = out.get(t.parent_uid, "") if t.parent_uid is not None else ""
        out[t.uid] = f"{prefix}.{n}" if prefix else str(n)
    return out


def _write_working_times(w: _Writer, parent: etree._Element, pattern: DayPattern) -> None:
    if not pattern:
        return
    times = w.el(parent, "WorkingTimes")
    for s, e in pattern:
        wt = w.el(times, "WorkingTime")
        w.el(wt, "FromTime", _fmt_time(s))
        w.el(wt, "ToTime", _fmt_time(e))


def _write_calendar(w: _Writer, parent: etree._Element, uid: int, wc: WorkingCalendar, base: int | None) -> None:
    xc = w.el(parent, "Calendar")
    w.el(xc, "UID", uid)
    w.el(xc, "Name", wc.name)
    w.el(xc, "IsBaseCalendar", base is None)
    w.el(xc, "IsBaselineCalendar", False)
    w.el(xc, "BaseCalendarUID", -1 if base is None else base)
    days = w.el(xc, "WeekDays")
    for day_type in range(1, 8):
        pattern = wc.week[_ms_weekday(day_type)]
        wd = w.el(days, "WeekDay")
        w.el(wd, "DayType", day_type)
        w.el(wd, "DayWorking", bool(pattern))
        _write_working_times(w, wd, pattern)
    for exc in wc.exceptions:
        wd = w.el(days, "WeekDay")
        w.el(wd, "DayType", 0)
        w.el(wd, "DayWorking", not exc.is_holiday)
        period = w.el(wd, "TimePeriod")
        w.el(period, "FromDate", datetime.combine(exc.start, time(0, 0)))
        w.el(period, "ToDate", datetime.combine(exc.finish or exc.start, time(23, 59)))
        _write_working_times(w, wd, exc.intervals)
    if wc.exceptions:
        xexc = w.el(xc, "Exceptions")
        for exc in wc.exceptions:
            xe = w.el(xexc, "Exception")
            w.el(xe, "EnteredByOccurrences", False)
            period = w.el(xe, "TimePeriod")
            w.el(period, "FromDate", datetime.combine(exc.start, time(0, 0)))
            w.el(period, "ToDate", datetime.combine(exc.finish or exc.start, time(23, 59)))
            w.el(xe, "Occurrences", 1)
            w.el(xe, "Name", exc.name or ("Holiday" if exc.is_holiday else "Working time"))
            w.el(xe, "Type", 1)
            w.el(xe, "DayWorking", not exc.is_holiday)
            _write_working_times(w, xe, exc.intervals)


def _write_task(
    w: _Writer,
    parent: etree._Element,
    plan: ProjectPlan,
    t: PlanTask,
    task_ids: Mapping[str, int],
    cal_ids: Mapping[str, int],
    row: int,
    outline_number: str,
    summary: bool,
    schedule: Schedule | None,
    explicit: bool,
    links: list[PlanDependency],
    baselines: list[PlanBaseline],
) -> None:
    mpd = plan.calendar.minutes_per_day
    ts = schedule.tasks.get(t.uid) if schedule is not None else None
    if explicit or t.start is None or t.finish is None:
        start = ts.start if ts is not None else t.start
        finish = ts.finish if ts is not None else t.finish
    else:
        start, finish = t.start, t.finish
    if start is None:
        start = plan.start or plan.finish
    if finish is None:
        finish = start
    xt = w.el(parent, "Task")
    w.el(xt, "UID", task_ids[t.uid])
    w.el(xt, "ID", row)
    w.el(xt, "Name", t.name)
    w.el(xt, "Active", t.active)
    w.el(xt, "Manual", t.manual)
    w.el(xt, "Type", 1)
    w.el(xt, "IsNull", False)
    if t.wbs:
        w.el(xt, "WBS", t.wbs)
    w.el(xt, "OutlineNumber", outline_number)
    w.el(xt, "OutlineLevel", t.outline_level)
    w.el(xt, "Priority", 500)
    if start is not None:
        w.el(xt, "Start", start)
    if finish is not None:
        w.el(xt, "Finish", finish)
    w.el(xt, "Duration", _fmt_duration(t.duration_minutes))
    w.el(xt, "DurationFormat", _duration_format(t.duration_minutes, t.duration_is_elapsed, mpd))
    w.el(xt, "Milestone", t.is_milestone)
    w.el(xt, "Summary", summary)
    if ts is not None and explicit:
        w.el(xt, "Critical", ts.critical)
        w.el(xt, "EarlyStart", ts.early_start)
        w.el(xt, "EarlyFinish", ts.early_finish)
        w.el(xt, "LateStart", ts.late_start)
        w.el(xt, "LateFinish", ts.late_finish)
        w.el(xt, "FreeSlack", ts.free_float_minutes * 10)
        w.el(xt, "TotalSlack", ts.total_float_minutes * 10)
    w.el(xt, "PercentComplete", round(t.percent_complete))
    if t.actual_start is not None:
        w.el(xt, "ActualStart", t.actual_start)
    if t.actual_finish is not None:
        w.el(xt, "ActualFinish", t.actual_finish)
    if t.remaining_minutes is not None:
        w.el(xt, "RemainingDuration", _fmt_duration(t.remaining_minutes))
    c = t.constraint
    w.el(xt, "ConstraintType", _CONSTRAINT_CODES[c.type] if c is not None else 0)
    cid = t.calendar_id
    w.el(xt, "CalendarUID", cal_ids[cid] if cid is not None and cid in cal_ids else -1)
    if c is not None and c.date is not None:
        w.el(xt, "ConstraintDate", c.date)
    w.el(xt, "IgnoreResourceCalendar", t.ignore_resource_calendar)
    if t.notes:
        w.el(xt, "Notes", t.notes)
    for d in links:
        xl = w.el(xt, "PredecessorLink")
        w.el(xl, "PredecessorUID", task_ids[d.predecessor_uid])
        w.el(xl, "Type", _LINK_CODES[d.type])
        w.el(xl, "CrossProject", False)
        w.el(xl, "LinkLag", d.lag_minutes * 10)
        fmt = d.lag_format
        if fmt is None or fmt in _PERCENT_FORMATS or (fmt in _ELAPSED_FORMATS) != d.lag_is_elapsed:
            fmt = 8 if d.lag_is_elapsed else (7 if d.lag_minutes % mpd == 0 else 3)
        w.el(xl, "LagFormat", fmt)
    for b in sorted(baselines, key=lambda b: b.number):
        xb = w.el(xt, "Baseline")
        w.el(xb, "Number", b.number)
        if b.start is not None:
            w.el(xb, "Start", b.start)
        if b.finish is not None:
            w.el(xb, "Finish", b.finish)
        if b.duration_minutes is not None:
            w.el(xb, "Duration", _fmt_duration(b.duration_minutes))
            w.el(xb, "DurationFormat", _duration_format(b.duration_minutes, False, mpd))
        if b.cost is not None:
            w.el(xb, "Cost", _fmt_number(round(b.cost * 100, 4)))
