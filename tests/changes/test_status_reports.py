"""Status reports: the suggested RAG from the metrics, overrides only with a comment, submission updating the
project's health and raising deviations, and who has not reported."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.changes import selectors, services
from pmo.changes.models import Deviation, Notification, StatusReport
from pmo.core.audit import history_of
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.portfolio.models import Project
from tests.changes.conftest import PERIOD, slip


def test_a_draft_carries_the_suggestion_from_the_metrics(planned, roles):
    planned["evm"].update(spi=0.97, cpi=0.88, spi_t=0.96)
    slip(planned["a"], 20)  # A takes 20 days instead of 5: the go-live moves 15 working days
    report = services.status_report_create(actor=roles[Role.PROJECT_MANAGER], project=planned["p1"], period=PERIOD)
    assert report.period == PERIOD and report.state == "draft"
    assert report.metrics == {
        "spi": 0.97,
        "cpi": 0.88,
        "spi_t": 0.96,
        "milestone_slip_days": 15.0,
        "open_high_issues": 0,
        "pending_changes": 0,
        "dependency_slip_days": None,
    }
    assert report.suggested == {"schedule": "red", "cost": "red", "scope": "green", "risk": "green", "overall": "red"}
    assert (report.schedule_rag, report.cost_rag, report.scope_rag, report.risk_rag, report.overall_rag) == (
        "red",
        "red",
        "green",
        "green",
        "red",
    )
    with pytest.raises(ValidationFailed) as error:
        services.status_report_create(actor=roles[Role.PROJECT_MANAGER], project=planned["p1"], period=PERIOD)
    assert error.value.fields == {"period": ["P1 already has a report for November 2026."]}


def test_without_evm_and_baseline_nothing_is_suggested_for_schedule_and_cost(org, roles, evm):
    report = services.status_report_create(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], period=PERIOD)
    assert report.metrics["milestone_slip_days"] is None and report.metrics["cpi"] is None
    assert report.suggested == {"schedule": None, "cost": None, "scope": "green", "risk": "green", "overall": "green"}
    assert report.schedule_rag == "" and report.overall_rag == "green"


def test_an_override_needs_a_comment(planned, roles):
    pm = roles[Role.PROJECT_MANAGER]
    planned["evm"].update(cpi=0.88)
    report = services.status_report_create(actor=pm, project=planned["p1"], period=PERIOD)
    assert report.cost_rag == "red"
    with pytest.raises(ValidationFailed) as error:
        services.status_report_update(actor=pm, report=report, cost_rag="amber", override_comments={"cost": "  "})
    assert error.value.fields == {
        "cost_comment": ["pmo suggests red for cost from the metrics; say why you report amber."]
    }
    report.refresh_from_db()
    assert report.cost_rag == "red" and report.version == 1 and report.override_comments == {}

    services.status_report_update(
        actor=pm,
        report=report,
        cost_rag="amber",
        override_comments={"cost": "Supplier credit note of 40k arrives in December.", "risk": "unused"},
        narrative="Build finished.",
    )
    report.refresh_from_db()
    assert report.cost_rag == "amber" and report.version == 2
    assert report.override_comments == {"cost": "Supplier credit note of 40k arrives in December."}
    # Going back to the suggestion drops the comment.
    services.status_report_update(actor=pm, report=report, cost_rag="red", override_comments={})
    report.refresh_from_db()
    assert report.override_comments == {}


def test_submitting_sets_health_and_raises_deviations(planned, roles):
    pm = roles[Role.PROJECT_MANAGER]
    planned["evm"].update(cpi=0.88, spi=0.99)
    slip(planned["a"], 20)
    report = services.status_report_create(actor=pm, project=planned["p1"], period=PERIOD)
    with pytest.raises(ValidationFailed) as error:
        services.status_report_submit(actor=pm, report=report)
    assert error.value.fields == {"narrative": ["Write a short summary of the period."]}
    services.status_report_update(
        actor=pm,
        report=report,
        cost_rag="amber",
        overall_rag="amber",
        override_comments={"cost": "Credit note due.", "overall": "Recovery plan agreed."},
        narrative="Design late; recovery plan agreed.",
    )
    services.status_report_submit(actor=pm, report=report)
    report.refresh_from_db()
    assert report.state == "submitted" and report.submitted_by == pm and report.submitted_at is not None
    assert Project.objects.get(pk=planned["p1"].pk).health == "amber"
    raised = {(d.metric, d.value, d.threshold, d.severity) for d in Deviation.objects.filter(status="open")}
    assert raised == {
        ("cpi", Decimal("0.880"), Decimal("0.900"), "red"),
        ("milestone_slip_days", Decimal("15.000"), Decimal("10.000"), "red"),
    }
    assert sorted(Notification.objects.filter(recipient=pm).values_list("message", flat=True)) == [
        "P1: Cost performance index (CPI) is 0.88, past the red threshold 0.9.",
        "P1: Milestone slip (working days) is 15, past the red threshold 10.",
    ]
    with pytest.raises(Conflict):
        services.status_report_update(actor=pm, report=report, narrative="changed later")
    with pytest.raises(Conflict):
        services.status_report_submit(actor=pm, report=report)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.TEAM_MEMBER, Role.PMO_ANALYST, Role.REQUESTER])
def test_only_the_project_lead_writes_reports(planned, roles, role):
    with pytest.raises(PermissionDenied):
        services.status_report_create(actor=roles[role], project=planned["p1"], period=PERIOD)
    assert not StatusReport.objects.exists()


def test_a_denied_edit_changes_nothing(planned, roles):
    report = services.status_report_create(actor=roles[Role.PROJECT_MANAGER], project=planned["p1"], period=PERIOD)
    events = history_of(report).count()
    for user in (planned["other_pm"], roles[Role.EXECUTIVE]):
        with pytest.raises(PermissionDenied):
            services.status_report_update(actor=user, report=report, narrative="Not mine")
        with pytest.raises(PermissionDenied):
            services.status_report_submit(actor=user, report=report)
    report.refresh_from_db()
    assert report.narrative == "" and report.state == "draft" and report.version == 1
    assert history_of(report).count() == events
    # The portfolio manager of the project's portfolio may write it, as may the PMO director.
    services.status_report_update(actor=roles[Role.PORTFOLIO_MANAGER], report=report, narrative="By the PfM")


def test_requesters_see_no_reports(roles):
    from pmo.core.access import can

    assert not can(roles[Role.REQUESTER], "view", StatusReport)
    assert can(roles[Role.EXECUTIVE], "view", StatusReport)
    assert not can(roles[Role.EXECUTIVE], "add", StatusReport)


def test_missing_reports_per_portfolio(planned, roles):
    pm = roles[Role.PROJECT_MANAGER]
    p2 = planned["p2"]
    Project.objects.filter(pk=p2.pk).update(state="planning")
    assert {p.code: [r.project.code for r in rows] for p, rows in selectors.missing_reports(PERIOD).items()} == {
        "DIG": ["P1", "P2"]
    }
    report = services.status_report_create(actor=pm, project=planned["p1"], period=PERIOD)
    services.status_report_update(
        actor=pm, report=report, schedule_rag="green", cost_rag="green", narrative="On track."
    )
    missing = selectors.missing_reports(PERIOD)
    rows = missing[planned["portfolio"]]
    assert [(r.project.code, r.draft is not None) for r in rows] == [("P1", True), ("P2", False)]
    services.status_report_submit(actor=pm, report=report)
    rows = selectors.missing_reports(PERIOD)[planned["portfolio"]]
    assert [r.project.code for r in rows] == ["P2"]
    assert selectors.reporting_projects_count() == 2
