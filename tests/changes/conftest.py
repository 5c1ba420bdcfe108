"""A planned project: P1 (managed by the project manager, executing) with a summary, two five-day tasks A then
B and a milestone "Go-live" after B, from Monday 5 January 2026 on the standard calendar, baselined as
"Approved plan". The earned-value figures are set by each test (the control module is optional here)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.changes import selectors
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.portfolio.models import Project


@pytest.fixture
def evm(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """SPI, CPI and SPI(t) as the tests set them (none measured by default)."""
    values: dict[str, Any] = {}
    monkeypatch.setattr(selectors, "_evm", lambda project: dict(values))
    return values


@pytest.fixture
def planned(org: dict[str, Any], roles: dict[Role, Any], evm: dict[str, Any]) -> dict[str, Any]:
    p1 = org["p1"]
    Project.objects.filter(pk=p1.pk).update(state="executing")
    p1.refresh_from_db()
    specs = [
        planning.TaskSpec(uid=1, name="Build"),
        planning.TaskSpec(uid=2, name="A design", duration_minutes=5 * 480, parent_uid=1),
        planning.TaskSpec(uid=3, name="B code", duration_minutes=5 * 480, parent_uid=1, links=((2, "FS", 0, False),)),
        planning.TaskSpec(uid=4, name="Go-live", duration_minutes=0, links=((3, "FS", 0, False),)),
    ]
    start = timezone.make_aware(dt.datetime(2026, 1, 5, 8))
    planning.plan_replace(actor=SYSTEM, project=p1, tasks=specs, start=start)
    baseline = planning.baseline_capture(actor=SYSTEM, project=p1, name="Approved plan")
    return {**org, "baseline": baseline, "evm": evm, "a": Task.objects.get(project=p1, uid=2)}


def slip(task: Task, days: int) -> None:
    """Make task A `days` working days long (the milestone moves by the difference)."""
    planning.task_update(actor=SYSTEM, task=task, duration_minutes=days * 480)


PERIOD = dt.date(2026, 11, 1)
BUDGET = Decimal("1250000.00")
