"""CSV and Excel export of the apps' own list pages: every list page offers it, the file holds the rows
the page shows for its filters (all of them) and the columns the user may see."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from pmo.changes import services as change_services
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.knowledge import services as knowledge_services
from pmo.risks import services as risk_services

# Every app list page with an export, the title its file is named after, and its header row.
PAGES = [
    (
        "/risks/",
        "risks-digital",
        [
            "Code",
            "Register",
            "Kind",
            "Risk",
            "Category",
            "Owner",
            "Probability",
            "Impact",
            "Score",
            "Rating",
            "Trend",
            "Residual score",
            "Strategy",
            "Response",
            "Open actions",
            "Overdue actions",
            "Status",
            "Expected delay (days)",
            "Expected cost",
        ],
    ),
    (
        "/deviations/",
        "deviations",
        [
            "Severity",
            "Project code",
            "Project",
            "Portfolio",
            "Manager",
            "Metric",
            "Value",
            "Comparison",
            "Threshold",
            "Status",
            "Raised",
            "Note",
            "Closed",
        ],
    ),
    (
        "/change-board/",
        "change-board",
        ["Code", "Change", "Project code", "Project", "Portfolio", "Cost impact", "Schedule (days)", "Assessed"],
    ),
    (
        "/status-reports/missing/",
        "missing-status-reports-december-2026",
        ["Portfolio", "Code", "Project", "Manager", "State", "This period", "Last submitted", "Last overall"],
    ),
    (
        "/knowledge/",
        "lessons-learned",
        [
            "Code",
            "Kind",
            "Lesson",
            "What happened",
            "Impact",
            "Recommendation",
            "Category",
            "Phase",
            "Tags",
            "Project",
            "Portfolio",
            "Relevant for similar projects",
        ],
    ),
    (
        "/knowledge/closures/?show=all",
        "project-closures",
        [
            "Project code",
            "Project",
            "Manager",
            "Portfolio",
            "Killed",
            "Reason",
            "Status",
            "What is left",
            "Started",
            "Closed",
        ],
    ),
    (
        "/document-templates/",
        "templates-and-policies",
        ["Name", "Kind", "Version", "Retired", "Description", "Changed"],
    ),
    (
        "/governance/gates/",
        "open-gate-reviews",
        ["Gate", "Project code", "Project", "Portfolio", "Planned", "When", "Days overdue"],
    ),
    (
        "/governance/audits/",
        "quality-audits",
        ["Audit", "Project code", "Project", "Scheduled", "State", "Planned", "Completed", "Auditor", "Score"],
    ),
    (
        "/governance/methodologies/",
        "methodologies",
        ["Methodology", "Kind", "Retired", "Published version", "Published", "Draft version", "Projects"],
    ),
    (
        "/pool/",
        "resource-pool",
        ["Name", "Job title", "Unit", "Roles", "Hours a week", "Non-project %", "Skill gaps", "Away today"],
    ),
    (
        "/pool/requests/",
        "resource-requests",
        [
            "Code",
            "Project code",
            "Project",
            "Role",
            "Skill",
            "Minimum level",
            "Hours a week",
            "FTE",
            "Start",
            "Finish",
            "Hours",
            "State",
            "Assigned",
            "Decided",
        ],
    ),
    ("/pool/training/", "training-plans", ["Person", "Skill", "Target level", "Course", "Due", "Status", "Completed"]),
    ("/ranking/", "ranking", ["Rank", "Proposal", "Title", "Project", "State", "Score", "Not scored by"]),
    ("/scenarios/", "selection-scenarios", ["Scenario", "Portfolio", "Objective", "Status", "Selected", "Value"]),
    ("/notifications/", "notifications", ["When", "Kind", "Message", "Link", "Read"]),
    ("/scoring/", "scoring-models", ["Model", "Weights", "Criteria", "Consistency ratio"]),
    (
        "/performance/",
        "performance-dig",
        [
            "Project code",
            "Project",
            "Program",
            "Status date",
            "BAC",
            "PV",
            "EV",
            "AC",
            "SPI",
            "CPI",
            "SPI(t)",
            "EAC",
            "Planned finish",
            "Forecast finish",
            "RAG",
        ],
    ),
    (
        "/knowledge/maturity/",
        "improvement-actions",
        ["Action", "Description", "Dimension", "Owner", "Due", "Overdue", "Status"],
    ),
    (
        "/timesheet/approvals/",
        "timesheets-to-approve",
        ["Person", "Project code", "Project", "Week of", "Submitted", "Task", "Day", "Hours"],
    ),
]


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _join(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


@pytest.mark.parametrize(("url", "slug", "header"), PAGES)
def test_every_list_page_exports(org: dict[str, Any], client_for: Any, url: str, slug: str, header: list[str]) -> None:
    client = client_for(Role.PMO_DIRECTOR)
    response = client.get(_join(url, "export=csv"))
    rows = _csv(response)
    assert response["Content-Disposition"] == f'attachment; filename="{slug}-2026-12-03.csv"'
    assert rows[0] == header
    book = load_workbook(io.BytesIO(client.get(_join(url, "export=xlsx")).content))
    assert next(list(r) for r in book.active.values) == rows[0]
    assert client.get(_join(url, "export=pdf")).status_code == 404


@pytest.fixture
def registers(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    director = roles[Role.PMO_DIRECTOR]
    owner = org["person"][Role.TEAM_MEMBER]
    common = {"actor": director, "owner": owner, "assessed_on": dt.date(2026, 11, 2)}
    return {
        "r1": risk_services.risk_create(
            project=org["p1"], title="Vendor late", probability=4, impact=4, cost_impact=Decimal("50000"), **common
        ),
        "r2": risk_services.risk_create(project=org["p2"], title="Data quality", probability=2, impact=3, **common),
        "issue": change_services.issue_create(
            actor=director,
            project=org["p1"],
            title="Test environment down",
            owner=owner,
            priority=1,
            due_date=dt.date(2026, 11, 30),
        ),
        "lesson": knowledge_services.lesson_create(
            actor=director, project=org["p1"], title="Book the testers early", what_happened="We waited 3 weeks."
        ),
    }


def test_risk_register_export_holds_the_filtered_rows(registers: dict[str, Any], org: dict[str, Any], client_for: Any):
    client = client_for(Role.PMO_DIRECTOR)
    portfolio = org["portfolio"].pk
    rows = _csv(client.get(f"/risks/?portfolio={portfolio}&export=csv"))
    r1, r2 = registers["r1"].code, registers["r2"].code
    by_code = {row[0]: row for row in rows[1:]}
    assert sorted(by_code) == sorted([r1, r2])
    # The default 5 x 5 scales: impact level 4 means 24 days or 30,000 if it happens, times probability.
    assert by_code[r1][1:] == [
        "P1 Mobile app", "Threat", "Vendor late", "Technical", "Member", "4", "4", "16", "critical", "new",
        "", "", "", "0", "0", "Open", "24.0", "30000.00",
    ]  # fmt: skip
    assert by_code[r2][8:10] == ["6", "medium"]
    # The page's filters: one project only.
    only_p2 = _csv(client.get(f"/risks/?portfolio={portfolio}&project={org['p2'].pk}&export=csv"))
    assert [row[0] for row in only_p2[1:]] == [r2]
    # The project's own register.
    project_rows = _csv(client.get(f"/projects/{org['p1'].pk}/risks/?export=csv"))
    assert [row[0] for row in project_rows[1:]] == [r1]


def test_risk_export_follows_what_the_user_may_see(registers: dict[str, Any], org: dict[str, Any], client_for: Any):
    url = f"/risks/?portfolio={org['portfolio'].pk}&export=csv"
    # Team members see the risks of projects they work on and those they own; they own only RSK-0001 now.
    risk_services.risk_update(actor=SYSTEM, risk=registers["r2"], owner=org["person"][Role.PROJECT_MANAGER])
    assert [row[0] for row in _csv(client_for(Role.TEAM_MEMBER).get(url))[1:]] == [registers["r1"].code]
    assert len(_csv(client_for(Role.PMO_DIRECTOR).get(url))) == 3
    assert client_for(Role.REQUESTER).get(url).status_code == 403


def test_issue_log_and_lesson_exports(registers: dict[str, Any], org: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PROJECT_MANAGER)
    issues = _csv(client.get(f"/projects/{org['p1'].pk}/issues/?show=all&export=csv"))
    assert issues == [
        ["#", "Issue", "Owner", "Priority", "Due", "Overdue", "Status", "Escalated to"],
        [str(registers["issue"].pk), "Test environment down", "Member", "Critical", "2026-11-30", "yes", "Open", ""],
    ]
    reports = _csv(client.get(f"/projects/{org['p1'].pk}/status/?export=csv"))
    assert reports[0] == [
        "Period", "State", "Schedule", "Cost", "Scope", "Risk", "Overall", "Summary", "Achievements", "Next steps",
        "Decisions needed", "Submitted",
    ]  # fmt: skip
    assert reports[1:] == []  # no report yet
    change_services.status_report_create(actor=SYSTEM, project=org["p1"], period=dt.date(2026, 12, 1))
    reports = _csv(client.get(f"/projects/{org['p1'].pk}/status/?export=csv"))
    # The draft carries pmo's suggested RAG from P1's metrics (no schedule or cost figures yet: blank).
    assert reports[1:] == [["2026-12", "Draft", "", "", "green", "amber", "amber", "", "", "", "", ""]]
    lessons = _csv(client.get("/knowledge/?export=csv"))
    assert lessons[0][:3] == ["Code", "Kind", "Lesson"]
    assert [row[2:4] for row in lessons[1:]] == [["Book the testers early", "We waited 3 weeks."]]
    assert lessons[1][9] == "P1"


def test_buttons_keep_the_page_filters(registers: dict[str, Any], org: dict[str, Any], client_for: Any) -> None:
    portfolio = org["portfolio"].pk
    page = client_for(Role.PMO_DIRECTOR).get(f"/risks/?portfolio={portfolio}&kind=threat").content.decode()
    assert f'href="?portfolio={portfolio}&amp;kind=threat&amp;export=csv"' in page
    assert f'href="?portfolio={portfolio}&amp;kind=threat&amp;export=xlsx"' in page
    # No rows, no buttons: an empty deviation list offers nothing to export.
    assert 'id="export-csv"' not in client_for(Role.PMO_DIRECTOR).get("/deviations/").content.decode()
