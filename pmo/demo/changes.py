"""Status and change-control demo data: thresholds on each portfolio, last month's and this month's status
reports (a few projects have not reported this month), issues (one escalated to its portfolio, one overdue),
change requests (one approved with its new baseline, one awaiting the change board, one just raised) and the
deviations the thresholds raise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from pmo.changes import selectors, services
from pmo.changes.models import DIMENSIONS, StatusReport
from pmo.core.access import SYSTEM
from pmo.planning.models import Task
from pmo.portfolio.models import Portfolio, Project
from pmo.resources.models import Person

# Per portfolio: (metric, amber, red). Digital uses the defaults; Operations is looser, Regulatory stricter.
THRESHOLDS = {
    "DIG": [
        ("cpi", "0.95", "0.90"),
        ("spi", "0.95", "0.90"),
        ("spi_t", "0.95", "0.90"),
        ("milestone_slip_days", "5", "10"),
    ],
    "OPS": [
        ("cpi", "0.93", "0.88"),
        ("spi", "0.93", "0.88"),
        ("spi_t", "0.93", "0.88"),
        ("milestone_slip_days", "10", "15"),
    ],
    "REG": [
        ("cpi", "0.97", "0.93"),
        ("spi", "0.97", "0.93"),
        ("spi_t", "0.97", "0.93"),
        ("milestone_slip_days", "3", "7"),
    ],
}
# Running projects that have not submitted this month's report (OPS-012 has a draft).
NOT_REPORTED = ("DIG-001", "OPS-012", "REG-009")
DRAFT_ONLY = ("OPS-012",)

NARRATIVE = {
    "green": ("Work is on plan and within budget.", "Milestones of the period met.", "Continue as planned."),
    "amber": (
        "Behind plan on the current phase; recovery actions agreed with the sponsor.",
        "Design signed off; vendor onboarded.",
        "Add a second team for four weeks; weekly checkpoint with the sponsor.",
    ),
    "red": (
        "Significantly late and over budget: a re-plan is being prepared for the steering committee.",
        "Root-cause analysis of the delay finished.",
        "Present the re-plan and a change request to the board.",
    ),
    "unknown": ("Status not yet assessed.", "", ""),
}

# Why the manager reports another overall RAG than the metrics suggest.
OVERRIDE_REASON = {
    "green": "The open points are in hand; the sponsor agrees the project is on track.",
    "amber": "The next milestone is at risk (supplier late); agreed amber with the sponsor.",
    "red": "The plan is no longer achievable; the steering committee rated it red pending a re-plan.",
}

ISSUES = [
    # project, title, owner, priority, due in days from today, status, escalation, reason
    (
        "DIG-001",
        "Payment provider sandbox unavailable",
        "Jonas Weber",
        1,
        7,
        "in_progress",
        "portfolio",
        "Need the portfolio to negotiate priority support with the payment provider.",
    ),
    ("DIG-001", "Key tester on long-term leave", "Tom Fischer", 2, -10, "open", "", ""),
    (
        "DIG-006",
        "Source system extracts incomplete",
        "Rahul Mehta",
        2,
        14,
        "open",
        "program",
        "Data owners of the CRM must release the full extract.",
    ),
    ("OPS-001", "Scanner hardware delivery delayed", "Kwame Mensah", 3, 21, "open", "", ""),
    ("REG-002", "Legal opinion on consent wording pending", "Fatima Zahra", 2, 5, "open", "", ""),
    ("DIG-002", "Accessibility audit findings", "Chloe Dubois", 3, -3, "resolved", "", ""),
]


def _thresholds() -> None:
    for portfolio in Portfolio.objects.filter(code__in=THRESHOLDS):
        services.thresholds_set(
            actor=SYSTEM,
            portfolio=portfolio,
            values={m: (Decimal(a), Decimal(r)) for m, a, r in THRESHOLDS[portfolio.code]},
        )


def _report(project: Project, period: dt.date, *, submit: bool) -> StatusReport:
    """A report whose overall RAG is the project's health; where that differs from pmo's suggestion, the
    manager explains."""
    report = services.status_report_create(actor=SYSTEM, project=project, period=period)
    health = project.health if project.health != "unknown" else (report.suggested.get("overall") or "green")
    changes = {f"{d}_rag": getattr(report, f"{d}_rag") or health for d in DIMENSIONS}
    changes["overall_rag"] = health
    comments = {}
    if report.suggested.get("overall") and report.suggested["overall"] != health:
        comments["overall"] = OVERRIDE_REASON[health]
    summary, achievements, next_steps = NARRATIVE[project.health]
    services.status_report_update(
        actor=SYSTEM,
        report=report,
        override_comments=comments,
        narrative=summary,
        achievements=achievements,
        next_steps=next_steps,
        decisions_needed="Approve the re-plan." if project.health == "red" else "",
        **changes,
    )
    if submit:
        services.status_report_submit(actor=SYSTEM, report=report)
    return report


def _issues(today: dt.date) -> None:
    people = {p.name: p for p in Person.objects.all()}
    for code, title, owner, priority, due, status, escalation, reason in ISSUES:
        project = Project.objects.get(code=code)
        issue = services.issue_create(
            actor=SYSTEM,
            project=project,
            title=title,
            owner=people[owner],
            priority=priority,
            due_date=today + dt.timedelta(days=due),
            description=f"Logged by {project.manager} at the weekly project meeting.",
        )
        if status != "open":
            services.issue_update(
                actor=SYSTEM,
                issue=issue,
                status=status,
                resolution="Fixed and re-tested." if status == "resolved" else "",
            )
        if escalation:
            services.issue_escalate(actor=SYSTEM, issue=issue, level=escalation, reason=reason)


def _changes(today: dt.date) -> None:
    people = {p.name: p for p in Person.objects.all()}
    # Approved: the portfolio manager of Digital agreed a scope extension on the self-service portal.
    portal = Project.objects.get(code="DIG-002")
    approved = services.change_request_create(
        actor=SYSTEM,
        project=portal,
        title="Add document upload to the portal",
        description="Customers upload proofs of address and income directly in the portal.",
        reason="Call centre volume: 18 % of calls are about sending documents.",
        cost_impact=Decimal("85000"),
        schedule_impact_days=21,
        scope_impact="One more epic: document upload with virus scanning and retention rules.",
        benefits_impact="About 2,400 fewer calls a month.",
        requested_by=people["Robert Hale"],
    )
    last_task = Task.objects.filter(project=portal, is_summary=False, duration_minutes__gt=0).order_by("-position")
    task = last_task.first()
    if task is not None:  # the project manager re-planned for the extra work before the board met
        from pmo.planning import services as planning

        planning.task_update(actor=SYSTEM, task=task, duration_minutes=task.duration_minutes + 15 * 480)
    services.change_request_assess(
        actor=SYSTEM, change=approved, assessment="Fits after release 2; the team stays the same, three more weeks."
    )
    services.change_request_decide(
        actor=SYSTEM, change=approved, decision="approved", comment="Approved: pays back within a year."
    )
    # Awaiting the board: a vendor change on the data lakehouse.
    lakehouse = Project.objects.get(code="DIG-007")
    pending = services.change_request_create(
        actor=SYSTEM,
        project=lakehouse,
        title="Switch the ingestion tool vendor",
        description="Replace the current ingestion tool with the group standard.",
        reason="The current vendor ends support next year.",
        cost_impact=Decimal("42000"),
        schedule_impact_days=10,
        scope_impact="Re-build of 14 ingestion pipelines.",
        benefits_impact="Licence savings of 30,000 a year from next year.",
        requested_by=people["Ingrid Solberg"],
    )
    services.change_request_assess(
        actor=SYSTEM, change=pending, assessment="Recommended: do it now while pipelines are still few."
    )
    # Just raised on the warehouse system; not yet assessed.
    services.change_request_create(
        actor=SYSTEM,
        project=Project.objects.get(code="OPS-001"),
        title="Second warehouse site",
        description="Roll the system out to the Lyon warehouse as well.",
        reason="Lyon joins the network in spring.",
        cost_impact=Decimal("120000"),
        schedule_impact_days=45,
        requested_by=people["Samuel Adeyemi"],
    )


@transaction.atomic
def load_demo_changes(*, today: dt.date) -> int:
    """Load the status and change-control demo; returns the number of open deviations."""
    _thresholds()
    _issues(today)
    _changes(today)
    period = selectors.period_of(today)
    previous = selectors.previous_period(period)
    for project in Project.objects.filter(state__in=selectors.REPORTING_STATES).order_by("code"):
        _report(project, previous, submit=True)
        if project.code not in NOT_REPORTED or project.code in DRAFT_ONLY:
            _report(project, period, submit=project.code not in DRAFT_ONLY)
    # Every submission ran the deviation check of its project; the PMO runs it for all from the Deviations page.
    return selectors.deviations("active").count()
