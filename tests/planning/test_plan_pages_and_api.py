"""The plan page and the plan API: the same text forms, the same refusals."""

import json

import pytest
from django.test import Client

from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.planning import services
from pmo.planning.models import Baseline, Dependency, Task


def api(client, method, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    kwargs = {"content_type": "application/json", **headers}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    response = getattr(client, method)(f"/api/v1{path}", **kwargs)
    return response.status_code, response.json() if response.content else None


@pytest.fixture
def pm_token(roles):
    return token_create(user=roles[Role.PROJECT_MANAGER], name="t")[1]


def test_plan_built_over_the_api(org, pm_token):
    project = org["p1"].pk
    status, plan = api(
        Client(), "post", f"/projects/{project}/plan/tasks", {"name": "Design", "duration": "3d"}, pm_token
    )
    assert status == 201
    status, plan = api(
        Client(),
        "post",
        f"/projects/{project}/plan/tasks",
        {"name": "Build", "duration": "1w", "predecessors": "1FS+1d"},
        pm_token,
    )
    build = plan["tasks"][1]
    assert (build["uid"], build["duration"], build["duration_minutes"], build["predecessors"]) == (
        2,
        "5d",
        2400,
        "1FS+1d",
    )
    assert build["start"] == "2026-01-09T08:00:00Z"
    assert plan["scheduled_finish"] == "2026-01-15T17:00:00Z"
    assert plan["critical_path"] == [1, 2]
    status, plan = api(
        Client(), "patch", f"/projects/{project}/plan/tasks/2", {"duration": "2d", "version": 1}, pm_token
    )
    assert (status, plan["scheduled_finish"]) == (200, "2026-01-12T17:00:00Z")
    status, body = api(
        Client(), "patch", f"/projects/{project}/plan/tasks/2", {"duration": "2d", "version": 1}, pm_token
    )
    assert (status, body["code"]) == (409, "stale_version")
    status, body = api(Client(), "patch", f"/projects/{project}/plan/tasks/1", {"predecessors": "2"}, pm_token)
    assert status == 422
    assert body["details"]["fields"] == {"predecessors": ["These links make a loop: 1 Design -> 2 Build -> 1 Design."]}
    status, body = api(Client(), "patch", f"/projects/{project}/plan/tasks/1", {"duration": "soon"}, pm_token)
    assert (status, list(body["details"]["fields"])) == (422, ["duration"])
    status, baseline = api(Client(), "post", f"/projects/{project}/baselines", {"name": "Approved"}, pm_token)
    assert status == 201
    api(Client(), "patch", f"/projects/{project}/plan/tasks/2", {"duration": "4d"}, pm_token)
    status, comparison = api(
        Client(), "get", f"/projects/{project}/baselines/compare?reference={baseline['id']}", None, pm_token
    )
    assert (status, comparison["finish_variance_days"]) == (200, 2.0)
    assert [(r["uid"], r["finish_variance_days"]) for r in comparison["rows"]] == [(1, 0.0), (2, 2.0)]
    # Three-point estimate for schedule risk analysis (the duration is the most likely value).
    path = f"/projects/{project}/plan/tasks/2"
    status, plan = api(Client(), "patch", path, {"optimistic": "3d", "pessimistic": "7d"}, pm_token)
    assert (status, plan["tasks"][1]["optimistic"], plan["tasks"][1]["pessimistic"]) == (200, "3d", "7d")
    status, body = api(Client(), "patch", path, {"pessimistic": "2d"}, pm_token)
    assert (status, list(body["details"]["fields"])) == (422, ["pessimistic_minutes"])
    status, plan = api(Client(), "patch", path, {"optimistic": ""}, pm_token)
    assert (plan["tasks"][1]["optimistic"], plan["tasks"][1]["pessimistic"]) == (None, "7d")


def test_executive_reads_the_plan_but_cannot_change_it(roles, org):
    services.task_create(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], name="Design")
    token = token_create(user=roles[Role.EXECUTIVE], name="e")[1]
    status, plan = api(Client(), "get", f"/projects/{org['p1'].pk}/plan", None, token)
    assert (status, [t["name"] for t in plan["tasks"]]) == (200, ["Design"])
    before = list(Task.objects.values_list("name", "duration_minutes", "version"))
    for method, path, body in [
        ("post", "/plan/tasks", {"name": "X"}),
        ("patch", "/plan/tasks/1", {"name": "X"}),
        ("delete", "/plan/tasks/1", None),
        ("post", "/baselines", {"name": "B"}),
    ]:
        status, response = api(Client(), method, f"/projects/{org['p1'].pk}{path}", body, token)
        assert (status, response["code"]) == (403, "permission_denied"), path
    assert list(Task.objects.values_list("name", "duration_minutes", "version")) == before
    assert Baseline.objects.count() == 0


def test_requester_cannot_see_plans(roles, org):
    token = token_create(user=roles[Role.REQUESTER], name="r")[1]
    status, _ = api(Client(), "get", f"/projects/{org['p1'].pk}/plan", None, token)
    assert status == 403


def test_plan_page_edits_and_shows_the_gantt(client_for, org):
    client = client_for(Role.PROJECT_MANAGER)
    project = org["p1"]
    response = client.post(f"/projects/{project.pk}/plan/tasks/", {"name": "Design", "duration": "3d"})
    assert response.status_code == 302
    client.post(f"/projects/{project.pk}/plan/tasks/", {"name": "Build", "duration": "2d", "predecessors": "1"})
    build = Task.objects.get(project=project, uid=2)
    response = client.post(
        f"/projects/{project.pk}/plan/tasks/{build.pk}/",
        {
            "name": "Build",
            "duration": "2d",
            "predecessors": "1FS+2d",
            "constraint_type": "ASAP",
            "percent_complete": "0",
            "version": build.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Task 2 saved; the plan now finishes 13 Jan 2026." in html
    assert Dependency.objects.get(successor=build).lag_minutes == 960
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="gantt"' in html
    assert html.count('class="g-bar critical"') == 2
    response = client.post(
        f"/projects/{project.pk}/plan/tasks/{build.pk}/", {"name": "Build", "predecessors": "7"}, follow=True
    )
    assert "Task 2 was not saved. Predecessors: No task number 7 in this plan." in response.content.decode()
    response = client.post(f"/projects/{project.pk}/plan/baselines/", {"name": "Approved"}, follow=True)
    assert "Baseline &#x27;Approved&#x27; captured." in response.content.decode()


def test_executive_plan_page_is_read_only(client_for, roles, org):
    services.task_create(actor=roles[Role.PROJECT_MANAGER], project=org["p1"], name="Design")
    client = client_for(Role.EXECUTIVE)
    html = client.get(f"/projects/{org['p1'].pk}/plan/").content.decode()
    assert "Design" in html and "Add a task" not in html and "data-autosave" not in html
    task = Task.objects.get()
    response = client.post(f"/projects/{org['p1'].pk}/plan/tasks/{task.pk}/", {"name": "Hijacked"})
    assert response.status_code == 403
    assert Task.objects.get().name == "Design"


def test_a_plan_that_cannot_be_scheduled_still_opens_and_says_why(org, client_for):
    from decimal import Decimal

    from pmo.core.access import SYSTEM
    from pmo.planning.models import Plan

    task = services.task_create(actor=SYSTEM, project=org["p1"], name="Build", duration_minutes=480)
    # Progress recorded without an actual start (as an import of bad data can leave it).
    Task.objects.filter(pk=task.pk).update(percent_complete=Decimal(50), actual_start=None)
    Plan.objects.filter(project=org["p1"]).update(scheduled_at=None)
    page = client_for(Role.PROJECT_MANAGER).get(f"/projects/{org['p1'].pk}/plan/")
    assert page.status_code == 200
    shown = [str(m) for m in page.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith("The plan cannot be scheduled: ")
