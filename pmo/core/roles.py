"""The eight PMO roles and the model permissions each one's group carries.

The object-level rules that refine these (a project manager changes only own projects, and so on)
live in `pmo.core.access`; `docs/roles.md` writes both down for people.
"""

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    PMO_DIRECTOR = "PMO director"
    PORTFOLIO_MANAGER = "Portfolio manager"
    PMO_ANALYST = "PMO analyst"
    PROJECT_MANAGER = "Project manager"
    PROJECT_ADMINISTRATOR = "Project administrator"
    EXECUTIVE = "Executive"
    TEAM_MEMBER = "Team member"
    REQUESTER = "Requester"


VIEW = frozenset({"view"})
ALL = frozenset({"view", "add", "change", "delete"})

# Business models by "app_label.model_name".
OBJECTIVE = "portfolio.strategicobjective"
PORTFOLIO = "portfolio.portfolio"
PROGRAM = "portfolio.program"
PROJECT = "portfolio.project"
PERSON = "resources.person"
ORG_UNIT = "resources.orgunit"
PROPOSAL = "selection.proposal"
SCORING = "selection.scoringmodel"
SCENARIO = "selection.scenario"
TASK = "planning.task"
CALENDAR = "planning.workcalendar"
BUSINESS_MODELS = (
    OBJECTIVE,
    PORTFOLIO,
    PROGRAM,
    PROJECT,
    PERSON,
    ORG_UNIT,
    TASK,
    CALENDAR,
    PROPOSAL,
    SCORING,
    SCENARIO,
)
PROPOSE = frozenset({"view", "add", "change", "delete"})  # object rules keep people to their own proposals

_READ_ALL = {model: VIEW for model in BUSINESS_MODELS}

MODEL_PERMISSIONS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PMO_DIRECTOR: {model: ALL for model in BUSINESS_MODELS},
    Role.PORTFOLIO_MANAGER: {
        **_READ_ALL,
        PORTFOLIO: frozenset({"view", "change"}),
        PROGRAM: ALL,
        PROJECT: ALL,
        TASK: ALL,
        PROPOSAL: ALL,
        SCENARIO: ALL,
    },
    Role.PMO_ANALYST: {**_READ_ALL, PROPOSAL: PROPOSE, SCORING: ALL, SCENARIO: ALL},
    Role.PROJECT_MANAGER: {**_READ_ALL, PROJECT: ALL, TASK: ALL, PROPOSAL: PROPOSE},
    Role.PROJECT_ADMINISTRATOR: {
        **_READ_ALL,
        PROJECT: frozenset({"view", "add", "change"}),
        TASK: ALL,
        CALENDAR: ALL,
        PROPOSAL: PROPOSE,
        PERSON: frozenset({"view", "add", "change"}),
        ORG_UNIT: frozenset({"view", "add", "change"}),
    },
    Role.EXECUTIVE: dict(_READ_ALL),
    Role.TEAM_MEMBER: {**_READ_ALL, PROPOSAL: PROPOSE},
    Role.REQUESTER: {OBJECTIVE: VIEW, PORTFOLIO: VIEW, PROGRAM: VIEW, PROJECT: VIEW, PROPOSAL: PROPOSE},
}


def sync_role_groups(**_: Any) -> None:
    """Create one group per role and give it exactly the permissions of the matrix (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    wanted_codenames = {
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for role_models in MODEL_PERMISSIONS.values()
        for model, actions in role_models.items()
        for action in actions
    }
    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={app for app, _ in wanted_codenames}
        )
    }
    for role, models in MODEL_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        granted = [
            permissions[(model.split(".")[0], f"{action}_{model.split('.')[1]}")]
            for model, actions in models.items()
            for action in actions
            if (model.split(".")[0], f"{action}_{model.split('.')[1]}") in permissions
        ]
        group.permissions.set(granted)
