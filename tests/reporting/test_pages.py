"""The dashboard, roadmap and reports pages, the project page's panel, downloads and the list exports."""

import csv
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from pmo.core.roles import Role
from pmo.reporting.models import ReportArchive, ReportSubscription


def test_dashboard_page(board: dict[str, Any], client_for: Any) -> None:
    response = client_for(Role.EXECUTIVE).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    # Every bubble and every health cell drills down to its project.
    p1 = f"/projects/{board['p1'].pk}/"
    assert f'<a href="{p1}" class="bubble bubble-red" data-project="P1">' in html
    assert f'<a href="{p1}" class="milestone milestone-late">' in html
    assert html.count(f'href="{p1}"') >= 7
    assert 'id="health-matrix"' in html and 'id="top-risks"' in html and 'id="overdue-gates"' in html
    assert "No gate review is past its planned date." in html
    assert "<script" not in html.split("</head>")[1]  # no inline script in the page body
    assert client_for(Role.EXECUTIVE).get("/dashboard/?portfolio=OPS").status_code == 200
    assert client_for(Role.EXECUTIVE).get("/dashboard/?portfolio=NOPE").status_code == 404


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.REQUESTER])
def test_the_dashboard_is_not_for_everyone(board: dict[str, Any], client_for: Any, role: Role) -> None:
    client = client_for(role)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/roadmap/").status_code == 403
    assert client.get("/reports/").status_code == 403
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


def test_roadmap_page_flags_the_late_link(board: dict[str, Any], client_for: Any) -> None:
    html = client_for(Role.PORTFOLIO_MANAGER).get("/roadmap/").content.decode()
    assert 'class="link late"' in html
    assert '<span class="late-count">1 late</span>' in html
    assert '<span class="rag rag-red">4 days late</span>' in html
    program = client_for(Role.PORTFOLIO_MANAGER).get(f"/roadmap/?program={board['program'].pk}").content.decode()
    assert "No project here waits for another" in program


def test_produce_and_download_from_the_reports_page(board: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PMO_ANALYST)
    assert 'id="generate-form"' in client.get("/reports/").content.decode()
    response = client.post(
        "/reports/generate/",
        {
            "portfolio": board["portfolio"].pk,
            "format": "xlsx",
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
        },
    )
    archive = ReportArchive.objects.get()
    assert response.url == f"/reports/{archive.pk}/download/"
    download = client.get(response.url)
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert [r[0] for r in list(book["Projects"].values)[1:]] == ["P1", "P2"]
    assert archive.title in client.get("/reports/").content.decode()


def test_bad_period_is_said_on_the_page(board: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PMO_ANALYST)
    response = client.post(
        "/reports/generate/", {"format": "pdf", "period_start": "2026-11-30", "period_end": "2026-11-01"}, follow=True
    )
    assert "Period end: The period ends before it starts." in response.content.decode()
    assert ReportArchive.objects.count() == 0


def test_subscribe_and_unsubscribe_on_the_page(board: dict[str, Any], client_for: Any, roles: Any) -> None:
    user = roles[Role.EXECUTIVE]
    user.email = "exec@example.org"
    user.save()
    client = client_for(Role.EXECUTIVE)
    response = client.post(
        "/reports/subscriptions/", {"portfolio": "", "frequency": "monthly", "format": "pdf"}, follow=True
    )
    assert "Subscribed: Monthly (the 1st) PDF report of all portfolios. The first one comes on 01 Jan 2027." in (
        response.content.decode()
    )
    subscription = ReportSubscription.objects.get()
    assert (
        client_for(Role.PORTFOLIO_MANAGER).post(f"/reports/subscriptions/{subscription.pk}/delete/").status_code == 403
    )
    client.post(f"/reports/subscriptions/{subscription.pk}/delete/")
    assert ReportSubscription.objects.count() == 0


def test_project_panel_and_its_pdf(board: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PROJECT_MANAGER)
    page = client.get(f"/projects/{board['p1'].pk}/").content.decode()
    assert 'id="project-report-pdf"' in page
    response = client.get(f"/projects/{board['p1'].pk}/status-report.pdf")
    archive = ReportArchive.objects.get()
    assert response.url == f"/reports/{archive.pk}/download/"
    assert b"".join(client.get(response.url).streaming_content).startswith(b"%PDF-")
    # Nothing on the page of a proposal-stage project or for a team member.
    assert (
        'id="reporting-panel"' not in client_for(Role.TEAM_MEMBER).get(f"/projects/{board['p1'].pk}/").content.decode()
    )
    portfolio_page = client_for(Role.EXECUTIVE).get(f"/portfolios/{board['portfolio'].pk}/").content.decode()
    assert f'href="/dashboard/?portfolio={board["portfolio"].pk}"' in portfolio_page


# --- list exports ---------------------------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_list_export_follows_the_filters_and_columns(board: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PMO_DIRECTOR)
    page = client.get(f"/projects/?portfolio={board['portfolio'].pk}&sort=-code").content.decode()
    assert f'href="?portfolio={board["portfolio"].pk}&amp;sort=-code&amp;export=csv"' in page
    rows = _csv(client.get(f"/projects/?portfolio={board['portfolio'].pk}&sort=-code&export=csv"))
    assert rows[0][:2] == ["Code", "Name"]
    assert [r[0] for r in rows[1:]] == ["P2", "P1"]  # the page's filter and sort, every row
    # The same rows and cells as the page shows (its table's first two columns).
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    shown = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][:2]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    assert shown == [r[:2] for r in rows[1:]]
    response = client.get(f"/projects/?portfolio={board['portfolio'].pk}&export=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="projects-2026-12-03.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert [r[0] for r in list(book.active.values)[1:]] == ["P1", "P2"]
    assert client.get("/projects/?export=pdf").status_code == 404


def test_list_export_respects_access(board: dict[str, Any], client_for: Any) -> None:
    director = _csv(client_for(Role.PMO_DIRECTOR).get("/projects/?export=csv"))
    requester = _csv(client_for(Role.REQUESTER).get("/projects/?export=csv"))
    assert "Budget" in director[0] and "Budget" not in requester[0]  # the columns the user sees
    # The rows the user may see: a requester sees only their own proposals.
    assert len(_csv(client_for(Role.PMO_DIRECTOR).get("/proposals/?export=csv"))) == 5
    assert len(_csv(client_for(Role.REQUESTER).get("/proposals/?export=csv"))) == 1
