"""Model permissions per role and object rules of knowledge, merged into pmo.core.roles and pmo.core.access.

Keep this module free of model imports: pmo.core.roles loads it while Django starts.

- Closures: every role but requesters reads them; the project's leads (the PMO director, the manager of its
  portfolio, its own project manager) write the report, record the session and close; a closed closure is
  read-only.
- Lessons: every role reads them (requesters too: relevant lessons are shown on their proposals); the PMO
  (director, portfolio manager, analyst) and project managers record them, project managers on their own
  projects; whoever recorded a lesson, a lead of its project or the PMO changes it; only the PMO marks a lesson
  "relevant". The category list is kept by the PMO director and the PMO analyst.
- Maturity: every role but requesters reads assessments and improvement actions; the PMO director and the PMO
  analyst record assessments; they and portfolio managers plan improvement actions; an action's owner moves
  it along (status only).
"""

from collections.abc import Callable
from typing import Any

from pmo.core.roles import Role

CLOSURE = "knowledge.closure"
LESSON = "knowledge.lesson"
LESSON_CATEGORY = "knowledge.lessoncategory"
ASSESSMENT = "knowledge.maturityassessment"
IMPROVEMENT = "knowledge.improvementaction"
MODELS: tuple[str, ...] = (CLOSURE, LESSON, LESSON_CATEGORY, ASSESSMENT, IMPROVEMENT)

_VIEW = frozenset({"view"})
_ALL = frozenset({"view", "add", "change", "delete"})
_WRITE = frozenset({"view", "add", "change"})
_READ = {model: _VIEW for model in MODELS}

GRANTS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PMO_DIRECTOR: {model: _ALL for model in MODELS},
    Role.PORTFOLIO_MANAGER: {**_READ, CLOSURE: _WRITE, LESSON: _ALL, IMPROVEMENT: _WRITE},
    Role.PMO_ANALYST: {**_READ, LESSON: _ALL, LESSON_CATEGORY: _ALL, ASSESSMENT: _ALL, IMPROVEMENT: _ALL},
    Role.PROJECT_MANAGER: {**_READ, CLOSURE: _WRITE, LESSON: _WRITE, IMPROVEMENT: frozenset({"view", "change"})},
    Role.PROJECT_ADMINISTRATOR: {**_READ, IMPROVEMENT: frozenset({"view", "change"})},
    Role.EXECUTIVE: {**_READ, IMPROVEMENT: frozenset({"view", "change"})},
    Role.TEAM_MEMBER: {**_READ, IMPROVEMENT: frozenset({"view", "change"})},
    Role.REQUESTER: {LESSON: _VIEW},
    Role.RESOURCE_MANAGER: {**_READ, IMPROVEMENT: frozenset({"view", "change"})},
}

DERIVED_ACTIONS: dict[str, str] = {
    "close": "change",  # close a project through its closure
    "mark_relevant": "change",  # mark a lesson relevant (or not)
}

PMO = frozenset({Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.PMO_ANALYST})
MATURITY_KEEPERS = frozenset({Role.PMO_DIRECTOR, Role.PMO_ANALYST})


def object_rules() -> dict[str, Callable[[Any, frozenset[Role], str, Any], bool]]:
    """Called by pmo.core.access once it is loaded (rules may import its helpers)."""
    from pmo.core.access import _manages_portfolio, _project_lead, person_id_of

    def closure_rule(user: Any, roles: frozenset[Role], action: str, closure: Any) -> bool:
        if action == "view":
            return True
        if closure.status == "closed":
            return False  # archived: read-only
        return _project_lead(user, roles, closure.project)

    def lesson_rule(user: Any, roles: frozenset[Role], action: str, lesson: Any) -> bool:
        if action == "view":
            return True
        if Role.PMO_DIRECTOR in roles or Role.PMO_ANALYST in roles:
            return True
        portfolio_id = lesson.portfolio_id or (lesson.project.portfolio_id if lesson.project_id else None)
        if Role.PORTFOLIO_MANAGER in roles and (portfolio_id is None or _manages_portfolio(user, portfolio_id)):
            return True
        if action == "mark_relevant":
            return False
        if lesson.project_id is not None and _project_lead(user, roles, lesson.project):
            return True
        if action == "add":
            return lesson.project_id is None and Role.PROJECT_MANAGER in roles
        return lesson.recorded_by_id is not None and lesson.recorded_by_id == getattr(user, "pk", None)

    def improvement_rule(user: Any, roles: frozenset[Role], action: str, item: Any) -> bool:
        if action == "view" or roles & MATURITY_KEEPERS:
            return True
        if action == "progress" and item.owner_id is not None and item.owner_id == person_id_of(user):
            return True  # its owner moves it along
        return Role.PORTFOLIO_MANAGER in roles and action in ("add", "change", "progress")

    return {CLOSURE: closure_rule, LESSON: lesson_rule, IMPROVEMENT: improvement_rule}
