"""The governance demo: loaded with the rest of the demo portfolio, deterministic, and showing each feature."""

import datetime as dt
from decimal import Decimal

from pmo.core.roles import sync_role_groups
from pmo.demo import load_demo
from pmo.documents.models import DocumentBaseline
from pmo.governance import selectors
from pmo.governance.models import (
    Audit,
    CorrectiveAction,
    Finding,
    GateCondition,
    GateReview,
    MethodologyVersion,
    ProjectMethodology,
)
from pmo.knowledge.models import Closure
from pmo.portfolio.models import Portfolio, Project


def test_demo_governance(db):
    sync_role_groups()
    today = dt.date(2026, 12, 3)
    load_demo(today=today)
    assert [(str(v), v.state) for v in MethodologyVersion.objects.order_by("methodology__name", "number")] == [
        ("Agile delivery v1", "published"),
        ("Hybrid delivery v1", "published"),
        ("Waterfall stage-gate v1", "published"),
        ("Waterfall stage-gate v2", "published"),
    ]
    # Every running project but OPS-012 follows a methodology; DIG-014 kept its record after the kill.
    running = Project.objects.filter(
        state__in=("approved", "initiating", "planning", "executing", "on_hold", "closing")
    )
    assert sorted(running.filter(governance__isnull=True).values_list("code", flat=True)) == ["OPS-012"]
    assert ProjectMethodology.objects.get(project__code="DIG-007").methodology_version.number == 1  # kept v1
    assert ProjectMethodology.objects.get(project__code="DIG-012").methodology_version.number == 2
    dig1 = selectors.gate_status(Project.objects.get(code="DIG-001"), today=today)
    assert (dig1.phase.name, dig1.review.phase.gate_name, dig1.days_to_gate) == ("Delivery", "Release readiness", 12)
    # Go with conditions, two still open.
    dig3 = GateReview.objects.get(project__code="DIG-003", phase__order=1)
    assert dig3.decision == "go_conditions"
    assert sorted(dig3.conditions.values_list("status", flat=True)) == ["done", "open", "open"]
    # Overdue and upcoming gates.
    overdue = [(r.project.code, r.planned_date) for r in selectors.open_reviews() if r.planned_date < today]
    assert overdue == [("OPS-002", dt.date(2026, 11, 24))]
    assert GateReview.objects.filter(state="open", planned_date__gte=today).count() == 28
    # DIG-014 killed at its design review, its closure opened.
    kill = GateReview.objects.get(decision="kill")
    assert (kill.project.code, kill.phase.gate_name, kill.decided_on) == (
        "DIG-014",
        "Design review",
        dt.date(2026, 11, 21),
    )
    assert Project.objects.get(code="DIG-014").state == "cancelled"
    assert Closure.objects.get(project__code="DIG-014").killed is True
    assert [v for v in kill.reviewers.order_by("person__name").values_list("vote", flat=True)] == [
        "kill",
        "kill",
        "recycle",
    ]
    assert DocumentBaseline.objects.filter(label__startswith="Gate: ").count() >= 46  # one per passed gate
    # Audits: scored over eight months, the Digital trend improving.
    assert Audit.objects.filter(state="completed").count() == 14
    assert Audit.objects.filter(state="planned").count() == 2
    trend = selectors.compliance_trend(portfolio=Portfolio.objects.get(code="DIG"), today=today, months=8)
    assert [score for _, score in trend] == [
        Decimal("60.0"),
        Decimal("66.4"),
        Decimal("72.3"),
        Decimal("81.4"),
        Decimal("83.7"),
        Decimal("87.1"),
        Decimal("87.7"),
        Decimal("87.7"),
    ]
    assert sorted(Finding.objects.values_list("project__code", "status")) == [
        ("DIG-001", "open"),
        ("DIG-007", "closed"),
        ("OPS-002", "open"),
    ]
    assert CorrectiveAction.objects.get(finding__project__code="DIG-007").status == "done"
    assert GateCondition.objects.filter(status="open").count() == 2
