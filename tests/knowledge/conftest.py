"""The `org` of tests/conftest.py (portfolio DIG managed by the portfolio manager, P1 managed by the project
manager, P2 by another manager), helpers to bring a project to "closing" and to complete its closure."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.knowledge import services
from pmo.portfolio.models import Project

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The tests run on 3 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def set_state(project: Project, state: str) -> Project:
    Project.objects.filter(pk=project.pk).update(state=state)
    project.refresh_from_db()
    return project


@pytest.fixture
def closing(org: dict[str, Any]) -> Project:
    """P1 in "closing"."""
    return set_state(org["p1"], "closing")


def complete_closure(project: Project, actor: Any = SYSTEM) -> Any:
    """Start, report, session and one lesson: the closure of `project` is complete (not yet closed)."""
    closure = services.closure_start(actor=actor, project=project, reason="Delivered.")
    closure = services.closure_report_save(
        actor=actor,
        closure=closure,
        objectives_met="yes",
        benefits_handed_over="App handed to Digital Operations.",
        recommendations="Start the app-store review earlier.",
    )
    closure = services.closure_session_save(
        actor=actor, closure=closure, session_date="2026-11-30", participants="Pat Manager\nTeam Member"
    )
    services.lesson_create(
        actor=actor,
        project=project,
        title="App-store review took three weeks",
        what_happened="Apple's review rejected the first build twice.",
    )
    closure.refresh_from_db()
    return closure
