"""The risk API: the same rules as the pages, exact payloads, the common error shape, and denied calls that
change nothing."""

import json

from django.test import Client

from pmo.changes.models import Issue
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.risks.models import Risk, RiskAction, RiskAssessment, RiskScale


def caller(user):
    token = token_create(user=user, name="api")[1]

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        return response.status_code, (response.json() if response.content else None)

    return call


def test_risk_round_trip(team, roles):
    pm = caller(roles[Role.PROJECT_MANAGER])
    p1 = team["p1"]
    status, body = pm(
        "post",
        "/risks",
        {
            "project_id": p1.pk,
            "title": "Card readers late",
            "cause": "One supplier",
            "category": "supplier",
            "probability": 3,
            "impact": 4,
            "strategy": "mitigate",
            "owner_id": team["person"][Role.TEAM_MEMBER].pk,
            "affected_project_ids": [team["p2"].pk],
        },
    )
    assert status == 201
    rid = body["id"]
    assert {k: body[k] for k in ("code", "level", "score", "rating", "expected_cost", "expected_days", "trend")} == {
        "code": "RSK-0001",
        "level": "project",
        "score": 12,
        "rating": "high",
        "expected_cost": "200000.00",  # 40 % of the impact level's 500,000
        "expected_days": "16.0",  # 40 % of its 40 days
        "trend": "new",
    }
    assert body["project"] == {"id": p1.pk, "code": "P1", "name": "Mobile app"}
    assert body["affected_projects"] == [{"id": team["p2"].pk, "code": "P2", "name": "Data lake"}]
    status, body = pm("post", f"/risks/{rid}/rate", {"probability": 4, "impact": 4, "note": "Supplier slipped"})
    assert status == 200
    assert (body["score"], body["rating"], body["escalated"], body["score_history"], body["trend"]) == (
        16,
        "critical",
        True,
        [12, 16],
        "up",
    )
    status, history = pm("get", f"/risks/{rid}/assessments")
    assert [(a["score"], a["note"]) for a in history] == [(12, "First rating."), (16, "Supplier slipped")]
    status, body = pm("post", f"/risks/{rid}/actions", {"description": "Second source", "due_date": "2026-11-30"})
    assert status == 201 and body["overdue"] is True and body["status"] == "planned"
    status, body = pm("patch", f"/risk-actions/{body['id']}", {"status": "done"})
    assert status == 200 and (body["overdue"], body["completed_on"]) == (False, "2026-12-03")
    status, body = pm("patch", f"/risks/{rid}", {"strategy": "exploit"})
    assert status == 422
    assert body == {
        "code": "validation_error",
        "message": "Invalid input: strategy: For a threat: avoid, mitigate, transfer, accept.",
        "details": {"fields": {"strategy": ["For a threat: avoid, mitigate, transfer, accept."]}},
    }
    status, body = pm("patch", f"/risks/{rid}", {"title": "Card readers late (vendor B)", "version": 1})
    assert status == 409 and body["code"] == "stale_version"
    status, body = pm("patch", f"/risks/{rid}", {"title": "Card readers late (vendor B)", "version": 2})
    assert status == 200 and (body["title"], body["version"]) == ("Card readers late (vendor B)", 3)
    status, body = pm("post", f"/risks/{rid}/occur", {"note": "It happened", "due_date": "2026-12-10"})
    assert status == 200 and body["status"] == "occurred"
    issue = Issue.objects.get(pk=body["issue_id"])
    assert (issue.title, issue.priority, issue.project, str(issue.due_date)) == (
        "Card readers late (vendor B)",
        1,
        p1,
        "2026-12-10",
    )
    status, body = pm("post", f"/risks/{rid}/occur", {})
    assert status == 409 and body["message"] == "RSK-0001 is occurred, not open."


def test_lists_filters_and_heat_maps(team, roles):
    director = caller(roles[Role.PMO_DIRECTOR])
    p1, p2, portfolio = team["p1"], team["p2"], team["portfolio"]
    for project, title, p, i, kind in (
        (p1, "A", 4, 5, "threat"),
        (p1, "B", 2, 3, "threat"),
        (p1, "C", 3, 3, "opportunity"),
        (p2, "D", 4, 5, "threat"),
    ):
        director(
            "post", "/risks", {"project_id": project.pk, "title": title, "probability": p, "impact": i, "kind": kind}
        )
    director("post", "/risks", {"portfolio_id": portfolio.pk, "title": "E", "probability": 1, "impact": 2})
    status, page = director("get", f"/risks?project_id={p1.pk}")
    assert status == 200 and [r["title"] for r in page["items"]] == ["A", "C", "B"]
    assert (page["count"], page["page"], page["page_size"]) == (3, 1, 50)
    status, page = director("get", f"/risks?project_id={p1.pk}&page=2&page_size=2")
    assert [r["title"] for r in page["items"]] == ["B"] and page["count"] == 3
    status, page = director("get", f"/risks?portfolio_id={portfolio.pk}&kind=threat&probability=4&impact=5")
    assert [r["title"] for r in page["items"]] == ["A", "D"] and page["count"] == 2
    status, page = director("get", f"/risks?portfolio_id={portfolio.pk}&escalated=true&page_size=2")
    assert [r["title"] for r in page["items"]] == ["A", "D"] and page["count"] == 3
    status, heat = director("get", f"/portfolios/{portfolio.pk}/risk-heatmap")
    assert status == 200 and heat["total"] == 4
    filled = [(c["probability"], c["impact"], c["count"], c["rating"]) for c in heat["cells"] if c["count"]]
    assert filled == [(4, 5, 2, "critical"), (2, 3, 1, "medium"), (1, 2, 1, "low")]
    assert len(heat["cells"]) == 25 and heat["cells"][0]["probability"] == 5 and heat["cells"][0]["impact"] == 1
    status, heat = director("get", f"/portfolios/{portfolio.pk}/risk-heatmap?scope=escalated&project_id={p2.pk}")
    assert [(c["probability"], c["impact"], c["count"]) for c in heat["cells"] if c["count"]] == [(4, 5, 1)]
    status, heat = director("get", f"/projects/{p1.pk}/risk-heatmap?kind=opportunity")
    assert [(c["probability"], c["impact"], c["count"]) for c in heat["cells"] if c["count"]] == [(3, 3, 1)]
    status, exposure = director("get", f"/portfolios/{portfolio.pk}/risk-exposure?top=2")
    assert [t["title"] for t in exposure["top"]] == ["A", "D"]
    assert [(x["key"], x["threats"], x["threat_money"]) for x in exposure["by_project"]] == [
        ("P1", 2, "630000.00"),
        ("P2", 1, "600000.00"),
        ("DIG", 1, "2500.00"),
    ]
    assert exposure["total"]["threat_money"] == "1232500.00"
    status, rows = caller(roles[Role.REQUESTER])("get", "/risks")
    assert status == 403 and rows["code"] == "permission_denied"


def test_scales_through_the_api(team, roles):
    portfolio = team["portfolio"]
    status, scales = caller(roles[Role.EXECUTIVE])("get", f"/portfolios/{portfolio.pk}/risk-scales")
    assert status == 200 and scales["escalation_score"] == 15
    assert scales["impact"][2] == {"level": 3, "label": "Medium", "money": "150000", "days": 20}
    scales["escalation_score"] = 12
    scales["probability"][0]["label"] = "Rare"
    status, body = caller(roles[Role.PROJECT_MANAGER])("put", f"/portfolios/{portfolio.pk}/risk-scales", scales)
    assert status == 403 and not RiskScale.objects.exists()
    status, body = caller(roles[Role.PORTFOLIO_MANAGER])("put", f"/portfolios/{portfolio.pk}/risk-scales", scales)
    assert status == 200 and (body["escalation_score"], body["probability"][0]["label"]) == (12, "Rare")
    scales["escalation_score"] = 99
    status, body = caller(roles[Role.PORTFOLIO_MANAGER])("put", f"/portfolios/{portfolio.pk}/risk-scales", scales)
    assert status == 422 and body["details"]["fields"] == {
        "escalation_score": ["Give a score from 1 to 25 (probability levels x impact levels)."]
    }
    assert RiskScale.objects.get().escalation_score == 12


def test_denied_api_calls_change_nothing(team, roles):
    pm = caller(roles[Role.PROJECT_MANAGER])
    status, risk = pm("post", "/risks", {"project_id": team["p1"].pk, "title": "Mine", "probability": 2, "impact": 2})
    status, action = pm("post", f"/risks/{risk['id']}/actions", {"description": "Do", "due_date": "2026-01-01"})
    executive = caller(roles[Role.EXECUTIVE])
    for method, path, body in (
        ("post", "/risks", {"project_id": team["p1"].pk, "title": "No", "probability": 1, "impact": 1}),
        ("patch", f"/risks/{risk['id']}", {"title": "No"}),
        ("post", f"/risks/{risk['id']}/rate", {"probability": 5, "impact": 5}),
        ("post", f"/risks/{risk['id']}/occur", {}),
        ("post", f"/risks/{risk['id']}/actions", {"description": "No"}),
        ("patch", f"/risk-actions/{action['id']}", {"status": "done"}),
        ("post", "/risk-actions/check", None),
    ):
        status, error = executive(method, path, body)
        assert status == 403 and error["code"] == "permission_denied", (method, path)
    status, error = caller(roles[Role.PROJECT_MANAGER])("post", "/risk-actions/check")
    assert status == 403
    assert Risk.objects.get().version == 1 and Risk.objects.count() == 1
    assert RiskAssessment.objects.count() == 1 and RiskAction.objects.get().status == "planned"
    assert not Issue.objects.exists()
    status, counts = caller(roles[Role.PMO_ANALYST])("post", "/risk-actions/check")
    assert (status, counts) == (200, {"overdue": 1, "notified": 1})
    status, body = pm("get", "/risks/999999")
    assert status == 404 and body["code"] == "not_found"
    status, body = pm("post", "/risks", {"title": "Orphan", "probability": 1, "impact": 1})
    assert status == 422 and body["details"]["fields"] == {
        "register": ["A risk belongs to exactly one project, program or portfolio."]
    }


def test_program_filter_and_team_member_visibility(team, roles):
    director = caller(roles[Role.PMO_DIRECTOR])
    for body in (
        {"project_id": team["p1"].pk, "title": "On P1", "probability": 2, "impact": 2},
        {"project_id": team["p2"].pk, "title": "On P2", "probability": 2, "impact": 2},
        {"program_id": team["program"].pk, "title": "On CX", "probability": 2, "impact": 2},
    ):
        assert director("post", "/risks", body)[0] == 201
    status, page = director("get", f"/risks?program_id={team['program'].pk}")
    assert status == 200 and sorted(r["title"] for r in page["items"]) == ["On CX", "On P1"]
    status, page = director("get", f"/risks?portfolio_id={team['portfolio'].pk}&program_id={team['program'].pk}")
    assert sorted(r["title"] for r in page["items"]) == ["On CX", "On P1"]
    member = caller(roles[Role.TEAM_MEMBER])
    status, page = member("get", "/risks")
    assert [r["title"] for r in page["items"]] == ["On P1"] and page["count"] == 1  # the member works on P1 only
    p2_risk = Risk.objects.get(title="On P2")
    assert member("get", f"/risks/{p2_risk.pk}")[0] == 404
