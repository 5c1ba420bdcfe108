"""Scenarios: the optimiser picks the best set within this year's budget and the team's capacity, explains
what it left out, draws the frontier; two scenarios compare; approving one turns its picks into projects."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.errors import Conflict
from pmo.core.roles import Role
from pmo.portfolio.models import Project
from pmo.selection import optimisation, scenarios, services
from pmo.selection.models import Proposal, Scenario


def make(actor, org, title, cost, benefit, developers, objective_rating):
    p = services.proposal_create(
        actor=actor,
        title=title,
        problem="x",
        portfolio=org["portfolio"],
        sponsor=org["person"][Role.EXECUTIVE],
        earliest_start=__import__("datetime").date(2027, 1, 1),
        duration_months=3,
    )
    services.proposal_business_case_update(
        actor=actor,
        proposal=p,
        cash_flows=[services.CashFlowRow(0, Decimal(cost), Decimal(0), Decimal(benefit))],
        demands=[services.DemandRow("Developer", Decimal(developers), 0, 3)],
        contributions=[(org["objective"], objective_rating)],
    )
    services.proposal_transition(actor=actor, proposal=p, to_state="submitted")
    return p


@pytest.fixture
def pipeline(roles, org):
    """Three proposals for 2027. NPV (year 0 only) = benefit - cost: A 500, B 400, C 300.
    Costs 600, 500, 400 against a budget of 1000; developers 2, 1, 2 against 3 available."""
    requester = roles[Role.REQUESTER]
    return [
        make(requester, org, "A", 600, 1100, 2, 3),
        make(requester, org, "B", 500, 900, 1, 3),
        make(requester, org, "C", 400, 700, 2, 3),
    ]


def npv_scenario(roles, org, name="This year"):
    return scenarios.scenario_save(
        actor=roles[Role.PMO_ANALYST],
        name=name,
        portfolio=org["portfolio"],
        objective="npv",
        budget_per_year={"2027": "1000"},
        capacity_per_role={"Developer": "3"},
        time_limit_s=2,
        frontier_points=4,
    )


def test_problem_shape_and_optimal_selection(roles, org, pipeline):
    scenario = npv_scenario(roles, org)
    problem = optimisation.build_problem(scenario)
    assert problem["capacities"] == {
        "budget 2027": 1000.0,
        "Developer 2027-01": 3.0,
        "Developer 2027-02": 3.0,
        "Developer 2027-03": 3.0,
    }
    assert problem["candidates"][0] == {
        "id": "PR-0001",
        "value": 500.0,
        "costs": {"budget 2027": 600.0, "Developer 2027-01": 2.0, "Developer 2027-02": 2.0, "Developer 2027-03": 2.0},
        "mandatory": False,
        "requires": [],
        "excludes": [],
    }
    assert problem["unlimited"] == []
    # A+B: cost 1100 > 1000. A+C: developers 4 > 3. B+C: cost 900, developers 3, NPV 700 -- the best.
    answer = optimisation.solve(problem, time_limit_s=2, frontier_points=2)
    assert (answer["status"], answer["objective"], answer["selected"]) == ("optimal", 700.0, ["PR-0002", "PR-0003"])
    assert answer["usage"]["budget 2027"] == 900.0
    assert answer["explanations"]["PR-0001"] == (
        "Would exceed budget 2027 by 500, Developer capacity in 3 months (by up to 2 FTE); "
        "gets in if its value rises by 200.0."
    )
    assert [p["budget_fraction"] for p in answer["frontier"]] == [0.5, 1.0]


def test_run_copy_compare_and_approve(roles, org, pipeline, django_capture_on_commit_callbacks, client_for):
    scenario = npv_scenario(roles, org)
    with django_capture_on_commit_callbacks(execute=True):
        scenarios.scenario_run(actor=roles[Role.PMO_ANALYST], scenario=scenario)
    scenario.refresh_from_db()
    assert (scenario.status, scenario.result["selected"]) == ("done", ["PR-0002", "PR-0003"])
    copy = scenarios.scenario_copy(actor=roles[Role.PMO_ANALYST], scenario=scenario, name="A is a must")
    scenarios.scenario_save(actor=roles[Role.PMO_ANALYST], scenario=copy, forced_in=[pipeline[0]])
    with django_capture_on_commit_callbacks(execute=True):
        scenarios.scenario_run(actor=roles[Role.PMO_ANALYST], scenario=copy)
    copy.refresh_from_db()
    # A is a must: A+B busts the budget and A+C the developers, so A stays alone.
    assert (copy.result["selected"], copy.result["objective"]) == (["PR-0001"], 500.0)
    page = client_for(Role.PORTFOLIO_MANAGER).get(f"/scenarios/compare/?a={scenario.pk}&b={copy.pk}").content.decode()
    assert "Capacity used per role and month" in page
    with pytest.raises(PermissionDenied):
        scenarios.scenario_approve(actor=roles[Role.PMO_ANALYST], scenario=scenario, project_codes={})
    projects = scenarios.scenario_approve(
        actor=roles[Role.PORTFOLIO_MANAGER],
        scenario=scenario,
        project_codes={"PR-0002": "DIG-101", "PR-0003": "DIG-102"},
    )
    assert [p.code for p in projects] == ["DIG-101", "DIG-102"]
    assert Project.objects.get(code="DIG-101").state == "approved"
    assert dict(Proposal.objects.values_list("code", "state")) == {
        "PR-0001": "rejected",
        "PR-0002": "approved",
        "PR-0003": "approved",
    }
    with pytest.raises(Conflict):
        scenarios.scenario_save(
            actor=roles[Role.PMO_ANALYST], scenario=Scenario.objects.get(pk=scenario.pk), time_limit_s=3
        )
