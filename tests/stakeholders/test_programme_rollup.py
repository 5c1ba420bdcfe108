"""Benefits rolled up per programme: realised against planned (money, and each KPI's progress) over the
programme's projects, closed ones included — in the selectors, on the benefits page, on the programme's page
and in the API. Exact values on a small set:

- programme CX (portfolio DIG): P1 (executing) with Members 100 -> 200 worth 1,000, measured 150 (50 %: 500)
  and Churn 14 -> 10 worth 400, measured 11 (75 %: 300); P5 (closed) with NPS 20 -> 40 worth 600, measured
  44 (120 %: its full 600) and Visits 0 -> 50 worth nothing, measured 10 (20 %). CX: 1,400 of 2,000 = 70 %.
- programme OPX (portfolio OPS): X1 with Speed 0 -> 10 worth 10, not measured: 0 of 10.
- P2 (DIG, in no programme): Cost 100 -> 50 worth 2,000, measured 75 (50 %: 1,000); in no programme row.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project
from pmo.stakeholders import selectors, services

API = "/api/v1"


def _benefit(project, name, baseline, target, value, measured=None, unit=""):
    b = services.benefit_create(
        actor=SYSTEM,
        project=project,
        name=name,
        kpi=f"{name} KPI",
        unit=unit,
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        target_date=dt.date(2026, 9, 30),
        financial_value=Decimal(value),
    )
    if measured is not None:
        services.measurement_record(actor=SYSTEM, benefit=b, measured_on=dt.date(2026, 11, 15), value=Decimal(measured))
    return b


@pytest.fixture
def programmes(org):
    p1, p2, cx = org["p1"], org["p2"], org["program"]
    p5 = portfolio_services.project_create(
        actor=SYSTEM, code="P5", name="Loyalty relaunch", portfolio=org["portfolio"], program=cx
    )
    opx = portfolio_services.program_create(
        actor=SYSTEM, code="OPX", name="Operational excellence", portfolio=org["other_portfolio"]
    )
    x1 = portfolio_services.project_create(
        actor=SYSTEM, code="X1", name="Warehouse speed", portfolio=org["other_portfolio"], program=opx
    )
    _benefit(p1, "Members", "100", "200", "1000", "150", unit="members")
    _benefit(p1, "Churn", "14", "10", "400", "11", unit="%")
    _benefit(p5, "NPS", "20", "40", "600", "44")
    _benefit(p5, "Visits", "0", "50", "0", "10")
    _benefit(x1, "Speed", "0", "10", "10")
    _benefit(p2, "Cost", "100", "50", "2000", "75")
    Project.objects.filter(pk=p5.pk).update(state="closed")
    return {**org, "p5": p5, "x1": x1, "opx": opx}


def test_rollup_by_programme(programmes):
    lines = selectors.benefits_rollup()
    groups = selectors.rollup_by_program(lines)
    assert [
        (g.key.code, g.currency, g.planned_value, g.realised_value, g.progress, [ln.code for ln in g.lines])
        for g in groups
    ] == [
        ("CX", "EUR", Decimal("2000.00"), Decimal("1400.00"), 0.7, ["P1", "P5"]),
        ("OPX", "EUR", Decimal("10.00"), Decimal("0.00"), 0.0, ["X1"]),
    ]
    cx = groups[0]
    assert (cx.closed_count, cx.benefit_count, cx.progress_pct) == (1, 4, 70)
    # Each KPI's progress (unclamped, as on the project's page) and realised value (clamped to 0..100 %).
    assert [
        (r.benefit.project.code, r.benefit.name, r.progress, r.progress_pct, r.realised_value) for r in cx.kpis
    ] == [
        ("P1", "Churn", Decimal("0.75"), 75, Decimal("300.00")),
        ("P1", "Members", Decimal("0.5"), 50, Decimal("500.00")),
        ("P5", "NPS", Decimal("1.2"), 120, Decimal("600.00")),
        ("P5", "Visits", Decimal("0.2"), 20, Decimal("0.00")),
    ]
    assert [(r.benefit.name, r.progress) for r in groups[1].kpis] == [("Speed", None)]
    # One programme only; the lines carry their programme.
    only = selectors.benefits_rollup(program=programmes["program"])
    assert [(ln.code, ln.program_id, ln.closed) for ln in only] == [
        ("P1", programmes["program"].pk, False),
        ("P5", programmes["program"].pk, True),
    ]
    assert [ln.code for ln in selectors.benefits_rollup(program=programmes["opx"].pk)] == ["X1"]


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_benefits_page_by_programme(programmes, client_for):
    client = client_for(Role.EXECUTIVE)
    html = client.get("/benefits/").content.decode()
    section = html.split('id="by-programme"', 1)[1].split("</section>", 1)[0]
    table = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert rows == [
        "CX Customer 2 (1 closed) 2,000 EUR 1,400 EUR 70%",
        "OPX Operational excellence 1 10 EUR 0 EUR 0%",
    ]
    assert f'<a href="/programs/{programmes["program"].pk}/"><strong>CX</strong></a>' in section
    assert "1 project with benefits belongs to no programme." in _text(section)
    kpis = section.split('id="programme-kpis"', 1)[1]
    first = kpis.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", first, re.S)] == [
        "P1 Churn Churn KPI (%) 14 11 10 30 Sep 2026 behind 75%",
        "P1 Members Members KPI (members) 100 150 200 30 Sep 2026 behind 50%",
        "P5 NPS NPS KPI 20 44 40 30 Sep 2026 120%",
        "P5 Visits Visits KPI 0 10 50 30 Sep 2026 behind 20%",
    ]
    # Narrowed to one programme: its projects only, the closed one included.
    one = client.get(f"/benefits/?program={programmes['program'].pk}").content.decode()
    by_project = one.split('id="by-project"', 1)[1]
    assert "P1" in by_project and "P5" in by_project and "X1" not in by_project and "P2" not in by_project
    assert "Closed" in by_project


def test_programme_page_panel(programmes, client_for):
    page = client_for(Role.PROJECT_MANAGER).get(f"/programs/{programmes['program'].pk}/").content.decode()
    panel = page.split('id="programme-benefits"', 1)[1].split("</div>", 1)[0]
    assert (
        "Benefits of its projects: 4 planned in 2 projects (1 closed), worth 2,000 EUR; 1,400 EUR realised "
        "(70% of planned)." in _text(panel)
    )
    body = panel.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)][
        2
    ] == "P5 NPS NPS KPI 20 44 40 30 Sep 2026 120%"
    assert f'href="/benefits/?program={programmes["program"].pk}"' in page
    other = client_for(Role.PROJECT_MANAGER).get(f"/programs/{programmes['opx'].pk}/").content.decode()
    assert "worth 10 EUR; 0 EUR realised (0% of planned)" in _text(other)
    # Requesters see no stakeholders panel at all.
    assert (
        "programme-benefits"
        not in client_for(Role.REQUESTER).get(f"/programs/{programmes['program'].pk}/").content.decode()
    )


def test_programme_rollup_through_the_api(programmes, client_for):
    client = client_for(Role.EXECUTIVE)
    roll = client.get(f"{API}/benefits/rollup").json()
    assert [
        (g["code"], g["planned_value"], g["realised_value"], g["progress"], g["projects"]) for g in roll["programs"]
    ] == [
        ("CX", "2000.00", "1400.00", 0.7, ["P1", "P5"]),
        ("OPX", "10.00", "0.00", 0.0, ["X1"]),
    ]
    cx = roll["programs"][0]
    assert [(k["project"], k["name"], k["latest_value"], k["progress"], k["realised_value"]) for k in cx["kpis"]] == [
        ("P1", "Churn", "11.0000", "0.7500", "300.00"),
        ("P1", "Members", "150.0000", "0.5000", "500.00"),
        ("P5", "NPS", "44.0000", "1.2000", "600.00"),
        ("P5", "Visits", "10.0000", "0.2000", "0.00"),
    ]
    assert cx["kpis"][0] | {"benefit_id": 0} == {
        "benefit_id": 0,
        "project": "P1",
        "name": "Churn",
        "kpi": "Churn KPI",
        "unit": "%",
        "baseline_value": "14.0000",
        "target_value": "10.0000",
        "target_date": "2026-09-30",
        "latest_value": "11.0000",
        "latest_on": "2026-11-15",
        "progress": "0.7500",
        "financial_value": "400.00",
        "realised_value": "300.00",
    }
    # The portfolio roll-up has the same shape, KPIs included; the project lines carry their programme.
    assert [(g["code"], len(g["kpis"])) for g in roll["portfolios"]] == [("DIG", 5), ("OPS", 1)]
    assert {p["code"]: p["program_id"] for p in roll["projects"]} == {
        "P1": programmes["program"].pk,
        "P2": None,
        "P5": programmes["program"].pk,
        "X1": programmes["opx"].pk,
    }
    one = client.get(f"{API}/benefits/rollup", {"program_id": programmes["opx"].pk}).json()
    assert [p["code"] for p in one["projects"]] == ["X1"] and [g["code"] for g in one["programs"]] == ["OPX"]
    assert client.get(f"{API}/benefits/rollup", {"program_id": 999}).status_code == 422
    assert client_for(Role.REQUESTER).get(f"{API}/benefits/rollup").status_code == 403
