"""The `org` of tests/conftest.py (portfolio DIG managed by the portfolio manager, program CX, P1 managed by the
project manager and in CX, P2 by another manager) with a plan on P1 whose first task the team member works on,
and helpers to add risks."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.portfolio import services as portfolio_services
from pmo.risks import services

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The tests run on 3 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def team(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    p1 = org["p1"]
    member = org["person"][Role.TEAM_MEMBER]
    specs = [
        planning.TaskSpec(uid=1, name="Design", duration_minutes=5 * 480, assignments=((member, Decimal("1")),)),
        planning.TaskSpec(uid=2, name="Build", duration_minutes=10 * 480, links=((1, "FS", 0, False),)),
    ]
    planning.plan_replace(actor=SYSTEM, project=p1, tasks=specs, start=timezone.make_aware(dt.datetime(2026, 1, 5, 8)))
    design = Task.objects.get(project=p1, uid=1)
    portfolio_services.program_update(
        actor=SYSTEM, program=org["program"], manager=org["person"][Role.PORTFOLIO_MANAGER]
    )
    return {**org, "design": design, "build": Task.objects.get(project=p1, uid=2)}


def add_risk(actor: Any, project: Any, title: str = "Vendor late", p: int = 3, i: int = 3, **fields: Any) -> Any:
    return services.risk_create(actor=actor, project=project, title=title, probability=p, impact=i, **fields)
