"""The numbers behind each dashboard element, on the small portfolio of conftest.py."""

import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.core.roles import Role
from pmo.reporting import dashboard as dash
from pmo.reporting import money
from pmo.reporting.dashboard import dashboard


def test_health_matrix_takes_the_submitted_report_then_the_suggestion(board: dict[str, Any], roles: Any) -> None:
    rows = {r.project.code: r for r in dashboard(roles[Role.PMO_DIRECTOR]).rows}
    p1, p3, p2 = rows["P1"], rows["P3"], rows["P2"]
    assert [p1.schedule, p1.cost, p1.scope, p1.risk, p1.overall] == ["red", "amber", "green", "amber", "red"]
    assert (p1.source, p1.period) == ("report", dt.date(2026, 11, 1))
    # No report: the RAG the thresholds suggest (scope and risk from zero pending changes and open issues;
    # P3 waits for P1's late deliverable).
    assert (p3.source, p3.scope, p3.risk, p3.overall) == ("suggested", "green", "green", "amber")
    assert [p2.schedule, p2.cost, p2.overall] == ["unknown", "unknown", "green"]
    # The earned-value colour of pmo.control (SPI 0.85, CPI 0.88 below the red limit 0.90).
    assert (p1.performance, p3.performance) == ("red", "unknown")
    # Red first, then amber, then green.
    assert [r.project.code for r in dashboard(roles[Role.PMO_DIRECTOR]).rows] == ["P1", "P3", "P2"]


def test_money_figures(board: dict[str, Any], roles: Any) -> None:
    rows = {r.project.code: r for r in dashboard(roles[Role.PMO_DIRECTOR]).rows}
    assert (rows["P1"].budget, rows["P1"].actual, rows["P1"].eac) == (
        Decimal("1250000.00"),
        Decimal("260000.00"),
        Decimal("1400000.00"),
    )
    assert rows["P1"].exposure == Decimal("60000.00")  # 60 % of 100,000 (probability 4 on the default scale)
    assert dashboard(roles[Role.PMO_DIRECTOR]).totals == {
        "budget": Decimal("1650000.00"),
        "actual": Decimal("300000.00"),
        "eac": Decimal("1800000.00"),  # P1's EAC, P3's budget (not measured), P2 nothing
        "exposure": Decimal("60000.00"),
    }


def test_budget_actual_forecast_by_year(board: dict[str, Any], roles: Any) -> None:
    years = [(y.year, y.budget, y.actual, y.forecast) for y in dashboard(roles[Role.PMO_DIRECTOR]).years]
    # Budget: P1 all in 2026; P3's 400,000 over 1 Jul 2026 - 30 Jun 2027, 184 of 365 days in 2026.
    # Forecast: actuals, plus P1's EAC - AC (1,140,000) over 1 Dec 2026 - 29 Jan 2027 (31 + 29 days), plus
    # P3's unspent budget (360,000) over 3 Dec 2026 - 30 Jun 2027 (29 + 181 days).
    assert years == [
        (2025, Decimal("0.00"), Decimal("10000.00"), Decimal("10000.00")),
        (2026, Decimal("1451643.84"), Decimal("290000.00"), Decimal("928714.29")),
        (2027, Decimal("198356.16"), Decimal("0.00"), Decimal("861285.71")),
    ]


def test_spread_shares_by_days_and_keeps_the_total() -> None:
    shares = money.spread(Decimal("100"), dt.date(2026, 12, 31), dt.date(2027, 1, 2))
    assert shares == {2026: Decimal("33.33"), 2027: Decimal("66.67")}
    assert money.spread(Decimal("10"), dt.date(2026, 5, 1), dt.date(2026, 4, 1)) == {2026: Decimal("10.00")}


def test_pipeline_funnel(board: dict[str, Any], roles: Any) -> None:
    board_ = dashboard(roles[Role.PMO_DIRECTOR])
    assert [(s.state, s.count, s.cost) for s in board_.funnel] == [
        ("draft", 2, Decimal("0.00")),
        ("submitted", 1, Decimal("300000.00")),
        ("under_evaluation", 0, Decimal("0.00")),
        ("approved", 0, Decimal("0.00")),
    ]
    assert [(s.state, s.count) for s in board_.set_aside] == [("deferred", 0), ("rejected", 1), ("withdrawn", 0)]
    # The Operations portfolio has no proposal.
    assert sum(s.count for s in dashboard(roles[Role.PMO_DIRECTOR], board["other_portfolio"]).funnel) == 0


def test_milestones_top_risks_deviations(board: dict[str, Any], roles: Any) -> None:
    board_ = dashboard(roles[Role.PMO_DIRECTOR])
    assert [(m.project.code, m.name, m.day, m.status) for m in board_.milestones] == [
        ("P1", "Launch", dt.date(2026, 11, 20), "late")
    ]
    assert [(r.risk.title, r.exposure_money) for r in board_.top_risks or []] == [("Vendor late", Decimal("60000.00"))]
    assert sorted((d.project.code, d.metric) for d in board_.deviations or []) == [
        ("P1", "cpi"),
        ("P1", "spi"),
        ("P1", "spi_t"),
        ("P3", "dependency_slip_days"),
    ]
    assert board_.overdue_gates == []
    assert board_.benefits == []


def test_one_portfolio(board: dict[str, Any], roles: Any) -> None:
    board_ = dashboard(roles[Role.EXECUTIVE], board["portfolio"])
    assert [r.project.code for r in board_.rows] == ["P1", "P2"]
    assert [d.project.code for d in board_.deviations or []] == ["P1", "P1", "P1"]
    assert (board_.red, board_.amber, board_.green) == (1, 0, 1)


def test_what_each_role_sees(board: dict[str, Any], roles: Any) -> None:
    assert dash.sees_dashboard(roles[Role.EXECUTIVE])
    assert dash.sees_dashboard(roles[Role.PROJECT_MANAGER])
    assert not dash.sees_dashboard(roles[Role.TEAM_MEMBER])
    assert not dash.sees_dashboard(roles[Role.REQUESTER])
    # The capacity summary is for those who see people; the pool of this fixture is empty.
    assert dashboard(roles[Role.EXECUTIVE]).capacity == {
        "months": [dt.date(2026, 12, 1), *(dt.date(2027, m, 1) for m in range(1, 6))],
        "rows": [],
    }


def test_batched_metrics_are_those_of_the_changes_app(board: dict[str, Any]) -> None:
    from pmo.changes.selectors import project_metrics

    projects = [board["p1"], board["p2"], board["p3"]]
    batched = dash.metrics_for(projects)
    for project in projects:
        assert batched[project.pk] == project_metrics(project), project.code
    assert batched[board["p3"].pk]["dependency_slip_days"] == 4
    assert batched[board["p1"].pk]["cpi"] == 0.88
