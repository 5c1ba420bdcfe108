"""CSV and Excel exports of the stakeholders pages: the overview (registers, my communications due, all due),
a register page (stakeholders, communication plan, due, log, surveys), a project's benefits and the benefits
realisation page (by project, portfolio, programme with its KPIs, objective). Each export holds the rows the
page shows the user, with the page's filters; the `org` of tests/conftest.py on 3 December 2026."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.stakeholders import services


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def registers(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    person = org["person"]
    branch = services.stakeholder_create(
        actor=SYSTEM,
        program=org["program"],
        name="Branch network",
        interest=4,
        influence=4,
        current_engagement="resistant",
        desired_engagement="supportive",
    )
    users = services.stakeholder_create(
        actor=SYSTEM,
        project=org["p1"],
        name="Store staff",
        organisation="Retail",
        role="Users",
        interest=5,
        influence=2,
        current_engagement="neutral",
        desired_engagement="supportive",
        relationship_owner=person[Role.PROJECT_MANAGER],
    )
    services.communication_item_create(
        actor=SYSTEM,
        program=org["program"],
        what="Steering pack",
        stakeholders=[branch],
        frequency="monthly",
        channel="report",
        next_due=dt.date(2026, 11, 28),
        sender=person[Role.PORTFOLIO_MANAGER],
    )
    services.communication_item_create(
        actor=SYSTEM,
        project=org["p1"],
        what="Demo",
        stakeholders=[users],
        audience_groups="All retail staff",
        frequency="weekly",
        channel="meeting",
        next_due=dt.date(2026, 12, 10),
        sender=person[Role.PROJECT_MANAGER],
    )
    kickoff = services.communication_item_create(
        actor=SYSTEM,
        project=org["p1"],
        what="Kick-off",
        audience_groups="Branch managers",
        frequency="once",
        channel="workshop",
        next_due=dt.date(2026, 12, 2),
        sender=person[Role.PROJECT_MANAGER],
    )
    services.communication_record_sent(
        actor=roles[Role.PROJECT_MANAGER], item=kickoff, sent_on=dt.date(2026, 12, 2), note="Went well"
    )
    survey = services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-11")
    services.survey_answer(actor=roles[Role.EXECUTIVE], survey=survey, score=4)
    services.survey_answer(actor=roles[Role.TEAM_MEMBER], survey=survey, score=5)
    benefit = services.benefit_create(
        actor=SYSTEM,
        project=org["p1"],
        name="More members",
        kpi="Active members",
        unit="members",
        baseline_value=Decimal(100),
        target_value=Decimal(200),
        target_date=dt.date(2026, 6, 30),
        financial_value=Decimal("1000"),
        owner=person[Role.EXECUTIVE],
    )
    services.measurement_record(actor=SYSTEM, benefit=benefit, measured_on=dt.date(2026, 10, 1), value=Decimal(180))
    services.benefit_create(
        actor=SYSTEM,
        project=org["p2"],
        name="Cheaper storage",
        kpi="Storage cost",
        unit="EUR/TB",
        baseline_value=Decimal(40),
        target_value=Decimal(20),
        target_date=dt.date(2027, 6, 30),
        financial_value=Decimal("500"),
    )
    return {**org, "branch": branch, "users": users}


def test_overview_exports(registers: dict[str, Any], client_for: Any) -> None:
    portfolio_manager = client_for(Role.PORTFOLIO_MANAGER)
    page = portfolio_manager.get("/stakeholders/").content.decode()
    for name in ("mine", "due", "registers"):
        assert f'href="?list={name}&amp;export=csv"' in page and f'id="export-xlsx-{name}"' in page
    assert _csv(portfolio_manager.get("/stakeholders/?export=csv&list=registers")) == [
        ["Code", "Name", "Kind", "Stakeholders", "Due (14 days)", "Overdue"],
        ["CX", "Customer", "program", "1", "1", "1"],
        ["P1", "Mobile app", "project", "1", "1", "0"],
    ]
    assert _csv(portfolio_manager.get("/stakeholders/?export=csv&list=due")) == [
        ["Due", "Status", "What", "Register", "Sender"],
        ["2026-11-28", "overdue", "Steering pack", "CX", "Portfolio"],
        ["2026-12-10", "due", "Demo", "P1", "Pm"],
    ]
    # "My communications due": each their own.
    mine = ["Due", "Status", "What", "Register", "Channel"]
    assert _csv(portfolio_manager.get("/stakeholders/?export=csv&list=mine")) == [
        mine,
        ["2026-11-28", "overdue", "Steering pack", "CX", "Report"],
    ]
    assert _csv(client_for(Role.PROJECT_MANAGER).get("/stakeholders/?export=csv&list=mine")) == [
        mine,
        ["2026-12-10", "due", "Demo", "P1", "Meeting"],
    ]
    assert _csv(client_for(Role.EXECUTIVE).get("/stakeholders/?export=csv&list=mine")) == [mine]
    # Requesters see none of it; an unknown list is not there to export.
    assert client_for(Role.REQUESTER).get("/stakeholders/?export=csv&list=registers").status_code == 403
    assert portfolio_manager.get("/stakeholders/?export=csv&list=other").status_code == 404
    book = load_workbook(io.BytesIO(portfolio_manager.get("/stakeholders/?export=xlsx&list=due").content))
    assert list(book.active.values)[1] == (dt.datetime(2026, 11, 28), "overdue", "Steering pack", "CX", "Portfolio")


def test_project_register_exports(registers: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.TEAM_MEMBER)
    url = f"/projects/{registers['p1'].pk}/stakeholders/"
    page = client.get(url).content.decode()
    for name in ("register", "plan", "due", "log", "surveys"):
        assert f'href="?list={name}&amp;export=csv"' in page, name
    assert _csv(client.get(f"{url}?export=csv&list=register")) == [
        [
            "#",
            "Name",
            "Organisation",
            "Role",
            "Interest",
            "Influence",
            "Approach",
            "Engagement now",
            "Engagement wanted",
            "Gap",
            "Relationship owner",
        ],
        ["1", "Store staff", "Retail", "Users", "5", "2", "Keep informed", "Neutral", "Supportive", "1", "Pm"],
    ]
    assert _csv(client.get(f"{url}?export=csv&list=plan")) == [
        ["What", "Audience", "Channel", "Frequency", "Sender", "Next due", "Overdue", "Active", "Last sent"],
        ["Demo", "Store staff; All retail staff", "Meeting", "Weekly", "Pm", "2026-12-10", "no", "yes", "never"],
        ["Kick-off", "Branch managers", "Workshop", "Once", "Pm", "done", "no", "no", "2026-12-02"],
    ]
    assert _csv(client.get(f"{url}?export=csv&list=due")) == [
        ["Due", "Status", "What", "Channel", "Sender"],
        ["2026-12-10", "due", "Demo", "Meeting", "Pm"],
    ]
    assert _csv(client.get(f"{url}?export=csv&list=log")) == [
        ["Sent on", "What", "By", "Note"],
        ["2026-12-02", "Kick-off", "Pm", "Went well"],
    ]
    assert _csv(client.get(f"{url}?export=csv&list=surveys")) == [
        ["Period", "Answers", "Average", "Status"],
        ["2026-11", "2", "4.50", "open"],
    ]
    # Without a list named: the page's first list, the register.
    assert _csv(client.get(f"{url}?export=csv"))[1][1] == "Store staff"
    assert client_for(Role.REQUESTER).get(f"{url}?export=csv&list=log").status_code == 403


def test_programme_register_export_has_its_projects(registers: dict[str, Any], client_for: Any) -> None:
    url = f"/programs/{registers['program'].pk}/stakeholders/"
    client = client_for(Role.EXECUTIVE)
    rows = _csv(client.get(f"{url}?export=csv&list=register"))
    assert [r[:4] for r in rows] == [
        ["#", "Name", "Project", "Organisation"],
        ["1", "Branch network", "", ""],
        ["2", "Store staff", "P1", "Retail"],
    ]
    assert rows[1][7:11] == ["Manage closely", "Resistant", "Supportive", "2"]
    plan = _csv(client.get(f"{url}?export=csv&list=plan"))
    assert [r[:3] for r in plan] == [
        ["What", "Project", "Audience"],
        ["Steering pack", "", "Branch network"],
        ["Demo", "P1", "Store staff; All retail staff"],
        ["Kick-off", "P1", "Branch managers"],
    ]
    assert "list=surveys" not in client.get(url).content.decode()
    assert client.get(f"{url}?export=csv&list=surveys").status_code == 404  # surveys belong to projects


def test_project_benefits_export(registers: dict[str, Any], client_for: Any) -> None:
    url = f"/projects/{registers['p1'].pk}/benefits/"
    client = client_for(Role.PMO_ANALYST)
    assert 'href="?export=csv"' in client.get(url).content.decode()
    response = client.get(f"{url}?export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="benefits-p1-2026-12-03.csv"'
    assert _csv(response) == [
        [
            "Benefit",
            "KPI",
            "Unit",
            "Baseline",
            "Target",
            "Target date",
            "Behind",
            "Latest",
            "Latest on",
            "Progress (%)",
            "Value",
            "Realised",
            "Owner",
        ],
        [
            "More members",
            "Active members",
            "members",
            "100.0000",
            "200.0000",
            "2026-06-30",
            "yes",
            "180.0000",
            "2026-10-01",
            "80",
            "1000.00",
            "800.00",
            "Exec",
        ],
    ]
    assert client_for(Role.REQUESTER).get(f"{url}?export=csv").status_code == 403


def test_benefits_realisation_exports(registers: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.EXECUTIVE)
    page = client.get("/benefits/").content.decode()
    for name in ("projects", "portfolios", "programmes", "programme-kpis", "objectives"):
        assert f'href="?list={name}&amp;export=csv"' in page, name
    assert _csv(client.get("/benefits/?export=csv&list=projects")) == [
        [
            "Code",
            "Project",
            "State",
            "Benefits",
            "Measured",
            "Currency",
            "Planned",
            "Realised",
            "Realised of planned (%)",
        ],
        ["P1", "Mobile app", "Proposed", "1", "1", "EUR", "1000.00", "800.00", "80"],
        ["P2", "Data lake", "Proposed", "1", "0", "EUR", "500.00", "0.00", ""],
    ]
    rollup = ["Name", "Projects", "Closed", "Currency", "Planned", "Realised", "Realised of planned (%)"]
    assert _csv(client.get("/benefits/?export=csv&list=portfolios")) == [
        ["Portfolio", *rollup],
        ["DIG", "Digital", "2", "0", "EUR", "1500.00", "800.00", "53"],
    ]
    assert _csv(client.get("/benefits/?export=csv&list=programmes")) == [
        ["Programme", *rollup],
        ["CX", "Customer", "1", "0", "EUR", "1000.00", "800.00", "80"],
    ]
    assert _csv(client.get("/benefits/?export=csv&list=programme-kpis")) == [
        [
            "Programme",
            "Project",
            "Benefit",
            "KPI",
            "Unit",
            "Baseline",
            "Target",
            "Target date",
            "Latest",
            "Latest on",
            "Progress (%)",
        ],
        [
            "CX",
            "P1",
            "More members",
            "Active members",
            "members",
            "100.0000",
            "200.0000",
            "2026-06-30",
            "180.0000",
            "2026-10-01",
            "80",
        ],
    ]
    assert _csv(client.get("/benefits/?export=csv&list=objectives")) == [
        ["Objective", *rollup],
        ["SO1", "Grow revenue", "1", "0", "EUR", "1000.00", "800.00", "80"],
    ]
    # The page's filters: another portfolio has nothing; one programme has only its projects.
    other = client.get(f"/benefits/?portfolio={registers['other_portfolio'].pk}&export=csv&list=projects")
    assert len(_csv(other)) == 1
    cx = client.get(f"/benefits/?program={registers['program'].pk}&export=csv&list=projects")
    assert [r[0] for r in _csv(cx)] == ["Code", "P1"]
    assert client_for(Role.REQUESTER).get("/benefits/?export=csv&list=projects").status_code == 403
