"""The selection API: ranking and evaluators' ratings, scenarios created, run, copied and approved; denied
calls change nothing."""

import json

from django.test import Client

from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.portfolio.models import Project
from pmo.selection.models import Evaluation, Proposal, Scenario
from tests.selection.test_scenarios import pipeline as scenario_pipeline  # noqa: F401
from tests.selection.test_scoring import pipeline as scoring_pipeline  # noqa: F401


def caller(user):
    token = token_create(user=user, name="api")[1]

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        return response.status_code, (response.json() if response.content else None)

    return call


def test_ranking_and_evaluation(roles, scoring_pipeline):  # noqa: F811
    model = scoring_pipeline["model"]
    feasibility = model.criteria.get(name="Feasibility")
    a = scoring_pipeline["a"]
    analyst = caller(roles[Role.PMO_ANALYST])
    body = {"scoring_model_id": model.pk, "ratings": [{"criterion_id": feasibility.pk, "rating": 5}]}
    assert analyst("put", f"/proposals/{a.pk}/evaluation", body) == (204, None)
    body["ratings"][0]["rating"] = 3
    assert caller(roles[Role.PORTFOLIO_MANAGER])("put", f"/proposals/{a.pk}/evaluation", body) == (204, None)

    status, rows = caller(roles[Role.EXECUTIVE])("get", f"/ranking?scoring_model_id={model.pk}")
    assert status == 200
    # the figures of test_score_table_normalises_weights_and_ranks, through the API
    assert [(r["title"], r["score"], r["rank"], r["missing_evaluators"]) for r in rows] == [
        ("B", 50.0, 1, ["analyst", "portfolio"]),
        ("A", 43.75, 2, []),
    ]
    feasibility_part = next(p for p in rows[1]["parts"] if p["criterion"] == "Feasibility")
    assert feasibility_part == {
        "criterion_id": feasibility.pk,
        "criterion": "Feasibility",
        "raw": 4.0,
        "normalised": 0.75,
        "points": 18.75,
        "spread": 1.0,
        "ratings": 2,
    }

    # refused: a rating off the scale, a criterion of no model, a requester rating; nothing recorded
    before = (list(Evaluation.objects.values_list("pk", "rating")), AuditEvent.objects.count())
    status, error = analyst(
        "put",
        f"/proposals/{a.pk}/evaluation",
        {"scoring_model_id": model.pk, "ratings": [{"criterion_id": feasibility.pk, "rating": 7}]},
    )
    assert (status, error["details"]["fields"]) == (422, {"Feasibility": ["Rate from 1 to 5."]})
    status, error = analyst(
        "put",
        f"/proposals/{a.pk}/evaluation",
        {"scoring_model_id": model.pk, "ratings": [{"criterion_id": 99999, "rating": 3}]},
    )
    assert (status, error["details"]["fields"]) == (422, {"ratings": ["No criterion of 'Standard' with id 99999."]})
    status, _ = caller(roles[Role.REQUESTER])("put", f"/proposals/{a.pk}/evaluation", body)
    assert status == 403
    assert (list(Evaluation.objects.values_list("pk", "rating")), AuditEvent.objects.count()) == before


def test_scenario_journey(roles, org, scenario_pipeline, django_capture_on_commit_callbacks):  # noqa: F811
    analyst = caller(roles[Role.PMO_ANALYST])
    status, created = analyst(
        "post",
        "/scenarios",
        {
            "name": "This year",
            "portfolio_id": org["portfolio"].pk,
            "objective": "npv",
            "budget_per_year": {"2027": 1000},
            "capacity_per_role": {"Developer": 3},
            "time_limit_s": 2,
            "frontier_points": 2,
        },
    )
    assert (status, created["status"], created["budget_per_year"]) == (201, "draft", {"2027": 1000.0})
    pk = created["id"]

    # an executive reads everything and changes nothing
    executive = caller(roles[Role.EXECUTIVE])
    before = list(Scenario.objects.values_list("pk", "name", "status", "version"))
    assert executive("post", "/scenarios", {"name": "Mine"})[0] == 403
    assert executive("patch", f"/scenarios/{pk}", {"name": "Renamed"})[0] == 403
    assert executive("post", f"/scenarios/{pk}/run")[0] == 403
    assert list(Scenario.objects.values_list("pk", "name", "status", "version")) == before
    assert executive("get", f"/scenarios/{pk}")[0] == 200

    with django_capture_on_commit_callbacks(execute=True):
        status, running = analyst("post", f"/scenarios/{pk}/run")
    assert (status, running["status"]) == (202, "running")
    status, solved = analyst("get", f"/scenarios/{pk}")
    assert (solved["status"], solved["result"]["selected"], solved["result"]["objective"]) == (
        "done",
        ["PR-0002", "PR-0003"],
        700.0,
    )
    assert [p["budget_fraction"] for p in solved["result"]["frontier"]] == [0.5, 1.0]

    # a stale version is refused
    status, error = analyst("patch", f"/scenarios/{pk}", {"time_limit_s": 3, "version": solved["version"] - 1})
    assert (status, error["code"]) == (409, "stale_version")

    status, copy = analyst("post", f"/scenarios/{pk}/copy", {"name": "A is a must"})
    assert (status, copy["status"], copy["budget_per_year"]) == (201, "draft", {"2027": 1000.0})
    status, changed = analyst("patch", f"/scenarios/{copy['id']}", {"forced_in_ids": [scenario_pipeline[0].pk]})
    assert (status, changed["forced_in"]) == (200, ["PR-0001"])

    # the analyst may not approve; the portfolio manager may
    status, _ = analyst("post", f"/scenarios/{pk}/approve", {"project_codes": {"PR-0002": "X1", "PR-0003": "X2"}})
    assert status == 403 and not Project.objects.filter(code__in=["X1", "X2"]).exists()
    manager = caller(roles[Role.PORTFOLIO_MANAGER])
    status, error = manager("post", f"/scenarios/{pk}/approve", {"project_codes": {"PR-0002": "DIG-101"}})
    assert (status, error["details"]["fields"]) == (422, {"project_codes": ["Give a project code for PR-0003."]})
    assert Proposal.objects.filter(state="approved").count() == 0
    status, approved = manager(
        "post", f"/scenarios/{pk}/approve", {"project_codes": {"PR-0002": "DIG-101", "PR-0003": "DIG-102"}}
    )
    assert status == 200
    assert approved["scenario"]["status"] == "approved"
    assert [p["code"] for p in approved["projects"]] == ["DIG-101", "DIG-102"]
    assert dict(Proposal.objects.values_list("code", "state")) == {
        "PR-0001": "rejected",
        "PR-0002": "approved",
        "PR-0003": "approved",
    }
    status, error = analyst("delete", f"/scenarios/{pk}")
    assert (status, error["code"]) == (409, "conflict")
    assert analyst("delete", f"/scenarios/{copy['id']}") == (204, None)


def test_ranking_keeps_running_projects_and_drops_finished_ones(roles, scoring_pipeline):  # noqa: F811
    from pmo.portfolio import services as portfolio_services
    from pmo.selection import services

    b = scoring_pipeline["b"]
    project = services.proposal_approve_into_project(actor=roles[Role.PMO_DIRECTOR], proposal=b, code="DIG-200")
    call = caller(roles[Role.PMO_ANALYST])
    status, rows = call("get", f"/ranking?scoring_model_id={scoring_pipeline['model'].pk}")
    assert status == 200
    assert [(r["code"], r["state"], r["project_code"]) for r in rows] == [
        ("PR-0002", "approved", "DIG-200"),
        ("PR-0001", "under_evaluation", None),
    ]
    page = Client()
    page.force_login(roles[Role.PMO_ANALYST])
    html = page.get("/ranking/").content.decode()
    assert "now <a href=" in html and "DIG-200</a>" in html and "Project approved" in html
    portfolio_services.project_transition(
        actor=roles[Role.PMO_DIRECTOR], project=project, to_state="cancelled", comment="No longer pays."
    )
    status, rows = call("get", f"/ranking?scoring_model_id={scoring_pipeline['model'].pk}")
    assert (status, [r["code"] for r in rows]) == (200, ["PR-0001"])
