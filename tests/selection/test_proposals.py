"""Intake: a requester drafts a proposal with its business case, cannot submit it incomplete, submits it;
analysts evaluate; the portfolio manager decides; an approved proposal becomes a project."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from pmo.core import audit
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.portfolio.models import Project
from pmo.selection import selectors, services
from pmo.selection.models import Proposal


@pytest.fixture
def proposal(roles, org):
    requester = roles[Role.REQUESTER]
    return services.proposal_create(actor=requester, title="Chatbot for support")


def complete(proposal, requester, org):
    services.proposal_update(
        actor=requester,
        proposal=proposal,
        problem="Support queues are long.",
        portfolio=org["portfolio"],
        sponsor=org["person"][Role.EXECUTIVE],
        earliest_start=dt.date(2027, 1, 4),
        duration_months=6,
    )
    services.proposal_business_case_update(
        actor=requester,
        proposal=proposal,
        cash_flows=[
            services.CashFlowRow(0, Decimal("1000"), Decimal("0"), Decimal("0")),
            services.CashFlowRow(1, Decimal("0"), Decimal("100"), Decimal("400")),
            services.CashFlowRow(2, Decimal("0"), Decimal("100"), Decimal("500")),
            services.CashFlowRow(3, Decimal("0"), Decimal("100"), Decimal("600")),
        ],
        demands=[services.DemandRow("Backend developer", Decimal("2"), 0, 6)],
        contributions=[(org["objective"], 4)],
    )


def test_codes_ownership_and_computed_financials(roles, org, proposal):
    assert (proposal.code, proposal.state, proposal.requester) == ("PR-0001", "draft", roles[Role.REQUESTER])
    complete(proposal, roles[Role.REQUESTER], org)
    money = selectors.financials(proposal)
    # Net flows -1000, 300, 400, 500 at 8 %: -1000 + 277.7778 + 342.9355 + 396.9161 = 17.6294
    assert (money.total_cost, money.total_benefit, money.npv) == (Decimal("1300"), Decimal("1500"), Decimal("17.63"))
    assert round(money.irr, 4) == 0.0890
    assert money.payback_years == 2.6


def test_incomplete_proposal_cannot_be_submitted_and_each_gap_is_named(roles, proposal):
    with pytest.raises(ValidationFailed) as error:
        services.proposal_transition(actor=roles[Role.REQUESTER], proposal=proposal, to_state="submitted")
    assert sorted(error.value.fields) == [
        "benefits",
        "cash_flows",
        "contributions",
        "demands",
        "duration_months",
        "earliest_start",
        "portfolio",
        "problem",
        "sponsor",
    ]
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"


def test_lifecycle_by_role_with_comments_audited(roles, org, proposal):
    requester = roles[Role.REQUESTER]
    complete(proposal, requester, org)
    services.proposal_transition(actor=requester, proposal=proposal, to_state="submitted", comment="Please look")
    with pytest.raises(PermissionDenied):
        services.proposal_transition(actor=requester, proposal=proposal, to_state="under_evaluation")
    services.proposal_transition(actor=roles[Role.PMO_ANALYST], proposal=proposal, to_state="under_evaluation")
    with pytest.raises(PermissionDenied):
        services.proposal_transition(actor=roles[Role.PMO_ANALYST], proposal=proposal, to_state="rejected", comment="x")
    with pytest.raises(ValidationFailed) as error:
        services.proposal_transition(actor=roles[Role.PORTFOLIO_MANAGER], proposal=proposal, to_state="deferred")
    assert error.value.fields == {"comment": ["Say why, for the requester and the record."]}
    services.proposal_transition(
        actor=roles[Role.PORTFOLIO_MANAGER], proposal=proposal, to_state="deferred", comment="Next year"
    )
    with pytest.raises(Conflict) as conflict:
        services.proposal_transition(actor=requester, proposal=proposal, to_state="approved")
    assert conflict.value.message.startswith("A proposal cannot go from deferred to approved.")
    moves = [
        (e.changes["state"]["new"], e.actor_name, e.comment)
        for e in reversed(audit.history_of(proposal))
        if "state" in e.changes and e.action == "update"
    ]
    assert moves == [
        ("submitted", "requester", "Please look"),
        ("under_evaluation", "analyst", ""),
        ("deferred", "portfolio", "Next year"),
    ]


def test_approval_turns_the_proposal_into_a_project(roles, org, proposal):
    complete(proposal, roles[Role.REQUESTER], org)
    services.proposal_transition(actor=roles[Role.REQUESTER], proposal=proposal, to_state="submitted")
    services.proposal_transition(actor=roles[Role.PMO_ANALYST], proposal=proposal, to_state="under_evaluation")
    project = services.proposal_approve_into_project(
        actor=roles[Role.PORTFOLIO_MANAGER], proposal=proposal, code="DIG-050", comment="Go"
    )
    assert (project.code, project.name, project.state, project.budget) == (
        "DIG-050",
        "Chatbot for support",
        "approved",
        Decimal("1300.00"),
    )
    assert list(project.objectives.values_list("code", flat=True)) == ["SO1"]
    assert project.planned_start == dt.date(2027, 1, 4)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.project_id) == ("approved", project.pk)


def test_requesters_see_only_their_own_and_cannot_edit_after_submission(roles, org, proposal):
    other = services.proposal_create(actor=roles[Role.PROJECT_MANAGER], title="Someone else's idea")
    assert list(selectors.visible_proposals(roles[Role.REQUESTER]).values_list("code", flat=True)) == ["PR-0001"]
    assert sorted(selectors.visible_proposals(roles[Role.EXECUTIVE]).values_list("code", flat=True)) == [
        "PR-0001",
        "PR-0002",
    ]
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=roles[Role.REQUESTER], proposal=other, title="Mine")
    complete(proposal, roles[Role.REQUESTER], org)
    services.proposal_transition(actor=roles[Role.REQUESTER], proposal=proposal, to_state="submitted")
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=roles[Role.REQUESTER], proposal=proposal, title="Changed after submitting")
    assert Proposal.objects.get(pk=proposal.pk).title == "Chatbot for support"


def test_api_intake_journey_and_scoping(roles, org):
    requester = token_create(user=roles[Role.REQUESTER], name="r")[1]
    manager = token_create(user=roles[Role.PORTFOLIO_MANAGER], name="m")[1]

    def call(method, path, body=None, token=requester):
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        return response.status_code, response.json()

    status, created = call(
        "post",
        "/proposals",
        {
            "title": "Self-service kiosk",
            "problem": "Queues",
            "portfolio_id": org["portfolio"].pk,
            "sponsor_id": org["person"][Role.EXECUTIVE].pk,
            "earliest_start": "2027-02-01",
            "duration_months": 4,
        },
    )
    assert (status, created["code"], created["state"], created["requester"]) == (201, "PR-0001", "draft", "requester")
    status, body = call("post", f"/proposals/{created['id']}/move", {"to_state": "submitted"})
    assert status == 422 and sorted(body["details"]["fields"]) == ["benefits", "cash_flows", "contributions", "demands"]
    status, body = call(
        "put",
        f"/proposals/{created['id']}/business-case",
        {
            "cash_flows": [{"year": 0, "capex": 500}, {"year": 1, "benefit": 800, "opex": 50}],
            "demands": [{"role": "Designer", "fte": 1, "months": 3}],
            "contributions": [{"objective_id": org["objective"].pk, "rating": 5}],
        },
    )
    assert (status, body["npv"], body["payback_years"]) == (200, "194.44", 0.7)  # -500 + 750/1.08; 500/750 of year 1
    status, body = call("post", f"/proposals/{created['id']}/move", {"to_state": "submitted"})
    assert (status, body["state"]) == (200, "submitted")
    status, body = call("post", f"/proposals/{created['id']}/move", {"to_state": "under_evaluation"}, manager)
    assert (status, body["state"]) == (200, "under_evaluation")
    status, body = call(
        "post", f"/proposals/{created['id']}/move", {"to_state": "approved", "project_code": "DIG-060"}, manager
    )
    assert status == 200 and body["state"] == "approved"
    assert Project.objects.get(code="DIG-060").name == "Self-service kiosk"
    other = token_create(user=roles[Role.TEAM_MEMBER], name="t")[1]
    status, body = call("get", "/proposals", token=other)
    assert (status, body["count"]) == (200, 1)  # team members see the pipeline
    services.proposal_create(actor=roles[Role.PROJECT_MANAGER], title="Hidden from the requester")
    status, body = call("get", "/proposals")
    assert [p["code"] for p in body["items"]] == ["PR-0001"]


def test_pages_intake_and_business_case(client_for, roles, org):
    client = client_for(Role.REQUESTER)
    response = client.post(
        "/proposals/new/", {"title": "Kiosk", "risk_level": "low", "discount_rate": "8", "currency": "EUR"}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Before it can be submitted" in page and "Name a sponsor." in page
    response = client.post(
        f"/proposals/{proposal.pk}/business-case/",
        {
            "flow-TOTAL_FORMS": "2",
            "flow-INITIAL_FORMS": "0",
            "flow-0-year": "0",
            "flow-0-capex": "100",
            "flow-1-year": "1",
            "flow-1-benefit": "150",
            "need-TOTAL_FORMS": "1",
            "need-INITIAL_FORMS": "0",
            "need-0-role": "Analyst",
            "need-0-fte": "0.5",
            "need-0-start_month": "0",
            "need-0-months": "2",
            f"objective-{org['objective'].pk}": "3",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "0.5 FTE Analyst for 2 months from month 0" in page and "SO1 Grow revenue — 3 / 5" in page
    response = client.post(f"/proposals/{proposal.pk}/move/", {"to_state": "submitted"}, follow=True)
    assert "Sponsor: Name a sponsor." in response.content.decode()
    assert client_for(Role.PROJECT_MANAGER).get(f"/proposals/{proposal.pk}/").status_code == 200
    other = services.proposal_create(actor=roles[Role.PROJECT_MANAGER], title="Not yours")
    assert client.get(f"/proposals/{other.pk}/").status_code == 404
