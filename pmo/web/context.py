from typing import Any

from django.http import HttpRequest

from pmo.core.access import can, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The sidebar: only the areas this user may open (areas not built yet are simply absent)."""
    from pmo.web.urls import AREAS

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from pmo.selection.models import ScoringModel

    path = request.path
    items = [{"label": "Overview", "url": "/", "icon": "◎", "active": path == "/"}]
    for area in AREAS:
        if can(user, "view", area.model):
            items.append(
                {
                    "label": area.title,
                    "url": f"/{area.key}/",
                    "icon": area.icon,
                    "active": path.startswith(f"/{area.key}/"),
                }
            )
        if area.key == "proposals" and can(user, "view", ScoringModel):
            items.append({"label": "Ranking", "url": "/ranking/", "icon": "↧", "active": path.startswith("/ranking/")})
            items.append({"label": "Scoring", "url": "/scoring/", "icon": "⚖", "active": path.startswith("/scoring/")})
            items.append(
                {"label": "Scenarios", "url": "/scenarios/", "icon": "≡", "active": path.startswith("/scenarios/")}
            )
    from pmo.control.views import nav_items as control_nav

    items += control_nav(user, path)
    from pmo.changes.navigation import nav_items as changes_nav

    items += changes_nav(user, path)
    from pmo.risks.navigation import nav_items as risks_nav

    items += risks_nav(user, path)
    from pmo.resources.navigation import nav_items as pool_nav

    items += pool_nav(user, path)
    from pmo.documents.navigation import nav_items as documents_nav
    from pmo.governance.navigation import nav_items as governance_nav
    from pmo.knowledge.navigation import nav_items as knowledge_nav
    from pmo.reporting.navigation import nav_items as reporting_nav
    from pmo.stakeholders.navigation import nav_items as stakeholders_nav

    items += governance_nav(user, path) + documents_nav(user, path) + knowledge_nav(user, path)
    items += stakeholders_nav(user, path) + reporting_nav(user, path)
    return {"nav_items": items, "nav_roles": sorted(r.value for r in roles_of(user))}
