from django.urls import URLPattern, URLResolver, path

from pmo.governance import audit_views, views

app_name = "governance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("governance/", views.home, name="home"),
    path("governance/methodologies/", views.methodologies, name="methodologies"),
    path("governance/methodologies/<int:pk>/", views.methodology_detail, name="methodology"),
    path("governance/gates/", views.gates, name="gates"),
    path("governance/reviews/<int:pk>/", views.review_detail, name="review"),
    path("governance/projects/<int:pk>/", views.project_governance, name="project"),
    path("governance/audits/", audit_views.audits, name="audits"),
    path("governance/audits/<int:pk>/", audit_views.audit_detail, name="audit"),
]
