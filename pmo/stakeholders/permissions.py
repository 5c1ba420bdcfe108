"""Model permissions per role and object rules of stakeholders, merged into pmo.core.roles and pmo.core.access.

Keep this module free of model imports: pmo.core.roles loads it while Django starts.

- Stakeholder register and communication plan of a project, program or portfolio: kept by its leads — the PMO
  director, the manager of the portfolio it belongs to, the project's manager (a project) or the program's
  manager (a program). Whoever keeps the plan, or is named as the sender of an item, records it as sent.
- Benefits: planned by the project's leads; measured by them, by the PMO analysts and by the benefit's owner.
  A closed project's benefits stay open to measurements (benefits are realised after delivery).
- Surveys: opened and closed by the project's leads; answered by any signed-in user (one answer each).
- Everyone but requesters reads all of it; requesters may read and answer a survey only.
"""

from collections.abc import Callable
from typing import Any

from pmo.core.roles import Role

STAKEHOLDER = "stakeholders.stakeholder"
ITEM = "stakeholders.communicationitem"
LOG = "stakeholders.communicationlog"
SURVEY = "stakeholders.survey"
RESPONSE = "stakeholders.surveyresponse"
BENEFIT = "stakeholders.benefit"
MEASUREMENT = "stakeholders.benefitmeasurement"
MODELS: tuple[str, ...] = (STAKEHOLDER, ITEM, LOG, SURVEY, RESPONSE, BENEFIT, MEASUREMENT)

_VIEW = frozenset({"view"})
_ALL = frozenset({"view", "add", "change", "delete"})
_READ = {model: _VIEW for model in MODELS}
_ANSWER = {RESPONSE: frozenset({"view", "add", "change"})}
_KEEP = {model: _ALL for model in MODELS}
_LOG = {LOG: frozenset({"view", "add"})}
_MEASURE = {MEASUREMENT: frozenset({"view", "add", "change"})}

GRANTS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PMO_DIRECTOR: dict(_KEEP),
    Role.PORTFOLIO_MANAGER: dict(_KEEP),
    Role.PROJECT_MANAGER: dict(_KEEP),
    Role.PMO_ANALYST: {**_READ, **_ANSWER, **_LOG, **_MEASURE},
    Role.PROJECT_ADMINISTRATOR: {**_READ, **_ANSWER, **_LOG, **_MEASURE},
    Role.EXECUTIVE: {**_READ, **_ANSWER, **_LOG, **_MEASURE},
    Role.TEAM_MEMBER: {**_READ, **_ANSWER, **_LOG, **_MEASURE},
    Role.RESOURCE_MANAGER: {**_READ, **_ANSWER},
    Role.REQUESTER: {SURVEY: _VIEW, **_ANSWER},
}

# "record_sent" (a communication was sent) and "measure" (a benefit measurement) build on view: the object rule
# then asks for the right person. "close" (a survey) builds on change.
DERIVED_ACTIONS: dict[str, str] = {"record_sent": "view", "measure": "view", "answer": "view"}


def object_rules() -> dict[str, Callable[[Any, frozenset[Role], str, Any], bool]]:
    """Called by pmo.core.access once it is loaded (rules may import its helpers)."""
    from pmo.core.access import _manages_portfolio, _project_lead, person_id_of

    def scope_lead(user: Any, roles: frozenset[Role], obj: Any) -> bool:
        """The PMO director, the manager of the owning portfolio, the project's or the program's manager."""
        if Role.PMO_DIRECTOR in roles:
            return True
        if obj.project_id is not None:
            return _project_lead(user, roles, obj.project)
        if Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, obj.owning_portfolio_id):
            return True
        if obj.program_id is not None:
            person = person_id_of(user)
            return (
                person is not None
                and bool(roles & {Role.PROJECT_MANAGER, Role.PORTFOLIO_MANAGER})
                and obj.program.manager_id == person
            )
        return False

    def scoped_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "view":
            return True
        if action == "record_sent":
            person = person_id_of(user)
            return scope_lead(user, roles, obj) or (person is not None and obj.sender_id == person)
        return scope_lead(user, roles, obj)

    def log_rule(user: Any, roles: frozenset[Role], action: str, log: Any) -> bool:
        if action == "view":
            return True
        return scoped_rule(user, roles, "record_sent", log.item)

    def project_lead_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        # Benefits and surveys of a project, whatever its state (a closed project's benefits are still tracked).
        if action in ("view", "answer"):
            return True
        if action == "measure":
            person = person_id_of(user)
            return (
                _project_lead(user, roles, obj.project)
                or Role.PMO_ANALYST in roles
                or (person is not None and getattr(obj, "owner_id", None) == person)
            )
        return _project_lead(user, roles, obj.project)

    def measurement_rule(user: Any, roles: frozenset[Role], action: str, measurement: Any) -> bool:
        if action == "view":
            return True
        if action == "delete":
            return _project_lead(user, roles, measurement.benefit.project)
        return project_lead_rule(user, roles, "measure", measurement.benefit)

    def response_rule(user: Any, roles: frozenset[Role], action: str, response: Any) -> bool:
        if action == "view":
            return True
        if action == "delete":
            return _project_lead(user, roles, response.survey.project)
        # One's own answer, while the survey is open.
        own = response.respondent_id is None or response.respondent_id == user.pk
        return own and response.survey.is_open

    return {
        STAKEHOLDER: scoped_rule,
        ITEM: scoped_rule,
        LOG: log_rule,
        BENEFIT: project_lead_rule,
        SURVEY: project_lead_rule,
        MEASUREMENT: measurement_rule,
        RESPONSE: response_rule,
    }
