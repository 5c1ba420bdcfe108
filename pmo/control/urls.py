from django.urls import path

from pmo.control import views

urlpatterns = [
    path("timesheet/", views.timesheet_week, name="timesheet"),
    path("timesheet/approvals/", views.approvals, name="timesheet-approvals"),
    path("timesheet/<int:pk>/decide/", views.timesheet_decide, name="timesheet-decide"),
    path("performance/", views.portfolio_performance, name="portfolio-performance"),
    path("performance/snapshot/", views.portfolio_snapshot, name="portfolio-performance-snapshot"),
    path("projects/<int:pk>/performance/", views.performance, name="performance"),
    path("projects/<int:pk>/performance/snapshot/", views.snapshot_take, name="performance-snapshot"),
    path("projects/<int:pk>/performance/settings/", views.settings_save, name="performance-settings"),
    path("projects/<int:pk>/performance/budgets/", views.budgets_save, name="performance-budgets"),
    path("projects/<int:pk>/costs/add/", views.cost_add, name="costs-add"),
    path("projects/<int:pk>/costs/import/", views.cost_import, name="costs-import"),
]
