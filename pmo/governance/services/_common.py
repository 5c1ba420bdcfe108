"""Helpers shared by the governance services: the acting user, text, dates and people from input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from pmo.core.access import SystemActor
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import LifecycleState
from pmo.resources.models import Person

FINISHED = (LifecycleState.CLOSED, LifecycleState.CANCELLED)


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _text(value: str | None, field: str, *, required: bool = True, limit: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: "This field is required."})
    if len(value) > limit:
        raise ValidationFailed({field: f"At most {limit} characters."})
    return value


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _person(value: Any, field: str) -> Person:
    if isinstance(value, Person):
        return value
    person = Person.objects.filter(pk=value).first() if isinstance(value, int) else None
    if person is None:
        raise ValidationFailed({field: "Choose a person." if value in (None, "") else f"No person with id {value}."})
    return person


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationFailed({field: "Give a date (YYYY-MM-DD)."}) from error


def _users_of(people: Iterable[Person | None]) -> list[Any]:
    return [p.user for p in people if p is not None and p.user_id is not None]
