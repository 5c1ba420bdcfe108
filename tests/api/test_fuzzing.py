"""API fuzzing: schemathesis generates requests for every operation of /api/v1/openapi.json and sends
them in process, authenticated as the PMO director, to the organisation of the `org` fixture.

Every response must not be a server error, must use a status code the schema declares for the
operation, and its body must match the declared schema. Runs are deterministic (derandomized)."""

from typing import Any
from urllib.parse import unquote

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connection
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pmo.core.roles import Role
from pmo.core.services import token_create

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# Examples per operation: 301 operations x 10 examples take about 2 minutes of CPU (4.5 minutes of wall
# time on a busy 2-core machine), on SQLite and on PostgreSQL alike.
MAX_EXAMPLES = 10

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def director_token(org: dict[str, Any], roles: dict[Role, Any]) -> str:
    return token_create(user=roles[Role.PMO_DIRECTOR], name="fuzzing")[1]


@pytest.fixture
def known_ids(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, int]:
    """Records of the `org` fixture by the first segment of the paths that address them."""
    return {
        "projects": org["p1"].pk,
        "portfolios": org["portfolio"].pk,
        "programs": org["program"].pk,
        "objectives": org["objective"].pk,
        "people": org["person"][Role.PROJECT_MANAGER].pk,
    }


@pytest.fixture
def keep_connection() -> Any:
    """Requests go through the real WSGI handler, whose request signals close the database connection
    (and with it the test's transaction on PostgreSQL); Django's test client holds them off the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case: Any, director_token: str, known_ids: dict[str, int], keep_connection: None) -> None:
    # Random ids mostly name nothing (404); every other example addresses a record that exists, so the
    # handler behind the lookup is fuzzed too.
    segment = case.operation.path.split("/")[3]
    counter = known_ids.setdefault("_examples", 0)
    known_ids["_examples"] = counter + 1
    if counter % 2 == 0 and segment in known_ids and isinstance((case.path_parameters or {}).get("pk"), int):
        case.path_parameters["pk"] = known_ids[segment]
    case.call_and_validate(headers={"Authorization": f"Bearer {director_token}"}, checks=CHECKS)


def test_schema_names_are_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    # django-ninja names each OpenAPI component after its class (schema or enum) and silently keeps the
    # last of two different ones with the same name, so an endpoint would be documented with another's schema.
    from ninja.openapi.schema import OpenAPISchema

    from pmo.api.main import api

    clashes: dict[str, int] = {}
    original = OpenAPISchema.add_schema_definitions

    def add_schema_definitions(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                clashes[name] = clashes.get(name, 1) + 1
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add_schema_definitions)
    api.get_openapi_schema()
    assert clashes == {}


def test_unknown_api_path_answers_with_the_error_shape(director_token: str) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {director_token}")
    for method, path in [
        ("get", "/api/v1/projects/abc"),
        ("delete", "/api/v1/tokens/null"),
        ("post", "/api/v1/nope"),
        ("patch", "/api/v1/people/a%0Ab"),
    ]:
        response = getattr(client, method)(path)
        assert (response.status_code, response["Content-Type"]) == (404, "application/json; charset=utf-8")
        assert response.json() == {
            "code": "not_found",
            "message": f"No API endpoint at {unquote(path)}.",
            "details": {},
        }


def test_numbers_beyond_the_database_range_are_refused_as_bad_input(director_token: str) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {director_token}")
    response = client.get(f"/api/v1/stakeholders?project_id={2**70}")
    if connection.vendor == "sqlite":  # SQLite cannot bind it; PostgreSQL compares it and finds nothing
        assert (response.status_code, response.json()) == (
            422,
            {"code": "validation_error", "message": "Invalid input: a number is too large.", "details": {"fields": {}}},
        )
    else:
        assert (response.status_code, response.json()) == (200, [])
    response = client.get("/api/v1/projects?page=1000001")
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["page"]


def test_explicit_null_for_a_required_column_is_refused_and_changes_nothing(org: dict[str, Any], director_token: str):
    import json

    from django.test import Client

    person = org["person"][Role.PROJECT_MANAGER]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {director_token}")
    response = client.patch(f"/api/v1/people/{person.pk}", json.dumps({"email": None}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"]["fields"] == {
        "email": ["May not be null: leave the field out to keep its value."]
    }
    person.refresh_from_db()
    assert (person.email, person.version) == ("", 1)


def test_notification_ids_beyond_the_database_range_are_refused(director_token: str) -> None:
    import json

    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {director_token}")
    response = client.post("/api/v1/notifications/read", json.dumps({"ids": [2**70]}), content_type="application/json")
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["ids.0"]


def test_text_no_database_can_hold_is_refused_and_changes_nothing(director_token: str) -> None:
    import json

    from django.test import Client

    from pmo.documents.models import DocumentTemplate

    client = Client(HTTP_AUTHORIZATION=f"Bearer {director_token}")
    for text in ["a\x00b", "a\ud800b"]:
        body = json.dumps({"name": "Plan", "kind": "plan", "description": text})
        response = client.post("/api/v1/document-templates", body, content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (400, "bad_request")
    response = client.get("/api/v1/projects?q=a%00b")
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "bad_request",
            "message": "Text may not contain NUL characters or unpaired surrogates.",
            "details": {},
        },
    )
    assert DocumentTemplate.objects.count() == 0
