"""Reads for strategy, portfolios, programs and projects."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from pmo.core.access import can
from pmo.portfolio import lifecycle
from pmo.portfolio.models import Portfolio, Program, Project, StrategicObjective

_OBJECTIVES = Prefetch("objectives", queryset=StrategicObjective.objects.only("id", "code", "name"))


def portfolios() -> QuerySet[Portfolio]:
    return (
        Portfolio.objects.select_related("manager")
        .prefetch_related(_OBJECTIVES)
        .annotate(project_count=Count("projects"))
    )


def programs() -> QuerySet[Program]:
    return Program.objects.select_related("portfolio", "manager").prefetch_related(_OBJECTIVES)


def projects() -> QuerySet[Project]:
    return Project.objects.select_related("portfolio", "program", "sponsor", "manager", "org_unit").prefetch_related(
        _OBJECTIVES
    )


def allowed_transitions(user: Any, project: Project) -> list[str]:
    """The next lifecycle states this user may move the project to."""
    return [
        state
        for state in lifecycle.next_states(project.state)
        if can(user, lifecycle.permission_for(project.state, state), project)
    ]
