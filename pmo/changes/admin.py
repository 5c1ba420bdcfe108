"""Read-only admin pages: every write goes through the services (rules, audit, notifications); thresholds
are edited through the audited admin writes."""

from typing import Any

from django.contrib import admin

from pmo.changes.models import ChangeRequest, Deviation, Issue, Notification, StatusReport, Threshold
from pmo.core.admin import AuditedAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(StatusReport)
class StatusReportAdmin(ReadOnlyAdmin):
    list_display = ("project", "period", "state", "overall_rag", "submitted_at")
    list_filter = ("state", "overall_rag")


@admin.register(Threshold)
class ThresholdAdmin(AuditedAdmin):
    list_display = ("portfolio", "metric", "amber", "red")


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdmin):
    list_display = ("project", "metric", "value", "threshold", "severity", "status", "raised_at")
    list_filter = ("status", "severity", "metric")


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ("project", "title", "priority", "due_date", "status", "escalation")
    list_filter = ("status", "escalation")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("code", "project", "title", "state", "cost_impact", "schedule_impact_days")
    list_filter = ("state",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "message", "created_at", "read_at")
