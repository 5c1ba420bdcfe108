"""The nine PMO roles and the model permissions each one's group carries.

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
    RESOURCE_MANAGER = "Resource manager"


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

# Monitoring and control (pmo.control): object rules in pmo.core.access keep team members to their own
# timesheets and project managers to their own projects.
CONTROL_SETTINGS = "control.controlsettings"
TASK_BUDGET = "control.taskbudget"
COST_RATE = "control.costrate"
TIMESHEET = "control.timesheet"
COST_ENTRY = "control.costentry"
EVM_SNAPSHOT = "control.evmsnapshot"
CONTROL_MODELS = (CONTROL_SETTINGS, TASK_BUDGET, COST_RATE, TIMESHEET, COST_ENTRY, EVM_SNAPSHOT)
BUSINESS_MODELS = (*BUSINESS_MODELS, *CONTROL_MODELS)
_CONTROL_READ = {model: VIEW for model in CONTROL_MODELS}
_PROJECT_CONTROL = {CONTROL_SETTINGS: ALL, TASK_BUDGET: ALL, COST_ENTRY: ALL, EVM_SNAPSHOT: ALL}
_OWN_TIME = frozenset({"view", "add", "change"})
for _role, _grants in {
    Role.PMO_DIRECTOR: {model: ALL for model in CONTROL_MODELS},
    Role.PORTFOLIO_MANAGER: {**_CONTROL_READ, **_PROJECT_CONTROL, TIMESHEET: _OWN_TIME},
    Role.PMO_ANALYST: {**_CONTROL_READ, EVM_SNAPSHOT: ALL, TIMESHEET: _OWN_TIME},
    Role.PROJECT_MANAGER: {**_CONTROL_READ, **_PROJECT_CONTROL, TIMESHEET: _OWN_TIME},
    Role.PROJECT_ADMINISTRATOR: {**_CONTROL_READ, **_PROJECT_CONTROL, COST_RATE: ALL, TIMESHEET: _OWN_TIME},
    Role.EXECUTIVE: dict(_CONTROL_READ),
    Role.TEAM_MEMBER: {**_CONTROL_READ, COST_RATE: frozenset(), TIMESHEET: _OWN_TIME},
}.items():
    MODEL_PERMISSIONS[_role].update(_grants)

# Status reports, deviations, issues and change control (pmo.changes): object rules in pmo.core.access keep
# project managers to their own projects and give the change-board decision to the PMO director and the
# portfolio manager of the project's portfolio. Requesters see none of it.
STATUS_REPORT = "changes.statusreport"
THRESHOLD = "changes.threshold"
DEVIATION = "changes.deviation"
ISSUE = "changes.issue"
CHANGE_REQUEST = "changes.changerequest"
CHANGES_MODELS = (STATUS_REPORT, THRESHOLD, DEVIATION, ISSUE, CHANGE_REQUEST)
BUSINESS_MODELS = (*BUSINESS_MODELS, *CHANGES_MODELS)
_CHANGES_READ = {model: VIEW for model in CHANGES_MODELS}
_PROJECT_RECORDS = {STATUS_REPORT: ALL, ISSUE: ALL, CHANGE_REQUEST: ALL}
_ACKNOWLEDGE = frozenset({"view", "change"})
for _role, _grants in {
    Role.PMO_DIRECTOR: {model: ALL for model in CHANGES_MODELS},
    Role.PORTFOLIO_MANAGER: {**_CHANGES_READ, **_PROJECT_RECORDS, THRESHOLD: ALL, DEVIATION: ALL},
    Role.PMO_ANALYST: {**_CHANGES_READ, DEVIATION: frozenset({"view", "add"})},
    Role.PROJECT_MANAGER: {**_CHANGES_READ, **_PROJECT_RECORDS, DEVIATION: _ACKNOWLEDGE},
    Role.PROJECT_ADMINISTRATOR: dict(_CHANGES_READ),
    Role.EXECUTIVE: dict(_CHANGES_READ),
    Role.TEAM_MEMBER: dict(_CHANGES_READ),
}.items():
    MODEL_PERMISSIONS[_role].update(_grants)


# Risk registers (pmo.risks): object rules in pmo.core.access keep project managers to the risks of their own
# projects (and programs they manage), portfolio managers to their portfolios, the scales to the PMO director
# and the portfolio's manager, and team members to the risks of projects they work on and to their own
# actions (which they may progress). Requesters see none of it.
RISK_SCALE = "risks.riskscale"
RISK = "risks.risk"
RISK_ASSESSMENT = "risks.riskassessment"
RISK_ACTION = "risks.riskaction"
RISK_TASK_IMPACT = "risks.risktaskimpact"
RISK_MODELS = (RISK_SCALE, RISK, RISK_ASSESSMENT, RISK_ACTION, RISK_TASK_IMPACT)
BUSINESS_MODELS = (*BUSINESS_MODELS, *RISK_MODELS)
_RISKS_READ = {model: VIEW for model in RISK_MODELS}
_RISK_RECORDS = {RISK: ALL, RISK_ASSESSMENT: ALL, RISK_ACTION: ALL, RISK_TASK_IMPACT: ALL}
_OWN_ACTIONS = {RISK_ACTION: frozenset({"view", "change"})}  # the object rule: owners change the status only
for _role, _grants in {
    Role.PMO_DIRECTOR: {model: ALL for model in RISK_MODELS},
    Role.PORTFOLIO_MANAGER: {**_RISKS_READ, **_RISK_RECORDS, RISK_SCALE: frozenset({"view", "add", "change"})},
    Role.PMO_ANALYST: {**_RISKS_READ, **_OWN_ACTIONS},
    Role.PROJECT_MANAGER: {**_RISKS_READ, **_RISK_RECORDS},
    Role.PROJECT_ADMINISTRATOR: {**_RISKS_READ, **_OWN_ACTIONS},
    Role.EXECUTIVE: {**_RISKS_READ, **_OWN_ACTIONS},
    Role.TEAM_MEMBER: {**_RISKS_READ, **_OWN_ACTIONS},
}.items():
    MODEL_PERMISSIONS[_role].update(_grants)


# The resource pool (pmo.resources): the resource manager (and the PMO director) keeps the pool — roles,
# skills, capacity, leave, cost rates, generic resources, role requirements and training — and decides
# resource requests; project managers and the PMO ask for people (object rules in pmo.core.access keep a
# requester to their own projects and requests). Everyone but requesters reads the pool; cost rates are
# hidden from team members as pmo.control's are.
JOB_ROLE = "resources.jobrole"
SKILL = "resources.skill"
PERSON_PROFILE = "resources.personprofile"
PERSON_SKILL = "resources.personskill"
CAPACITY_PERIOD = "resources.capacityperiod"
ABSENCE = "resources.absence"
COST_RATE_HISTORY = "resources.costratehistory"
GENERIC_RESOURCE = "resources.genericresource"
RESOURCE_REQUEST = "resources.resourcerequest"
ROLE_REQUIREMENT = "resources.roleskillrequirement"
TRAINING_RECORD = "resources.trainingrecord"
TRAINING_PLAN = "resources.trainingplan"
POOL_MODELS = (
    JOB_ROLE,
    SKILL,
    PERSON_PROFILE,
    PERSON_SKILL,
    CAPACITY_PERIOD,
    ABSENCE,
    COST_RATE_HISTORY,
    GENERIC_RESOURCE,
    RESOURCE_REQUEST,
    ROLE_REQUIREMENT,
    TRAINING_RECORD,
    TRAINING_PLAN,
)
BUSINESS_MODELS = (*BUSINESS_MODELS, *POOL_MODELS)
_POOL_READ = {model: VIEW for model in POOL_MODELS}
_ASK = {RESOURCE_REQUEST: frozenset({"view", "add", "change"})}  # change: withdraw one's own request
for _role, _grants in {
    Role.PMO_DIRECTOR: {model: ALL for model in POOL_MODELS},
    Role.PORTFOLIO_MANAGER: {**_POOL_READ, **_ASK},
    Role.PMO_ANALYST: dict(_POOL_READ),
    Role.PROJECT_MANAGER: {**_POOL_READ, **_ASK},
    Role.PROJECT_ADMINISTRATOR: dict(_POOL_READ),
    Role.EXECUTIVE: dict(_POOL_READ),
    Role.TEAM_MEMBER: {**_POOL_READ, COST_RATE_HISTORY: frozenset()},
}.items():
    MODEL_PERMISSIONS[_role].update(_grants)
# Saved capacity what-ifs: whoever reads the capacity page may keep what-ifs; the object rule in
# pmo.core.access lets only their owner (or the PMO director) change or delete one.
SAVED_WHATIF = "resources.savedwhatif"
BUSINESS_MODELS = (*BUSINESS_MODELS, SAVED_WHATIF)
for _role in MODEL_PERMISSIONS:
    if _role is not Role.REQUESTER:
        MODEL_PERMISSIONS[_role][SAVED_WHATIF] = ALL
# The resource manager: keeps the pool and the people in it, reads everything else, and moves the risk actions
# they own along (the object rule lets owners change the status only).
MODEL_PERMISSIONS[Role.RESOURCE_MANAGER] = {
    **{model: VIEW for model in BUSINESS_MODELS},
    **{model: ALL for model in POOL_MODELS},
    PERSON: frozenset({"view", "add", "change"}),
    ORG_UNIT: frozenset({"view", "add", "change"}),
    SAVED_WHATIF: ALL,
    **_OWN_ACTIONS,
}


# Apps added later keep their grants in their own `permissions.py` (MODELS, GRANTS, DERIVED_ACTIONS and
# object_rules()), merged here and in pmo.core.access so that each app's rules live beside its models.
APP_PERMISSIONS = (
    "pmo.documents.permissions",
    "pmo.governance.permissions",
    "pmo.knowledge.permissions",
    "pmo.stakeholders.permissions",
    "pmo.reporting.permissions",
)


def _merge_app_permissions() -> None:
    global BUSINESS_MODELS
    import importlib

    for name in APP_PERMISSIONS:
        module = importlib.import_module(name)
        BUSINESS_MODELS = (*BUSINESS_MODELS, *module.MODELS)
        for role, grants in module.GRANTS.items():
            MODEL_PERMISSIONS[role].update(grants)


_merge_app_permissions()


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
