from django.contrib.auth import views as auth_views
from django.urls import include, path

from pmo.portfolio import pages as portfolio_pages
from pmo.portfolio import views as portfolio_views
from pmo.resources import pages as resource_pages
from pmo.selection import pages as selection_pages
from pmo.web import views
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
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
