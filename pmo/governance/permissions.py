"""Model permissions per role and object rules of governance, merged into pmo.core.roles and pmo.core.access.

Keep this module free of model imports: pmo.core.roles loads it while Django starts.

- The methodology library (methodologies, versions, phases, required deliverables, gate criteria): kept by the
  PMO director and the PMO analysts, read by everyone; only the PMO director publishes a version.
- The methodology a project follows: set by the project's leads (its manager, the manager of its portfolio,
  the PMO director).
- Gate reviews: prepared (criteria answered with evidence, reviewers named) by the project's leads and the PMO
  analysts; each named reviewer records their own vote, whatever their role; the decision belongs to the
  closure authority: the PMO director or the manager of the project's portfolio. Conditions are closed by
  their owner, the project's leads or the PMO.
- Quality audits and findings: run by the PMO director, the PMO analysts and the manager of the project's
  portfolio; corrective actions are added by those and by the project's manager, and closed by their owner.
- Everyone but requesters reads gate reviews and audits; requesters read the library only.
"""

from collections.abc import Callable
from typing import Any

from pmo.core.roles import Role

METHODOLOGY = "governance.methodology"
VERSION = "governance.methodologyversion"
PHASE = "governance.phase"
REQUIREMENT = "governance.requirement"
CRITERION = "governance.criterion"
PROJECT_METHODOLOGY = "governance.projectmethodology"
GATE_REVIEW = "governance.gatereview"
ANSWER = "governance.criterionanswer"
REVIEWER = "governance.reviewer"
CONDITION = "governance.gatecondition"
AUDIT_TEMPLATE = "governance.audittemplate"
AUDIT_QUESTION = "governance.auditquestion"
AUDIT = "governance.audit"
AUDIT_ANSWER = "governance.auditanswer"
FINDING = "governance.finding"
ACTION = "governance.correctiveaction"

LIBRARY = (METHODOLOGY, VERSION, PHASE, REQUIREMENT, CRITERION, AUDIT_TEMPLATE, AUDIT_QUESTION)
GATES = (PROJECT_METHODOLOGY, GATE_REVIEW, ANSWER, REVIEWER, CONDITION)
AUDITS = (AUDIT, AUDIT_ANSWER, FINDING, ACTION)
MODELS: tuple[str, ...] = (*LIBRARY, *GATES, *AUDITS)

_VIEW = frozenset({"view"})
_ALL = frozenset({"view", "add", "change", "delete"})
_READ = {model: _VIEW for model in MODELS}
_KEEP_LIBRARY = {model: _ALL for model in LIBRARY}
_RUN_GATES = {model: _ALL for model in GATES}
_RUN_AUDITS = {model: _ALL for model in AUDITS}

GRANTS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PMO_DIRECTOR: {model: _ALL for model in MODELS},
    Role.PMO_ANALYST: {**_KEEP_LIBRARY, **_RUN_GATES, **_RUN_AUDITS},
    Role.PORTFOLIO_MANAGER: {**_READ, **_RUN_GATES, **_RUN_AUDITS},
    Role.PROJECT_MANAGER: {**_READ, **_RUN_GATES, ACTION: _ALL},
    Role.PROJECT_ADMINISTRATOR: dict(_READ),
    Role.EXECUTIVE: dict(_READ),
    Role.TEAM_MEMBER: dict(_READ),
    Role.RESOURCE_MANAGER: dict(_READ),
    Role.REQUESTER: {model: _VIEW for model in (METHODOLOGY, VERSION, PHASE, REQUIREMENT, CRITERION)},
}

# Actions beyond the model permissions. Voting and closing one's own condition or action need only read access:
# the object rule then asks for the right person.
DERIVED_ACTIONS: dict[str, str] = {
    "publish_version": "change",
    "gate_decide": "view",
    "gate_vote": "view",
    "close_condition": "view",
    "close_action": "view",
}


def object_rules() -> dict[str, Callable[[Any, frozenset[Role], str, Any], bool]]:
    """Called by pmo.core.access once it is loaded (rules may import its helpers)."""
    from pmo.core.access import _manages_portfolio, _project_lead, person_id_of

    def closure_authority(user: Any, roles: frozenset[Role], project: Any) -> bool:
        return Role.PMO_DIRECTOR in roles or (
            Role.PORTFOLIO_MANAGER in roles and _manages_portfolio(user, project.portfolio_id)
        )

    def auditor(user: Any, roles: frozenset[Role], project: Any) -> bool:
        return Role.PMO_ANALYST in roles or closure_authority(user, roles, project)

    def library_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "publish_version":
            return Role.PMO_DIRECTOR in roles
        return True  # the model permission decides; services keep published versions immutable

    def project_methodology_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        return action == "view" or _project_lead(user, roles, obj.project)

    def review_of(obj: Any) -> Any:
        return obj if obj._meta.label_lower == GATE_REVIEW else obj.review

    def gate_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "view":
            return True
        project = review_of(obj).project
        if action == "gate_decide":
            return closure_authority(user, roles, project)
        if action == "gate_vote":
            own = obj._meta.label_lower == REVIEWER and obj.person_id == person_id_of(user)
            return own or Role.PMO_DIRECTOR in roles
        return Role.PMO_ANALYST in roles or _project_lead(user, roles, project)

    def condition_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "view":
            return True
        project = obj.review.project
        if action == "close_condition" and obj.owner_id is not None and obj.owner_id == person_id_of(user):
            return True
        return Role.PMO_ANALYST in roles or _project_lead(user, roles, project)

    def audit_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "view":
            return True
        if action == "close_action":  # a finding closes when the last of its actions is done
            return obj._meta.label_lower == FINDING
        project = obj.project if hasattr(obj, "project_id") else obj.audit.project
        return auditor(user, roles, project)

    def action_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "view":
            return True
        project = obj.finding.project
        if action == "close_action" and obj.owner_id is not None and obj.owner_id == person_id_of(user):
            return True
        return auditor(user, roles, project) or _project_lead(user, roles, project)

    return {
        METHODOLOGY: library_rule,
        VERSION: library_rule,
        PHASE: library_rule,
        REQUIREMENT: library_rule,
        CRITERION: library_rule,
        PROJECT_METHODOLOGY: project_methodology_rule,
        GATE_REVIEW: gate_rule,
        ANSWER: gate_rule,
        REVIEWER: gate_rule,
        CONDITION: condition_rule,
        AUDIT: audit_rule,
        AUDIT_ANSWER: audit_rule,
        FINDING: audit_rule,
        ACTION: action_rule,
    }
