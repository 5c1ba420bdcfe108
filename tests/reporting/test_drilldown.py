"""Every element of the dashboard drills down to a project (or to the filtered list of the projects behind
it): the years of the budget/actual/forecast chart open the year by project, the cells of the capacity
summary open the capacity page's cell (the projects demanding that role in that month), and every other link
of the page resolves and names its project. On the small portfolio of conftest.py, on 3 December 2026."""

import csv
import datetime as dt
import html as htmllib
import io
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.reporting.dashboard import dashboard, year_breakdown
from pmo.resources.models import CapacityPeriod, JobRole, PersonProfile
from pmo.stakeholders.services import benefit_create


def _figures(breakdown: Any) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
    return [(r.project.code, r.budget, r.actual, r.forecast, r.variance) for r in breakdown.rows]


def test_a_year_by_project_adds_up_to_the_chart(board: dict[str, Any], roles: Any) -> None:
    director = roles[Role.PMO_DIRECTOR]
    # 2026. P1: its whole budget; costs of March (200,000) and November (50,000); forecast = those, plus
    # 31 of the 60 days of EAC - AC (1,140,000) from 1 Dec 2026 to 29 Jan 2027 = 589,000.
    # P3: 184 of 365 days of 400,000; the August cost; forecast = 40,000 + 29 of the 210 days from today to
    # 30 Jun 2027 of the unspent 360,000 (49,714.29). P2 has no money at all: not listed.
    y2026 = year_breakdown(director, None, 2026)
    assert _figures(y2026) == [
        ("P1", Decimal("1250000.00"), Decimal("250000.00"), Decimal("839000.00"), Decimal("411000.00")),
        ("P3", Decimal("201643.84"), Decimal("40000.00"), Decimal("89714.29"), Decimal("111929.55")),
    ]
    assert (y2026.total.budget, y2026.total.actual, y2026.total.forecast, y2026.variance) == (
        Decimal("1451643.84"),
        Decimal("290000.00"),
        Decimal("928714.29"),
        Decimal("522929.55"),
    )
    assert (y2026.years, y2026.previous, y2026.next) == ([2025, 2026, 2027], 2025, 2027)
    # 2025: only P1's December cost, forecast as spent, over no budget.
    assert _figures(year_breakdown(director, None, 2025)) == [
        ("P1", Decimal("0.00"), Decimal("10000.00"), Decimal("10000.00"), Decimal("-10000.00"))
    ]
    # 2027: P1's remaining 29 days (551,000) and P3's second half (198,356.16 of budget, 181/210 of 360,000).
    assert _figures(year_breakdown(director, None, 2027)) == [
        ("P1", Decimal("0.00"), Decimal("0.00"), Decimal("551000.00"), Decimal("-551000.00")),
        ("P3", Decimal("198356.16"), Decimal("0.00"), Decimal("310285.71"), Decimal("-111929.55")),
    ]
    # Each year's totals are the chart's figures for that year.
    for year in dashboard(director).years:
        total = year_breakdown(director, None, year.year).total
        assert (total.budget, total.actual, total.forecast) == (year.budget, year.actual, year.forecast)
    # The dashboard's scope: the Digital portfolio has only P1 in 2026.
    assert [r.project.code for r in year_breakdown(director, board["portfolio"], 2026).rows] == ["P1"]
    assert year_breakdown(director, None, 2031).rows == []


def test_the_year_page_lists_the_projects_with_links(board: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.EXECUTIVE)
    dash = client.get("/dashboard/").content.decode()
    # The chart's columns and the table's years link to the year by project.
    for year in (2025, 2026, 2027):
        assert f'<a href="/dashboard/years/{year}/" class="year-link" data-year="{year}">' in dash
        assert f'<a href="/dashboard/years/{year}/" class="year-row-link">{year}</a>' in dash
    page = client.get("/dashboard/years/2026/")
    assert page.status_code == 200
    html = page.content.decode()
    p1, p3 = f"/projects/{board['p1'].pk}/", f"/projects/{board['p3'].pk}/"
    assert f'<a href="{p1}">P1 Mobile app</a>' in html and f'<a href="{p3}">P3 Warehouse</a>' in html
    assert "P2" not in re.sub(r"<head>.*?</head>", "", html, flags=re.S).split('id="year-table"')[1]
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
    assert cells == [
        ["P1 Mobile app", "DIG", "Pm", "1,250,000", "250,000", "839,000", "411,000"],
        ["P3 Warehouse", "OPS", "Other Manager", "201,644", "40,000", "89,714", "111,930"],
    ]
    total = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)] == [
        "Total",
        "",
        "",
        "1,451,644",
        "290,000",
        "928,714",
        "522,930",
    ]
    assert 'href="/dashboard/years/2025/"' in html and 'href="/dashboard/years/2027/"' in html
    # In one portfolio's scope, the links keep the portfolio and the year shows only its projects.
    pk = board["portfolio"].pk
    scoped = client.get(f"/dashboard/?portfolio={pk}").content.decode()
    assert f'<a href="/dashboard/years/2026/?portfolio={pk}" class="year-link" data-year="2026">' in scoped
    one = client.get(f"/dashboard/years/2026/?portfolio={pk}").content.decode()
    assert "P1 Mobile app" in one and "P3 Warehouse" not in one
    assert "No running project in Digital" in client.get(f"/dashboard/years/2031/?portfolio={pk}").content.decode()


def test_the_year_page_is_for_those_who_see_the_dashboard(board: dict[str, Any], client_for: Any) -> None:
    assert client_for(Role.TEAM_MEMBER).get("/dashboard/years/2026/").status_code == 403
    assert client_for(Role.REQUESTER).get("/dashboard/years/2026/").status_code == 403
    assert client_for(Role.REQUESTER).get("/dashboard/years/2026/?export=csv").status_code == 403
    assert client_for(Role.EXECUTIVE).get("/dashboard/years/2026/?portfolio=NOPE").status_code == 404


def test_the_year_exports_its_rows(board: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PMO_ANALYST)
    page = client.get("/dashboard/years/2026/").content.decode()
    assert 'href="?export=csv"' in page and 'href="?export=xlsx"' in page
    response = client.get("/dashboard/years/2026/?export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="budget-actual-forecast-2026-2026-12-03.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Code", "Project", "Portfolio", "Manager", "Budget", "Actual", "Forecast", "Variance"],
        ["P1", "Mobile app", "DIG", "Pm", "1250000.00", "250000.00", "839000.00", "411000.00"],
        ["P3", "Warehouse", "OPS", "Other Manager", "201643.84", "40000.00", "89714.29", "111929.55"],
    ]
    scoped = client.get(f"/dashboard/years/2026/?portfolio={board['portfolio'].pk}&export=csv")
    assert [r[0] for r in csv.reader(io.StringIO(scoped.content.decode("utf-8-sig")))] == ["Code", "P1"]


def _developer_on_p2(board: dict[str, Any]) -> None:
    """A developer working full time on P2's "Ingest" through December 2026 (P2 is in planning)."""
    member = board["person"][Role.TEAM_MEMBER]
    developer = JobRole.objects.create(name="Developer")
    PersonProfile.objects.create(person=member, primary_role=developer)
    CapacityPeriod.objects.create(person=member, start=dt.date(2025, 1, 1), hours_per_week=Decimal(40))
    spec = planning.TaskSpec(uid=1, name="Ingest", duration_minutes=15 * 480, assignments=((member, Decimal(1)),))
    start = timezone.make_aware(dt.datetime(2026, 12, 7, 8))
    planning.plan_replace(actor=SYSTEM, project=board["p2"], tasks=[spec], start=start)


def test_a_capacity_cell_opens_the_projects_behind_it(board: dict[str, Any], client_for: Any) -> None:
    _developer_on_p2(board)
    client = client_for(Role.EXECUTIVE)
    html = client.get("/dashboard/").content.decode()
    row = html.split('id="capacity-table"', 1)[1].split("</table>", 1)[0]
    links = [htmllib.unescape(u) for u in re.findall(r'<a class="heat-link" href="([^"]+)"', row)]
    # Only December has demand: one link, to the capacity page's cell (Developer, the first month).
    assert links == ["/capacity/?by=role&unit=month&count=6&start=2026-12&proposals=off&cell=Developer%7C0#drill"]
    cell = client.get(links[0].split("#")[0])
    assert cell.status_code == 200
    drill = cell.context["drill"]
    assert (drill["label"], drill["period"]) == ("Developer", "2026-12")
    assert [(r["project"], r["task"], r["hours"]) for r in drill["rows"]] == [("P2 Data lake", "1 Ingest", 120.0)]
    assert f'<a href="/projects/{board["p2"].pk}/plan/">P2 Data lake</a>' in cell.content.decode()


def _links(html: str) -> list[str]:
    body = html.split("<main", 1)[1] if "<main" in html else html
    return sorted({htmllib.unescape(h) for h in re.findall(r'href="(/[^"#]*)', body)})


def test_every_dashboard_link_resolves_and_names_its_projects(board: dict[str, Any], client_for: Any) -> None:
    _developer_on_p2(board)
    benefit_create(
        actor=SYSTEM,
        project=board["p3"],
        name="Faster picking",
        kpi="Picks per hour",
        baseline_value=Decimal(100),
        target_value=Decimal(150),
        target_date=dt.date(2027, 12, 31),
        financial_value=Decimal("50000"),
    )
    client = client_for(Role.PMO_DIRECTOR)
    html = client.get("/dashboard/").content.decode()
    content = html.split('class="tiles dash-tiles"', 1)[1]
    p1, p3 = board["p1"].pk, board["p3"].pk
    # Health matrix (every cell), bubbles, milestones, deviations, top risks: the project's page.
    for section, projects in (
        ("health", {p1, p3, board["p2"].pk}),
        ("bubbles", {p1, p3, board["p2"].pk}),
        ("milestones", {p1}),
        ("deviations", {p1, p3}),
        ("benefits", {p3}),
    ):
        part = content.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
        found = {int(pk) for pk in re.findall(r'href="/projects/(\d+)/"', part)}
        assert found == projects, section
    # The funnel's stages and the set-aside counts: the proposals list filtered on that state.
    pipeline = content.split('id="pipeline"', 1)[1].split("</section>", 1)[0]
    stages = sorted(set(re.findall(r'href="/proposals/\?state=(\w+)"', pipeline)))
    assert stages == ["approved", "deferred", "draft", "rejected", "submitted", "under_evaluation", "withdrawn"]
    drafts = client.get("/proposals/?state=draft").content.decode()
    assert "Chatbot" in drafts and "Loyalty" in drafts and "Self-service kiosks" not in drafts
    # Every link of the page's content opens (200), downloads and anchors aside.
    links = _links(content)
    assert len(links) >= 20
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, url
    # The year pages name their projects.
    assert "P1 Mobile app" in client.get("/dashboard/years/2025/").content.decode()
    assert "P3 Warehouse" in client.get("/dashboard/years/2027/").content.decode()


def test_the_funnel_keeps_the_portfolio(board: dict[str, Any], client_for: Any) -> None:
    pk = board["portfolio"].pk
    html = client_for(Role.EXECUTIVE).get(f"/dashboard/?portfolio={pk}").content.decode()
    assert f'href="/proposals/?state=submitted&amp;portfolio={pk}"' in html
    listed = client_for(Role.EXECUTIVE).get(f"/proposals/?state=submitted&portfolio={pk}").content.decode()
    assert "Self-service kiosks" in listed
