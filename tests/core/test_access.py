"""The role matrix of docs/roles.md, checked through the one function every page and endpoint uses."""

import pytest

from pmo.core.access import SYSTEM, can
from pmo.core.roles import Role
from pmo.portfolio.models import Portfolio, Project, StrategicObjective
from pmo.resources.models import OrgUnit, Person

R = Role

# (role, action, target name) -> allowed; targets: "p1" (own project of the pm), "p2" (someone else's),
# "portfolio" (managed by the portfolio manager), "other_portfolio".
MATRIX = [
    (R.PMO_DIRECTOR, "change", "p2", True),
    (R.PMO_DIRECTOR, "delete", "p2", True),
    (R.PMO_DIRECTOR, "approve", "p2", True),
    (R.PMO_DIRECTOR, "change", "other_portfolio", True),
    (R.PORTFOLIO_MANAGER, "change", "p2", True),
    (R.PORTFOLIO_MANAGER, "cancel", "p2", True),
    (R.PORTFOLIO_MANAGER, "change", "portfolio", True),
    (R.PORTFOLIO_MANAGER, "change", "other_portfolio", False),
    (R.PORTFOLIO_MANAGER, "delete", "portfolio", False),
    (R.PMO_ANALYST, "view", "p2", True),
    (R.PMO_ANALYST, "change", "p2", False),
    (R.PROJECT_MANAGER, "change", "p1", True),
    (R.PROJECT_MANAGER, "transition", "p1", True),
    (R.PROJECT_MANAGER, "approve", "p1", False),
    (R.PROJECT_MANAGER, "cancel", "p1", False),
    (R.PROJECT_MANAGER, "delete", "p1", True),  # still proposed
    (R.PROJECT_MANAGER, "change", "p2", False),
    (R.PROJECT_MANAGER, "view_history", "p2", True),
    (R.PROJECT_ADMINISTRATOR, "change", "p2", True),
    (R.PROJECT_ADMINISTRATOR, "delete", "p2", False),
    (R.PROJECT_ADMINISTRATOR, "approve", "p2", False),
    (R.EXECUTIVE, "view", "p2", True),
    (R.EXECUTIVE, "view_financials", "p2", True),
    (R.EXECUTIVE, "change", "p2", False),
    (R.EXECUTIVE, "change", "portfolio", False),
    (R.TEAM_MEMBER, "view", "p1", True),
    (R.TEAM_MEMBER, "change", "p1", False),
    (R.REQUESTER, "view", "p1", True),
    (R.REQUESTER, "view_financials", "p1", False),
    (R.REQUESTER, "view_history", "p1", False),
    (R.REQUESTER, "change", "p1", False),
]


@pytest.mark.parametrize(("role", "action", "target", "allowed"), MATRIX)
def test_object_rules(roles, org, role, action, target, allowed):
    assert can(roles[role], action, org[target]) is allowed


def test_project_manager_may_delete_own_project_only_while_proposed(roles, org):
    project = org["p1"]
    project.state = "executing"
    assert can(roles[R.PROJECT_MANAGER], "delete", project) is False


def test_project_manager_creates_projects_only_as_their_manager(roles, org):
    pm = roles[R.PROJECT_MANAGER]
    assert can(pm, "add", Project(portfolio=org["portfolio"], manager=pm.person)) is True
    assert can(pm, "add", Project(portfolio=org["portfolio"], manager=org["other_pm"].person)) is False


def test_portfolio_manager_adds_projects_only_in_own_portfolio(roles, org):
    manager = roles[R.PORTFOLIO_MANAGER]
    assert can(manager, "add", Project(portfolio=org["portfolio"])) is True
    assert can(manager, "add", Project(portfolio=org["other_portfolio"])) is False


@pytest.mark.parametrize(
    ("role", "model", "action", "allowed"),
    [
        (R.REQUESTER, Person, "view", False),
        (R.REQUESTER, OrgUnit, "view", False),
        (R.REQUESTER, StrategicObjective, "view", True),
        (R.PROJECT_ADMINISTRATOR, Person, "add", True),
        (R.PROJECT_ADMINISTRATOR, OrgUnit, "change", True),
        (R.PROJECT_ADMINISTRATOR, StrategicObjective, "add", False),
        (R.PMO_DIRECTOR, StrategicObjective, "delete", True),
        (R.PORTFOLIO_MANAGER, Portfolio, "add", False),
        (R.EXECUTIVE, Project, "add", False),
        (R.TEAM_MEMBER, Person, "change", False),
    ],
)
def test_model_level_rules(roles, role, model, action, allowed):
    assert can(roles[role], action, model) is allowed


def test_no_role_no_access(db, org):
    from django.contrib.auth.models import AnonymousUser, User

    nobody = User.objects.create_user(username="nobody", password="x")
    assert can(nobody, "view", org["p1"]) is False
    assert can(AnonymousUser(), "view", Project) is False
    assert can(SYSTEM, "delete", org["p1"]) is True


def test_inactive_user_is_refused(roles, org):
    director = roles[R.PMO_DIRECTOR]
    director.is_active = False
    assert can(director, "view", org["p1"]) is False
