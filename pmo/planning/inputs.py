"""The text forms a planner types in the task table (durations, predecessors, assignments, dates), turned
into service arguments. Shared by the plan page and the API so both accept exactly the same input."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from pmo.core.errors import ValidationFailed
from pmo.engine.errors import EngineError
from pmo.engine.notation import parse_duration
from pmo.planning.models import Task
from pmo.resources.models import Person

_ASSIGNEE = re.compile(r"^\s*(?P<name>[^\[\]]+?)\s*(?:\[\s*(?P<units>\d+(?:\.\d+)?)\s*%\s*\])?\s*$")


def parse_assignments(text: str) -> list[tuple[Person, Decimal]]:
    """'Jonas Weber, Chloe Dubois [50%]' -> [(Jonas, 1.00), (Chloe, 0.50)]; unknown names are refused."""
    result: list[tuple[Person, Decimal]] = []
    names: list[tuple[str, Decimal]] = []
    for item in (text or "").split(","):
        if not item.strip():
            continue
        match = _ASSIGNEE.match(item)
        if not match:
            raise ValidationFailed({"assignments": f"{item.strip()!r}: write a name, optionally with [50%]."})
        units = Decimal(match["units"]) / 100 if match["units"] else Decimal("1")
        names.append((match["name"], units))
    people = {p.name.lower(): p for p in Person.objects.filter(active=True)}
    unknown = [n for n, _ in names if n.lower() not in people]
    if unknown:
        raise ValidationFailed({"assignments": f"No active person named {', '.join(unknown)}."})
    for name, units in names:
        result.append((people[name.lower()], units))
    return result


def parse_when(value: str | None, field: str) -> dt.datetime | None:
    """A date ('2027-03-01') or date and time ('2027-03-01T13:00') in local time, as an aware datetime."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(text) if "T" in text or " " in text else None
        if parsed is None:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(8, 0))
    except ValueError as error:
        raise ValidationFailed({field: f"{text!r} is not a date (use YYYY-MM-DD)."}) from error
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def task_changes(data: dict[str, Any], *, minutes_per_day: int = 480) -> dict[str, Any]:
    """Service keyword arguments from the submitted text fields that are present in `data`."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "name" in data:
        changes["name"] = str(data["name"]).strip()
        if not changes["name"]:
            errors["name"] = "Give the task a name."
    if "duration" in data:
        try:
            changes["duration_minutes"] = parse_duration(str(data["duration"]), minutes_per_day=minutes_per_day)
        except EngineError as error:
            errors["duration"] = str(error)
    for text, field in (("optimistic", "optimistic_minutes"), ("pessimistic", "pessimistic_minutes")):
        if text in data:  # three-point estimate; blank clears it
            value = str(data[text] or "").strip()
            try:
                changes[field] = parse_duration(value, minutes_per_day=minutes_per_day) if value else None
            except EngineError as error:
                errors[text] = str(error)
    if "predecessors" in data:
        changes["predecessors"] = str(data["predecessors"] or "")
    if "constraint_type" in data:
        kind = str(data["constraint_type"] or "ASAP")
        if kind not in Task.ConstraintType.values:
            errors["constraint_type"] = f"Use one of {', '.join(Task.ConstraintType.values)}."
        changes["constraint_type"] = kind
    for field in ("constraint_date", "actual_start", "actual_finish"):
        if field in data:
            try:
                changes[field] = parse_when(data[field], field)
            except ValidationFailed as error:
                errors.update({k: v[0] for k, v in error.fields.items()})
    if "percent_complete" in data and str(data["percent_complete"]).strip() != "":
        try:
            changes["percent_complete"] = Decimal(str(data["percent_complete"]).strip().rstrip("%"))
        except InvalidOperation:
            errors["percent_complete"] = "Write a number from 0 to 100."
    if "notes" in data:
        changes["notes"] = str(data["notes"] or "")
    if "assignments" in data:
        try:
            changes["assignments"] = parse_assignments(str(data["assignments"] or ""))
        except ValidationFailed as error:
            errors.update({k: v[0] for k, v in error.fields.items()})
    if errors:
        raise ValidationFailed(errors)
    return changes
