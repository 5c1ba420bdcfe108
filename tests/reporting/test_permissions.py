"""Who may do what in reporting (the matrix of docs/roles.md), and the doctests of the app's helpers."""

import doctest
from typing import Any

import pytest

from pmo.core.access import can
from pmo.core.roles import Role
from pmo.reporting import exports, money, services
from pmo.reporting.models import ReportArchive, ReportSubscription
from tests.conftest import make_user

SEES = {Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.PMO_ANALYST, Role.PROJECT_MANAGER}
SEES |= {Role.PROJECT_ADMINISTRATOR, Role.EXECUTIVE, Role.RESOURCE_MANAGER}
PRODUCES = {Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.PMO_ANALYST, Role.PROJECT_MANAGER, Role.EXECUTIVE}


@pytest.mark.parametrize("role", list(Role))
def test_the_matrix(roles: dict[Role, Any], role: Role) -> None:
    user = roles[role] if role in roles else make_user("resources", role)
    assert can(user, "view_dashboard", ReportArchive) == (role in SEES)
    assert can(user, "produce_report", ReportArchive) == (role in PRODUCES)
    assert can(user, "add", ReportSubscription) == (role in SEES)
    assert can(user, "run_subscriptions", ReportArchive) == (role == Role.PMO_DIRECTOR)


def test_archive_rule(roles: dict[Role, Any]) -> None:
    mine = ReportArchive(created_by=roles[Role.PROJECT_MANAGER])
    assert can(roles[Role.PROJECT_MANAGER], "view", mine)
    assert can(roles[Role.EXECUTIVE], "view", mine)
    assert not can(roles[Role.PROJECT_ADMINISTRATOR], "view", mine)
    assert not can(roles[Role.TEAM_MEMBER], "view", mine)


@pytest.mark.parametrize("module", [money, services, exports])
def test_doctests(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
