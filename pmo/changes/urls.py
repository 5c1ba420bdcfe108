from django.urls import path

from pmo.changes import views

urlpatterns = [
    path("projects/<int:pk>/status/", views.project_status, name="project-status"),
    path("projects/<int:pk>/issues/", views.project_issues, name="project-issues"),
    path("projects/<int:pk>/changes/", views.project_changes, name="project-changes"),
    path("status-reports/missing/", views.missing_reports, name="missing-reports"),
    path("status-reports/<int:pk>/", views.status_report, name="status-report"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("change-requests/<int:pk>/", views.change_detail, name="change-detail"),
    path("change-board/", views.change_board, name="change-board"),
    path("deviations/", views.deviation_list, name="deviation-list"),
    path("deviations/<int:pk>/acknowledge/", views.deviation_acknowledge, name="deviation-acknowledge"),
    path("portfolios/<int:pk>/thresholds/", views.thresholds, name="thresholds"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
]
