"""Reads of reporting that are not the dashboard's figures (those are in dashboard.py and money.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pmo.core.access import can, roles_of
from pmo.reporting.models import ReportArchive
from pmo.reporting.permissions import READERS


def visible_archives(user: Any) -> QuerySet[ReportArchive]:
    """The archived reports the user may download, newest first: all of them for the PMO and management
    readers, else those they produced or that came from their own subscriptions — the archive rule of
    pmo.reporting.permissions, read in the query (the archive grows without end); nothing without the
    model permission."""
    qs = ReportArchive.objects.select_related("portfolio", "project", "created_by", "subscription__user")
    if not can(user, "view", ReportArchive):
        return qs.none()
    if not (roles_of(user) & READERS):
        qs = qs.filter(Q(created_by_id=user.pk) | Q(subscription__user_id=user.pk))
    return qs
