"""Levelling two projects that share one person: the proposal says who moves, how far and why; accepting it
pins the delayed tasks (audited) and the plans no longer over-allocate; discarding changes nothing."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from pmo.core import audit
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.planning import leveling, services
from pmo.planning.models import LevelingRun, Task
from pmo.portfolio import services as portfolio_services


@pytest.fixture
def shared(roles, org):
    """P1 (priority critical) and P2 (low) each need Jonas full-time for 5 days from Monday 4 January 2027."""
    jonas = org["person"][Role.TEAM_MEMBER]
    start = timezone.make_aware(dt.datetime(2027, 1, 4, 8))
    for project, priority in ((org["p1"], 1), (org["p2"], 4)):
        portfolio_services.project_update(actor=SYSTEM, project=project, priority=priority)
        portfolio_services.project_transition(actor=SYSTEM, project=project, to_state="approved")
        services.plan_replace(
            actor=SYSTEM,
            project=project,
            start=start,
            tasks=[
                services.TaskSpec(uid=1, name="Build", duration_minutes=5 * 480, assignments=((jonas, Decimal("1")),)),
                services.TaskSpec(uid=2, name="Release", duration_minutes=0, links=((1, "FS", 0, False),)),
            ],
        )
    return {"jonas": jonas, "today": start}


def test_proposal_moves_the_lower_priority_project_and_names_the_person(roles, org, shared):
    run = LevelingRun.objects.create(mode="fast", time_limit_s=2)
    run.projects.set([org["p1"], org["p2"]])
    result = leveling.solve(run)  # the plans start after today, so the origin is their start
    rows = {p["code"]: p for p in result["projects"]}
    assert (rows["P1"]["moved_days"], rows["P2"]["moved_days"]) == (0, 5)
    assert rows["P2"]["bottleneck"] == "Member"
    assert rows["P2"]["finish_after"] == "2027-01-15T17:00:00"
    assert [(t["uid"], t["new_start"], t["held_by"]) for t in result["tasks"] if t["project_id"] == org["p2"].pk] == [
        (1, "2027-01-11T08:00:00", "Member"),
        (2, "2027-01-18T08:00:00", ""),
    ]


def test_accept_pins_delayed_tasks_and_discard_changes_nothing(roles, org, shared):
    run = LevelingRun.objects.create(mode="exact", time_limit_s=2, status=LevelingRun.Status.QUEUED)
    run.projects.set([org["p1"], org["p2"]])
    run.result = leveling.solve(run)  # the plans start after today, so the origin is their start
    run.status = LevelingRun.Status.DONE
    run.save()
    changed = leveling.leveling_accept(actor=roles[Role.PMO_DIRECTOR], run=run)
    build = Task.objects.get(project=org["p2"], uid=1)
    assert changed == 2
    assert (build.constraint_type, timezone.localtime(build.start).isoformat()) == ("SNET", "2027-01-11T08:00:00+00:00")
    assert audit.history_of(build).first().comment == f"Levelled by run {run.pk} (held back by Member)"
    with pytest.raises(Conflict):
        leveling.leveling_accept(actor=roles[Role.PMO_DIRECTOR], run=run)


def test_analyst_starts_a_run_over_the_api_but_cannot_accept_it(roles, org, shared, django_capture_on_commit_callbacks):
    token = token_create(user=roles[Role.PMO_ANALYST], name="a")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/v1/leveling-runs",
            data=json.dumps({"project_ids": [org["p1"].pk, org["p2"].pk], "mode": "fast", "time_limit_s": 1}),
            content_type="application/json",
            **headers,
        )
    assert response.status_code == 202
    run_id = response.json()["id"]
    body = Client().get(f"/api/v1/leveling-runs/{run_id}", **headers).json()
    assert body["status"] == "done"  # the immediate task backend runs it at once
    assert [p["code"] for p in body["result"]["projects"]] == ["P1", "P2"]
    before = list(Task.objects.values_list("pk", "constraint_type", "version"))
    response = Client().post(f"/api/v1/leveling-runs/{run_id}/accept", **headers)
    assert response.status_code == 403
    assert list(Task.objects.values_list("pk", "constraint_type", "version")) == before
    response = Client().post(f"/api/v1/leveling-runs/{run_id}/discard", **headers)
    assert (response.status_code, response.json()["status"]) == (200, "discarded")
    assert list(Task.objects.values_list("pk", "constraint_type", "version")) == before


def test_bad_requests_name_the_field(roles, org):
    token = token_create(user=roles[Role.PMO_ANALYST], name="a")[1]
    response = Client().post(
        "/api/v1/leveling-runs",
        data=json.dumps({"project_ids": [999999]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert (response.status_code, response.json()["details"]["fields"]) == (
        422,
        {"project_ids": ["No project with id 999999."]},
    )


def test_portfolio_page_offers_levelling_and_the_run_page_explains(
    client_for, org, shared, django_capture_on_commit_callbacks
):
    client = client_for(Role.PMO_DIRECTOR)
    html = client.get(f"/portfolios/{org['portfolio'].pk}/").content.decode()
    assert "Level projects over shared people" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/leveling/", {"projects": [org["p1"].pk, org["p2"].pk], "mode": "fast", "time_limit": "1"}
        )
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "What levelling does to each project" in page
    assert "Accept and update the plans" in page


@pytest.mark.parametrize("mode", ["fast", "exact"])
def test_within_float_moves_tasks_but_no_project_finish(roles, org, shared, mode):
    """P2 also writes documentation for 10 days, so its build has 5 days of float: levelled within float, the
    build waits for Jonas and P2 still finishes when it would have anyway."""
    jonas = shared["jonas"]
    services.plan_replace(
        actor=SYSTEM,
        project=org["p2"],
        start=shared["today"],
        tasks=[
            services.TaskSpec(uid=1, name="Build", duration_minutes=5 * 480, assignments=((jonas, Decimal("1")),)),
            services.TaskSpec(uid=2, name="Docs", duration_minutes=10 * 480),
            services.TaskSpec(
                uid=3, name="Release", duration_minutes=0, links=((1, "FS", 0, False), (2, "FS", 0, False))
            ),
        ],
    )
    run = leveling.leveling_start(
        actor=roles[Role.PMO_ANALYST], projects=[org["p1"], org["p2"]], mode=mode, time_limit_s=2, within_float=True
    )
    result = leveling.solve(run)
    rows = {p["code"]: p for p in result["projects"]}
    assert (result["status"], result["within_float"]) == ("optimal", True)
    assert (rows["P1"]["moved_days"], rows["P2"]["moved_days"]) == (0, 0)
    assert rows["P2"]["finish_after"] == "2027-01-15T17:00:00"
    assert [(t["uid"], t["new_start"]) for t in result["tasks"]] == [(1, "2027-01-11T08:00:00")]


def test_within_float_says_when_a_finish_must_move(roles, org, shared):
    """Both projects need Jonas for their whole critical path: one of them has to finish later."""
    run = leveling.leveling_start(
        actor=roles[Role.PMO_ANALYST], projects=[org["p1"], org["p2"]], mode="fast", time_limit_s=2, within_float=True
    )
    result = leveling.solve(run)
    assert result["status"] == "infeasible"
    assert result["message"].startswith("no schedule keeps every project within its float")
    assert result["message"] == (
        "no schedule keeps every project within its float found (best effort overruns by 5 working day(s) in "
        "total; not a proof, try exact mode)"
    )
    exact = leveling.solve(
        leveling.leveling_start(
            actor=roles[Role.PMO_ANALYST],
            projects=[org["p1"], org["p2"]],
            mode="exact",
            time_limit_s=2,
            within_float=True,
        )
    )
    assert exact["status"] == "infeasible"
    assert exact["message"] == (
        "no schedule keeps every project within its float (proven); the schedule shown is the best effort, "
        "overrunning the critical-path finishes by 5 working day(s) in total"
    )
