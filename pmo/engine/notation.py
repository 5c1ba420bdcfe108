"""The short text forms planners type: durations ("5d", "2w", "4h", "30m", "3ed") and predecessor
lists ("3FS+2d, 5SS-1d, 7").

>>> parse_duration("2w")
4800
>>> [(l.task, l.type, l.lag_minutes, l.lag_is_elapsed) for l in parse_predecessors("3FS+2d, 5ss-4h, 7")]
[('3', 'FS', 960, False), ('5', 'SS', -240, False), ('7', 'FS', 0, False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmo.engine.errors import InvalidInputError

_UNITS = {"m": 1, "min": 1, "h": 60, "hr": 60, "d": None, "day": None, "w": None, "wk": None}
_DURATION = re.compile(r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<elapsed>e)?(?P<unit>min|m|hr|h|day|d|wk|w)?\s*$", re.I)
_LINK = re.compile(
    r"^\s*(?P<task>\d+)\s*(?P<type>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<lag>\d+(?:\.\d+)?\s*e?(?:min|m|hr|h|day|d|wk|w)?))?\s*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """A predecessor as written in a plan: task number, link type and lag in minutes."""

    task: str
    type: str = "FS"
    lag_minutes: int = 0
    lag_is_elapsed: bool = False


def parse_duration(text: str, *, minutes_per_day: int = 480, days_per_week: int = 5) -> int:
    """Minutes of a duration written with a unit: m, h, d (working days), w (working weeks); a bare number
    is days; an ``e`` before the unit (``3ed``) means elapsed time (24-hour days, 7-day weeks).

    >>> parse_duration("3"), parse_duration("1.5d"), parse_duration("4h"), parse_duration("2ed")
    (1440, 720, 240, 2880)
    """
    return _duration(text, minutes_per_day, days_per_week)[0]


def _duration(text: str, minutes_per_day: int, days_per_week: int) -> tuple[int, bool]:
    match = _DURATION.match(text or "")
    if not match:
        raise InvalidInputError(f"{text!r} is not a duration: write e.g. 5d, 2w, 4h or 30m")
    value = float(match["value"])
    elapsed = bool(match["elapsed"])
    unit = (match["unit"] or "d").lower()
    if unit in ("d", "day"):
        per = 1440 if elapsed else minutes_per_day
    elif unit in ("w", "wk"):
        per = 10080 if elapsed else minutes_per_day * days_per_week
    else:
        per = _UNITS[unit] or 1
    return round(value * per), elapsed


def format_duration(minutes: int, *, minutes_per_day: int = 480) -> str:
    """The shortest exact text for a duration in working minutes.

    >>> format_duration(1440), format_duration(720), format_duration(90), format_duration(0)
    ('3d', '1.5d', '90m', '0d')
    """
    if minutes % minutes_per_day == 0 or (minutes >= minutes_per_day and (minutes * 2) % minutes_per_day == 0):
        return f"{minutes / minutes_per_day:g}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def parse_predecessors(text: str, *, minutes_per_day: int = 480, days_per_week: int = 5) -> list[LinkSpec]:
    """Parse a comma- or semicolon-separated predecessor list; a bad item raises an error naming it.

    >>> parse_predecessors("2FF+1ed")
    [LinkSpec(task='2', type='FF', lag_minutes=1440, lag_is_elapsed=True)]
    >>> parse_predecessors("")
    []
    """
    links: list[LinkSpec] = []
    seen: set[str] = set()
    for item in re.split(r"[;,]", text or ""):
        if not item.strip():
            continue
        match = _LINK.match(item)
        if not match:
            raise InvalidInputError(
                f"predecessor {item.strip()!r} is not understood: write a task number, a type and a lag, "
                "e.g. 3FS+2d or 5SS"
            )
        lag, elapsed = 0, False
        if match["lag"]:
            lag, elapsed = _duration(match["lag"], minutes_per_day, days_per_week)
            if match["sign"] == "-":
                lag = -lag
        task = match["task"]
        if task in seen:
            raise InvalidInputError(f"predecessor {task} is listed twice")
        seen.add(task)
        links.append(LinkSpec(task, (match["type"] or "FS").upper(), lag, elapsed))
    return links


def format_predecessors(links: list[LinkSpec], *, minutes_per_day: int = 480) -> str:
    """The text form of a predecessor list (the inverse of :func:`parse_predecessors`).

    >>> format_predecessors([LinkSpec("3", "FS", 960), LinkSpec("5", "SS", -240), LinkSpec("7")])
    '3FS+2d, 5SS-4h, 7'
    """
    parts = []
    for link in links:
        text = link.task
        if link.type != "FS" or link.lag_minutes:
            text += link.type
        if link.lag_minutes:
            sign = "+" if link.lag_minutes > 0 else "-"
            magnitude = abs(link.lag_minutes)
            if link.lag_is_elapsed:
                lag = f"{magnitude / 1440:g}ed" if magnitude % 720 == 0 else f"{magnitude // 60}eh"
            else:
                lag = format_duration(magnitude, minutes_per_day=minutes_per_day)
            text += sign + lag
        parts.append(text)
    return ", ".join(parts)
