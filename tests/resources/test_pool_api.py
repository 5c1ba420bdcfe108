from decimal import Decimal

from django.test import Client

from pmo.core.roles import Role
from pmo.resources.models import ResourceRequest


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_request_workflow_over_the_api(pool, org, roles):
    pm, rm = _client(roles[Role.PROJECT_MANAGER]), _client(pool["rm"])
    payload = {
        "project_id": org["p1"].pk,
        "role_id": pool["dev"].pk,
        "fte": "0.25",
        "start": "2026-04-06",
        "finish": "2026-06-26",
    }
    response = pm.post("/api/v1/resource-requests", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["hours_a_week"], body["requested_by"]) == ("submitted", "10.00", "pm")
    pk = body["id"]
    denied = pm.post(
        f"/api/v1/resource-requests/{pk}/assign", {"person_id": pool["member"].pk}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert ResourceRequest.objects.get().state == "submitted"
    done = rm.post(
        f"/api/v1/resource-requests/{pk}/assign", {"person_id": pool["member"].pk}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["assigned_person"] == {"id": pool["member"].pk, "name": "Member"}
    again = rm.post(f"/api/v1/resource-requests/{pk}/decline", {"reason": "x"}, content_type="application/json")
    assert again.status_code == 409


def test_profile_and_gaps_over_the_api(pool, roles):
    rm = _client(pool["rm"])
    member = pool["member"]
    response = rm.post(
        f"/api/v1/people/{member.pk}/capacity-periods",
        {"start": "2026-01-01", "hours_per_week": "30"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = rm.get(f"/api/v1/people/{member.pk}/pool").json()
    assert body["primary_role"]["name"] == "Developer"
    assert [(g["skill"]["name"], g["gap"]) for g in body["gaps"]] == [("Scrum", 3), ("Python", 2)]
    assert body["capacity_periods"] == [{"start": "2026-01-01", "hours_per_week": "30.00", "fte": None}]
    gaps = _client(roles[Role.EXECUTIVE]).get("/api/v1/competency-gaps").json()
    assert len(gaps) == 2
    assert _client(roles[Role.REQUESTER]).get("/api/v1/competency-gaps").status_code == 403
    denied = _client(roles[Role.TEAM_MEMBER]).put(
        f"/api/v1/people/{member.pk}/pool", {"non_project_percent": "50"}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert rm.get(f"/api/v1/people/{member.pk}/pool").json()["non_project_percent"] == "0.00"
    assert Decimal(body["capacity_today"]) in (Decimal("30"), Decimal("40"))
