"""API fuzzing: schemathesis generates requests for every operation of /api/v1/openapi.json and sends
them in process, authenticated as the PMO director, to the organisation of the `org` fixture.

Every response must not be a server error, must use a status code the schema declares for the
operation, and its body must match the declared schema. Runs are deterministic (derandomized)."""

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def director_token(org: dict[str, Any], roles: dict[Role, Any]) -> str:
    return token_create(user=roles[Role.PMO_DIRECTOR], name="fuzzing")[1]


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case: Any, director_token: str) -> None:
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
    for method, path in [("get", "/api/v1/projects/abc"), ("delete", "/api/v1/tokens/null"), ("post", "/api/v1/nope")]:
        response = getattr(client, method)(path)
        assert (response.status_code, response["Content-Type"]) == (404, "application/json; charset=utf-8")
        assert response.json() == {"code": "not_found", "message": f"No API endpoint at {path}.", "details": {}}


def test_numbers_beyond_the_database_range_are_refused_as_bad_input(director_token: str) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {director_token}")
    response = client.get(f"/api/v1/stakeholders?project_id={2**70}")
    assert (response.status_code, response.json()) == (
        422,
        {"code": "validation_error", "message": "Invalid input: a number is too large.", "details": {"fields": {}}},
    )
    response = client.get("/api/v1/projects?page=1000001")
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["page"]
