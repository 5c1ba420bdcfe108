"""Schedule and cost risk analysis in the product: the plan and the register mapped into the engine,
results as dates on the project calendar, a portfolio's milestones across cross-project links, the
pages, the API and who may run it."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.planning import links
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.portfolio.models import Project
from pmo.risks import services, simulation
from pmo.risks.models import SimulationRun

MONDAY = timezone.make_aware(dt.datetime(2026, 1, 5, 8))
DAY = 480


def _plan(project, durations, *, fixed=True):
    """A chain of tasks (name, working days) then a milestone "Done", from Monday 5 January 2026."""
    specs = []
    for uid, (name, days) in enumerate(durations, start=1):
        specs.append(
            planning.TaskSpec(
                uid=uid,
                name=name,
                duration_minutes=days * DAY,
                links=((uid - 1, "FS", 0, False),) if uid > 1 else (),
                optimistic_minutes=days * DAY if fixed else None,
                pessimistic_minutes=days * DAY if fixed else None,
            )
        )
    last = len(specs)
    specs.append(planning.TaskSpec(uid=last + 1, name="Done", duration_minutes=0, links=((last, "FS", 0, False),)))
    planning.plan_replace(actor=SYSTEM, project=project, tasks=specs, start=MONDAY)
    planning.baseline_capture(actor=SYSTEM, project=project, name="Approved")


def _run(project=None, portfolio=None, capture=None, **options):
    with capture(execute=True):
        run = simulation.simulation_start(actor=SYSTEM, project=project, portfolio=portfolio, **options)
    run.refresh_from_db()
    return run


def test_certain_estimates_give_the_plan_itself(org, django_capture_on_commit_callbacks):
    """Design 3 days then Build 2 days, both certain: every iteration finishes Fri 9 Jan 17:00, the
    baseline finish, and costs the whole budget (spread over the tasks by work)."""
    p1 = org["p1"]
    _plan(p1, [("Design", 3), ("Build", 2)])
    run = _run(p1, capture=django_capture_on_commit_callbacks, iterations=200, seed=1, include_risks=False)
    assert (run.status, run.progress, run.message) == ("done", 100, "")
    r = run.result
    finish = "2026-01-09T17:00:00+00:00"
    assert r["deterministic_finish"] == finish
    assert r["duration"]["dates"] == {"mean": finish, "p10": finish, "p50": finish, "p80": finish, "p90": finish}
    assert (r["target_finish"], r["chance_on_time"]) == (finish, 1.0)
    assert r["cost"]["p50"] == pytest.approx(1_250_000.0)
    assert (r["budget"], r["chance_within_budget"]) == (1_250_000.0, 1.0)
    assert [c["name"] for c in r["criticality"]] == ["1 Design", "2 Build"]
    assert [(m["name"], m["planned"], m["chance_on_time"]) for m in r["milestones"]] == [("3 Done", finish, 1.0)]
    assert [t["id"] for t in run.inputs["tasks"]] == ["1", "2", "3"]


def test_a_threat_of_the_register_delays_the_finish(org, roles, django_capture_on_commit_callbacks):
    """A very likely threat (level 5: 85 % on the default scale) adds exactly 2 days to Build: the P50 and
    P80 finish move to Tue 13 Jan 17:00, the P10 stays at Fri 9 Jan, and only about 15 % of the outcomes
    meet the baseline finish."""
    p1 = org["p1"]
    _plan(p1, [("Design", 3), ("Build", 2)])
    pm = roles[Role.PROJECT_MANAGER]
    risk = services.risk_create(actor=pm, project=p1, title="Vendor late", probability=5, impact=3)
    build = Task.objects.get(project=p1, uid=2)
    services.risk_task_impact_set(actor=pm, risk=risk, task=build, min_days=2, likely_days=2, max_days=2)
    run = _run(p1, capture=django_capture_on_commit_callbacks, iterations=4000, seed=3)
    r = run.result
    assert r["duration"]["dates"]["p10"] == "2026-01-09T17:00:00+00:00"
    assert r["duration"]["dates"]["p50"] == r["duration"]["dates"]["p80"] == "2026-01-13T17:00:00+00:00"
    assert r["risks"][0]["id"] == risk.code
    assert r["risks"][0]["occurred"] == pytest.approx(0.85, abs=0.02)
    assert r["chance_on_time"] == pytest.approx(0.15, abs=0.02)
    assert [d["id"] for d in r["drivers"]][:1] == [risk.code]
    assert run.inputs["risks"] == [
        {
            "id": risk.code,
            "name": "Vendor late",
            "probability": 0.85,
            "impacts": [{"task": "2", "days": [2.0, 2.0, 2.0], "cost": None}],
        }
    ]
    # Without the register's threats the plan is certain again.
    again = _run(p1, capture=django_capture_on_commit_callbacks, iterations=500, seed=3, include_risks=False)
    assert again.result["chance_on_time"] == 1.0


def test_uncertain_estimates_spread_the_finish(org, django_capture_on_commit_callbacks):
    """No estimates of their own: the run's default range (90 %..130 %) applies; the mean of a chain of
    triangular durations is the sum of their means: (2.7 + 3 + 3.9) / 3 + (1.8 + 2 + 2.6) / 3 = 5.333 days."""
    p1 = org["p1"]
    _plan(p1, [("Design", 3), ("Build", 2)], fixed=False)
    run = _run(p1, capture=django_capture_on_commit_callbacks, iterations=20000, seed=5, include_risks=False)
    r = run.result
    assert r["duration"]["mean"] == pytest.approx(16 / 3, rel=0.005)
    assert r["deterministic_days"] == 5.0
    assert 0 < r["chance_on_time"] < 0.5
    assert run.inputs["tasks"][0]["min"] == pytest.approx(2.7)
    assert run.inputs["tasks"][0]["max"] == pytest.approx(3.9)


def test_tasks_of_one_phase_can_slip_together(org, django_capture_on_commit_callbacks):
    """With full correlation Design (2.7, 3, 3.9) and Build (1.8, 2, 2.6) draw the same quantile, so the
    total is the triangular (4.5, 5, 6.5): same mean, but a P90 of 6.5 - sqrt(0.1 x 2 x 1.5) = 5.952 days
    against about 5.79 when they slip independently."""
    p1 = org["p1"]
    _plan(p1, [("Design", 3), ("Build", 2)], fixed=False)
    common = {"iterations": 20000, "seed": 5, "include_risks": False}
    together = _run(p1, capture=django_capture_on_commit_callbacks, phase_correlation=1.0, **common)
    apart = _run(p1, capture=django_capture_on_commit_callbacks, **common)
    assert together.inputs["correlations"] == [{"tasks": ["1", "2"], "rho": 1.0}]
    assert together.result["duration"]["p90"] == pytest.approx(6.5 - 0.3**0.5, rel=0.003)
    assert together.result["duration"]["mean"] == pytest.approx(16 / 3, rel=0.005)
    assert apart.result["duration"]["p90"] < together.result["duration"]["p90"] - 0.1
    assert apart.inputs["correlations"] == []


def test_a_portfolio_milestone_inherits_the_uncertainty_it_waits_for(org, django_capture_on_commit_callbacks):
    """P2's "Launch" waits for P1's "Done" (a cross-project link): P1 slips by 0 to 4 days (Build 2..6 days),
    so P2's milestone, planned on its own for Mon 5 Jan + 1 day, follows P1's finish."""
    p1, p2 = org["p1"], org["p2"]
    Project.objects.filter(pk__in=(p1.pk, p2.pk)).update(state="executing")
    _plan(p1, [("Design", 3), ("Build", 2)])
    Task.objects.filter(project=p1, uid=2).update(pessimistic_minutes=6 * DAY)
    _plan(p2, [("Prepare", 1)])
    launch = Task.objects.get(project=p2, uid=2)
    links.cross_link_create(actor=SYSTEM, provider=Task.objects.get(project=p1, uid=3), consumer=launch)
    run = _run(portfolio=org["portfolio"], capture=django_capture_on_commit_callbacks, iterations=3000, seed=2)
    assert (run.status, run.message) == ("done", "")
    rows = {m["id"]: m for m in run.result["milestones"]}
    assert set(rows) == {"P1:3", "P2:2"}
    assert rows["P2:2"]["dates"]["p50"] == rows["P1:3"]["dates"]["p50"]
    assert rows["P2:2"]["dates"]["p50"] > "2026-01-09T17:00:00+00:00"
    assert rows["P2:2"]["chance_on_time"] == 0.0  # planned on its own for Mon 5 Jan (the link is new)
    assert rows["P2:2"]["project"] == "P2"


def test_who_may_run_an_analysis(org, roles):
    p1 = org["p1"]
    _plan(p1, [("Design", 3)])
    for role in (Role.EXECUTIVE, Role.TEAM_MEMBER):
        with pytest.raises(PermissionDenied):
            simulation.simulation_start(actor=roles[role], project=p1)
    with pytest.raises(PermissionDenied):  # P2 has another manager
        simulation.simulation_start(actor=roles[Role.PROJECT_MANAGER], project=org["p2"])
    assert SimulationRun.objects.count() == 0
    with pytest.raises(Exception) as error:
        simulation.simulation_start(actor=roles[Role.PROJECT_MANAGER], project=p1, iterations=10)
    assert error.value.fields == {"iterations": ["Between 100 and 100,000 iterations."]}
    assert SimulationRun.objects.count() == 0


def test_analysis_page_runs_and_saves_estimates(org, client_for, django_capture_on_commit_callbacks):
    p1 = org["p1"]
    _plan(p1, [("Design", 3), ("Build", 2)], fixed=False)
    client = client_for(Role.PROJECT_MANAGER)
    page = client.get(f"/projects/{p1.pk}/risk-analysis/")
    assert page.status_code == 200
    assert b"No analysis yet" in page.content
    saved = client.post(
        f"/projects/{p1.pk}/risk-analysis/estimates/",
        {"optimistic-1": "2d", "pessimistic-1": "5d", "optimistic-2": "", "pessimistic-2": "4d"},
    )
    assert saved.status_code == 302
    design, build = Task.objects.filter(project=p1, uid__in=(1, 2)).order_by("uid")
    assert (design.optimistic_minutes, design.pessimistic_minutes, build.pessimistic_minutes) == (960, 2400, 1920)
    bad = client.post(f"/projects/{p1.pk}/risk-analysis/estimates/", {"optimistic-1": "4d", "pessimistic-1": "5d"})
    assert bad.status_code == 302
    assert Task.objects.get(pk=design.pk).optimistic_minutes == 960  # refused: 4d is past the 3d most likely
    with django_capture_on_commit_callbacks(execute=True):
        ran = client.post(
            f"/projects/{p1.pk}/risk-analysis/run/",
            {
                "iterations": "1000",
                "seed": "4",
                "distribution": "pert",
                "optimistic_pct": "90",
                "pessimistic_pct": "130",
            },
        )
    run = SimulationRun.objects.get()
    assert ran.status_code == 302 and ran["Location"].endswith(f"?run={run.pk}")
    assert (run.status, run.distribution, run.include_risks) == ("done", "pert", False)
    page = client.get(f"/projects/{p1.pk}/risk-analysis/?run={run.pk}")
    assert b"P80 finish" in page.content and b"Most critical tasks" in page.content
    executive = client_for(Role.EXECUTIVE)
    assert executive.get(f"/projects/{p1.pk}/risk-analysis/").status_code == 200
    assert executive.post(f"/projects/{p1.pk}/risk-analysis/run/", {"iterations": "1000"}).status_code == 403
    assert SimulationRun.objects.count() == 1


def test_analysis_over_the_api(org, roles, django_capture_on_commit_callbacks):
    p1 = org["p1"]
    _plan(p1, [("Design", 3), ("Build", 2)])
    token = token_create(user=roles[Role.PROJECT_MANAGER], name="t")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    body = json.dumps({"iterations": 500, "seed": 7, "include_risks": False})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/projects/{p1.pk}/risk-analysis", body, content_type="application/json", **headers
        )
    assert response.status_code == 201
    made = response.json()
    read = client.get(f"/api/v1/risk-analysis/{made['id']}", **headers).json()
    assert (read["status"], read["iterations"], read["result"]["duration"]["p80"]) == ("done", 500, 5.0)
    listed = client.get(f"/api/v1/projects/{p1.pk}/risk-analysis", **headers).json()
    assert [x["id"] for x in listed] == [made["id"]]
    bad = client.post(
        f"/api/v1/projects/{p1.pk}/risk-analysis",
        json.dumps({"distribution": "normal"}),
        content_type="application/json",
        **headers,
    )
    assert (bad.status_code, list(bad.json()["details"]["fields"])) == (422, ["distribution"])
    assert Decimal(str(read["result"]["cost"]["p50"])) == Decimal("1250000.0")
