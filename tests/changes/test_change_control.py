"""Change control: raised, assessed by the project manager, decided by the change board. An approved change
moves the budget and the planned finish and freezes a new baseline linked to it; denied calls change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.changes import selectors, services
from pmo.changes.models import ChangeRequest, Notification
from pmo.core.audit import history_of
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.planning.models import Baseline
from pmo.portfolio.models import Project
from tests.changes.conftest import BUDGET, slip


def _raise(planned, roles, **extra):
    pm = roles[Role.PROJECT_MANAGER]
    fields = {
        "title": "Regulatory reporting module",
        "description": "Add the monthly regulator report.",
        "reason": "New regulation from 1 April.",
        "cost_impact": Decimal("50000.00"),
        "schedule_impact_days": 14,
        "scope_impact": "One more module.",
        "benefits_impact": "Avoids fines.",
        "requested_by": planned["person"][Role.EXECUTIVE],
        **extra,
    }
    return services.change_request_create(actor=pm, project=planned["p1"], **fields)


def test_an_approved_change_moves_budget_and_creates_a_baseline(planned, roles):
    pm, pfm = roles[Role.PROJECT_MANAGER], roles[Role.PORTFOLIO_MANAGER]
    change = _raise(planned, roles)
    assert (change.code, change.state) == ("CR-0001", "draft")
    with pytest.raises(Conflict):
        services.change_request_decide(actor=pfm, change=change, decision="approved", comment="Too early")
    services.change_request_assess(actor=pm, change=change, assessment="Two more weeks of build; low risk.")
    assert change.state == "assessed" and change.assessed_by == pm
    assert selectors.pending_changes(planned["p1"]) == 1
    assert list(selectors.board_queue(pfm)) == [change]
    # The board hears of it: the PMO director and the portfolio manager.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"director", "portfolio"}
    slip(planned["a"], 15)  # the project manager re-planned: the go-live is 10 working days later
    with pytest.raises(ValidationFailed) as error:
        services.change_request_decide(actor=pfm, change=change, decision="approved", comment=" ")
    assert error.value.fields == {"comment": ["Give the board's reasons."]}
    services.change_request_decide(actor=pfm, change=change, decision="approved", comment="Needed by law.")
    change.refresh_from_db()
    project = Project.objects.get(pk=planned["p1"].pk)
    assert project.budget == Decimal("1300000.00")
    assert project.planned_finish == dt.date(2027, 1, 1)
    assert (change.state, change.decided_by, change.decision_comment) == ("approved", pfm, "Needed by law.")
    assert (change.budget_before, change.budget_after) == (BUDGET, Decimal("1300000.00"))
    assert (change.finish_before, change.finish_after) == (dt.date(2026, 12, 18), dt.date(2027, 1, 1))
    baseline = Baseline.objects.get(project=project, name="CR-0001 Regulatory reporting module")
    assert change.baseline == baseline and change.previous_baseline == planned["baseline"]
    assert baseline.finish - planned["baseline"].finish == dt.timedelta(days=14)  # 10 working days = 2 weeks
    assert baseline.tasks.count() == 4
    [row] = selectors.variance_history(project)
    assert (row.change, row.budget_delta, row.finish_delta_days) == (change, Decimal("50000.00"), 14)
    assert (row.baseline_finish_before, row.baseline_finish_after) == (planned["baseline"].finish, baseline.finish)
    # The new baseline is the reference now: no slip any more.
    assert selectors.milestone_slip_days(project) == 0.0
    # Audited: the change request's decision and the project's budget and dates.
    assert history_of(change).first().comment == "Needed by law."
    budget_event = history_of(project).filter(changes__has_key="budget").first()
    assert budget_event.changes["budget"] == {"old": "1250000.00", "new": "1300000.00"}
    assert Notification.objects.filter(recipient=pm).get().message == (
        "The change board approved CR-0001: Regulatory reporting module"
    )
    with pytest.raises(Conflict):
        services.change_request_decide(actor=pfm, change=change, decision="rejected", comment="Changed my mind")


@pytest.mark.parametrize(
    "who", [Role.PROJECT_MANAGER, Role.EXECUTIVE, Role.PMO_ANALYST, Role.TEAM_MEMBER, Role.REQUESTER, "other_pm"]
)
def test_only_the_board_decides_and_a_denied_decision_changes_nothing(planned, roles, who):
    change = _raise(planned, roles)
    services.change_request_assess(actor=roles[Role.PROJECT_MANAGER], change=change, assessment="Fine.")
    user = planned["other_pm"] if who == "other_pm" else roles[who]
    events = history_of(change).count()
    with pytest.raises(PermissionDenied):
        services.change_request_decide(actor=user, change=change, decision="approved", comment="Yes")
    change.refresh_from_db()
    assert change.state == "assessed" and change.decided_by is None and change.baseline is None
    assert Project.objects.get(pk=planned["p1"].pk).budget == BUDGET
    assert Baseline.objects.filter(project=planned["p1"]).count() == 1
    assert history_of(change).count() == events


def test_a_portfolio_manager_decides_only_in_own_portfolio(planned, roles):
    from pmo.core.access import can

    change = _raise(planned, roles)
    assert can(roles[Role.PORTFOLIO_MANAGER], "decide", change)
    assert can(roles[Role.PMO_DIRECTOR], "decide", change)
    Project.objects.filter(pk=planned["p1"].pk).update(portfolio=planned["other_portfolio"])
    change = ChangeRequest.objects.get(pk=change.pk)
    assert not can(roles[Role.PORTFOLIO_MANAGER], "decide", change)


def test_reject_and_defer_leave_budget_and_plan(planned, roles):
    pm, director = roles[Role.PROJECT_MANAGER], roles[Role.PMO_DIRECTOR]
    change = _raise(planned, roles)
    services.change_request_assess(actor=pm, change=change, assessment="Fine.")
    services.change_request_decide(actor=director, change=change, decision="deferred", comment="Next quarter")
    assert change.state == "deferred"
    services.change_request_update(actor=pm, change=change, cost_impact=Decimal("30000"))
    services.change_request_assess(actor=pm, change=change, assessment="Cheaper now.")
    services.change_request_decide(actor=director, change=change, decision="rejected", comment="Not worth it")
    assert change.state == "rejected"
    assert Project.objects.get(pk=planned["p1"].pk).budget == BUDGET
    assert Baseline.objects.filter(project=planned["p1"]).count() == 1
    assert selectors.variance_history(planned["p1"]) == []
    with pytest.raises(Conflict):
        services.change_request_update(actor=pm, change=change, title="Again")


def test_a_change_cannot_take_the_budget_below_zero(planned, roles):
    change = _raise(planned, roles, cost_impact=Decimal("-2000000"))
    services.change_request_assess(actor=roles[Role.PROJECT_MANAGER], change=change, assessment="Descope.")
    with pytest.raises(ValidationFailed) as error:
        services.change_request_decide(actor=roles[Role.PMO_DIRECTOR], change=change, decision="approved", comment="ok")
    assert error.value.fields == {"cost_impact": ["The budget would fall below zero (-750000.00)."]}
    change.refresh_from_db()
    assert change.state == "assessed"
    assert Project.objects.get(pk=planned["p1"].pk).budget == BUDGET
    assert Baseline.objects.filter(project=planned["p1"]).count() == 1


def test_only_project_leads_raise_and_assess(planned, roles):
    for user in (planned["other_pm"], roles[Role.EXECUTIVE], roles[Role.TEAM_MEMBER]):
        with pytest.raises(PermissionDenied):
            services.change_request_create(actor=user, project=planned["p1"], title="x")
    change = _raise(planned, roles)
    with pytest.raises(PermissionDenied):
        services.change_request_assess(actor=planned["other_pm"], change=change, assessment="x")
    change.refresh_from_db()
    assert change.state == "draft" and ChangeRequest.objects.count() == 1
