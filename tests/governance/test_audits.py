"""Quality audits: checklists, scoring, findings closed by their corrective actions, compliance and its trend."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.governance import charts, selectors, services
from pmo.governance.models import Audit, AuditTemplate, Finding

QUESTIONS = [
    {"text": "The project follows its methodology's phases", "area": "method", "weight": 2},
    {"text": "The charter is approved", "area": "documentation", "weight": 1},
    {"text": "Gate decisions are recorded", "area": "governance", "weight": 1},
    {"text": "The risk register is reviewed monthly", "area": "governance", "weight": 3},
]


@pytest.fixture
def checklist(db: Any) -> AuditTemplate:
    return services.audit_template_create(
        actor=SYSTEM, name="Method compliance audit", type="audit", questions=QUESTIONS
    )


def run_audit(project: Any, template: AuditTemplate, ratings: list[str], on: dt.date, actor: Any = SYSTEM) -> Audit:
    audit = services.audit_create(actor=actor, project=project, template=template, planned_date=on)
    for answer, rating in zip(audit.answers.all(), ratings, strict=True):
        services.audit_answer(actor=actor, answer=answer, rating=rating)
    return services.audit_complete(actor=actor, audit=audit, summary="Checked", on=on)


def test_the_score_rule() -> None:
    assert services.score([("yes", 2), ("partly", 1), ("no", 1), ("na", 3)]) == Decimal("62.5")
    assert services.score([("yes", 1), ("yes", 1)]) == Decimal("100.0")
    assert services.score([("partly", 1), ("no", 2)]) == Decimal("16.7")
    assert services.score([("na", 1)]) is None


def test_an_audit_is_answered_then_completed_and_scored(org: dict[str, Any], checklist: AuditTemplate) -> None:
    audit = services.audit_create(actor=SYSTEM, project=org["p1"], template=checklist, planned_date="2026-12-01")
    assert [a.question.text for a in audit.answers.all()] == [q["text"] for q in QUESTIONS]
    with pytest.raises(ValidationFailed) as error:
        services.audit_complete(actor=SYSTEM, audit=audit)
    assert list(error.value.fields) == ["answers"]
    for answer, rating in zip(audit.answers.all(), ["yes", "partly", "na", "no"], strict=True):
        services.audit_answer(actor=SYSTEM, answer=answer, rating=rating)
    audit = services.audit_complete(actor=SYSTEM, audit=audit, summary="Risk reviews lapsed")
    # 2 x 1 + 1 x 0.5 + 3 x 0 over weights 2 + 1 + 3 = 2.5 / 6
    assert (audit.state, audit.score, audit.completed_on) == ("completed", Decimal("41.7"), dt.date(2026, 12, 3))
    with pytest.raises(Conflict):
        services.audit_answer(actor=SYSTEM, answer=audit.answers.first(), rating="no")
    assert selectors.compliance(org["p1"]) == audit


def test_a_finding_closes_when_its_actions_are_done(org: dict[str, Any], checklist: AuditTemplate, roles: Any) -> None:
    audit = run_audit(org["p1"], checklist, ["yes", "yes", "yes", "no"], dt.date(2026, 11, 20))
    pm = org["person"][Role.PROJECT_MANAGER]
    finding = services.finding_add(
        actor=roles[Role.PMO_ANALYST],
        audit=audit,
        title="Risk register not reviewed since August",
        severity="high",
        area="governance",
        owner=pm.pk,
        due_date="2026-12-15",
    )
    first = services.action_add(
        actor=roles[Role.PROJECT_MANAGER],
        finding=finding,
        description="Review the register",
        owner=pm,
        due_date="2026-12-10",
    )
    second = services.action_add(
        actor=roles[Role.PMO_ANALYST],
        finding=finding,
        description="Monthly review in the plan",
        owner=pm,
        due_date="2026-12-12",
    )
    services.action_close(actor=roles[Role.PROJECT_MANAGER], action=first)
    finding.refresh_from_db()
    assert finding.status == "open"
    services.action_close(actor=roles[Role.PROJECT_MANAGER], action=second)
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on) == ("closed", dt.date(2026, 12, 3))
    with pytest.raises(Conflict):
        services.action_close(actor=SYSTEM, action=second)
    # A new action reopens it.
    services.action_add(actor=SYSTEM, finding=finding, description="Again", owner=pm, due_date="2026-12-20")
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on) == ("open", None)


def test_bad_finding_input_names_the_field(org: dict[str, Any], checklist: AuditTemplate) -> None:
    audit = run_audit(org["p1"], checklist, ["yes", "yes", "yes", "yes"], dt.date(2026, 11, 20))
    with pytest.raises(ValidationFailed) as error:
        services.finding_add(actor=SYSTEM, audit=audit, title="X", owner=None, due_date="2026-12-01")
    assert error.value.fields == {"owner": ["Choose a person."]}
    with pytest.raises(ValidationFailed) as error:
        services.finding_add(
            actor=SYSTEM, audit=audit, title="X", owner=org["person"][Role.PROJECT_MANAGER], due_date="soon"
        )
    assert error.value.fields == {"due_date": ["Give a date (YYYY-MM-DD)."]}
    assert Finding.objects.count() == 0


def test_compliance_trend_per_portfolio(org: dict[str, Any], checklist: AuditTemplate) -> None:
    run_audit(org["p1"], checklist, ["yes", "no", "no", "no"], dt.date(2026, 9, 10))  # 2/7 = 28.6
    run_audit(org["p2"], checklist, ["yes", "yes", "yes", "yes"], dt.date(2026, 10, 5))  # 100
    run_audit(org["p1"], checklist, ["yes", "yes", "yes", "partly"], dt.date(2026, 11, 25))  # 5.5/7 = 78.6
    trend = selectors.compliance_trend(portfolio=org["portfolio"], today=dt.date(2026, 12, 3), months=5)
    assert trend == [
        (dt.date(2026, 8, 31), None),
        (dt.date(2026, 9, 30), Decimal("28.6")),
        (dt.date(2026, 10, 31), Decimal("64.3")),
        (dt.date(2026, 11, 30), Decimal("89.3")),
        (dt.date(2026, 12, 31), Decimal("89.3")),
    ]
    svg = str(charts.trend_svg(trend))
    assert svg.startswith('<svg class="governance-trend"')
    assert svg.count("<circle") == 4
    assert svg.count("<polyline") == 1
    assert "<script" not in svg
    assert selectors.compliance_trend(portfolio=org["other_portfolio"], today=dt.date(2026, 12, 3), months=2) == [
        (dt.date(2026, 11, 30), None),
        (dt.date(2026, 12, 31), None),
    ]
