from django.urls import include, path

from pmo.portfolio import pages as portfolio_pages
from pmo.portfolio import views as portfolio_views
from pmo.resources import pages as resource_pages
from pmo.selection import pages as selection_pages
from pmo.web import sso, views
from pmo.web.areas import Area

AREAS: tuple[Area, ...] = (*portfolio_pages.AREAS, *selection_pages.AREAS, *resource_pages.AREAS)


def area_urls(area: Area) -> list:
    k = area.key
    return [
        path(f"{k}/", views.record_list, {"area": area}, name=f"{k}-list"),
        path(f"{k}/new/", views.record_create, {"area": area}, name=f"{k}-create"),
        path(f"{k}/<int:pk>/", views.record_detail, {"area": area}, name=f"{k}-detail"),
        path(f"{k}/<int:pk>/edit/", views.record_edit, {"area": area}, name=f"{k}-edit"),
        path(f"{k}/<int:pk>/delete/", views.record_delete, {"area": area}, name=f"{k}-delete"),
        path(f"{k}/<int:pk>/history/", views.record_history, {"area": area}, name=f"{k}-history"),
    ]


urlpatterns = [
    path("", views.home, name="home"),
    path("login/", sso.SignInView.as_view(), name="login"),
    path("logout/", sso.SignOutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect): 404 unless configured; the names are mozilla-django-oidc's.
    path("oidc/authenticate/", sso.authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", sso.callback, name="oidc_authentication_callback"),
    path("account/", views.account, name="account"),
    path("", include("pmo.planning.urls")),
    path("", include("pmo.selection.urls")),
    path("", include("pmo.control.urls")),
    path("", include("pmo.changes.urls")),
    path("", include("pmo.risks.urls")),
    path("", include("pmo.resources.urls")),
    path("", include("pmo.documents.urls")),
    path("", include("pmo.governance.urls")),
    path("", include("pmo.knowledge.urls")),
    path("", include("pmo.stakeholders.urls")),
    path("", include("pmo.reporting.urls")),
    path(
        "projects/<int:pk>/transition/",
        portfolio_views.project_transition,
        name="projects-transition",
    ),
]
for _area in AREAS:
    urlpatterns += area_urls(_area)
