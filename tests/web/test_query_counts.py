"""The number of SQL queries of each main page does not grow with the number of projects: the pages are
measured with a few projects, then again with more (each with a plan, people and a risk)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.portfolio import services as portfolio_services

MONDAY = timezone.make_aware(dt.datetime(2026, 1, 5, 8))

PAGES = [
    "/",
    "/projects/",
    "/portfolios/{portfolio}/",
    "/programs/{program}/",
    "/dashboard/",
    "/roadmap/",
    "/capacity/",
    "/risks/",
    "/deviations/",
    "/proposals/",
    "/governance/gates/",
    "/benefits/",
    "/api/v1/projects",
    "/api/v1/portfolios/{portfolio}/dependencies",
]


def _add_projects(org, first: int, count: int) -> None:
    member = org["person"][Role.TEAM_MEMBER]
    for i in range(first, first + count):
        project = portfolio_services.project_create(
            actor=SYSTEM,
            code=f"Q{i:02d}",
            name=f"Query project {i}",
            portfolio=org["portfolio"],
            program=org["program"],
            manager=org["person"][Role.PROJECT_MANAGER],
            budget=Decimal("100000"),
        )
        portfolio_services.project_transition(actor=SYSTEM, project=project, to_state="approved")
        specs = [
            planning.TaskSpec(uid=1, name="Build", duration_minutes=5 * 480, assignments=((member, Decimal(1)),)),
            planning.TaskSpec(uid=2, name="Done", duration_minutes=0, links=((1, "FS", 0, False),)),
        ]
        planning.plan_replace(actor=SYSTEM, project=project, tasks=specs, start=MONDAY)


def _counts(client, org) -> dict[str, int]:
    out = {}
    for page in PAGES:
        url = page.format(portfolio=org["portfolio"].pk, program=org["program"].pk)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        out[url] = len(queries)
    return out


@pytest.mark.parametrize("role", [Role.PMO_DIRECTOR, Role.PROJECT_MANAGER])
def test_queries_per_page_do_not_grow_with_the_projects(org, client_for, role):
    client = client_for(role)
    _add_projects(org, 1, 2)
    client.get("/")  # warm the caches of the first request (content types, sessions)
    few = _counts(client, org)
    _add_projects(org, 3, 6)
    many = _counts(client, org)
    grown = {url: (few[url], many[url]) for url in few if many[url] != few[url]}
    assert not grown, f"queries grew with the number of projects (few, many): {grown}"
