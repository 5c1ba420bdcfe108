"""Who may do what with risks, through the one `can` every page and endpoint asks; refused writes change
nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from pmo.changes.models import Issue, Notification
from pmo.core.access import can
from pmo.core.roles import Role
from pmo.risks import services
from pmo.risks.models import Risk, RiskAction, RiskAssessment, RiskScale, RiskTaskImpact
from tests.risks.conftest import add_risk

R = Role


@pytest.fixture
def mine(team, roles):
    pm = roles[R.PROJECT_MANAGER]
    risk = add_risk(pm, team["p1"], "Mine", p=3, i=3)
    action = services.risk_action_create(actor=pm, risk=risk, description="Do it", owner=team["person"][R.TEAM_MEMBER])
    return {**team, "risk": risk, "action": action}


@pytest.mark.parametrize(
    ("role", "action", "target", "allowed"),
    [
        (R.PMO_DIRECTOR, "change", "risk", True),
        (R.PORTFOLIO_MANAGER, "change", "risk", True),
        (R.PORTFOLIO_MANAGER, "rate", "risk", True),
        (R.PMO_ANALYST, "view", "risk", True),
        (R.PMO_ANALYST, "change", "risk", False),
        (R.PROJECT_MANAGER, "change", "risk", True),
        (R.PROJECT_MANAGER, "occur", "risk", True),
        (R.PROJECT_ADMINISTRATOR, "view", "risk", True),
        (R.PROJECT_ADMINISTRATOR, "change", "risk", False),
        (R.EXECUTIVE, "view", "risk", True),
        (R.EXECUTIVE, "rate", "risk", False),
        (R.TEAM_MEMBER, "view", "risk", True),  # works on P1
        (R.TEAM_MEMBER, "change", "risk", False),
        (R.TEAM_MEMBER, "progress", "action", True),  # own action
        (R.TEAM_MEMBER, "change", "action", False),
        (R.EXECUTIVE, "progress", "action", False),
        (R.REQUESTER, "view", "risk", False),
        (R.REQUESTER, "view", "action", False),
    ],
)
def test_matrix(mine, roles, role, action, target, allowed):
    assert can(roles[role], action, mine[target]) is allowed


def test_scope_of_each_lead(mine, roles):
    other = add_risk(roles[R.PMO_DIRECTOR], mine["p2"], "Not mine")
    assert not can(roles[R.PROJECT_MANAGER], "change", other)
    assert not can(roles[R.TEAM_MEMBER], "view", other)  # not on P2
    assert can(roles[R.PORTFOLIO_MANAGER], "change", other)  # P2 is in their portfolio
    assert can(mine["other_pm"], "change", other)
    program_risk = Risk(program=mine["program"])
    portfolio_risk = Risk(portfolio=mine["portfolio"])
    assert can(roles[R.PORTFOLIO_MANAGER], "add", program_risk)  # manages the portfolio (and, here, the program)
    assert not can(roles[R.PROJECT_MANAGER], "add", program_risk)
    assert not can(roles[R.PROJECT_MANAGER], "add", portfolio_risk)
    assert can(roles[R.PORTFOLIO_MANAGER], "change", RiskScale(portfolio=mine["portfolio"]))
    assert not can(roles[R.PORTFOLIO_MANAGER], "change", RiskScale(portfolio=mine["other_portfolio"]))
    assert can(roles[R.PMO_ANALYST], "check", RiskAction())
    assert not can(roles[R.PROJECT_MANAGER], "check", RiskAction())


@pytest.mark.parametrize(
    "role", [R.EXECUTIVE, R.TEAM_MEMBER, R.PROJECT_ADMINISTRATOR, R.PMO_ANALYST, R.REQUESTER, "other_pm"]
)
def test_denied_writes_change_nothing(mine, roles, role):
    user = mine["other_pm"] if role == "other_pm" else roles[role]
    risk, action = mine["risk"], mine["action"]
    attempts = [
        lambda: add_risk(user, mine["p1"], "Nope"),
        lambda: services.risk_update(actor=user, risk=risk, title="Changed"),
        lambda: services.risk_update(actor=user, risk=risk, status="closed"),
        lambda: services.risk_rate(actor=user, risk=risk, probability=5, impact=5),
        lambda: services.risk_occur(actor=user, risk=risk),
        lambda: services.risk_action_create(actor=user, risk=risk, description="Nope"),
        lambda: services.risk_action_update(actor=user, action=action, description="Changed"),
        lambda: services.risk_task_impact_set(actor=user, risk=risk, task=mine["build"], likely_days=3, max_days=5),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    risk.refresh_from_db()
    action.refresh_from_db()
    assert (risk.title, risk.score, risk.status, risk.version) == ("Mine", 9, "open", 1)
    assert (action.description, action.version) == ("Do it", 1)
    assert Risk.objects.count() == 1 and RiskAssessment.objects.count() == 1 and RiskAction.objects.count() == 1
    assert not Issue.objects.exists() and not RiskTaskImpact.objects.exists() and not Notification.objects.exists()
