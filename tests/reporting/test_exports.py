"""CSV and Excel exports of the reporting lists: the report archive and one's scheduled reports (the year by
project is in test_drilldown.py). The rows are those the page shows the user, all of them."""

import csv
import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.reporting import services
from pmo.reporting.models import ReportArchive, ReportSubscription

HEADER = ["Report", "Format", "Period from", "Period to", "Produced", "By", "Size (bytes)"]


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _archive(title: str, fmt: str, at: dt.datetime, **fields: Any) -> ReportArchive:
    archive = ReportArchive.objects.create(
        title=title,
        format=fmt,
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        file=f"reports/2026/12/{title}.{fmt}",
        size=1234,
        **fields,
    )
    ReportArchive.objects.filter(pk=archive.pk).update(created_at=at)
    return archive


def _setup(org: dict[str, Any], roles: dict[Role, Any]) -> ReportSubscription:
    executive = roles[Role.EXECUTIVE]
    executive.email = "exec@example.org"
    executive.save()
    weekly = services.subscription_create(actor=executive, portfolio=org["portfolio"], frequency="weekly", fmt="xlsx")
    services.subscription_create(actor=executive, frequency="monthly", fmt="pdf")
    ReportSubscription.objects.filter(pk=weekly.pk).update(last_run=timezone.make_aware(dt.datetime(2026, 11, 30, 6)))
    _archive(
        "Digital November",
        "pdf",
        timezone.make_aware(dt.datetime(2026, 12, 1, 9, 0)),
        portfolio=org["portfolio"],
        created_by=roles[Role.PMO_DIRECTOR],
    )
    _archive(
        "All November",
        "csv",
        timezone.make_aware(dt.datetime(2026, 12, 2, 10, 30)),
        created_by=roles[Role.PROJECT_MANAGER],
    )
    _archive(
        "Digital weekly",
        "xlsx",
        timezone.make_aware(dt.datetime(2026, 11, 30, 7, 0)),
        portfolio=org["portfolio"],
        subscription=weekly,
    )
    return weekly


def test_archive_export(org: dict[str, Any], roles: Any, client_for: Any) -> None:
    _setup(org, roles)
    director = client_for(Role.PMO_DIRECTOR)
    page = director.get("/reports/").content.decode()
    assert 'href="?list=archive&amp;export=csv"' in page and 'id="export-xlsx-archive"' in page
    assert _csv(director.get("/reports/?export=csv&list=archive")) == [
        HEADER,
        ["All November", "CSV", "2026-11-01", "2026-11-30", "2026-12-02 10:30", "pm", "1234"],
        ["Digital November", "PDF", "2026-11-01", "2026-11-30", "2026-12-01 09:00", "director", "1234"],
        ["Digital weekly", "Excel", "2026-11-01", "2026-11-30", "2026-11-30 07:00", "schedule of exec", "1234"],
    ]
    book = load_workbook(io.BytesIO(director.get("/reports/?export=xlsx&list=archive").content))
    rows = list(book.active.values)
    assert rows[0] == tuple(HEADER) and rows[1][4] == dt.datetime(2026, 12, 2, 10, 30)
    # Access: a project manager reads only what they produced; a project administrator nothing at all.
    assert _csv(client_for(Role.PROJECT_MANAGER).get("/reports/?export=csv&list=archive")) == [
        HEADER,
        ["All November", "CSV", "2026-11-01", "2026-11-30", "2026-12-02 10:30", "pm", "1234"],
    ]
    assert _csv(client_for(Role.PROJECT_ADMINISTRATOR).get("/reports/?export=csv&list=archive")) == [HEADER]
    assert client_for(Role.TEAM_MEMBER).get("/reports/?export=csv&list=archive").status_code == 403
    assert director.get("/reports/?export=csv&list=nothing").status_code == 404


def test_the_archive_page_shows_the_latest_and_exports_all(org: dict[str, Any], roles: Any, client_for: Any) -> None:
    for n in range(52):
        _archive(f"R{n:02d}", "csv", timezone.make_aware(dt.datetime(2026, 10, 1, 8) + dt.timedelta(hours=n)))
    director = client_for(Role.PMO_DIRECTOR)
    page = director.get("/reports/").content.decode()
    assert page.count('/download/">Download</a>') == 50
    assert "The 50 latest of the 52 you may download; the export holds them all." in page
    rows = _csv(director.get("/reports/?export=csv&list=archive"))
    assert len(rows) == 53 and rows[1][0] == "R51" and rows[-1][0] == "R00"


def test_subscriptions_export(org: dict[str, Any], roles: Any, client_for: Any) -> None:
    _setup(org, roles)
    header = ["Frequency", "Format", "Portfolio", "Next", "Last sent"]
    executive = client_for(Role.EXECUTIVE)
    assert 'href="?list=subscriptions&amp;export=csv"' in executive.get("/reports/").content.decode()
    assert _csv(executive.get("/reports/?export=csv&list=subscriptions")) == [
        header,
        ["Weekly", "Excel", "DIG", "2026-12-07", "2026-11-30 06:00"],
        ["Monthly", "PDF", "all portfolios", "2027-01-01", ""],
    ]
    # Everyone exports their own: the director has none (the page shows only one's own).
    assert _csv(client_for(Role.PMO_DIRECTOR).get("/reports/?export=csv&list=subscriptions")) == [header]
    # Subscribing for someone else is the director's; the export still shows the user's own only.
    services.subscription_create(actor=SYSTEM, user=roles[Role.EXECUTIVE], frequency="monthly", fmt="csv")
    assert len(_csv(executive.get("/reports/?export=csv&list=subscriptions"))) == 4
