"""The REST API: CRUD with filters and pagination, one error shape, token and session auth."""

import json

import pytest
from django.test import Client

from pmo.core.models import ApiToken, AuditEvent
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.portfolio.models import Project


def api(client: Client, method: str, path: str, body=None, **headers):
    kwargs = {"content_type": "application/json", **headers}
    if body is not None:
        kwargs["data"] = body if isinstance(body, str) else json.dumps(body)
    response = getattr(client, method)(f"/api/v1{path}", **kwargs)
    return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def pm_token(roles):
    return token_create(user=roles[Role.PROJECT_MANAGER], name="tests")[1]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def database_state():
    return (
        list(Project.objects.order_by("pk").values_list("pk", "code", "name", "state", "budget", "version")),
        AuditEvent.objects.count(),
    )


def test_list_projects_with_filters_search_ordering_and_pagination(org, pm_token):
    client = Client()
    status, body = api(client, "get", "/projects?ordering=-code&page_size=1", **bearer(pm_token))
    assert status == 200
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 1)
    assert [p["code"] for p in body["items"]] == ["P2"]
    status, body = api(client, "get", "/projects?q=mobile", **bearer(pm_token))
    assert [p["code"] for p in body["items"]] == ["P1"]
    status, body = api(client, "get", f"/projects?program_id={org['program'].pk}&state=proposed", **bearer(pm_token))
    assert [p["code"] for p in body["items"]] == ["P1"]
    item = body["items"][0]
    assert item["budget"] == "1250000.00"
    assert item["portfolio"] == {"id": org["portfolio"].pk, "code": "DIG", "name": "Digital"}
    assert item["objectives"] == [{"id": org["objective"].pk, "code": "SO1", "name": "Grow revenue"}]
    assert item["allowed_transitions"] == []  # a project manager may not approve or cancel


def test_bad_ordering_and_bad_filter_name_the_field(org, pm_token):
    status, body = api(Client(), "get", "/projects?ordering=secret", **bearer(pm_token))
    assert status == 422
    assert body["code"] == "validation_error"
    assert list(body["details"]["fields"]) == ["ordering"]
    status, body = api(Client(), "get", "/projects?state=dreaming", **bearer(pm_token))
    assert status == 422
    assert list(body["details"]["fields"]) == ["state"]


def test_create_read_update_history(roles, org, pm_token):
    client = Client()
    payload = {
        "code": "P3",
        "name": "Chatbot",
        "portfolio_id": org["portfolio"].pk,
        "manager_id": roles[Role.PROJECT_MANAGER].person.pk,
        "planned_start": "2027-01-04",
        "planned_finish": "2027-06-30",
        "budget": "250000.50",
        "objective_ids": [org["objective"].pk],
    }
    status, created = api(client, "post", "/projects", payload, **bearer(pm_token))
    assert status == 201
    assert (created["code"], created["state"], created["budget"], created["version"]) == (
        "P3",
        "proposed",
        "250000.50",
        1,
    )
    status, updated = api(
        client,
        "patch",
        f"/projects/{created['id']}",
        {"name": "Support chatbot", "version": 1},
        **bearer(pm_token),
    )
    assert (status, updated["name"], updated["version"]) == (200, "Support chatbot", 2)
    status, history = api(client, "get", f"/projects/{created['id']}/history", **bearer(pm_token))
    assert status == 200
    assert [(e["action"], e["actor"]) for e in history] == [("update", "pm"), ("create", "pm")]
    assert history[0]["changes"] == {"name": {"old": "Chatbot", "new": "Support chatbot"}}


def test_validation_errors_name_the_field_and_write_nothing(org, pm_token):
    before = database_state()
    status, body = api(
        Client(),
        "post",
        "/projects",
        {"code": "P4", "portfolio_id": org["portfolio"].pk, "budget": "-5"},
        **bearer(pm_token),
    )
    assert status == 422
    assert sorted(body["details"]["fields"]) == ["budget", "name"]
    assert body["message"].startswith("Invalid input: ")
    status, body = api(
        Client(), "post", "/projects", {"code": "P4", "name": "X", "portfolio_id": 999999}, **bearer(pm_token)
    )
    assert (status, body["details"]["fields"]) == (422, {"portfolio_id": ["No portfolio with id 999999."]})
    status, body = api(
        Client(),
        "patch",
        f"/projects/{org['p1'].pk}",
        {"planned_finish": "2025-01-01"},
        **bearer(pm_token),
    )
    assert (status, body["details"]["fields"]) == (
        422,
        {"planned_finish": ["The planned finish cannot be before the planned start."]},
    )
    assert database_state() == before


def test_malformed_json_is_a_400(org, pm_token):
    status, body = api(Client(), "post", "/projects", "{not json", **bearer(pm_token))
    assert (status, body["code"]) == (400, "bad_request")


def test_unauthenticated_and_revoked_tokens_get_401(roles, pm_token):
    status, body = api(Client(), "get", "/projects")
    assert (status, body["code"]) == (401, "not_authenticated")
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    status, _ = api(Client(), "get", "/projects", **bearer(pm_token))
    assert status == 401
    status, _ = api(Client(), "get", "/projects", **bearer("pmo_forged"))
    assert status == 401


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("post", "", {"code": "P5", "name": "Nope", "portfolio_id": None}),
        ("patch", "/{id}", {"name": "Hijacked"}),
        ("delete", "/{id}", None),
        ("post", "/{id}/transition", {"to_state": "approved"}),
    ],
)
def test_executive_writes_are_refused_and_change_nothing(roles, org, method, suffix, body):
    token = token_create(user=roles[Role.EXECUTIVE], name="x")[1]
    if body and body.get("portfolio_id", 0) is None:
        body["portfolio_id"] = org["portfolio"].pk
    before = database_state()
    status, response = api(Client(), method, "/projects" + suffix.format(id=org["p1"].pk), body, **bearer(token))
    assert status == 403
    assert response["code"] == "permission_denied"
    assert set(response) == {"code", "message", "details"}
    assert database_state() == before


def test_project_manager_cannot_edit_someone_elses_project(org, pm_token):
    before = database_state()
    status, body = api(Client(), "patch", f"/projects/{org['p2'].pk}", {"name": "Mine now"}, **bearer(pm_token))
    assert (status, body["message"]) == (403, "You are not allowed to change project P2 Data lake.")
    assert database_state() == before


def test_not_found_and_conflicts(roles, org, pm_token):
    status, body = api(Client(), "get", "/projects/999999", **bearer(pm_token))
    assert (status, body["code"], body["message"]) == (404, "not_found", "No project with id 999999.")
    api(Client(), "patch", f"/projects/{org['p1'].pk}", {"name": "One", "version": 1}, **bearer(pm_token))
    status, body = api(
        Client(), "patch", f"/projects/{org['p1'].pk}", {"name": "Two", "version": 1}, **bearer(pm_token)
    )
    assert (status, body["code"], body["details"]["current_version"]) == (409, "stale_version", 2)
    assert body["details"]["current"]["name"] == "One"  # what was saved meanwhile
    director = token_create(user=roles[Role.PMO_DIRECTOR], name="d")[1]
    status, body = api(
        Client(), "post", f"/projects/{org['p1'].pk}/transition", {"to_state": "closed"}, **bearer(director)
    )
    assert (status, body["code"]) == (409, "conflict")
    assert body["details"] == {"state": "proposed", "allowed": ["approved", "cancelled"]}


def test_requester_sees_public_facts_only(roles, org):
    token = token_create(user=roles[Role.REQUESTER], name="r")[1]
    status, body = api(Client(), "get", f"/projects/{org['p1'].pk}", **bearer(token))
    assert status == 200
    assert (body["name"], body["budget"], body["health"], body["priority"]) == (
        "Mobile app",
        None,
        None,
        None,
    )
    status, _ = api(Client(), "get", f"/projects/{org['p1'].pk}/history", **bearer(token))
    assert status == 403
    status, _ = api(Client(), "get", "/people", **bearer(token))
    assert status == 403


def test_session_auth_requires_csrf_for_writes(roles, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles[Role.PMO_DIRECTOR])
    status, _ = api(client, "get", "/projects")
    assert status == 200
    before = database_state()
    status, _ = api(client, "patch", f"/projects/{org['p1'].pk}", {"name": "No token"})
    assert status == 403
    assert database_state() == before


def test_tokens_are_listed_created_once_and_revoked(roles):
    client = Client()
    client.force_login(roles[Role.TEAM_MEMBER])
    status, created = api(client, "post", "/tokens", {"name": "my script"})
    assert status == 201
    assert created["token"].startswith("pmo_") and len(created["token"]) > 40
    stored = ApiToken.objects.get(pk=created["id"])
    assert created["token"] not in (stored.digest, stored.prefix)
    status, listed = api(client, "get", "/tokens")
    assert [t["name"] for t in listed] == ["my script"] and "token" not in listed[0]
    status, me = api(Client(), "get", "/me", **bearer(created["token"]))
    assert (status, me["username"], me["roles"]) == (200, "member", ["Team member"])
    status, _ = api(client, "delete", f"/tokens/{created['id']}")
    assert status == 204
    status, _ = api(Client(), "get", "/me", **bearer(created["token"]))
    assert status == 401


def test_other_resources_crud(roles, org):
    token = token_create(user=roles[Role.PMO_DIRECTOR], name="d")[1]
    status, unit = api(Client(), "post", "/org-units", {"code": "IT", "name": "IT"}, **bearer(token))
    assert status == 201
    status, person = api(
        Client(), "post", "/people", {"name": "Ada Lovelace", "org_unit_id": unit["id"]}, **bearer(token)
    )
    assert (status, person["org_unit"]) == (201, {"id": unit["id"], "name": "IT"})
    status, program = api(
        Client(),
        "post",
        "/programs",
        {"code": "NEW", "name": "New", "portfolio_id": org["portfolio"].pk},
        **bearer(token),
    )
    assert status == 201
    status, objective = api(Client(), "post", "/objectives", {"code": "so 2", "name": "x"}, **bearer(token))
    assert (status, list(objective["details"]["fields"])) == (422, ["code"])
    status, portfolios = api(Client(), "get", "/portfolios?ordering=code", **bearer(token))
    assert [(p["code"], p["project_count"]) for p in portfolios["items"]] == [("DIG", 2), ("OPS", 0)]
    status, _ = api(Client(), "delete", f"/programs/{program['id']}", **bearer(token))
    assert status == 204


def test_openapi_document_lists_every_endpoint():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for resource in ("projects", "portfolios", "programs", "objectives", "people", "org-units"):
        assert {
            f"/api/v1/{resource}",
            f"/api/v1/{resource}/{{pk}}",
            f"/api/v1/{resource}/{{pk}}/history",
        } <= set(paths)
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert Client().get("/api/v1/docs").status_code == 200


def test_a_read_only_token_reads_and_changes_nothing(roles, org):
    token = token_create(user=roles[Role.PROJECT_MANAGER], name="dashboards", scope="read", expires_in_days=30)[1]
    status, body = api(Client(), "get", "/projects", **bearer(token))
    assert status == 200 and [p["code"] for p in body["items"]] == ["P1", "P2"]
    before = database_state()
    status, body = api(Client(), "patch", f"/projects/{org['p1'].pk}", {"name": "Renamed"}, **bearer(token))
    assert (status, body["code"]) == (403, "permission_denied")
    assert body["message"] == "This API token is read-only: create a read-write token to make changes."
    assert database_state() == before


def test_an_expired_token_is_refused(roles, org):
    record, token = token_create(user=roles[Role.PROJECT_MANAGER], name="old", expires_in_days=1)
    assert api(Client(), "get", "/projects", **bearer(token))[0] == 200
    ApiToken.objects.filter(pk=record.pk).update(expires_at="2026-01-01T00:00:00Z")
    assert api(Client(), "get", "/projects", **bearer(token))[0] == 401


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"scope": "admin"}, {"scope": ["Choose read or write."]}),
        ({"expires_in_days": 0}, {"expires_in_days": ["Between 1 and 366 days."]}),
        ({"name": " "}, {"name": ["Give the token a name, such as the script that will use it."]}),
    ],
)
def test_bad_token_requests_name_the_field(roles, fields, errors):
    from pmo.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        token_create(user=roles[Role.PROJECT_MANAGER], **{"name": "x", **fields})
    assert error.value.fields == errors
    assert not ApiToken.objects.exists()
