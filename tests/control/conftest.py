"""A measured project: P1 (executing, managed by the project manager) with a summary and two five-day
tasks on the standard calendar from Monday 5 January 2026 (A then B), each with a budget of 1,000,
assigned to the team member (cost rate 50 an hour), and a captured baseline."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.control import services
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.portfolio.models import Project

MONDAY = dt.date(2026, 1, 5)


@pytest.fixture
def measured(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    member = roles[Role.TEAM_MEMBER].person
    p1 = org["p1"]
    Project.objects.filter(pk=p1.pk).update(state="executing")
    p1.refresh_from_db()
    specs = [
        planning.TaskSpec(uid=1, name="Build"),
        planning.TaskSpec(
            uid=2, name="A design", duration_minutes=5 * 480, parent_uid=1, assignments=((member, Decimal(1)),)
        ),
        planning.TaskSpec(
            uid=3,
            name="B code",
            duration_minutes=5 * 480,
            parent_uid=1,
            links=((2, "FS", 0, False),),
            assignments=((member, Decimal(1)),),
        ),
    ]
    start = timezone.make_aware(dt.datetime(2026, 1, 5, 8))
    planning.plan_replace(actor=SYSTEM, project=p1, tasks=specs, start=start)
    a, b = Task.objects.get(project=p1, uid=2), Task.objects.get(project=p1, uid=3)
    services.task_budget_set(actor=SYSTEM, task=a, budget=Decimal(1000))
    services.task_budget_set(actor=SYSTEM, task=b, budget=Decimal(1000))
    services.cost_rate_set(actor=SYSTEM, person=member, rate_per_hour=Decimal(50))
    baseline = planning.baseline_capture(actor=SYSTEM, project=p1, name="Approved plan")
    return {**org, "a": a, "b": b, "member": member, "baseline": baseline}
