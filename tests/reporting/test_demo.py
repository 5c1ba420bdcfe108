"""The demo's reporting: two subscriptions, last week's Excel report of the Digital portfolio archived."""

import datetime as dt
from typing import Any

from pmo.core.roles import Role
from pmo.demo.reporting import load_demo_reporting
from pmo.reporting.models import ReportArchive, ReportSubscription


def test_demo_subscriptions_and_archive(board: dict[str, Any], roles: Any) -> None:
    for role, email in ((Role.PMO_DIRECTOR, "director@example.org"), (Role.EXECUTIVE, "exec@example.org")):
        roles[role].email = email
        roles[role].save()
    load_demo_reporting(today=dt.date(2026, 12, 3))
    assert sorted(ReportSubscription.objects.values_list("user__username", "frequency", "format", "next_run")) == [
        ("director", "monthly", "pdf", dt.date(2027, 1, 1)),
        ("exec", "weekly", "xlsx", dt.date(2026, 12, 7)),
    ]
    archive = ReportArchive.objects.get()
    assert (archive.subscription.user.username, archive.format, archive.portfolio.code) == ("exec", "xlsx", "DIG")
    assert (archive.period_start, archive.period_end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
