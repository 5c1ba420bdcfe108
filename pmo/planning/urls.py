from django.urls import path

from pmo.planning import dependency_views, leveling_views, views

urlpatterns = [
    path("projects/<int:pk>/plan/", views.plan_page, name="plan"),
    path("projects/<int:pk>/plan/settings/", views.plan_settings, name="plan-settings"),
    path("projects/<int:pk>/plan/tasks/", views.task_add, name="plan-task-add"),
    path("projects/<int:pk>/plan/tasks/<int:task_pk>/", views.task_save, name="plan-task-save"),
    path("projects/<int:pk>/plan/tasks/<int:task_pk>/<str:action>/", views.task_action, name="plan-task-action"),
    path("projects/<int:pk>/plan/baselines/", views.baseline_capture, name="plan-baseline"),
    path("projects/<int:pk>/plan/compare/", views.baseline_compare, name="plan-compare"),
    path("projects/<int:pk>/plan/export.xml", views.plan_export, name="plan-export"),
    path("projects/<int:pk>/plan/import/", views.plan_import, name="plan-import"),
    path("portfolios/<int:portfolio_pk>/import/", views.project_import_new, name="project-import-new"),
    path("projects/<int:pk>/plan/links/", dependency_views.cross_link_add, name="plan-link-add"),
    path(
        "projects/<int:pk>/plan/links/<int:link_pk>/remove/",
        dependency_views.cross_link_remove,
        name="plan-link-remove",
    ),
    path("portfolios/<int:pk>/dependencies/", dependency_views.dependency_map, name="dependency-map"),
    path("leveling/", leveling_views.leveling_start, name="leveling-start"),
    path("leveling/<int:pk>/", leveling_views.leveling_run, name="leveling-run"),
    path("leveling/<int:pk>/status.json", leveling_views.leveling_status, name="leveling-status"),
    path("leveling/<int:pk>/<str:decision>/", leveling_views.leveling_decide, name="leveling-decide"),
]
