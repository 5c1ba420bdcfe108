"""Model permissions per role and object rules of reporting, merged into pmo.core.roles and pmo.core.access.

Keep this module free of model imports: pmo.core.roles loads it while Django starts.

- The dashboard and the roadmap ("view" on the report archive): everyone who manages or watches work —
  the PMO, portfolio and project managers, project administrators, executives and resource managers. Team
  members and requesters have their own pages instead. Each sees only the projects whose figures they may see.
- Producing a report (portfolio or project, PDF/Excel/CSV; "add" on the archive): the PMO director, PMO
  analysts, portfolio managers, executives and project managers (a project manager's report covers the
  projects they may see).
- An archived report is downloaded by whoever produced it or subscribed to it, and by the PMO director, the
  PMO analysts, portfolio managers and executives; only the PMO director deletes archived reports.
- Subscriptions: everyone who sees the dashboard keeps their own; the PMO director manages all of them.
"""

from collections.abc import Callable
from typing import Any

from pmo.core.roles import Role

SUBSCRIPTION = "reporting.reportsubscription"
ARCHIVE = "reporting.reportarchive"
MODELS: tuple[str, ...] = (SUBSCRIPTION, ARCHIVE)

_VIEW = frozenset({"view"})
_PRODUCE = frozenset({"view", "add"})
_ALL = frozenset({"view", "add", "change", "delete"})

GRANTS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PMO_DIRECTOR: {SUBSCRIPTION: _ALL, ARCHIVE: _ALL},
    Role.PMO_ANALYST: {SUBSCRIPTION: _ALL, ARCHIVE: _PRODUCE},
    Role.PORTFOLIO_MANAGER: {SUBSCRIPTION: _ALL, ARCHIVE: _PRODUCE},
    Role.EXECUTIVE: {SUBSCRIPTION: _ALL, ARCHIVE: _PRODUCE},
    Role.PROJECT_MANAGER: {SUBSCRIPTION: _ALL, ARCHIVE: _PRODUCE},
    Role.PROJECT_ADMINISTRATOR: {SUBSCRIPTION: _ALL, ARCHIVE: _VIEW},
    Role.RESOURCE_MANAGER: {SUBSCRIPTION: _ALL, ARCHIVE: _VIEW},
}

DERIVED_ACTIONS: dict[str, str] = {
    "view_dashboard": "view",
    "produce_report": "add",
    "run_subscriptions": "delete",  # the PMO director runs the due subscriptions by hand
}

# Who reads every archived report (not only their own).
READERS = frozenset({Role.PMO_DIRECTOR, Role.PMO_ANALYST, Role.PORTFOLIO_MANAGER, Role.EXECUTIVE})


def object_rules() -> dict[str, Callable[[Any, frozenset[Role], str, Any], bool]]:
    """Called by pmo.core.access once it is loaded (rules may import its helpers)."""

    def subscription_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        return Role.PMO_DIRECTOR in roles or obj.user_id == user.pk

    def archive_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action in ("view", "view_dashboard"):
            own = obj.created_by_id == user.pk or (obj.subscription_id and obj.subscription.user_id == user.pk)
            return bool(own) or bool(roles & READERS)
        return True  # "add": the model permission decides; the service checks each project

    return {SUBSCRIPTION: subscription_rule, ARCHIVE: archive_rule}
