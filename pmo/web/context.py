from typing import Any

from django.http import HttpRequest

from pmo.core.access import can, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The sidebar: only the areas this user may open (areas not built yet are simply absent)."""
    from pmo.web.urls import AREAS

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items = [
        {"label": "Overview", "url": "/", "icon": "◎", "active": path == "/"},
        *(
            {"label": a.title, "url": f"/{a.key}/", "icon": a.icon, "active": path.startswith(f"/{a.key}/")}
            for a in AREAS
            if can(user, "view", a.model)
        ),
    ]
    return {"nav_items": items, "nav_roles": sorted(r.value for r in roles_of(user))}
