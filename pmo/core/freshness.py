"""Caching of expensive read-only views (the executive dashboard) that stays true to the data.

A cached result is keyed by the *data stamp*: the id of the latest audit event. Every business write through
the services records one, so a committed change shows at the next request in every process (the stamp is
read from the database, not from the process's memory). A few bulk writes are not audited one by one (a
schedule recalculation, a timesheet week's entries), so a result also expires after ``max_age`` seconds;
pages that use this say when their figures were computed and offer a refresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from pmo.core.models import AuditEvent

T = TypeVar("T")


def data_stamp() -> int:
    """Changes whenever an audited write is committed (one indexed query)."""
    return AuditEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0


@dataclass(frozen=True)
class Fresh:
    value: Any
    computed_at: dt.datetime
    from_cache: bool


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T], *, refresh: bool = False) -> Fresh:
    """``compute()``'s result for these key parts and the current data stamp, from the cache when it was
    computed less than ``DASHBOARD_CACHE_SECONDS`` ago; ``refresh`` computes it anew.

    ``parts`` must hold everything the result depends on besides the data: the filters, and the user it is for
    when the result depends on who asks (the dashboard shows each user the projects they may see)."""
    max_age = int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 60))
    raw = repr((name, parts, data_stamp()))
    key = "pmo:fresh:" + hashlib.sha256(raw.encode()).hexdigest()
    if max_age > 0 and not refresh:
        hit = cache.get(key)
        if hit is not None:
            value, computed_at = hit
            return Fresh(value, computed_at, True)
    value = compute()
    computed_at = timezone.now()
    if max_age > 0:
        cache.set(key, (value, computed_at), max_age)
    return Fresh(value, computed_at, False)
