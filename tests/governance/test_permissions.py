"""Who may do what in governance, through the one `can` every page and endpoint asks; refused writes change
nothing."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.access import SYSTEM, can
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.governance import services
from pmo.governance.models import (
    Audit,
    AuditTemplate,
    CorrectiveAction,
    GateCondition,
    GateReview,
    Methodology,
    MethodologyVersion,
    ProjectMethodology,
)
from tests.governance.conftest import answer_all, build_methodology

R = Role


@pytest.fixture
def world(on_hybrid: dict[str, Any], roles: Any) -> dict[str, Any]:
    p1 = on_hybrid["p1"]
    review = GateReview.objects.get(project=p1, state="open")
    reviewer = services.reviewer_add(actor=SYSTEM, review=review, person=on_hybrid["person"][R.TEAM_MEMBER], role="QA")
    template = services.audit_template_create(actor=SYSTEM, name="Audit", questions=[{"text": "Q", "weight": 1}])
    audit = services.audit_create(actor=SYSTEM, project=p1, template=template, planned_date="2026-12-01")
    finding = services.finding_add(
        actor=SYSTEM, audit=audit, title="F", owner=on_hybrid["person"][R.TEAM_MEMBER], due_date="2026-12-20"
    )
    action = services.action_add(
        actor=SYSTEM, finding=finding, description="A", owner=on_hybrid["person"][R.TEAM_MEMBER], due_date="2026-12-20"
    )
    draft = services.version_draft(actor=SYSTEM, methodology=on_hybrid["hybrid"].methodology)
    return {**on_hybrid, "review": review, "reviewer": reviewer, "audit": audit, "action": action, "draft": draft}


@pytest.mark.parametrize(
    ("role", "action", "target", "allowed"),
    [
        (R.PMO_DIRECTOR, "publish_version", "draft", True),
        (R.PMO_ANALYST, "change", "draft", True),
        (R.PMO_ANALYST, "publish_version", "draft", False),
        (R.PORTFOLIO_MANAGER, "change", "draft", False),
        (R.REQUESTER, "view", "draft", True),
        (R.PORTFOLIO_MANAGER, "gate_decide", "review", True),
        (R.PMO_DIRECTOR, "gate_decide", "review", True),
        (R.PROJECT_MANAGER, "gate_decide", "review", False),
        (R.PMO_ANALYST, "gate_decide", "review", False),
        (R.EXECUTIVE, "gate_decide", "review", False),
        (R.PROJECT_MANAGER, "change", "review", True),
        (R.PMO_ANALYST, "change", "review", True),
        (R.PROJECT_ADMINISTRATOR, "change", "review", False),
        (R.EXECUTIVE, "view", "review", True),
        (R.REQUESTER, "view", "review", False),
        (R.TEAM_MEMBER, "gate_vote", "reviewer", True),  # named reviewer
        (R.EXECUTIVE, "gate_vote", "reviewer", False),
        (R.PROJECT_MANAGER, "gate_vote", "reviewer", False),
        (R.PMO_ANALYST, "change", "audit", True),
        (R.PORTFOLIO_MANAGER, "change", "audit", True),
        (R.PROJECT_MANAGER, "change", "audit", False),
        (R.TEAM_MEMBER, "close_action", "action", True),  # its owner
        (R.EXECUTIVE, "close_action", "action", False),
        (R.PROJECT_MANAGER, "add", "action", True),
        (R.RESOURCE_MANAGER, "view", "audit", True),
    ],
)
def test_matrix(world: dict[str, Any], roles: Any, role: Role, action: str, target: str, allowed: bool) -> None:
    if role not in roles:
        from tests.conftest import make_user

        roles[role] = make_user("resources", role)
    assert can(roles[role], action, world[target]) is allowed


def test_another_projects_manager_cannot_prepare_its_gate(world: dict[str, Any], roles: Any) -> None:
    p2_review = GateReview.objects.get(project=world["p2"], state="open")
    assert can(roles[R.PROJECT_MANAGER], "change", p2_review) is False
    with pytest.raises(PermissionDenied):
        services.criterion_answer(actor=roles[R.PROJECT_MANAGER], answer=p2_review.answers.first(), value="met")
    assert list(p2_review.answers.values_list("answer", flat=True)) == ["", ""]


def test_a_refused_decision_changes_nothing(world: dict[str, Any], roles: Any) -> None:
    review = world["review"]
    answer_all(review)
    events = AuditEvent.objects.count()
    for role in (R.PROJECT_MANAGER, R.PMO_ANALYST, R.EXECUTIVE, R.TEAM_MEMBER):
        with pytest.raises(PermissionDenied):
            services.gate_decide(actor=roles[role], review=review, decision="kill", comment="Stop")
    review.refresh_from_db()
    world["p1"].refresh_from_db()
    assert (review.state, world["p1"].state) == ("open", "proposed")
    assert AuditEvent.objects.count() == events


def test_refused_library_writes_change_nothing(world: dict[str, Any], roles: Any) -> None:
    draft = world["draft"]
    with pytest.raises(PermissionDenied):
        services.version_publish(actor=roles[R.PMO_ANALYST], version=draft)
    with pytest.raises(PermissionDenied):
        services.phase_add(actor=roles[R.PROJECT_MANAGER], version=draft, name="X", gate_name="Y")
    with pytest.raises(PermissionDenied):
        services.methodology_create(actor=roles[R.EXECUTIVE], name="Mine", kind="agile")
    draft.refresh_from_db()
    assert (draft.state, draft.phases.count(), Methodology.objects.count()) == ("draft", 2, 1)


def test_refused_votes_conditions_and_audits_change_nothing(world: dict[str, Any], roles: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.gate_vote(actor=roles[R.EXECUTIVE], reviewer=world["reviewer"], vote="go")
    world["reviewer"].refresh_from_db()
    assert world["reviewer"].vote == ""
    with pytest.raises(PermissionDenied):
        services.audit_complete(actor=roles[R.PROJECT_MANAGER], audit=world["audit"])
    with pytest.raises(PermissionDenied):
        services.action_close(actor=roles[R.EXECUTIVE], action=world["action"])
    with pytest.raises(PermissionDenied):
        services.audit_template_create(actor=roles[R.PROJECT_MANAGER], name="Mine")
    assert Audit.objects.get().state == "planned"
    assert CorrectiveAction.objects.get().status == "open"
    assert AuditTemplate.objects.count() == 1


def test_a_portfolio_manager_decides_only_in_their_portfolio(org: dict[str, Any], roles: Any) -> None:
    from pmo.portfolio import services as portfolio_services

    hybrid = build_methodology()
    elsewhere = portfolio_services.project_create(
        actor=SYSTEM, code="X1", name="Elsewhere", portfolio=org["other_portfolio"]
    )
    services.project_methodology_set(actor=SYSTEM, project=elsewhere, version=hybrid)
    review = GateReview.objects.get(project=elsewhere)
    assert can(roles[R.PORTFOLIO_MANAGER], "gate_decide", review) is False
    other = portfolio_services.project_create(actor=SYSTEM, code="X2", name="Also", portfolio=org["other_portfolio"])
    with pytest.raises(PermissionDenied):
        services.project_methodology_set(actor=roles[R.PORTFOLIO_MANAGER], project=other, version=hybrid)
    assert ProjectMethodology.objects.count() == 1
    assert GateCondition.objects.count() == 0
    assert MethodologyVersion.objects.count() == 1
