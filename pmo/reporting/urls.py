from django.urls import URLPattern, URLResolver, path

from pmo.reporting import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="reporting-dashboard"),
    path("dashboard/years/<int:year>/", views.dashboard_year, name="reporting-year"),
    path("roadmap/", views.roadmap, name="reporting-roadmap"),
    path("reports/", views.reports_page, name="reporting-reports"),
    path("reports/generate/", views.report_generate, name="reporting-generate"),
    path("reports/<int:pk>/download/", views.download, name="reporting-download"),
    path("reports/subscriptions/", views.subscription_add, name="reporting-subscribe"),
    path("reports/subscriptions/<int:pk>/delete/", views.subscription_remove, name="reporting-unsubscribe"),
    path("projects/<int:pk>/status-report.pdf", views.project_report, name="reporting-project-report"),
]
