"""The issue log: overdue issues, escalation to the program or portfolio, and who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from pmo.changes import selectors, services
from pmo.changes.models import Issue, Notification
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.portfolio import services as portfolio_services


def test_issue_log_overdue_and_escalation(org, roles):
    pm = roles[Role.PROJECT_MANAGER]
    program = org["program"]
    portfolio_services.program_update(actor=SYSTEM, program=program, manager=org["person"][Role.PORTFOLIO_MANAGER])
    issue = services.issue_create(
        actor=pm,
        project=org["p1"],
        title="Test environment down",
        owner=org["person"][Role.TEAM_MEMBER],
        priority=1,
        due_date=dt.date(2026, 3, 1),
    )
    assert selectors.is_overdue(issue, today=dt.date(2026, 3, 2))
    assert not selectors.is_overdue(issue, today=dt.date(2026, 3, 1))
    assert selectors.open_high_issues(org["p1"]) == 1
    with pytest.raises(ValidationFailed) as error:
        services.issue_escalate(actor=pm, issue=issue, level="program")
    assert error.value.fields == {"escalation_reason": ["Say what you need from the program or portfolio."]}
    services.issue_escalate(actor=pm, issue=issue, level="program", reason="Need the shared test lab")
    assert list(selectors.escalated_issues(program=program)) == [issue]
    assert list(selectors.escalated_issues(portfolio=org["portfolio"])) == []
    assert Notification.objects.get().message == "P1 escalated an issue to the program: Test environment down"
    assert Notification.objects.get().recipient == roles[Role.PORTFOLIO_MANAGER]
    services.issue_escalate(actor=pm, issue=issue, level="portfolio", reason="Budget for a second lab")
    assert list(selectors.escalated_issues(portfolio=org["portfolio"])) == [issue]
    assert list(selectors.escalated_issues(program=program)) == [issue]
    # Resolving needs a resolution; a resolved issue leaves the escalation lists and is no longer overdue.
    with pytest.raises(ValidationFailed):
        services.issue_update(actor=pm, issue=issue, status="resolved")
    services.issue_update(actor=pm, issue=issue, status="resolved", resolution="Lab restored")
    assert not selectors.is_overdue(issue, today=dt.date(2026, 3, 2))
    assert list(selectors.escalated_issues(portfolio=org["portfolio"])) == []
    assert selectors.open_high_issues(org["p1"]) == 0
    with pytest.raises(Conflict):
        services.issue_escalate(actor=pm, issue=issue, level="portfolio", reason="again")


def test_no_program_no_program_escalation(org, roles):
    issue = services.issue_create(actor=roles[Role.PMO_DIRECTOR], project=org["p2"], title="Licences")
    with pytest.raises(ValidationFailed) as error:
        services.issue_escalate(actor=roles[Role.PMO_DIRECTOR], issue=issue, level="program", reason="x")
    assert error.value.fields == {"escalation": ["P2 belongs to no program: escalate to the portfolio."]}


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.TEAM_MEMBER, Role.PROJECT_ADMINISTRATOR, Role.REQUESTER])
def test_denied_issue_writes_change_nothing(org, roles, role):
    with pytest.raises(PermissionDenied):
        services.issue_create(actor=roles[role], project=org["p1"], title="Nope")
    issue = services.issue_create(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], title="Mine")
    with pytest.raises(PermissionDenied):
        services.issue_update(actor=roles[role], issue=issue, title="Changed")
    with pytest.raises(PermissionDenied):
        services.issue_escalate(actor=roles[role], issue=issue, level="portfolio", reason="x")
    issue.refresh_from_db()
    assert (issue.title, issue.escalation, issue.version) == ("Mine", "", 1)
    assert Issue.objects.count() == 1


def test_other_project_managers_cannot_log_on_my_project(org):
    with pytest.raises(PermissionDenied):
        services.issue_create(actor=org["other_pm"], project=org["p1"], title="Nope")
    assert not Issue.objects.exists()
