"""The API: the same rules as the pages, the common error shape, and denied calls that change nothing."""

import json
from decimal import Decimal

from django.test import Client

from pmo.changes.models import ChangeRequest, Deviation, StatusReport, Threshold
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.portfolio.models import Project


def caller(user):
    token = token_create(user=user, name="api")[1]

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        return response.status_code, (response.json() if response.content else None)

    return call


def test_status_report_round_trip(planned, roles):
    planned["evm"].update(cpi=0.88)
    pm = caller(roles[Role.PROJECT_MANAGER])
    p1 = planned["p1"]
    status, body = pm("post", f"/projects/{p1.pk}/status-reports", {"period": "2026-11-17"})
    assert status == 201
    assert (body["period"], body["state"], body["cost_rag"], body["suggested"]["cost"]) == (
        "2026-11-01",
        "draft",
        "red",
        "red",
    )
    rid = body["id"]
    status, body = pm("patch", f"/status-reports/{rid}", {"cost_rag": "amber"})
    assert status == 422
    assert body == {
        "code": "validation_error",
        "message": "Invalid input: cost_comment: pmo suggests red for cost from the metrics; say why you report amber.",
        "details": {
            "fields": {"cost_comment": ["pmo suggests red for cost from the metrics; say why you report amber."]}
        },
    }
    status, body = pm(
        "patch",
        f"/status-reports/{rid}",
        {
            "cost_rag": "amber",
            "overall_rag": "amber",
            "override_comments": {"cost": "Credit note", "overall": "Same"},
            "schedule_rag": "green",
            "narrative": "Fine",
        },
    )
    assert status == 200 and body["override_comments"] == {"cost": "Credit note", "overall": "Same"}
    status, body = caller(roles[Role.EXECUTIVE])("post", f"/status-reports/{rid}/submit")
    assert status == 403 and body["code"] == "permission_denied"
    assert StatusReport.objects.get(pk=rid).state == "draft"
    status, body = pm("post", f"/status-reports/{rid}/submit")
    assert status == 200 and body["state"] == "submitted"
    status, body = caller(roles[Role.PMO_ANALYST])("get", "/status-reports/missing?period=2026-11-01")
    assert status == 200 and body == []
    status, body = caller(roles[Role.REQUESTER])("get", f"/projects/{p1.pk}/status-reports")
    assert status == 403


def test_thresholds_and_deviations(planned, roles):
    planned["evm"].update(cpi=0.96)
    portfolio = planned["portfolio"]
    body = [{"metric": "cpi", "amber": "0.98", "red": "0.95"}]
    status, error = caller(roles[Role.PROJECT_MANAGER])("put", f"/portfolios/{portfolio.pk}/thresholds", body)
    assert status == 403 and not Threshold.objects.exists()
    status, rows = caller(roles[Role.PORTFOLIO_MANAGER])("put", f"/portfolios/{portfolio.pk}/thresholds", body)
    assert status == 200
    assert [r for r in rows if r["metric"] == "cpi"] == [
        {
            "metric": "cpi",
            "label": "Cost performance index (CPI)",
            "amber": "0.980",
            "red": "0.950",
            "lower_is_worse": True,
        }
    ]
    status, error = caller(roles[Role.PROJECT_MANAGER])("post", "/deviations/check", {})
    assert status == 403 and error["code"] == "permission_denied" and not Deviation.objects.exists()
    status, counts = caller(roles[Role.PROJECT_MANAGER])("post", "/deviations/check", {"project_id": planned["p1"].pk})
    assert status == 200 and counts == {"raised": 1, "updated": 0, "closed": 0}
    status, counts = caller(roles[Role.PMO_DIRECTOR])("post", "/deviations/check", {})
    assert counts == {"raised": 0, "updated": 0, "closed": 0}
    status, rows = caller(roles[Role.EXECUTIVE])("get", f"/deviations?portfolio_id={portfolio.pk}")
    assert status == 200
    assert [(r["project"]["code"], r["metric"], r["value"], r["threshold"], r["severity"]) for r in rows] == [
        ("P1", "cpi", "0.960", "0.980", "amber")
    ]
    status, body = caller(roles[Role.PROJECT_MANAGER])(
        "post", f"/deviations/{rows[0]['id']}/acknowledge", {"note": "Watching"}
    )
    assert status == 200 and body["status"] == "acknowledged"


def test_change_request_through_the_board(planned, roles):
    pm = caller(roles[Role.PROJECT_MANAGER])
    p1 = planned["p1"]
    status, body = pm(
        "post",
        f"/projects/{p1.pk}/change-requests",
        {"title": "More reports", "cost_impact": "20000", "schedule_impact_days": 7},
    )
    assert status == 201 and body["code"] == "CR-0001"
    cid = body["id"]
    status, body = pm("post", f"/change-requests/{cid}/assess", {"assessment": "OK"})
    assert status == 200 and body["state"] == "assessed"
    status, body = pm("post", f"/change-requests/{cid}/decide", {"decision": "approved", "comment": "Self-approved"})
    assert status == 403
    assert ChangeRequest.objects.get(pk=cid).state == "assessed"
    assert Project.objects.get(pk=p1.pk).budget == Decimal("1250000.00")
    status, queue = caller(roles[Role.PORTFOLIO_MANAGER])("get", "/change-board")
    assert [c["code"] for c in queue] == ["CR-0001"]
    status, body = caller(roles[Role.PORTFOLIO_MANAGER])(
        "post", f"/change-requests/{cid}/decide", {"decision": "approved", "comment": "Agreed"}
    )
    assert status == 200
    assert (
        body["state"],
        body["budget_before"],
        body["budget_after"],
        body["finish_after"],
        body["baseline"]["name"],
    ) == (
        "approved",
        "1250000.00",
        "1270000.00",
        "2026-12-25",
        "CR-0001 More reports",
    )
    status, notes = pm("get", "/notifications?unread=true")
    assert [n["message"] for n in notes] == ["The change board approved CR-0001: More reports"]
    status, body = pm("post", "/notifications/read", {})
    assert body == {"marked_read": 1}


def test_issues_api(planned, roles):
    pm = caller(roles[Role.PROJECT_MANAGER])
    p1 = planned["p1"]
    status, body = pm(
        "post", f"/projects/{p1.pk}/issues", {"title": "Vendor late", "priority": 2, "due_date": "2020-01-01"}
    )
    assert status == 201 and body["overdue"] is True and body["status"] == "open"
    status, body = pm("post", f"/issues/{body['id']}/escalate", {"level": "portfolio", "reason": "Need a decision"})
    assert status == 200 and body["escalation"] == "portfolio"
    status, body = caller(roles[Role.TEAM_MEMBER])("patch", f"/issues/{body['id']}", {"title": "x"})
    assert status == 403
