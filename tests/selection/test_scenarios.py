"""Scenarios: the optimiser picks the best set within this year's budget and the team's capacity, explains
what it left out, draws the frontier; two scenarios compare; approving one turns its picks into projects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.errors import Conflict
from pmo.core.models import AuditEvent
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


def test_denied_approval_changes_nothing(roles, org, pipeline, django_capture_on_commit_callbacks):
    scenario = npv_scenario(roles, org)
    with django_capture_on_commit_callbacks(execute=True):
        scenarios.scenario_run(actor=roles[Role.PMO_ANALYST], scenario=scenario)
    before = dict(Proposal.objects.values_list("code", "state"))
    for denied in (Role.PMO_ANALYST, Role.EXECUTIVE, Role.REQUESTER, Role.PROJECT_MANAGER):
        with pytest.raises(PermissionDenied):
            scenarios.scenario_approve(
                actor=roles[denied], scenario=scenario, project_codes={"PR-0002": "X-1", "PR-0003": "X-2"}
            )
    assert dict(Proposal.objects.values_list("code", "state")) == before
    assert not Project.objects.filter(code__in=["X-1", "X-2"]).exists()
    assert Scenario.objects.get(pk=scenario.pk).status == "done"


def test_objectives_other_than_score(roles, org, pipeline):
    scenario = npv_scenario(roles, org)
    values = {
        "npv": [500.0, 400.0, 300.0],
        "total_benefit": [1100.0, 900.0, 700.0],
        "strategic_fit": [3.0, 3.0, 3.0],
    }
    for objective, expected in values.items():
        scenarios.scenario_save(actor=roles[Role.PMO_ANALYST], scenario=scenario, objective=objective)
        problem = optimisation.build_problem(Scenario.objects.get(pk=scenario.pk))
        assert [c["value"] for c in problem["candidates"]] == expected, objective


def test_running_projects_compete_and_may_be_stopped(roles, org, pipeline, django_capture_on_commit_callbacks):
    """A is already a running project (DIG-100) with all its money and people still to spend in 2027; B and C
    together are worth more (700 against 500), so the optimiser proposes to stop DIG-100."""
    manager = roles[Role.PORTFOLIO_MANAGER]
    a = pipeline[0]
    services.proposal_transition(actor=roles[Role.PMO_ANALYST], proposal=a, to_state="under_evaluation")
    project = services.proposal_approve_into_project(actor=manager, proposal=a, code="DIG-100")
    assert (project.planned_start, project.planned_finish) == (dt.date(2027, 1, 1), dt.date(2027, 4, 1))
    assert project.budget == Decimal(600)
    assert project.charter.startswith("Purpose\nx\n\nStrategic objectives\n- ")
    assert (
        "Business case\nTotal cost EUR 600; total benefit EUR 1,100; NPV EUR 500 at 8.00%; payback 0.0 years.\n"
        in project.charter
    )
    assert "- year 0: capex EUR 600, opex EUR 0, benefit EUR 1,100\n" in project.charter
    assert "People\n- 2.00 FTE Developer, months 1-3" in project.charter
    assert "Schedule\nStart January 2027, finish April 2027, 3 months." in project.charter

    scenario = npv_scenario(roles, org)
    scenarios.scenario_save(actor=roles[Role.PMO_ANALYST], scenario=scenario, include_running=True)
    scenario.refresh_from_db()
    problem = optimisation.build_problem(scenario, today=dt.date(2027, 1, 15))
    running = problem["candidates"][-1]
    assert (running["id"], running["value"]) == ("DIG-100", 500.0)
    assert running["costs"] == {
        "budget 2027": 600.0,
        "Developer 2027-01": 2.0,
        "Developer 2027-02": 2.0,
        "Developer 2027-03": 2.0,
    }
    # Two months later only March is still to come; the money of 2027 stays (the budget is per year).
    later = optimisation.build_problem(scenario, today=dt.date(2027, 3, 1))["candidates"][-1]
    assert later["costs"] == {"budget 2027": 600.0, "Developer 2027-03": 2.0}

    with django_capture_on_commit_callbacks(execute=True):
        scenarios.scenario_run(actor=roles[Role.PMO_ANALYST], scenario=scenario)
    scenario.refresh_from_db()
    assert (scenario.result["selected"], scenario.result["objective"]) == (["PR-0002", "PR-0003"], 700.0)
    scenarios.scenario_approve(
        actor=manager, scenario=scenario, project_codes={"PR-0002": "DIG-101", "PR-0003": "DIG-102"}
    )
    assert Project.objects.get(code="DIG-100").state == "approved"  # stopping stays a governance decision
    notes = [e.comment for e in AuditEvent.objects.filter(object_id=str(project.pk), comment__contains="stop")]
    assert notes == ["Not selected in scenario 'This year': review whether to stop it."]

    # Forcing the running project in keeps it: then B and C do not both fit beside it.
    must = scenarios.scenario_copy(actor=roles[Role.PMO_ANALYST], scenario=scenario, name="Keep DIG-100")
    scenarios.scenario_save(actor=roles[Role.PMO_ANALYST], scenario=must, forced_in=[a])
    answer = optimisation.solve(optimisation.build_problem(must, today=dt.date(2027, 1, 15)), time_limit_s=2)
    assert answer["selected"] == ["DIG-100"]


def test_start_months_spread_the_peak(roles, org, django_capture_on_commit_callbacks):
    """Two proposals each need both developers for three months; their windows run January to April. Started
    together only one fits; with start months chosen, one starts in January and the other in April."""
    requester = roles[Role.REQUESTER]
    proposals = []
    for title, benefit in (("Portal", 900), ("Billing", 800)):
        p = services.proposal_create(
            actor=requester,
            title=title,
            problem="y",
            portfolio=org["portfolio"],
            sponsor=org["person"][Role.EXECUTIVE],
            earliest_start=dt.date(2027, 1, 1),
            latest_start=dt.date(2027, 4, 1),
            duration_months=3,
        )
        services.proposal_business_case_update(
            actor=requester,
            proposal=p,
            cash_flows=[services.CashFlowRow(0, Decimal(100), Decimal(0), Decimal(benefit))],
            demands=[services.DemandRow("Developer", Decimal(2), 0, 3)],
            contributions=[(org["objective"], 3)],
        )
        services.proposal_transition(actor=requester, proposal=p, to_state="submitted")
        proposals.append(p)
    scenario = scenarios.scenario_save(
        actor=roles[Role.PMO_ANALYST],
        name="Spread",
        portfolio=org["portfolio"],
        objective="npv",
        capacity_per_role={"Developer": "2"},
        time_limit_s=2,
        frontier_points=0,
    )
    together = optimisation.solve(optimisation.build_problem(scenario, today=dt.date(2026, 12, 1)), time_limit_s=2)
    assert together["selected"] == ["PR-0001"]  # NPV 800 beats 700

    scenarios.scenario_save(actor=roles[Role.PMO_ANALYST], scenario=scenario, spread_starts=True)
    scenario.refresh_from_db()
    problem = optimisation.build_problem(scenario, today=dt.date(2026, 12, 1))
    assert (
        problem["months"][:2] == ["2026-12", "2027-01"] and len(problem["months"]) == 7
    )  # April + 3 months ends in June
    assert problem["candidates"][0]["starts"] == [1, 2, 3, 4]
    assert problem["candidates"][0]["profile"] == {"Developer": [2.0, 2.0, 2.0]}
    assert problem["period_capacities"] == {"Developer": [2.0] * 7}
    answer = optimisation.solve(problem, time_limit_s=2)
    assert (answer["status"], answer["selected"], answer["objective"]) == ("optimal", ["PR-0001", "PR-0002"], 1500.0)
    assert sorted(answer["starts"].values()) == ["2027-01", "2027-04"]
    assert answer["usage"]["Developer 2027-02"] == 2.0 and answer["capacities"]["Developer 2027-02"] == 2.0

    with django_capture_on_commit_callbacks(execute=True):
        scenarios.scenario_run(actor=roles[Role.PMO_ANALYST], scenario=scenario)
    scenario.refresh_from_db()
    chosen = scenario.result["starts"]
    scenarios.scenario_approve(
        actor=roles[Role.PORTFOLIO_MANAGER], scenario=scenario, project_codes={"PR-0001": "P-1", "PR-0002": "P-2"}
    )
    for proposal_code, project_code in (("PR-0001", "P-1"), ("PR-0002", "P-2")):
        year, month = (int(x) for x in chosen[proposal_code].split("-"))
        assert Project.objects.get(code=project_code).planned_start == dt.date(year, month, 1)


def test_result_page_names_what_stops_the_next_proposal(roles, org, pipeline, client_for):
    answer = optimisation.solve(optimisation.build_problem(npv_scenario(roles, org)), time_limit_s=2)
    assert answer["binding"][0]["name"] == "budget 2027"
    assert answer["binding"][0]["blocked"] == ["PR-0001"]
    scenario = Scenario.objects.get(name="This year")
    Scenario.objects.filter(pk=scenario.pk).update(
        status="done", result={**answer, "problem": optimisation.build_problem(scenario)}
    )
    page = client_for(Role.EXECUTIVE).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "What stops the next proposal" in page
    assert "<strong>Budget 2027</strong> keeps out PR-0001" in page
    assert "Run the optimiser" not in page  # an executive reads, and runs nothing


def test_start_months_with_a_proposal_outside_the_limited_roles(roles, org):
    """A later proposal needing only a role the scenario does not limit still gets its start month."""
    requester = roles[Role.REQUESTER]
    for title, role, start in (
        ("Portal", "Developer", dt.date(2027, 1, 1)),
        ("Rebrand", "Designer", dt.date(2027, 9, 1)),
    ):
        p = services.proposal_create(
            actor=requester,
            title=title,
            problem="z",
            portfolio=org["portfolio"],
            sponsor=org["person"][Role.EXECUTIVE],
            earliest_start=start,
            duration_months=2,
        )
        services.proposal_business_case_update(
            actor=requester,
            proposal=p,
            cash_flows=[services.CashFlowRow(0, Decimal(100), Decimal(0), Decimal(500))],
            demands=[services.DemandRow(role, Decimal(1), 0, 2)],
            contributions=[(org["objective"], 3)],
        )
        services.proposal_transition(actor=requester, proposal=p, to_state="submitted")
    scenario = scenarios.scenario_save(
        actor=roles[Role.PMO_ANALYST],
        name="Later",
        portfolio=org["portfolio"],
        objective="npv",
        capacity_per_role={"Developer": "1"},
        spread_starts=True,
        time_limit_s=2,
        frontier_points=0,
    )
    problem = optimisation.build_problem(scenario, today=dt.date(2026, 12, 1))
    assert problem["candidates"][1]["starts"] == [9] and problem["candidates"][1]["profile"] == {}
    assert len(problem["months"]) == 10
    answer = optimisation.solve(problem, time_limit_s=2)
    assert answer["selected"] == ["PR-0001", "PR-0002"]
    assert answer["starts"] == {"PR-0001": "2027-01", "PR-0002": "2027-09"}
