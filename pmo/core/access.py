"""Who may do what: the one place every page, endpoint and service asks.

`can(user, action, target)` combines the role's model permission (from its group, see
`pmo.core.roles`) with the object-level rule for the target. Services call `require` first thing, so
a denied call changes nothing whichever way it came in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from pmo.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    UserLike = AbstractBaseUser | AnonymousUser


class SystemActor:
    """The actor of internal jobs (demo loading, migrations): trusted, audited as "system"."""

    is_authenticated = True
    pk = None
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
Actor = Any  # a django User or SYSTEM

MODEL_ACTIONS = frozenset({"view", "add", "change", "delete"})


def roles_of(user: Any) -> frozenset[Role]:
    """The roles the user holds, from group membership (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or isinstance(user, SystemActor):
        return frozenset()
    cached = getattr(user, "_pmo_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset({Role.PMO_DIRECTOR})
        else:
            names = set(user.groups.values_list("name", flat=True))
            cached = frozenset(role for role in Role if role.value in names)
        user._pmo_roles = cached
    return cached


def person_id_of(user: Any) -> int | None:
    """The id of the Person record linked to the user, or None."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, SystemActor):
        return None
    if not hasattr(user, "_pmo_person_id"):
        from pmo.resources.models import Person

        user._pmo_person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    return user._pmo_person_id


def _manages_portfolio(user: Any, portfolio_id: int | None) -> bool:
    person = person_id_of(user)
    if person is None or portfolio_id is None:
        return False
    from pmo.portfolio.models import Portfolio

    return Portfolio.objects.filter(pk=portfolio_id, manager_id=person).exists()


def _portfolio_rule(user: Any, roles: frozenset[Role], action: str, portfolio: Any) -> bool:
    if action == "view" or Role.PMO_DIRECTOR in roles:
        return True
    if action == "simulate" and Role.PMO_ANALYST in roles:
        return True  # a risk analysis of its milestones: its manager and the PMO
    return (
        action in ("change", "simulate")
        and Role.PORTFOLIO_MANAGER in roles
        and portfolio.manager_id is not None
        and portfolio.manager_id == person_id_of(user)
    )


def _program_rule(user: Any, roles: frozenset[Role], action: str, program: Any) -> bool:
    if action == "view" or Role.PMO_DIRECTOR in roles:
        return True
    return Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, program.portfolio_id)


def _project_rule(user: Any, roles: frozenset[Role], action: str, project: Any) -> bool:
    from pmo.portfolio.models import LifecycleState

    if action == "view":
        return True
    if project.pk is not None and project.state in (LifecycleState.CLOSED, LifecycleState.CANCELLED):
        return False  # archived (pmo.knowledge): a closed or cancelled project and its plan are read-only
    if Role.PMO_DIRECTOR in roles or (action == "simulate" and Role.PMO_ANALYST in roles):
        return True  # a schedule and cost risk analysis: the project's manager and the PMO run it
    if Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, project.portfolio_id):
        return True
    if action in ("approve", "cancel"):
        return False  # closure and approval authority stay with the PMO director and portfolio manager
    if action == "simulate":
        return (
            Role.PROJECT_MANAGER in roles
            and project.manager_id is not None
            and project.manager_id == person_id_of(user)
        )
    if action in ("add", "change") and Role.PROJECT_ADMINISTRATOR in roles:
        return True
    manages_it = project.manager_id is not None and project.manager_id == person_id_of(user)
    if Role.PROJECT_MANAGER in roles and manages_it:
        if action == "delete":
            return project.state == LifecycleState.PROPOSED
        return action in ("add", "change", "transition")
    return False


def _task_rule(user: Any, roles: frozenset[Role], action: str, task: Any) -> bool:
    # A plan belongs to its project: whoever may change the project may change its plan (so the plan of an
    # archived project, closed or cancelled, is read-only too).
    return action == "view" or can(user, "change", task.project)


def _proposal_rule(user: Any, roles: frozenset[Role], action: str, proposal: Any) -> bool:
    from pmo.selection.lifecycle import EDITABLE, FINAL

    own = proposal.requester_id is not None and proposal.requester_id == getattr(user, "pk", None)
    decider = Role.PMO_DIRECTOR in roles or (
        Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, proposal.portfolio_id)
    )
    if action == "view":
        return own or bool(roles - {Role.REQUESTER})
    if action == "add":
        return proposal.requester_id in (None, getattr(user, "pk", None))
    if action in ("change", "delete"):
        if proposal.state in FINAL:
            return False
        if action == "delete":  # a draft by its requester; any open proposal by the PMO director
            return (own and proposal.state == "draft") or Role.PMO_DIRECTOR in roles
        return (own and proposal.state in EDITABLE) or decider
    if action in ("submit", "withdraw"):
        return own or decider
    if action == "evaluate":
        return decider or Role.PMO_ANALYST in roles
    if action == "decide":
        return decider
    return False


def _scenario_rule(user: Any, roles: frozenset[Role], action: str, scenario: Any) -> bool:
    if action == "approve_selection":
        return Role.PMO_DIRECTOR in roles or (
            Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, scenario.portfolio_id)
        )
    return True


def _any_holder(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
    return True  # the model permission alone decides


def _timesheet_rule(user: Any, roles: frozenset[Role], action: str, sheet: Any) -> bool:
    own = sheet.person_id is not None and sheet.person_id == person_id_of(user)
    if action == "view":
        return own or bool(roles - {Role.TEAM_MEMBER, Role.REQUESTER})
    if action == "approve":  # approve or return: the manager of the sheet's project, never one's own hours
        project = sheet.project
        if Role.PMO_DIRECTOR in roles:
            return True
        if own:
            return False
        if Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, project.portfolio_id):
            return True
        manager = project.manager_id
        return Role.PROJECT_MANAGER in roles and manager is not None and manager == person_id_of(user)
    if action == "delete":
        return own and sheet.state == "draft"
    return own and sheet.state in ("draft", "returned")  # add, change, submit


def _project_control_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
    # Settings, task budgets and costs of a project belong to it: whoever may change the project.
    if action == "view":
        return True
    project = obj.task.project if hasattr(obj, "task") and not hasattr(obj, "project") else obj.project
    return can(user, "change", project)


def _snapshot_rule(user: Any, roles: frozenset[Role], action: str, snapshot: Any) -> bool:
    if action == "view" or roles & {Role.PMO_DIRECTOR, Role.PMO_ANALYST}:
        return True
    return can(user, "change", snapshot.project)


def _project_lead(user: Any, roles: frozenset[Role], project: Any) -> bool:
    """The PMO director, the portfolio manager of the project's portfolio, or the project's own manager."""
    if Role.PMO_DIRECTOR in roles:
        return True
    if Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, project.portfolio_id):
        return True
    return Role.PROJECT_MANAGER in roles and project.manager_id is not None and project.manager_id == person_id_of(user)


def _changes_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
    # Status reports, issues, change requests and deviations (pmo.changes) of one project.
    if action == "view":
        return True
    if action == "decide":  # the change board
        return Role.PMO_DIRECTOR in roles or (
            Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, obj.project.portfolio_id)
        )
    return _project_lead(user, roles, obj.project)


def _threshold_rule(user: Any, roles: frozenset[Role], action: str, threshold: Any) -> bool:
    if action == "view" or Role.PMO_DIRECTOR in roles:
        return True
    return Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, threshold.portfolio_id)


# --- risk registers (pmo.risks) --------------------------------------------------------------------------

PMO_ROLES = frozenset({Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.PMO_ANALYST})


def _risk_of(obj: Any) -> Any:
    return obj if obj._meta.label_lower == "risks.risk" else obj.risk


def _risk_lead(user: Any, roles: frozenset[Role], risk: Any) -> bool:
    """Who maintains a risk: the PMO director; the manager of its portfolio; the manager of its project (a
    project risk) or of its program (a program risk)."""
    if Role.PMO_DIRECTOR in roles:
        return True
    if Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, risk.owning_portfolio_id):
        return True
    person = person_id_of(user)
    if person is None or not roles & {Role.PROJECT_MANAGER, Role.PORTFOLIO_MANAGER}:
        return False
    if risk.project_id is not None:
        return Role.PROJECT_MANAGER in roles and risk.project.manager_id == person
    if risk.program_id is not None:
        return risk.program.manager_id == person
    return False


def _team_sees_risk(user: Any, risk: Any) -> bool:
    """A team member sees the risks of the projects they have tasks on, and those they or their actions own."""
    person = person_id_of(user)
    if person is None:
        return False
    if risk.owner_id == person or (risk.pk and risk.actions.filter(owner_id=person).exists()):
        return True
    if risk.project_id is None:
        return False
    from pmo.planning.models import Assignment

    return Assignment.objects.filter(person_id=person, task__project_id=risk.project_id).exists()


def _risk_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
    # Risks, their assessments and task impacts: read by every role but requesters (team members: their own
    # projects'), maintained by the risk's leads.
    risk = _risk_of(obj)
    if action == "view":
        return bool(roles - {Role.TEAM_MEMBER}) or _team_sees_risk(user, risk)
    return _risk_lead(user, roles, risk)


def _risk_action_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
    if action == "check":  # the overdue check of every project's actions
        return bool(roles & PMO_ROLES)
    own = obj.owner_id is not None and obj.owner_id == person_id_of(user)
    if action == "view":
        return own or _risk_rule(user, roles, "view", obj)
    if action == "progress":  # its owner moves it along (status only)
        return own or _risk_lead(user, roles, obj.risk)
    return _risk_lead(user, roles, obj.risk)


def _risk_scale_rule(user: Any, roles: frozenset[Role], action: str, scale: Any) -> bool:
    if action == "view" or Role.PMO_DIRECTOR in roles:
        return True
    return Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, scale.portfolio_id)


# --- the resource pool (pmo.resources) ------------------------------------------------------------------

POOL_KEEPERS = frozenset({Role.PMO_DIRECTOR, Role.RESOURCE_MANAGER})


def _resource_request_rule(user: Any, roles: frozenset[Role], action: str, request: Any) -> bool:
    # Asked by the leads of a project (its manager, its portfolio's manager, the PMO director) or by a resource
    # manager; decided (assigned or declined) by a resource manager or the PMO director; withdrawn by whoever
    # asked, or by a resource manager, while it waits.
    if action == "view":
        return True
    keeper = bool(roles & POOL_KEEPERS)
    if action == "decide":
        return keeper
    if action == "add":
        return keeper or (request.project_id is not None and _project_lead(user, roles, request.project))
    own = request.requested_by_id is not None and request.requested_by_id == getattr(user, "pk", None)
    if action in ("change", "withdraw"):
        return keeper or own
    return keeper


def _saved_whatif_rule(user: Any, roles: frozenset[Role], action: str, whatif: Any) -> bool:
    """Everyone who reads capacity sees saved what-ifs; only the owner (or the PMO director) changes one."""
    if action == "view":
        return True
    if action == "add":
        return whatif.owner_id in (None, getattr(user, "pk", None))
    return Role.PMO_DIRECTOR in roles or whatif.owner_id == getattr(user, "pk", None)


OBJECT_RULES: dict[str, Callable[[Any, frozenset[Role], str, Any], bool]] = {
    "portfolio.portfolio": _portfolio_rule,
    "portfolio.program": _program_rule,
    "portfolio.project": _project_rule,
    "planning.task": _task_rule,
    "selection.proposal": _proposal_rule,
    "selection.scenario": _scenario_rule,
    "changes.statusreport": _changes_rule,
    "changes.issue": _changes_rule,
    "changes.changerequest": _changes_rule,
    "changes.deviation": _changes_rule,
    "changes.threshold": _threshold_rule,
    "control.timesheet": _timesheet_rule,
    "control.controlsettings": _project_control_rule,
    "control.taskbudget": _project_control_rule,
    "control.costentry": _project_control_rule,
    "control.evmsnapshot": _snapshot_rule,
    "risks.riskscale": _risk_scale_rule,
    "risks.risk": _risk_rule,
    "risks.riskassessment": _risk_rule,
    "risks.riskaction": _risk_action_rule,
    "risks.risktaskimpact": _risk_rule,
    "resources.resourcerequest": _resource_request_rule,
    "resources.savedwhatif": _saved_whatif_rule,
}

# Actions that are not Django model permissions; each names the model permission it builds on.
DERIVED_ACTIONS = {
    "approve": "change",
    "cancel": "change",
    "transition": "change",
    "submit": "change",
    "withdraw": "change",
    "evaluate": "view",
    "decide": "view",
    "approve_selection": "change",
    "assess": "change",
    "escalate": "change",
    "acknowledge": "change",
    "rate": "change",
    "occur": "change",
    "progress": "change",
    "check": "view",
    "complete": "change",
    "simulate": "view",  # a risk analysis reads the plan and writes only its own run
}


def can(user: Any, action: str, target: type[Model] | Model) -> bool:
    """May `user` do `action` ("view", "add", "change", "delete", "approve", "cancel", "transition",
    "view_history", "view_financials") on `target` (a model class for list-level questions, or an
    instance, possibly unsaved for "add")."""
    if isinstance(user, SystemActor):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = roles_of(user)
    if not roles:
        return False
    model = target if isinstance(target, type) else type(target)
    label = model._meta.label_lower
    if action in ("view_history", "view_financials"):
        # Requesters see public facts only: no money, health or change history.
        return bool(roles - {Role.REQUESTER}) and can(user, "view", target)
    base_action = DERIVED_ACTIONS.get(action, action)
    if base_action not in MODEL_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    app_label, model_name = label.split(".")
    if not user.has_perm(f"{app_label}.{base_action}_{model_name}"):
        return False
    if isinstance(target, type):
        return True
    rule = OBJECT_RULES.get(label, _any_holder)
    return rule(user, roles, action, target)


def require(user: Any, action: str, target: type[Model] | Model) -> None:
    """Raise PermissionDenied (with a message saying what was refused) unless `can` allows it."""
    if not can(user, action, target):
        model = target if isinstance(target, type) else type(target)
        what = model._meta.verbose_name
        if not isinstance(target, type) and target.pk is not None:
            what = f"{what} {target}"
        raise PermissionDenied(f"You are not allowed to {action.replace('_', ' ')} {what}.")


def _merge_app_rules() -> None:
    import importlib

    from pmo.core.roles import APP_PERMISSIONS

    for name in APP_PERMISSIONS:
        module = importlib.import_module(name)
        OBJECT_RULES.update(module.object_rules())
        DERIVED_ACTIONS.update(module.DERIVED_ACTIONS)


_merge_app_rules()
