"""The risk demo: loaded with the rest of the demo portfolio, deterministic, and showing each feature."""

import datetime as dt

from pmo.changes.models import Notification
from pmo.core.roles import sync_role_groups
from pmo.demo import load_demo
from pmo.portfolio.models import Portfolio, Project
from pmo.risks import selectors
from pmo.risks.models import Risk, RiskAction, RiskAssessment, RiskTaskImpact, SimulationRun


def test_demo_registers(db):
    sync_role_groups()
    today = dt.date(2026, 12, 3)
    load_demo(today=today)
    assert Project.objects.count() == 41  # the demo adds no project
    assert Risk.objects.count() == 17
    assert Risk.objects.filter(kind="opportunity").count() == 3
    assert RiskAssessment.objects.count() == 35
    digital, regulatory = Portfolio.objects.get(code="DIG"), Portfolio.objects.get(code="REG")
    assert selectors.scales_for(regulatory.pk).escalation_score == 12
    escalated = sorted(r.code for r in selectors.escalated(portfolio=digital))
    assert [Risk.objects.get(code=c).title for c in escalated] == [
        "App store review rejects the release",
        "CRM extract stays incomplete",
        "Cloud data platform skills shortage",
        "Data centre lease ends before the exit",
        "Cloud provider raises prices across the migration",
        "Budget freeze in the next financial year",
    ]
    assert sorted(r.title for r in selectors.escalated(portfolio=regulatory)) == [
        "Actuarial model validation late",
        "Regulator changes the consent wording guidance",
    ]
    shared = Risk.objects.get(shared=True)
    assert sorted(p.code for p in shared.affected_projects.all()) == ["DIG-006", "DIG-008", "DIG-011"]
    occurred = Risk.objects.get(status="occurred")
    assert (occurred.project.code, occurred.issue.project.code, occurred.issue.priority) == ("OPS-001", "OPS-001", 3)
    app_store = selectors.rows([selectors.base().get(title="App store review rejects the release")], today=today)[0]
    assert (app_store.scores, app_store.trend, app_store.rating) == ([9, 12, 16], "up", "critical")
    assert [a.assessed_on for a in app_store.risk.assessments.all()] == [
        dt.date(2026, 10, 8),
        dt.date(2026, 11, 5),
        dt.date(2026, 12, 3),
    ]
    overdue = sorted(a.description for a in selectors.overdue_actions(today))
    assert overdue == [
        "Contract two data engineers from the framework supplier",
        "Escalate data ownership to the CRM owner",
        "Re-sequence the migration waves",
        "Run the store pre-submission checklist",
        "Weekly watch of the regulator's consultations",
    ]
    assert RiskAction.objects.filter(overdue_notified_on=today).count() == 5
    assert Notification.objects.filter(message__contains="your action on risk").count() == 5
    assert RiskTaskImpact.objects.filter(risk__project__code="DIG-011").count() == 2
    # The PMO's analyses: the data centre exit with its lease risk, and the Digital portfolio's milestones.
    project_run = SimulationRun.objects.get(project__code="DIG-011")
    portfolio_run = SimulationRun.objects.get(portfolio__code="DIG")
    assert (project_run.status, portfolio_run.status) == ("done", "done")
    lease = Risk.objects.get(title="Data centre lease ends before the exit")
    assert lease.code in [r["id"] for r in project_run.result["risks"]]
    result = project_run.result
    assert result["duration"]["p80"] >= result["duration"]["p50"] >= result["deterministic_days"] * 0.9
    assert {m["project"] for m in portfolio_run.result["milestones"]} >= {"DIG-006", "DIG-007", "DIG-011"}
